/**
 * Moving messages between the caller's buffers and kernel memory. A buffer allocated in kernel
 * memory (process.alloc) is used in place; any other Uint8Array is copied into the thread's
 * staging buffer before the syscall (what is sent) or copied out of it after (what was
 * received). Only the constant part's declared size and the arena's used bytes are copied.
 */
import type { Core } from './core.js';
import { ST_OK, ST_BAD_ARG } from './rtl/status.js';
import { SMsgHdr } from './services/rtl/nk_msg.js';
import { NkArena } from './nk/arena.js';
import type { Thread } from './thread.js';

const align8 = (n: number): number => (n + 7) & ~7;

/** Copies n bytes; a plain loop below 128 bytes avoids a subarray view per call. */
function copy(dst: Uint8Array, dstAt: number, src: Uint8Array, srcAt: number, n: number): void {
  if (n < 128) {
    for (let k = 0; k < n; k++) dst[dstAt + k] = src[srcAt + k]!;
  } else {
    dst.set(src.subarray(srcAt, srcAt + n), dstAt);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return `${typeof v} ${String(v)}`;
}

function headerOf(fn: string, arg: string, hdr: unknown, pack: string): SMsgHdr {
  if (!(hdr instanceof SMsgHdr)) {
    throw new TypeError(`${fn}: ${arg} must be an SMsgHdr, got ${describe(hdr)}`);
  }
  if (!(hdr.constPart instanceof Uint8Array)) {
    throw new TypeError(`${fn}: ${arg} is not bound to a buffer: call ${pack}(${arg}, constPart, arena) first`);
  }
  if (hdr.arena !== null && !(hdr.arena instanceof NkArena)) {
    throw new TypeError(`${fn}: ${arg}.arena must be an NkArena or null, got ${describe(hdr.arena)}`);
  }
  return hdr;
}

/** Bytes of the constant part that will travel: its declared size, clamped to the buffer. */
function sentBytes(c: Uint8Array): number {
  if (c.byteLength < 24) return c.byteLength;
  const size = (c[0]! | (c[1]! << 8) | (c[2]! << 16) | (c[3]! << 24)) >>> 0;
  return Math.min(c.byteLength, Math.max(size, 24));
}

/** Makes sure the thread's staging buffer holds `need` bytes; returns a status. */
function ensureStage(core: Core, th: Thread, need: number): number {
  if (need <= th.stageCap) return ST_OK;
  const ex = core.exports;
  let a = ex.k_stage(th.tid, need) >>> 0;
  while (a === 1) { core.waitLock(); a = ex.k_stage(th.tid, need) >>> 0; }
  if (a === 0) return ST_BAD_ARG;
  th.stage = a;
  th.stageCap = need;
  return ST_OK;
}

/**
 * Prepares the outgoing message of `hdr` (Call's request, Reply's response) and, if `inHdr`
 * is given, the receive buffers (Call's response, Recv's request). Returns a status: ST_OK,
 * or a failure to get staging memory.
 */
export function stage(core: Core, th: Thread, fn: string, out: unknown, inn: unknown): number {
  const o = out === null ? null : headerOf(fn, 'msgOut', out, 'PackOutMsg');
  const i = inn === null ? null : headerOf(fn, 'msgIn', inn, 'PackInMsg');
  let need = 0;
  let ocIn = true, oaIn = true;
  let ocCopy = 0;
  if (o) {
    const c = o.constPart!;
    ocIn = core.inKernel(c);
    if (!ocIn) { ocCopy = sentBytes(c); need += align8(ocCopy); }
    const a = o.arena;
    if (a && a.used > 0) { oaIn = core.inKernel(a.buffer); if (!oaIn) need += align8(a.used); }
  }
  if (i) {
    th.icStaged = !core.inKernel(i.constPart!);
    if (th.icStaged) need += align8(i.constPart!.byteLength);
    const a = i.arena;
    th.iaStaged = a !== null && a.capacity > 0 && !core.inKernel(a.buffer);
    if (th.iaStaged) need += align8(a!.capacity);
  }
  if (need > 0) {
    const st = ensureStage(core, th, need);
    if (st !== ST_OK) return st;
  }
  let at = th.stage;
  const u8 = core.u8(at + need);
  if (o) {
    const c = o.constPart!;
    th.oclen = c.byteLength;
    if (ocIn) th.oc = c.byteOffset;
    else { th.oc = at; copy(u8, at, c, 0, ocCopy); at += align8(ocCopy); }
    const a = o.arena;
    th.oalen = a ? a.used : 0;
    if (!a || a.used === 0) th.oa = 0;
    else if (oaIn) th.oa = a.buffer.byteOffset;
    else { th.oa = at; copy(u8, at, a.buffer, 0, a.used); at += align8(a.used); }
  }
  if (i) {
    const c = i.constPart!;
    th.iccap = c.byteLength;
    if (th.icStaged) { th.ic = at; at += align8(c.byteLength); } else th.ic = c.byteOffset;
    const a = i.arena;
    th.iacap = a ? a.capacity : 0;
    if (!a || a.capacity === 0) th.ia = 0;
    else if (th.iaStaged) { th.ia = at; at += align8(a.capacity); } else th.ia = a.buffer.byteOffset;
  }
  return ST_OK;
}

/** After a successful receive: copy what arrived into `hdr`'s buffers and set the arena's use. */
export function deliverIn(core: Core, th: Thread, hdr: SMsgHdr, clen: number, alen: number): void {
  const u8 = core.u8(Math.max(th.ic + clen, th.ia + alen));
  if (th.icStaged) copy(hdr.constPart!, 0, u8, th.ic, clen);
  const a = hdr.arena;
  if (a) {
    if (th.iaStaged && alen > 0) copy(a.buffer, 0, u8, th.ia, alen);
    a.used = alen;
  }
}
