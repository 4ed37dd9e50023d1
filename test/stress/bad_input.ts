// Bad input: random and mutated calls (bad_input_cases.ts) from an in-realm process, Fuzzer, to
// a live server in a worker (fixtures/fuzz_server.ts) through the public API. Each call is
// either refused at once, with the code or TypeError the order of checks gives, and the kernel's
// table digest (k_digest) must then be unchanged; or queued, and then it is served (the request
// must arrive byte for byte, the server answers with a random or mutated response, and the call
// ends with what Reply's rules give), expires, is interrupted, or has its in-place request
// changed while queued. No call may hang, nothing may crash.
//
// The server waits in Call on the control channel between steps (fuzz_protocol.ts), so nothing
// else changes the kernel while a digest is taken around a call.
import {
  Kernel, SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, nk_arena_init, rcOk, rcTimeout,
  rcInvalidArgument, rcNotConnected, rcIpcInterrupt, retcodeName, INVALID_HANDLE, INFINITE_TIMEOUT,
  type Process, type Retcode, type NkArena,
} from 'kos-ipc';
import { admin, fixture } from '../helpers.js';
import { IFACE, LAYOUTS, expected, mutate, type Built } from '../message_fuzz.js';
import { makeCase, deliverable, type Case, type Handles, type Pools, type Fate } from './bad_input_cases.js';
import { CTL_SIZE, R_RECV, R_REPLY, R_HASH, O_OP, O_SEED, OP_SERVE, OP_STOP, responseFor, messageHash } from './fuzz_protocol.js';
import { Rng } from './random.js';
import { fmt, type Progress } from './progress.js';
import { guard, Hang } from './guard.js';

export interface BadInputOptions { messages: number; seed: number; progress: Progress }

export interface BadInputFigures {
  messages: number;
  /** Calls answered at once with a code or a TypeError; each had its digest compared. */
  refused: number;
  /** Refused calls whose digest was compared (every refusal the rules predict), and those after
   * which the kernel's table digest differed. */
  digestsCompared: number;
  digestsChanged: number;
  /** Refusals by code (TypeError for the thrown ones). */
  codes: Record<string, number>;
  /** Calls the kernel queued, by what then happened to them. */
  fates: Record<Fate, number>;
  /** Queued calls whose request the server received, and Replies the kernel refused. */
  delivered: number;
  responsesRefused: number;
  /** Answers other than the ones docs/api/CallEx.md and Reply.md give, crashes, hangs. */
  mismatches: number;
  crashes: number;
  hangs: number;
  /** The first failures, each with the message index (replay with the same seed). */
  failures: string[];
  seconds: number;
}

const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);

/** The kernel's digest of its tables. */
const digest = (kernel: Kernel): number => admin(kernel, 'k_digest').r[0]!;

function invoke(p: Process, c: Case): Promise<Retcode> {
  const [h, out, inn] = [c.handle as number, c.msgOut as SMsgHdr, c.msgIn as SMsgHdr];
  return c.form === 'CallAsync' ? p.CallAsync(h, out, inn) : p.CallExAsync(h, out, inn, c.mdelay as number, c.sync as number);
}

/** What Reply must return for response `r` to a caller with receive buffers `c`, `a` still waiting. */
function replyOracle(r: Built, c: Uint8Array, a: NkArena | null): Retcode {
  const [code] = expected(r, LAYOUTS, true);
  if (code !== 'ok') return code;
  return u32(r.c, 0) <= c.length && r.arena.used <= (a?.capacity ?? 0) ? rcOk : rcInvalidArgument;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Why a served call's outcome breaks the rules, or null. `rc`: the call's; `recv`, `reply`, `hash`: the server's. */
function checkServed(c: Case, rc: Retcode, recv: number, reply: number, hash: number, sentHash: number, fits: boolean): string | null {
  const finite = c.form === 'CallExAsync' && c.mdelay !== INFINITE_TIMEOUT;
  const name = retcodeName;
  if (recv === rcTimeout) return rc === rcTimeout && finite ? null : `the server found no call, yet the call returned ${name(rc)}`;
  if (recv === rcInvalidArgument) {
    if (fits) return 'Recv refused a request that passes every check and fits';
    return rc === rcInvalidArgument ? null : `the request did not fit, yet the call returned ${name(rc)}`;
  }
  if (recv !== rcOk) return `the server's RecvEx returned ${name(recv)}`;
  if (!fits) return 'a request that breaks a check at delivery, or does not fit, was delivered';
  if (hash !== sentHash) return 'the request arrived with other bytes than were sent';
  const resp = responseFor(c.responseSeed);
  if (reply === rcNotConnected) return rc === rcTimeout && finite ? null : `Reply found the caller gone, yet the call returned ${name(rc)}`;
  const want = replyOracle(resp, c.inC, c.inArena);
  if (reply !== want) return `Reply returned ${name(reply)}, the rules give ${name(want)}`;
  if (rc === rcTimeout && finite && reply !== rcOk) return null;
  if (rc !== reply) return `Reply returned ${name(reply)} but the call ${name(rc)}`;
  if (rc !== rcOk) return null;
  const size = u32(resp.c, 0);
  if (!same(c.inC.subarray(0, size), resp.c.subarray(0, size))) return 'the response arrived with other bytes than were sent';
  const used = resp.arena.used;
  if (c.inArena?.used !== used && used > 0) return 'the response arena arrived with another size';
  if (used > 0 && !same(c.inArena!.buffer.subarray(0, used), resp.arena.buffer.subarray(0, used))) return 'the response arena arrived changed';
  return null;
}

export async function badInput(o: BadInputOptions): Promise<BadInputFigures> {
  const t0 = performance.now();
  const rng = new Rng(o.seed);
  const f: BadInputFigures = {
    messages: 0, refused: 0, digestsCompared: 0, digestsChanged: 0, codes: {}, fates: { serve: 0, expire: 0, interrupt: 0, toctou: 0 },
    delivered: 0, responsesRefused: 0, mismatches: 0, crashes: 0, hangs: 0, failures: [], seconds: 0,
  };
  const fail = (i: number, what: string, c?: Case, queued = false): void => {
    const about = c ? ` (${c.form}, ${c.why}${queued ? `, ${c.fate}` : ''})` : '';
    if (f.failures.length < 10) f.failures.push(`message ${i}${about}: ${what}`);
    o.progress.say(`bad input: message ${i}${about}: ${what}`);
  };
  const kernel = await Kernel.create();
  try {
    const fuzzer = kernel.createProcess('Fuzzer'), other = kernel.createProcess('Other');
    kernel.connect(fuzzer, 'FuzzServer', 'fuzz');
    kernel.connect(other, 'FuzzServer', 'fuzz');
    kernel.connect('FuzzServer', fuzzer, 'ctl');
    kernel.connect(fuzzer, other, 'spare');
    const server = await kernel.spawn('FuzzServer', fixture('fuzz_server'), { endpoints: { main: 'Shop' }, interfaces: { Shop: IFACE } });
    let serverEnded = false;
    void server.exited.then(() => { serverEnded = true; });
    const spare = fuzzer.ServiceLocatorConnect('spare');
    fuzzer.KnHandleClose(spare);
    const made: { syncHandle?: number } = {};
    if (fuzzer.KnIpcCreateSyncObject(made) !== rcOk) throw new Error('bad input: no IPC sync object');
    const h: Handles = {
      channel: fuzzer.ServiceLocatorConnect('fuzz'), listener: fuzzer.ServiceLocatorRegister('ctl'),
      sync: made.syncHandle!, closed: spare, foreign: other.ServiceLocatorConnect('fuzz'),
    };
    const pools: Pools = {
      outC: fuzzer.alloc(1024), outA: fuzzer.alloc(8192), inC: fuzzer.alloc(1024), inA: fuzzer.alloc(8192),
      huge: fuzzer.alloc(4 << 20),
    };
    // the control channel: the server's reports come in, orders go out
    const report = new Uint8Array(CTL_SIZE), order = new Uint8Array(CTL_SIZE);
    const repIn = new SMsgHdr(); PackInMsg(repIn, report, null);
    const ordOut = new SMsgHdr(); PackOutMsg(ordOut, order, null);
    const nextReport = (): Promise<Retcode> => fuzzer.RecvAsync(h.listener, repIn);
    const sendOrder = (op: number, seed: number): Retcode => {
      nk_req_reset(order);
      new DataView(order.buffer).setUint32(O_OP, op, true);
      new DataView(order.buffer).setUint32(O_SEED, seed, true);
      ordOut.threadId = repIn.threadId;
      return fuzzer.Reply(h.listener, ordOut);
    };
    if (await guard(nextReport(), 'the server\'s first report') !== rcOk) throw new Error('the fuzz server did not report');
    await growStaging(fuzzer, h.channel);

    let before: number | undefined;
    for (let i = 0; i < o.messages; i++) {
      if (serverEnded) { f.crashes++; fail(i, 'the server process ended'); break; }
      const c = makeCase(rng, h, pools);
      f.messages++;
      if (c.setSync) { fuzzer.KnIpcSetInterrupt(h.sync); before = undefined; }
      // the digest (a few hundred microseconds) is taken around the calls the rules say are
      // refused; a refusal they do not predict is a mismatch, reported as such
      const refusal = c.expect !== 'queued';
      if (refusal) before ??= digest(kernel);
      const out: { rc?: Retcode; error?: unknown; done: boolean } = { done: false };
      const call = invoke(fuzzer, c);
      call.then((rc) => { out.rc = rc; out.done = true; }, (error: unknown) => { out.error = error; out.done = true; });
      const after = refusal ? digest(kernel) : undefined;
      await null; // a call refused at once has settled by now: its reaction ran before this continuation
      if (out.done) {
        f.refused++;
        if (out.error !== undefined && !(out.error instanceof TypeError)) {
          f.crashes++;
          fail(i, `threw ${String(out.error)}`, c);
          break;
        }
        const got = out.error !== undefined ? 'TypeError' : retcodeName(out.rc!);
        f.codes[got] = (f.codes[got] ?? 0) + 1;
        const want = c.expect === 'TypeError' || c.expect === 'queued' ? c.expect : retcodeName(c.expect);
        const msg = out.error instanceof Error ? out.error.message : '';
        if (got !== want || (got === 'TypeError' && !msg.startsWith(`${c.form}: ${c.why}`))) {
          f.mismatches++;
          fail(i, `answered ${got}${msg ? ` (${msg})` : ''}, expected ${want}${c.expect === 'TypeError' ? ` naming ${c.why}` : ''}`, c);
        }
        if (refusal) {
          f.digestsCompared++;
          if (after !== before) { f.digestsChanged++; fail(i, `a refused call changed the kernel's digest (${got})`, c); }
        }
        before = after; // undefined after a refusal the rules did not predict (a mismatch): taken again next time
        if (c.setSync) { fuzzer.KnIpcClearInterrupt(h.sync); before = undefined; }
        continue;
      }
      before = undefined;
      if (c.expect !== 'queued') { f.mismatches++; fail(i, `queued, expected ${c.expect === 'TypeError' ? 'a TypeError' : retcodeName(c.expect)}`, c); }
      f.fates[c.fate]++;
      const label = `message ${i}: the ${c.fate} of a queued call`;
      if (c.fate === 'expire' || c.fate === 'interrupt') {
        if (c.fate === 'interrupt') fuzzer.KnIpcSetInterrupt(h.sync);
        const rc = await guard(call, label);
        if (c.fate === 'interrupt') fuzzer.KnIpcClearInterrupt(h.sync);
        const want = c.fate === 'expire' ? rcTimeout : rcIpcInterrupt;
        if (rc !== want) { f.mismatches++; fail(i, `returned ${retcodeName(rc)}, expected ${retcodeName(want)}`, c, true); }
        continue;
      }
      const req = c.req!;
      if (c.change) mutate(req, c.layout, [c.change]); // the request is in place: the kernel holds it there
      const sentHash = messageHash(req.c, req.arena), fits = deliverable(req);
      if (sendOrder(OP_SERVE, c.responseSeed) !== rcOk) throw new Error(`message ${i}: the order to serve was refused`);
      const [rc, rep] = await Promise.all([guard(call, label), guard(nextReport(), `${label}: the server's report`)]);
      if (rep !== rcOk) throw new Error(`message ${i}: the server's report came with ${retcodeName(rep)}`);
      const rd = new DataView(report.buffer);
      const recv = rd.getInt32(R_RECV, true), reply = rd.getInt32(R_REPLY, true);
      if (recv === rcOk) f.delivered++;
      if (recv === rcOk && reply !== rcOk && reply !== rcNotConnected) f.responsesRefused++;
      const why = checkServed(c, rc, recv, reply, u32(report, R_HASH), sentHash, fits);
      if (why) { f.mismatches++; fail(i, why, c, true); }
      o.progress.tick('bad input', i + 1, o.messages, `${fmt(f.refused)} refused, ${fmt(f.delivered)} delivered`);
    }
    if (!serverEnded) {
      sendOrder(OP_STOP, 0);
      const exit = await guard(server.exited, 'the fuzz server\'s end');
      if (exit.error !== undefined) { f.crashes++; fail(f.messages, `the server failed: ${String(exit.error)}`); }
    }
  } catch (e) {
    if (e instanceof Hang) f.hangs++; else f.crashes++;
    fail(f.messages - 1, e instanceof Error ? e.message : String(e));
  } finally {
    await kernel.shutdown();
  }
  f.seconds = (performance.now() - t0) / 1000;
  return f;
}

/**
 * Fuzzer's threads stage plain buffers in kernel memory; a refused call must not be the one that
 * first grows a staging buffer (that changes the heap, not because of the call). Four calls in
 * flight at once, with buffers larger than any case uses, grow four threads' buffers; the server
 * is parked, so they stay queued until their 1 ms timeout.
 */
async function growStaging(fuzzer: Process, channel: number): Promise<void> {
  const calls = Array.from({ length: 4 }, () => {
    const c = new Uint8Array(1024);
    nk_req_reset(c, 32);
    const arena = nk_arena_init(new Uint8Array(4096));
    arena.used = 4096;
    const out = new SMsgHdr(); PackOutMsg(out, c, arena);
    const inn = new SMsgHdr(); PackInMsg(inn, new Uint8Array(1024), nk_arena_init(new Uint8Array(8192)));
    return fuzzer.CallExAsync(channel, out, inn, 1, INVALID_HANDLE);
  });
  for (const rc of await Promise.all(calls)) {
    if (rc !== rcTimeout) throw new Error(`growing the staging buffers: a parked call returned ${retcodeName(rc)}`);
  }
}
