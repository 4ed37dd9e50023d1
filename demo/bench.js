// The round-trip benchmark of the demo: the same echo (a UInt32 in a 32-byte message, answered
// with value + 1) in six arrangements: three on kos-ipc, the floor of the page -> worker one (a
// raw Atomics ping-pong), and two on the peers a web developer would otherwise use. Each run
// starts afresh and ends everything it started.
import { Kernel, rcOk, retcodeName, INVALID_HANDLE } from 'kos-ipc';
import { clientMessages, serverMessages, CHANNEL, STOP } from './echo_messages.js';
import { Measurement, measureAsync, timerResolutionUs } from './measure.js';
import { portCaller } from './port_messages.js';
import { atomicsCaller, BUFFER_BYTES } from './atomics_messages.js';
import { Chunks } from './stats.js';
import { serveReports, REPORT_CHANNEL } from './report.js';

/** shared: needs SharedArrayBuffer (cross-origin isolation); blocking: a thread waits in Atomics.wait. */
export const MODES = {
  workers: { label: 'kos-ipc worker ⇄ worker', detail: 'blocking Call and Recv, each process in a module worker', shared: true, blocking: true, colour: '#3b6fb6' },
  page: { label: 'kos-ipc page → worker', detail: 'CallAsync on this page\'s main thread, blocking Recv in a worker', shared: true, blocking: true, colour: '#6a4fb0' },
  atomics: { label: 'Atomics page ↔ worker (the floor)', detail: 'no kos-ipc: a raw Atomics ping-pong that checks for the answer before Atomics.waitAsync, a worker that spins as Recv does', shared: true, blocking: true, colour: '#8c3b4f' },
  realm: { label: 'kos-ipc in-realm', detail: 'CallAsync and RecvAsync, both processes on this page\'s main thread', shared: false, blocking: false, colour: '#2a8f86' },
  postMessage: { label: 'postMessage page ↔ worker', detail: 'worker.postMessage from this page, a plain worker answers', shared: false, blocking: false, colour: '#b0782f' },
  MessageChannel: { label: 'MessageChannel worker ↔ worker', detail: 'a client worker and a server worker joined by a MessageChannel', shared: false, blocking: false, colour: '#8a8a3a' },
};

const here = (file) => new URL(`./${file}`, import.meta.url);
const moduleWorker = (file) => new Worker(here(file), { type: 'module' });

/** The client on this page: echo calls through `call(v)` for `ms`, then STOP; reports through `data`. */
async function pageClient(call, ms, data, stopRequested) {
  let value = 1;
  const send = (kind, values) => { data(kind, values); return stopRequested(); };
  await measureAsync(async () => {
    const got = await call(value);
    if (got !== value + 1) throw new Error(`page client: sent ${value}, got ${got} back`);
    value = (value + 1) & 0x7fffffff;
  }, new Measurement({ ms, timerUs: timerResolutionUs(), send }));
  data('done', [await call(STOP)]);
}

/** `call(v)` over kos-ipc with CallAsync from `client`. */
function kosCaller(client) {
  const h = client.ServiceLocatorConnect(CHANNEL);
  if (h === INVALID_HANDLE) throw new Error(`page client: no channel "${CHANNEL}"`);
  const m = clientMessages();
  return async (v) => {
    m.set(v);
    const rc = await client.CallAsync(h, m.out, m.in);
    if (rc !== rcOk) throw new Error(`page client: CallAsync with ${v} returned ${retcodeName(rc)}`);
    return m.get();
  };
}

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

/** Rejects when process `p` ends with an error; never settles when it ends well. */
function failure(p, what) {
  return p.exited.then((e) => {
    if (e.error !== undefined || e.code !== 0) {
      throw e.error instanceof Error ? e.error : new Error(`${what} ended with code ${e.code}${e.error ? `: ${e.error}` : ''}`);
    }
    return new Promise(() => {});
  });
}

/** Rejects when worker `w` fails; never settles otherwise. */
const workerFailure = (w, what) => new Promise((_, reject) => {
  w.addEventListener('error', (e) => reject(new Error(`${what}: ${e.message || 'failed to load'}`)));
});

async function kosRun(mode, ms, spin, run, data, stopRequested) {
  const kernel = await Kernel.create(spin === undefined ? {} : { spin });
  run.kernelMode = kernel.mode;
  try {
    kernel.connect('Client', 'Server', CHANNEL);
    if (mode === 'workers') {
      const page = kernel.createProcess('Page');
      kernel.connect('Client', 'Page', REPORT_CHANNEL);
      const spawned = Promise.all([kernel.spawn('Server', here('echo_server.js')), kernel.spawn('Client', here('echo_client.js'), { args: [String(ms)] })]);
      const rh = page.ServiceLocatorRegister(REPORT_CHANNEL, null, 0);
      if (rh === INVALID_HANDLE) throw new Error(`page: no channel "${REPORT_CHANNEL}"`);
      const [server, client] = await spawned;
      await Promise.race([serveReports(page, rh, data, stopRequested), failure(client, 'the client worker'), failure(server, 'the server worker')]);
      await Promise.race([server.exited, failure(server, 'the server worker')]);
    } else if (mode === 'page') {
      const client = kernel.createProcess('Client');
      const server = await kernel.spawn('Server', here('echo_server.js'));
      await Promise.race([pageClient(kosCaller(client), ms, data, stopRequested), failure(server, 'the server worker')]);
      await server.exited;
    } else {
      const server = kernel.createProcess('Server');
      const client = kernel.createProcess('Client');
      await Promise.all([serveAsync(server), pageClient(kosCaller(client), ms, data, stopRequested)]);
    }
  } finally {
    await kernel.shutdown();
  }
}

async function portRun(mode, ms, data, stopRequested) {
  const server = moduleWorker('port_echo.js');
  const client = mode === 'MessageChannel' ? moduleWorker('port_client.js') : null;
  try {
    if (!client) {
      server.postMessage('self');
      await Promise.race([pageClient(portCaller(server), ms, data, stopRequested), workerFailure(server, 'the echo worker')]);
      return;
    }
    const { port1, port2 } = new MessageChannel();
    server.postMessage({ port: port1 }, [port1]);
    const finished = new Promise((resolve, reject) => {
      client.onmessage = ({ data: m }) => {
        if (m.kind === 'error') { reject(new Error(m.message)); return; }
        data(m.kind, m.values);
        if (stopRequested()) client.postMessage('stop');
        if (m.kind === 'done') resolve();
      };
    });
    client.postMessage({ port: port2, ms }, [port2]);
    await Promise.race([finished, workerFailure(server, 'the echo worker'), workerFailure(client, 'the client worker')]);
  } finally {
    server.terminate();
    client?.terminate();
  }
}

/** The floor: the page and a plain worker over a raw Atomics ping-pong (atomics_messages.js). */
async function atomicsRun(ms, spin, data, stopRequested) {
  const sab = new SharedArrayBuffer(BUFFER_BYTES);
  const worker = moduleWorker('atomics_echo.js');
  // the worker spins as long as a kos-ipc kernel's blocking Recv would: probe the default
  const spinUs = spin ?? (await Kernel.create().then(async (k) => { const us = k.spinUs; await k.shutdown(); return us; }));
  worker.postMessage({ sab, spinUs });
  try {
    await Promise.race([pageClient(atomicsCaller(sab), ms, data, stopRequested), workerFailure(worker, 'the echo worker')]);
  } finally {
    worker.terminate();
  }
}

/**
 * Runs arrangement `mode` for `ms` milliseconds of measurement, or until `stop()` is called on
 * the returned object. `spin`: the kernel's spin budget (µs) before a blocking wait sleeps
 * (undefined: the kernel's default). `onData(run)` is called whenever figures arrive.
 * Returns { run, stop(), done: Promise<run> }, where `run` is
 * { mode, kernelMode, timing: 'each' | 'batch', timerUs, warmup, chunks: Chunks, served, stopped }
 * and `served` is the server's own count of the requests it answered (warm-up and STOP included).
 */
export function startBenchmark({ mode, ms, spin, onData = () => {} }) {
  if (!MODES[mode]) throw new TypeError(`startBenchmark: mode must be one of ${Object.keys(MODES).join(', ')}, got ${mode}`);
  const run = { mode, kernelMode: null, timing: null, timerUs: NaN, warmup: 0, chunks: new Chunks(), served: NaN, stopped: false };
  let stopping = false;
  const stopRequested = () => stopping;
  const data = (kind, values) => {
    if (kind === 'start') { run.timerUs = values[0]; run.timing = values[1] ? 'each' : 'batch'; run.warmup = values[2]; }
    else if (kind === 'chunks') run.chunks.push(values);
    else if (kind === 'done') run.served = values[0];
    onData(run);
  };
  const done = (mode in { postMessage: 1, MessageChannel: 1 } ? portRun(mode, ms, data, stopRequested)
    : mode === 'atomics' ? atomicsRun(ms, spin, data, stopRequested)
      : kosRun(mode, ms, spin, run, data, stopRequested)).then(() => run);
  return { run, done, stop() { stopping = true; run.stopped = true; } };
}
