// Shared by the capability tests (caps_*.test.ts): user objects, badges and notices made with a
// checked rcOk, handles sent in requests and in responses between in-realm processes (Async
// forms), and the kernel's digest and counts for "nothing changed" checks.
import * as assert from 'uvu/assert';
import {
  SMsgHdr, PackOutMsg, PackInMsg, nk_req_reset, nk_msg_set_ncaps, nk_msg_set_handle, nk_msg_get_handle,
  retcodeName, rcOk, rcTimeout, HANDLE_TYPE_USER_FIRST, INVALID_HANDLE,
  type Kernel, type Process, type Handle, type nk_handle_desc_t, type Retcode, type EventDesc, type KernelStats,
} from 'kos-ipc';
import { admin } from './helpers.js';

/** Fails with the Retcode's name unless `rc` is rcOk. */
export function ok(rc: Retcode, what: string): void {
  if (rc !== rcOk) throw new Error(`${what} returned ${retcodeName(rc)}`);
}

/** A user object of `p` with `rights` (and `context`): its handle. */
export function userObject(p: Process, rights: number, context: unknown = null): Handle {
  const out: { handle?: Handle } = {};
  ok(p.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, rights, context, out), 'KnHandleCreateUserObject');
  return out.handle!;
}

/** A notice receiver of `p`. */
export function notice(p: Process): Handle {
  const out: { notice?: Handle } = {};
  ok(p.KnNoticeCreate(out), 'KnNoticeCreate');
  return out.notice!;
}

/** A badge of `p` reporting to `n` as entry `evId`, with `context`. */
export function badge(p: Process, n: Handle, evId: number, context: unknown = null): Handle {
  const out: { handle?: Handle } = {};
  ok(p.KnHandleCreateBadge(n, evId, context, out), 'KnHandleCreateBadge');
  return out.handle!;
}

/** KnHandleCopy: the new handle (rcOk asserted). */
export function copyOf(p: Process, h: Handle, rights: number, copyBadge: Handle = INVALID_HANDLE): Handle {
  const out: { outHandle?: Handle } = {};
  ok(p.KnHandleCopy(h, rights, copyBadge, out), 'KnHandleCopy');
  return out.outHandle!;
}

/** KnHandleGetSidByHandle: its Retcode and the SID (0 unless rcOk). */
export function sidOf(p: Process, h: Handle): { rc: Retcode; sid: number } {
  const out: { sid?: number } = {};
  const rc = p.KnHandleGetSidByHandle(h, out);
  return { rc, sid: out.sid ?? 0 };
}

/** The SID of `h` (rcOk asserted). */
export function sid(p: Process, h: Handle): number {
  const r = sidOf(p, h);
  ok(r.rc, 'KnHandleGetSidByHandle');
  return r.sid;
}

/** Every notification `n` holds now (KnNoticeGetEvent with msec 0). */
export function drain(p: Process, n: Handle): EventDesc[] {
  const events: EventDesc[] = [];
  const out: { count?: number } = {};
  const rc = p.KnNoticeGetEvent(n, 0, 64, events, out);
  // rcTimeout: nothing pending; any other code is a failure, not an empty receiver
  assert.ok(rc === rcOk || (rc === rcTimeout && out.count === 0), `KnNoticeGetEvent returned ${retcodeName(rc)}`);
  return events.slice(0, out.count ?? 0);
}

/** The kernel's digest of all its tables (k_digest). */
export function digest(kernel: Kernel): number {
  return admin(kernel, 'k_digest').r[0]!;
}

/** Asserts the kernel's counts equal `base`, naming the counters that differ. */
export function sameStats(kernel: Kernel, base: KernelStats, msg = ''): void {
  const now = kernel.stats();
  const diff = Object.keys(base).filter((k) => now[k as keyof KernelStats] !== base[k as keyof KernelStats])
    .map((k) => `${k}: ${base[k as keyof KernelStats]} -> ${now[k as keyof KernelStats]}`);
  assert.equal(diff, [], `${msg} kernel.stats() changed: ${diff.join(', ')}`);
}

// ---- messages carrying handles ---------------------------------------------------------------

/** Bytes after the descriptors in the test messages: an op code and an argument (u32 each). */
const TAIL = 16;

/** A request or response carrying `descs`, then `op` and `arg` (u32) after the descriptors. */
export function capsMsg(descs: nk_handle_desc_t[], op = 0, arg = 0, slots = Math.max(1, descs.length)): { hdr: SMsgHdr; buf: Uint8Array } {
  const buf = new Uint8Array(24 + 16 * slots + TAIL);
  nk_req_reset(buf);
  nk_msg_set_ncaps(buf, descs.length);
  descs.forEach((d, i) => nk_msg_set_handle(buf, i, d));
  const dv = new DataView(buf.buffer);
  dv.setUint32(24 + 16 * slots, op >>> 0, true);
  dv.setUint32(24 + 16 * slots + 4, arg >>> 0, true);
  const hdr = new SMsgHdr();
  PackOutMsg(hdr, buf, null);
  return { hdr, buf };
}

/** Receive buffers for up to `slots` descriptors. */
export function capsIn(slots = 64): { hdr: SMsgHdr; buf: Uint8Array } {
  const buf = new Uint8Array(24 + 16 * slots + TAIL);
  const hdr = new SMsgHdr();
  PackInMsg(hdr, buf, null);
  return { hdr, buf };
}

/** The `n` descriptors a received constant part carries. */
export function received(buf: Uint8Array, n: number): nk_handle_desc_t[] {
  return Array.from({ length: n }, (_, i) => nk_msg_get_handle(buf, i));
}

const PENDING = Symbol('pending');

/** A Call refused at once (settled before anyone received it): its Retcode; undefined when queued. */
async function settledAtOnce(call: Promise<Retcode>): Promise<Retcode | undefined> {
  // an already settled Promise wins the race: its reaction is queued first
  const first = await Promise.race([call, Promise.resolve(PENDING)]);
  return first === PENDING ? undefined : first;
}

export interface Sent { rc: Retcode; got: nk_handle_desc_t[]; msg: Uint8Array }

/**
 * `from` sends `descs` in a request on its client handle `ch`; `to` receives it on `sh` and
 * answers with an empty response. `rc` is the Call's Retcode; `got` the descriptors as `to`
 * received them (empty when the Call was refused).
 */
export async function sendInRequest(from: Process, ch: Handle, to: Process, sh: Handle,
  descs: nk_handle_desc_t[]): Promise<Sent> {
  const req = capsMsg(descs);
  const res = capsIn();
  const call = from.CallAsync(ch, req.hdr, res.hdr);
  const early = await settledAtOnce(call);
  if (early !== undefined) return { rc: early, got: [], msg: req.buf };
  const rin = capsIn();
  ok(await to.RecvAsync(sh, rin.hdr), 'RecvAsync');
  const rep = capsMsg([]);
  rep.hdr.threadId = rin.hdr.threadId;
  ok(to.Reply(sh, rep.hdr), 'Reply');
  const rc = await call;
  return { rc, got: received(rin.buf, descs.length), msg: rin.buf };
}

/**
 * `to` calls `from` on its client handle `ch` with an empty request; `from` receives it on `sh`
 * and answers with a response carrying `descs`. `rc` is Reply's Retcode, `callRc` the Call's
 * (equal to `rc` when the response is refused: the call is over); `got` what `to` received.
 */
export async function sendInResponse(from: Process, sh: Handle, to: Process, ch: Handle,
  descs: nk_handle_desc_t[]): Promise<Sent & { callRc: Retcode }> {
  const res = capsIn();
  const call = to.CallAsync(ch, capsMsg([]).hdr, res.hdr);
  const rin = capsIn();
  ok(await from.RecvAsync(sh, rin.hdr), 'RecvAsync');
  const rep = capsMsg(descs);
  rep.hdr.threadId = rin.hdr.threadId;
  const rc = from.Reply(sh, rep.hdr);
  const callRc = await call;
  return { rc, callRc, got: callRc === rcOk ? received(res.buf, descs.length) : [], msg: res.buf };
}

/** A channel from `client` to `server` named `id`: both ends' handles. */
export function channel(kernel: Kernel, client: Process, server: Process, id: string): { ch: Handle; sh: Handle } {
  kernel.connect(client, server, id);
  return { ch: client.ServiceLocatorConnect(id), sh: server.ServiceLocatorRegister(id) };
}

/** In-realm processes A, B and C with a channel each way between every two: link(x, y) names x -> y. */
export async function trio(kernel: Kernel, names = ['A', 'B', 'C']): Promise<{
  procs: Process[]; link: (from: Process, to: Process) => { ch: Handle; sh: Handle };
}> {
  const procs = names.map((n) => kernel.createProcess(n));
  const links = new Map<string, { ch: Handle; sh: Handle }>();
  for (const a of procs) for (const b of procs) if (a !== b) links.set(`${a.name}>${b.name}`, channel(kernel, a, b, `${a.name}>${b.name}`));
  return { procs, link: (from, to) => links.get(`${from.name}>${to.name}`)! };
}

export interface OpResult { rc: Retcode; r: number[]; desc: nk_handle_desc_t | null }

/**
 * Asks the caps_server fixture behind `ch` to run `op` with `arg` (fixtures/caps_ops.ts), sending
 * `descs` (at most one) with the request: the Call's Retcode, the first four result words (all
 * six in `r6`) and the descriptor the response carried (null when none).
 */
export async function serverOp(client: Process, ch: Handle, op: number, arg = 0,
  descs: nk_handle_desc_t[] = []): Promise<OpResult & { r6: number[] }> {
  const req = capsMsg(descs, op, arg, 1);
  const buf = new Uint8Array(24 + 16 + 24);
  const res = { hdr: new SMsgHdr(), buf };
  PackInMsg(res.hdr, buf, null);
  const rc = await client.CallAsync(ch, req.hdr, res.hdr);
  const dv = new DataView(res.buf.buffer);
  const r6 = [0, 1, 2, 3, 4, 5].map((i) => dv.getUint32(40 + 4 * i, true));
  const r = r6.slice(0, 4);
  const ncaps = dv.getUint32(12, true);
  return { rc, r, r6, desc: rc === rcOk && ncaps > 0 ? nk_msg_get_handle(res.buf, 0) : null };
}
