// Faults: victims terminated at random moments while survivors keep calling. Each round starts
// one victim worker (fixtures/fault_victim.ts): a server that two survivor client workers
// (fixtures/fault_survivor.ts) and Main's in-realm process call, a client of a survivor server,
// or a loop of cheap syscalls that often holds the kernel lock. After a random 0-8 ms, the kernel
// terminates it. Then: every peer that was blocked on it returned rcNotConnected, and how long
// after the termination; the kernel lock does not stay held; both survivor servers still answer. The kernel's counts (counts.ts: kernel.stats() and the kernel memory),
// taken with every survivor paused, must be the same after the last victim as after the
// warm-up rounds.
import {
  Kernel, rcOk, rcNotConnected, retcodeName, INVALID_HANDLE, type Process, type Retcode,
} from 'kos-ipc';
import { quantile } from 'kos-ipc/bench';
import { abi, fixture, outMsg, inMsg, valueOf, sleep } from '../helpers.js';
import { tableCounts, countsDiffer, type Counts } from './counts.js';
import {
  PH_START, PHASES, REPORT_SIZE, F_K, F_RC, F_BACKGROUND, F_START, F_END, B_PHASE, B_PAUSE, B_PAUSED, BOARD_WORDS,
  boardAt, clock, victimChannel,
} from './fault_protocol.js';
import { Rng } from './random.js';
import { startSchedulingProbe, type Oversleep } from './sched_probe.js';
import { guard, Hang } from './guard.js';
import type { Progress } from './progress.js';

export interface FaultOptions { victims: number; seed: number; progress: Progress }

export interface FaultFigures {
  victims: number;
  byKind: Record<string, number>;
  /** Where the victims were when terminated (the phase they last wrote). */
  phases: Record<string, number>;
  /** Peers blocked in a call on a victim server when it was terminated, and how long after
   * the termination each returned; peers whose call started after it (failed at once). */
  blockedPeers: number;
  blockedMs: { median: number; p99: number; max: number };
  /** Each blocked peer's time, ascending. */
  blockedTimesMs: number[];
  over50ms: number;
  /** The blocked peers that took longer than 50 ms: who, the victim, how long. */
  slowPeers: string[];
  laterCalls: number;
  /** How late a plain thread sleeping 1 ms at a time woke during the rounds (sched_probe.ts):
   * what the machine itself adds to any wake. */
  oversleep: Oversleep | null;
  /** Peers' failing calls that returned something else than rcNotConnected. */
  wrongCodes: number;
  /** Times the kernel found the lock held by a terminated worker and released it. */
  lockRecoveries: number;
  /** After each termination, how long the kernel lock word went on naming one holder (0 when
   * it was free), at most; and the terminations after which it named one for over a second. */
  lockHeldMaxMs: number;
  lockStuck: number;
  /** Rounds where a survivor server did not answer, or a survivor's background call failed. */
  survivorFailures: number;
  baseline: Counts | null;
  final: Counts | null;
  countsChanged: string[];
  crashes: number;
  hangs: number;
  failures: string[];
  seconds: number;
}

interface Ended { who: string; rc: Retcode; start: number; end: number }

/** Counts the times k_unlock_if_dead_owner released the lock (result word 0 is 1). */
function watchLockRecoveries(kernel: Kernel): { count: number } {
  const core = (kernel as unknown as { core: { sys(...a: number[]): number; res(rec: number, i: number): number } }).core;
  const id = abi.exports.findIndex((e) => e.name === 'k_unlock_if_dead_owner');
  const rec = abi.layout.ADMIN_RECORD![0];
  const sys = core.sys.bind(core);
  const box = { count: 0 };
  core.sys = (...a: number[]): number => {
    const st = sys(...a);
    if (a[0] === id && st === 0 && core.res(rec, 0) === 1) box.count++;
    return st;
  };
  return box;
}

const LOCK_STUCK_MS = 1000;

/**
 * How long the kernel lock word goes on naming the same holder, in ms (0: free at once): a
 * holder that never releases it shows as LOCK_STUCK_MS. Read without taking the lock, so a
 * lock left held is measured instead of hanging the run.
 */
async function lockHeld(lock: Int32Array): Promise<number> {
  const t0 = performance.now();
  const owner = Atomics.load(lock, 0);
  while (owner !== 0 && Atomics.load(lock, 0) === owner) {
    if (performance.now() - t0 >= LOCK_STUCK_MS) return LOCK_STUCK_MS;
    await sleep(1);
  }
  return performance.now() - t0;
}

/** Main's own calls on victim server k's channel, until one fails. */
async function callUntilFailure(main: Process, k: number): Promise<Ended> {
  const h = main.ServiceLocatorConnect(victimChannel(k));
  for (let i = 0; ; i++) {
    const start = clock();
    const rc = await main.CallExAsync(h, outMsg(i).hdr, inMsg().hdr, 5000, INVALID_HANDLE);
    const end = clock();
    if (rc !== rcOk) { main.KnHandleClose(h); return { who: 'Main (CallExAsync, in the kernel\'s realm)', rc, start, end }; }
  }
}

export async function faults(o: FaultOptions): Promise<FaultFigures> {
  const t0 = performance.now();
  const rng = new Rng(o.seed);
  const f: FaultFigures = {
    victims: 0, byKind: {}, phases: {}, blockedPeers: 0, blockedMs: { median: NaN, p99: NaN, max: NaN }, blockedTimesMs: [], over50ms: 0, slowPeers: [], oversleep: null,
    laterCalls: 0, wrongCodes: 0, lockRecoveries: 0, lockHeldMaxMs: 0, lockStuck: 0, survivorFailures: 0, baseline: null, final: null,
    countsChanged: [], crashes: 0, hangs: 0, failures: [], seconds: 0,
  };
  const fail = (what: string): void => {
    if (f.failures.length < 10) f.failures.push(what);
    o.progress.say(`faults: ${what}`);
  };
  const warmup = Math.min(20, Math.floor(o.victims / 5));
  const blocked: number[] = [];
  const kernel = await Kernel.create();
  const recoveries = watchLockRecoveries(kernel);
  let serving = true;
  let collector: Promise<void> | undefined;
  let probe: ReturnType<typeof startSchedulingProbe> | undefined;
  try {
    const main = kernel.createProcess('Main');
    const servers = ['SrvA', 'SrvB'], clients = ['CliA', 'CliB'];
    for (const s of servers) for (const c of ['Main', ...clients]) kernel.connect(c, s, `echo_${s}`);
    for (const c of clients) kernel.connect(c, main, 'report');
    await Promise.all(servers.map((s) => kernel.spawn(s, fixture('echo_server'), { args: [`echo_${s}`] })));
    const boardBytes = main.alloc(BOARD_WORDS * 4);
    const board = boardAt(boardBytes.buffer, boardBytes.byteOffset);
    const lock = new Int32Array(boardBytes.buffer, abi.layout.LOCK_ADDR![0], 1);
    const survivors = await Promise.all(clients.map((c, i) =>
      kernel.spawn(c, fixture('fault_survivor'), { args: [`echo_${servers[i]}`, String(boardBytes.byteOffset)] })));
    for (const p of kernel.processes.filter((x) => x !== main)) {
      void p.exited.then((e) => { if (serving) { f.crashes++; fail(`survivor ${p.name} ended: ${String(e.error ?? e.code)}`); } });
    }
    /** The kernel's counts with every survivor waiting (no call in flight anywhere). */
    const quietCounts = async (): Promise<Counts> => {
      Atomics.store(board, B_PAUSE, 1);
      await guard((async () => { while (Atomics.load(board, B_PAUSED) < survivors.length) await sleep(1); })(), 'the survivors\' pause');
      const counts = tableCounts(kernel);
      Atomics.store(board, B_PAUSE, 0);
      Atomics.notify(board, B_PAUSE);
      return counts;
    };

    // Main collects the survivor clients' reports: by victim server k, one per survivor
    const reports = new Map<number, Map<number, Ended>>();
    const sh = main.ServiceLocatorRegister('report');
    collector = (async () => {
      while (serving) {
        const m = inMsg(REPORT_SIZE);
        if (await main.RecvAsync(sh, m.hdr) !== rcOk) return;
        const dv = new DataView(m.buf.buffer);
        const k = dv.getUint32(F_K, true);
        if (dv.getUint32(F_BACKGROUND, true) !== 0) { f.survivorFailures++; fail(`a background call of task ${m.hdr.sender} failed`); }
        const got = reports.get(k) ?? new Map<number, Ended>();
        const who = `${survivors.find((p) => p.taskId === m.hdr.sender)?.name ?? m.hdr.sender} (CallEx, a worker)`;
        got.set(m.hdr.sender, { who, rc: dv.getInt32(F_RC, true), start: dv.getFloat64(F_START, true), end: dv.getFloat64(F_END, true) });
        reports.set(k, got);
        main.Reply(sh, outMsg(0).hdr);
      }
    })().catch((e: unknown) => { if (serving) { f.crashes++; fail(`Main's collector: ${String(e)}`); } });
    const reportsOf = async (k: number): Promise<Ended[]> => {
      while ((reports.get(k)?.size ?? 0) < survivors.length) await sleep(1);
      return [...reports.get(k)!.values()];
    };

    probe = startSchedulingProbe();
    let k = 0;
    for (let round = 0; round < o.victims; round++) {
      const kind = rng.pick(['server', 'server', 'client', 'client', 'hammer'] as const);
      const name = `V${round}`;
      let channel = '';
      if (kind === 'server') {
        channel = victimChannel(k);
        for (const c of ['Main', ...clients]) kernel.connect(c, name, channel);
      } else if (kind === 'client') {
        channel = `echo_${rng.pick(servers)}`;
        kernel.connect(name, channel.slice(5), channel);
      }
      Atomics.store(board, B_PHASE, PH_START);
      const victim = await guard(kernel.spawn(name, fixture('fault_victim'), { args: [kind, channel, String(boardBytes.byteOffset)] }), `round ${round}: spawn`);
      const mine = kind === 'server' ? callUntilFailure(main, k) : null;
      await sleep(rng.float() * 8);
      const where = PHASES[Atomics.load(board, B_PHASE)]!;
      f.phases[where] = (f.phases[where] ?? 0) + 1;
      const label = { server: 'servers', client: 'clients', hammer: 'syscall loops' }[kind];
      f.byKind[label] = (f.byKind[label] ?? 0) + 1;
      const killed = clock();
      await guard(kernel.terminate(victim), `round ${round}: terminate`);
      f.victims++;
      const held = await lockHeld(lock);
      f.lockHeldMaxMs = Math.max(f.lockHeldMaxMs, held);
      if (held >= LOCK_STUCK_MS) { f.lockStuck++; fail(`round ${round}: the kernel lock stayed held after ${name} was terminated`); }
      if (mine) {
        const peers = [await guard(mine, `round ${round}: Main's call on the victim`), ...await guard(reportsOf(k), `round ${round}: the survivors' reports`)];
        for (const p of peers) {
          if (p.rc !== rcNotConnected) { f.wrongCodes++; fail(`round ${round}: a peer's call on victim ${name} returned ${retcodeName(p.rc)}`); }
          if (p.start >= killed) { f.laterCalls++; continue; }
          blocked.push(p.end - killed);
          if (p.end - killed > 50) f.slowPeers.push(`${p.who}, victim ${name} (${kind}, ${where}): ${(p.end - killed).toFixed(1)} ms`);
        }
        k++;
      }
      for (const s of servers) {
        const reply = inMsg();
        const rc = await main.CallExAsync(main.ServiceLocatorConnect(`echo_${s}`), outMsg(round).hdr, reply.hdr, 10000, INVALID_HANDLE);
        if (rc !== rcOk || valueOf(reply) !== round + 1) { f.survivorFailures++; fail(`round ${round}: survivor ${s} answered ${retcodeName(rc)}`); }
      }
      if (round === warmup - 1) f.baseline = await quietCounts();
      o.progress.tick('faults', round + 1, o.victims, `${blocked.length} blocked peers, slowest ${Math.max(0, ...blocked).toFixed(1)} ms`);
    }
    f.oversleep = await probe.stop();
    probe = undefined;
    if (f.baseline) {
      f.final = await quietCounts();
      f.countsChanged = countsDiffer(f.baseline, f.final);
    }
    serving = false;
  } catch (e) {
    serving = false;
    if (e instanceof Hang) f.hangs++; else f.crashes++;
    fail(e instanceof Error ? e.message : String(e));
  } finally {
    // a missed figure must still end the run: the probe's thread would keep Node alive
    await probe?.stop();
    await kernel.shutdown();
    await collector;
  }
  blocked.sort((a, b) => a - b);
  f.blockedPeers = blocked.length;
  f.blockedMs = { median: quantile(blocked, 0.5), p99: quantile(blocked, 0.99), max: blocked[blocked.length - 1] ?? NaN };
  f.blockedTimesMs = blocked;
  f.over50ms = blocked.filter((ms) => ms > 50).length;
  f.lockRecoveries = recoveries.count;
  f.seconds = (performance.now() - t0) / 1000;
  return f;
}
