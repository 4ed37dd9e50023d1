// The benchmark client process, run in a worker by kernel.spawn('Client', ..., { args }):
// blocking Call in a loop for args[0] milliseconds, each answer checked (value + 1). Every
// REPORT_EVERY_MS it hands its samples (mean round trip of each batch) to the page over the
// "report" channel, then asks the server to stop.
import { ServiceLocatorConnect, Call, rcOk, retcodeName, INVALID_HANDLE, thisProcess } from '../dist/index.js';
import { clientMessages, CHANNEL, STOP } from './echo_messages.js';
import { batchMs, nextStride, timerResolutionUs, REPORT_EVERY_MS, WARMUP_MS } from './sampler.js';
import { reporter, REPORT_START, REPORT_SAMPLES, REPORT_DONE } from './report.js';

const duration = Number(thisProcess().args[0]);
const send = reporter();
const handle = ServiceLocatorConnect(CHANNEL);
if (handle === INVALID_HANDLE) throw new Error(`echo client: no channel "${CHANNEL}"`);
const m = clientMessages();
let value = 1, calls = 0, stride = 1;

/** One batch of checked round trips lasting at least `ms`; returns [calls, elapsed ms]. */
function batch(ms) {
  const t0 = performance.now();
  let n = 0, t = t0;
  do {
    for (let i = 0; i < stride; i++) {
      m.set(value);
      const rc = Call(handle, m.out, m.in);
      if (rc !== rcOk) throw new Error(`echo client: Call ${calls + n + i} returned ${retcodeName(rc)}`);
      const got = m.get();
      if (got !== value + 1) throw new Error(`echo client: sent ${value}, got ${got} back`);
      value = (value + 1) & 0x7fffffff;
    }
    n += stride;
    t = performance.now();
  } while (t - t0 < ms);
  calls += n;
  stride = nextStride(n);
  return [n, t - t0];
}

const timerUs = timerResolutionUs();
const length = batchMs(timerUs);
send(REPORT_START, 0, [timerUs]);
for (let spent = 0; spent < WARMUP_MS;) spent += batch(length)[1];
const warmup = calls;
let samples = [], n = 0;
const end = performance.now() + duration;
let lastReport = performance.now();
while (performance.now() < end) {
  const [k, ms] = batch(length);
  samples.push((ms * 1000) / k);
  n = k;
  if (performance.now() - lastReport >= REPORT_EVERY_MS) {
    send(REPORT_SAMPLES, n, samples);
    samples = [];
    lastReport = performance.now();
  }
}
send(REPORT_SAMPLES, n, samples);
m.set(STOP);
Call(handle, m.out, m.in);
send(REPORT_DONE, n, [calls - warmup, calls]);
