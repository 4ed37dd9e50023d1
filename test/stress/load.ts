// Load: many client workers (fixtures/load_client.ts) call one server worker
// (fixtures/load_server.ts) at once, each a fixed number of blocking calls. Nothing may be lost
// or duplicated, each client's requests must reach the server in order (the server checks the
// sequence numbers per client) and each answer must be the client's own; every call is timed.
// Each client worker is a process of its own, or (--threads) one of several threads of a
// process (spawn, then spawnThread).
import { Kernel, rcOk, retcodeName, type Process, type ProcessExit } from 'kos-ipc';
import { quantile } from 'kos-ipc/bench';
import { fixture, inMsg, outMsg } from '../helpers.js';
import {
  MSG_SIZE, L_INDEX, C_CALLS, C_FAILED, C_WRONG, S_REQUESTS, S_DISORDER, S_SENDER, STATS, STOP,
} from './load_protocol.js';
import { guard, Hang } from './guard.js';
import { fmt, type Progress } from './progress.js';

export interface LoadOptions { clients: number; calls: number; threadsPerProcess: number; progress: Progress }

export interface LoadFigures {
  clients: number;
  processes: number;
  callsPerClient: number;
  /** Calls that returned rcOk, calls that failed, answers that were not the caller's own. */
  ok: number;
  failed: number;
  wrongAnswers: number;
  /** Requests the server got, out of order for their client (lost, duplicated or reordered),
   * and sent by another process than the one they name. */
  serverRequests: number;
  disorder: number;
  wrongSender: number;
  /** clients x calls - requests the server got. */
  lost: number;
  latencyUs: { median: number; p99: number; p999: number; max: number };
  callsPerSecond: number;
  crashes: number;
  hangs: number;
  failures: string[];
  seconds: number;
}

export async function load(o: LoadOptions): Promise<LoadFigures> {
  const t0 = performance.now();
  const processes = Math.ceil(o.clients / o.threadsPerProcess);
  const f: LoadFigures = {
    clients: o.clients, processes, callsPerClient: o.calls, ok: 0, failed: 0, wrongAnswers: 0, serverRequests: 0,
    disorder: 0, wrongSender: 0, lost: 0, latencyUs: { median: NaN, p99: NaN, p999: NaN, max: NaN }, callsPerSecond: 0,
    crashes: 0, hangs: 0, failures: [], seconds: 0,
  };
  const fail = (what: string): void => {
    if (f.failures.length < 10) f.failures.push(what);
    o.progress.say(`load: ${what}`);
  };
  const kernel = await Kernel.create();
  let running = true;
  const watch = (name: string, exited: Promise<ProcessExit>): void => {
    void exited.then((e) => { if (running && e.error !== undefined) { f.crashes++; fail(`${name} failed: ${String(e.error)}`); } });
  };
  try {
    const main = kernel.createProcess('Main');
    const names = Array.from({ length: processes }, (_, i) => `Client${i}`);
    kernel.connect(main, 'LoadServer', 'load');
    for (const n of names) { kernel.connect(n, 'LoadServer', 'load'); kernel.connect(n, main, 'report'); }
    const server = await kernel.spawn('LoadServer', fixture('load_server'));
    watch('LoadServer', server.exited);
    let index = 0;
    await Promise.all(names.map(async (n) => {
      const first = index++;
      const p: Process = await kernel.spawn(n, fixture('load_client'), { args: [String(first), String(o.calls)] });
      watch(n, p.exited);
      for (let t = 1; t < o.threadsPerProcess && index < o.clients; t++) {
        const i = index++;
        watch(`${n} thread ${t}`, (await kernel.spawnThread(p, fixture('load_client'), [String(i), String(o.calls)])).exited);
      }
    }));
    // every client tells it is ready and waits for the answer: then all start at once
    const sh = main.ServiceLocatorRegister('report');
    const receive = async (what: string): Promise<ReturnType<typeof inMsg>> => {
      const m = inMsg(MSG_SIZE, o.calls * 8);
      const rc = await guard(main.RecvAsync(sh, m.hdr), what, 120000);
      if (rc !== rcOk) throw new Error(`${what}: Recv returned ${retcodeName(rc)}`);
      return m;
    };
    const tokens: number[] = [];
    for (let i = 0; i < o.clients; i++) tokens.push((await receive('a client\'s ready')).hdr.threadId);
    o.progress.say(`load: ${o.clients} client workers in ${processes} processes ready`);
    const go = performance.now();
    for (const t of tokens) {
      const m = outMsg(0);
      m.hdr.threadId = t;
      if (main.Reply(sh, m.hdr) !== rcOk) throw new Error('load: a client could not be started');
    }
    const times: Float64Array[] = [];
    const progress = setInterval(() => o.progress.tick('load', times.length, o.clients, 'clients done'), 1000);
    try {
      for (let i = 0; i < o.clients; i++) {
        const m = await receive('a client\'s results');
        const dv = new DataView(m.buf.buffer);
        f.ok += dv.getUint32(C_CALLS, true);
        f.failed += dv.getUint32(C_FAILED, true);
        f.wrongAnswers += dv.getUint32(C_WRONG, true);
        const a = m.arena!;
        if (a.used !== o.calls * 8) fail(`client ${dv.getUint32(L_INDEX, true)} sent ${a.used / 8} times`);
        times.push(new Float64Array(a.buffer.slice(0, a.used).buffer));
        tokens[i] = m.hdr.threadId;
      }
    } finally {
      clearInterval(progress);
    }
    const seconds = (performance.now() - go) / 1000;
    // answered only now: a process ends when its first thread does, so no thread may leave
    // while another of its process still calls
    for (const t of tokens) {
      const m = outMsg(0);
      m.hdr.threadId = t;
      main.Reply(sh, m.hdr);
    }
    const stats = inMsg(MSG_SIZE);
    const ch = main.ServiceLocatorConnect('load');
    for (const op of [STATS, STOP]) {
      const q = outMsg(0);
      new DataView(q.buf.buffer).setUint32(L_INDEX, op, true);
      const rc = await guard(main.CallAsync(ch, q.hdr, stats.hdr), 'the server\'s counts');
      if (rc !== rcOk) throw new Error(`load: the server's counts: ${retcodeName(rc)}`);
    }
    const sv = new DataView(stats.buf.buffer);
    f.serverRequests = sv.getUint32(S_REQUESTS, true);
    f.disorder = sv.getUint32(S_DISORDER, true);
    f.wrongSender = sv.getUint32(S_SENDER, true);
    f.lost = o.clients * o.calls - f.serverRequests;
    const all = new Float64Array(times.reduce((n, t) => n + t.length, 0));
    let at = 0;
    for (const t of times) { all.set(t, at); at += t.length; }
    all.sort();
    f.latencyUs = { median: quantile(all, 0.5), p99: quantile(all, 0.99), p999: quantile(all, 0.999), max: all[all.length - 1] ?? NaN };
    f.callsPerSecond = f.ok / seconds;
    o.progress.say(`load: ${fmt(f.ok)} calls in ${seconds.toFixed(1)} s`);
  } catch (e) {
    if (e instanceof Hang) f.hangs++; else f.crashes++;
    fail(e instanceof Error ? e.message : String(e));
  } finally {
    running = false;
    await kernel.shutdown();
  }
  f.seconds = (performance.now() - t0) / 1000;
  return f;
}
