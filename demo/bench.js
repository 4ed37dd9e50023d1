// The round-trip benchmark on the demo's echo system, in three arrangements:
//   workers: Client and Server each in a worker, blocking Call/Recv (needs cross-origin isolation)
//   page:    Client on the page's main thread (CallAsync), Server in a worker (blocking Recv)
//   realm:   Client and Server both on the page's main thread (CallAsync/RecvAsync)
// Each run boots a fresh kernel and shuts it down at the end.
import { Kernel, rcOk, retcodeName, INVALID_HANDLE } from 'kos-ipc';
import { clientMessages, serverMessages, CHANNEL, STOP } from './echo_messages.js';
import { batchMs, nextStride, timerResolutionUs, REPORT_EVERY_MS, WARMUP_MS } from './sampler.js';
import { serveReports, REPORT_CHANNEL, REPORT_START, REPORT_SAMPLES, REPORT_DONE } from './report.js';

export const MODES = {
  workers: { label: 'worker ⇄ worker', detail: 'blocking Call and Recv, each process in a module worker', workers: true },
  page: { label: 'page → worker', detail: 'CallAsync on the page\'s main thread, blocking Recv in a worker', workers: true },
  realm: { label: 'in-realm', detail: 'CallAsync and RecvAsync, both processes on the page\'s main thread', workers: false },
};

const serverUrl = new URL('./echo_server.js', import.meta.url);
const clientUrl = new URL('./echo_client.js', import.meta.url);
const yieldToPage = () => new Promise((r) => setTimeout(r, 0));

/** The echo server as an in-realm process: RecvAsync, answer, Reply, until STOP. */
async function serveAsync(server) {
  const h = server.ServiceLocatorRegister(CHANNEL, null, 0);
  const m = serverMessages();
  for (;;) {
    const rc = await server.RecvAsync(h, m.in);
    if (rc !== rcOk) throw new Error(`in-realm server: RecvAsync returned ${retcodeName(rc)}`);
    const v = m.answer();
    server.Reply(h, m.out);
    if (v === STOP) return;
  }
}

/** The benchmark client on the main thread: CallAsync in batches, yielding between reports. */
async function clientAsync(client, ms, sink) {
  const h = client.ServiceLocatorConnect(CHANNEL);
  if (h === INVALID_HANDLE) throw new Error(`page client: no channel "${CHANNEL}"`);
  const m = clientMessages();
  let value = 1, calls = 0, stride = 1;
  const batch = async (length) => { // as in echo_client.js, with CallAsync
    const t0 = performance.now();
    let n = 0, t = t0;
    do {
      for (let i = 0; i < stride; i++) {
        m.set(value);
        const rc = await client.CallAsync(h, m.out, m.in);
        if (rc !== rcOk) throw new Error(`page client: CallAsync ${calls + n + i} returned ${retcodeName(rc)}`);
        const got = m.get();
        if (got !== value + 1) throw new Error(`page client: sent ${value}, got ${got} back`);
        value = (value + 1) & 0x7fffffff;
      }
      n += stride;
      t = performance.now();
    } while (t - t0 < length);
    calls += n;
    stride = nextStride(n);
    return [n, t - t0];
  };
  const timerUs = timerResolutionUs();
  const length = batchMs(timerUs);
  sink.start(timerUs);
  for (let spent = 0; spent < WARMUP_MS;) spent += (await batch(length))[1];
  const warmup = calls;
  let samples = [], n = 0;
  const end = performance.now() + ms;
  let lastReport = performance.now();
  while (performance.now() < end) {
    const [k, elapsed] = await batch(length);
    samples.push((elapsed * 1000) / k);
    n = k;
    if (performance.now() - lastReport >= REPORT_EVERY_MS) {
      sink.samples(n, samples);
      samples = [];
      await yieldToPage(); // let the page draw; not inside a timed batch
      lastReport = performance.now();
    }
  }
  sink.samples(n, samples);
  m.set(STOP);
  await client.CallAsync(h, m.out, m.in);
  sink.done(calls - warmup, calls);
}

/** Rejects when process `p` ends with an error; never settles when it ends well. */
function failure(p, what) {
  return p.exited.then((e) => {
    if (e.error !== undefined || e.code !== 0) {
      throw e.error instanceof Error ? e.error : new Error(`${what} ended with code ${e.code}${e.error ? `: ${e.error}` : ''}`);
    }
    return new Promise(() => {}); // ended well: let the other side finish
  });
}

/**
 * Runs mode `mode` for `ms` milliseconds of measurement. `spin` is the kernel's spin budget in
 * microseconds before a blocking wait sleeps (undefined: the kernel's default; 0: never spin).
 * `onSamples(all)` is called as samples arrive.
 * Resolves to { mode, kernelMode, batch, samples, calls, checked, timerUs }.
 */
export async function runBenchmark({ mode, ms = 2000, spin, onSamples = () => {} }) {
  if (!MODES[mode]) throw new TypeError(`runBenchmark: mode must be one of ${Object.keys(MODES).join(', ')}, got ${mode}`);
  const kernel = await Kernel.create(spin === undefined ? {} : { spin });
  const result = { mode, kernelMode: kernel.mode, batch: 0, samples: [], calls: 0, checked: 0, timerUs: NaN };
  const sink = {
    start(timerUs) { result.timerUs = timerUs; },
    samples(batch, values) { result.batch = batch; result.samples.push(...values); onSamples(result.samples); },
    done(calls, checked) { result.calls = calls; result.checked = checked; },
  };
  try {
    kernel.connect('Client', 'Server', CHANNEL);
    if (mode === 'workers') {
      const page = kernel.createProcess('Page');
      kernel.connect('Client', 'Page', REPORT_CHANNEL);
      // spawn makes the process at once (so every channel exists before either module runs)
      // and resolves when its worker has booted
      const spawned = Promise.all([
        kernel.spawn('Server', serverUrl),
        kernel.spawn('Client', clientUrl, { args: [String(ms)] }),
      ]);
      const rh = page.ServiceLocatorRegister(REPORT_CHANNEL, null, 0);
      if (rh === INVALID_HANDLE) throw new Error(`page: no channel "${REPORT_CHANNEL}"`);
      const [server, client] = await spawned;
      const reports = serveReports(page, rh, (kind, batch, values) => {
        if (kind === REPORT_START) sink.start(values[0]);
        else if (kind === REPORT_SAMPLES) sink.samples(batch, values);
        else if (kind === REPORT_DONE) { sink.done(values[0], values[1]); return true; }
        return false;
      });
      await Promise.race([reports, failure(client, 'the client worker'), failure(server, 'the server worker')]);
      await Promise.race([server.exited, failure(server, 'the server worker')]);
    } else if (mode === 'page') {
      const client = kernel.createProcess('Client');
      const server = await kernel.spawn('Server', serverUrl);
      await Promise.race([clientAsync(client, ms, sink), failure(server, 'the server worker')]);
      await server.exited;
    } else {
      const server = kernel.createProcess('Server');
      const client = kernel.createProcess('Client');
      await Promise.all([serveAsync(server), clientAsync(client, ms, sink)]);
    }
  } finally {
    await kernel.shutdown();
  }
  return result;
}
