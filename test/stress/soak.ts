// Soak: millions of calls on one kernel, in batches of 10,000 that alternate two paths:
// CallAsync / RecvAsync / Reply between two processes of the kernel's realm, and a blocking Call
// from the kernel's realm to a server in a worker (fixtures/soak_server.ts); the event loop runs
// once between batches, as in a program that does other work. Every answer is checked.
// At the start and after every `sampleEvery` calls, both JavaScript heaps (after a full
// collection) and the kernel memory are sampled: none may grow.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Kernel, SMsgHdr, PackOutMsg, PackInMsg, nk_req_reset, rcOk, retcodeName } from 'kos-ipc';
import { fixture, sleep } from '../helpers.js';
import { memoryBytes } from './counts.js';
import { HEAP, STOP } from './soak_protocol.js';
import { guard, Hang } from './guard.js';
import { fmt, type Progress } from './progress.js';

export interface SoakOptions { calls: number; sampleEvery: number; progress: Progress }

export interface Sample { calls: number; mainHeapBytes: number; workerHeapBytes: number; kernelBytes: number; rssBytes: number }

export interface SoakFigures {
  calls: number;
  /** Answers that were not the request's value + 1, or calls that did not return rcOk. */
  wrong: number;
  samples: Sample[];
  /** Largest growth over the first sample, in bytes, of each heap. */
  mainHeapGrowth: number;
  workerHeapGrowth: number;
  kernelGrowth: number;
  callsPerSecond: number;
  crashes: number;
  hangs: number;
  failures: string[];
  seconds: number;
}

const BATCH = 10000;

/** Lets the event loop run once (the Async calls above settle in microtasks only). */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A full garbage collection in this realm (and `gc` in workers started from now on). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return (globalThis as { gc?: () => void }).gc ?? (runInNewContext('gc') as () => void);
}

interface Pair { out: SMsgHdr; inn: SMsgHdr; req: DataView; res: DataView }

function pairOfMessages(): Pair {
  const a = new Uint8Array(40), b = new Uint8Array(40);
  const out = new SMsgHdr(), inn = new SMsgHdr();
  PackOutMsg(out, a, null); PackInMsg(inn, b, null);
  nk_req_reset(a);
  return { out, inn, req: new DataView(a.buffer), res: new DataView(b.buffer) };
}

export async function soak(o: SoakOptions): Promise<SoakFigures> {
  const t0 = performance.now();
  const gc = collector();
  const f: SoakFigures = {
    calls: 0, wrong: 0, samples: [], mainHeapGrowth: 0, workerHeapGrowth: 0, kernelGrowth: 0, callsPerSecond: 0,
    crashes: 0, hangs: 0, failures: [], seconds: 0,
  };
  const fail = (what: string): void => {
    if (f.failures.length < 10) f.failures.push(what);
    o.progress.say(`soak: ${what}`);
  };
  const kernel = await Kernel.create();
  try {
    const client = kernel.createProcess('Client'), server = kernel.createProcess('Server');
    kernel.connect(client, server, 'pair');
    kernel.connect(client, 'Worker', 'soak');
    const worker = await kernel.spawn('Worker', fixture('soak_server'));
    void worker.exited.then((e) => { if (e.error !== undefined) { f.crashes++; fail(`the worker server failed: ${String(e.error)}`); } });
    const ch = client.ServiceLocatorConnect('pair'), sh = server.ServiceLocatorRegister('pair');
    const wh = client.ServiceLocatorConnect('soak');
    const c = pairOfMessages(), s = pairOfMessages();
    const check = (v: number, rc: number): void => {
      if (rc !== rcOk || c.res.getUint32(24, true) !== ((v + 1) >>> 0)) {
        f.wrong++;
        fail(`call ${f.calls}: ${retcodeName(rc)}, answer ${c.res.getUint32(24, true)} to ${v}`);
      }
    };
    const inRealm = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++, f.calls++) {
        const v = f.calls & 0x7fffffff;
        c.req.setUint32(24, v, true);
        const call = client.CallAsync(ch, c.out, c.inn);
        const rc = await server.RecvAsync(sh, s.inn);
        if (rc !== rcOk) throw new Error(`soak: RecvAsync returned ${retcodeName(rc)}`);
        s.req.setUint32(24, (s.res.getUint32(24, true) + 1) >>> 0, true);
        server.Reply(sh, s.out);
        check(v, await call);
      }
    };
    const toWorker = (n: number): void => {
      for (let i = 0; i < n; i++, f.calls++) {
        const v = f.calls & 0x7fffffff;
        c.req.setUint32(24, v, true);
        check(v, client.Call(wh, c.out, c.inn));
      }
    };
    const workerHeap = (): number => {
      c.req.setUint32(24, HEAP, true);
      if (client.Call(wh, c.out, c.inn) !== rcOk) throw new Error('soak: the worker did not report its heap');
      return c.res.getFloat64(32, true);
    };
    const sample = async (): Promise<void> => {
      await sleep(20); // tasks the calls left queued (waitAsync settlements) run and free what they hold
      gc();
      f.samples.push({
        calls: f.calls, mainHeapBytes: process.memoryUsage().heapUsed, workerHeapBytes: workerHeap(),
        kernelBytes: memoryBytes(kernel), rssBytes: process.memoryUsage().rss,
      });
    };
    // one batch of each path first, so that the samples compare a warm kernel with itself
    await inRealm(BATCH);
    toWorker(BATCH);
    f.calls = 0;
    const start = performance.now();
    await sample();
    for (let batch = 0; f.calls < o.calls; batch++) {
      const n = Math.min(BATCH, o.calls - f.calls, o.sampleEvery - (f.calls % o.sampleEvery));
      if (batch % 2 === 0) await guard(inRealm(n), `soak: calls ${f.calls} to ${f.calls + n}`, 60000);
      else toWorker(n);
      await turn(); // as a program does between bursts: timers and tasks queued meanwhile run
      if (f.calls % o.sampleEvery === 0 || f.calls === o.calls) await sample();
      o.progress.tick('soak', f.calls, o.calls, `${fmt(f.calls / ((performance.now() - start) / 1000))} calls/s`);
    }
    f.callsPerSecond = f.calls / ((performance.now() - start) / 1000);
    c.req.setUint32(24, STOP, true);
    client.Call(wh, c.out, c.inn);
    const first = f.samples[0]!;
    for (const x of f.samples) {
      f.mainHeapGrowth = Math.max(f.mainHeapGrowth, x.mainHeapBytes - first.mainHeapBytes);
      f.workerHeapGrowth = Math.max(f.workerHeapGrowth, x.workerHeapBytes - first.workerHeapBytes);
      f.kernelGrowth = Math.max(f.kernelGrowth, x.kernelBytes - first.kernelBytes);
    }
  } catch (e) {
    if (e instanceof Hang) f.hangs++; else f.crashes++;
    fail(e instanceof Error ? e.message : String(e));
  } finally {
    await kernel.shutdown();
  }
  f.seconds = (performance.now() - t0) / 1000;
  return f;
}
