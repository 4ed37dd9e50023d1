/**
 * Moving messages between the caller's buffers and kernel memory. A buffer allocated in kernel
 * memory (process.alloc) is used in place; any other Uint8Array is copied into the thread's
 * staging buffer before the syscall (what is sent) or copied out of it after (what was
 * received). Only the constant part's declared size and the arena's used bytes are copied.
 */
import { describe } from './describe.js';
import type { Core } from './core.js';
import { SYS, ST_OK } from './abi.js';
import { SMsgHdr } from './services/rtl/nk_msg.js';
import { NkArena } from './nk/arena.js';
import type { Thread } from './thread.js';

const align8 = (n: number): number => (n + 7) & ~7;

/**
 * Copies src[0, n) into kernel memory at `at`. A whole buffer goes with one set() (no view);
 * a short prefix with a loop (a subarray view costs more than the bytes).
 */
function copyIn(u8: Uint8Array, at: number, src: Uint8Array, n: number, whole: number): void {
  if (n === whole) u8.set(src, at);
  else if (n < 128) for (let k = 0; k < n; k++) u8[at + k] = src[k]!;
  else u8.set(src.subarray(0, n), at);
}

/**
 * Copies n bytes of kernel memory at `at` into dst[0, n). Short copies read 32-bit words (the
 * staging area is 8-aligned) instead of bytes; long ones take a view and set().
 */
function copyOut(core: Core, dst: Uint8Array, at: number, n: number): void {
  const u8 = core.u8(at + n); // first: refreshes the views if the memory grew
  if (n >= 128) { dst.set(u8.subarray(at, at + n)); return; }
  let k = 0;
  if ((at & 3) === 0) {
    const i32 = core.i32;
    for (let i = at >> 2; k + 4 <= n; k += 4) {
      const w = i32[i++]!;
      dst[k] = w; dst[k + 1] = w >>> 8; dst[k + 2] = w >>> 16; dst[k + 3] = w >>> 24;
    }
  }
  for (; k < n; k++) dst[k] = u8[at + k]!;
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
function sentBytes(c: Uint8Array, len: number): number {
  if (len < 24) return len;
  const size = (c[0]! | (c[1]! << 8) | (c[2]! << 16) | (c[3]! << 24)) >>> 0;
  return Math.min(len, Math.max(size, 24));
}

/**
 * Makes sure the thread's staging buffer holds `need` bytes; returns a status (ST_OK, or
 * ST_NO_MEMORY / ST_DEAD from the core).
 */
export function ensureStage(core: Core, th: Thread, need: number): number {
  if (need <= th.stageCap) return ST_OK;
  const st = core.sys(SYS.k_stage, th.tid, need);
  if (st !== ST_OK) return st;
  th.stage = core.res(th.rec, 0);
  th.stageCap = core.res(th.rec, 1);
  return ST_OK;
}

/** Which headers a syscall takes: the outgoing message, the receive buffers, or both. */
export type Which = 1 | 2 | 3;
export const OUT: Which = 1;
export const IN: Which = 2;
export const BOTH: Which = 3;

/**
 * Prepares the outgoing message of `hdr` (Call's request, Reply's response) and, if `inHdr`
 * is given, the receive buffers (Call's response, Recv's request). Returns a status: ST_OK,
 * or a failure to get staging memory.
 */
export function stage(core: Core, th: Thread, fn: string, out: unknown, inn: unknown, which: Which): number {
  const o = (which & OUT) === 0 ? null : headerOf(fn, 'msgOut', out, 'PackOutMsg');
  const i = (which & IN) === 0 ? null : headerOf(fn, 'msgIn', inn, 'PackInMsg');
  let need = 0;
  let ocIn = true, oaIn = true;
  let ocCopy = 0, ocLen = 0, icLen = 0, iaCap = 0;
  // typed-array getters (byteLength, buffer) are not free: each is read once
  if (o) {
    const c = o.constPart!;
    ocLen = c.byteLength;
    ocIn = core.inKernel(c);
    if (!ocIn) { ocCopy = sentBytes(c, ocLen); need += align8(ocCopy); }
    const a = o.arena;
    if (a && a.used > 0) { oaIn = core.inKernel(a.buffer); if (!oaIn) need += align8(a.used); }
  }
  if (i) {
    icLen = i.constPart!.byteLength;
    th.icStaged = !core.inKernel(i.constPart!);
    if (th.icStaged) need += align8(icLen);
    const a = i.arena;
    iaCap = a !== null ? a.capacity : 0;
    th.iaStaged = iaCap > 0 && !core.inKernel(a!.buffer);
    if (th.iaStaged) need += align8(iaCap);
  }
  if (need > 0) {
    const st = ensureStage(core, th, need);
    if (st !== ST_OK) return st;
  }
  let at = th.stage;
  const u8 = core.u8(at + need);
  if (o) {
    const c = o.constPart!;
    th.oclen = ocLen;
    if (ocIn) th.oc = c.byteOffset;
    else { th.oc = at; copyIn(u8, at, c, ocCopy, ocLen); at += align8(ocCopy); }
    const a = o.arena;
    th.oalen = a ? a.used : 0;
    if (!a || a.used === 0) th.oa = 0;
    else if (oaIn) th.oa = a.buffer.byteOffset;
    else { th.oa = at; copyIn(u8, at, a.buffer, a.used, a.capacity); at += align8(a.used); }
  }
  if (i) {
    const c = i.constPart!;
    th.iccap = icLen;
    if (th.icStaged) { th.ic = at; at += align8(icLen); } else th.ic = c.byteOffset;
    const a = i.arena;
    th.iacap = iaCap;
    if (iaCap === 0) th.ia = 0;
    else if (th.iaStaged) { th.ia = at; at += align8(iaCap); } else th.ia = a!.buffer.byteOffset;
  }
  return ST_OK;
}

/** After a successful receive: copy what arrived into `hdr`'s buffers and set the arena's use. */
export function deliverIn(core: Core, th: Thread, hdr: SMsgHdr, clen: number, alen: number): void {
  if (th.icStaged) copyOut(core, hdr.constPart!, th.ic, clen);
  const a = hdr.arena;
  if (a) {
    if (th.iaStaged && alen > 0) copyOut(core, a.buffer, th.ia, alen);
    a.used = alen;
  }
}
