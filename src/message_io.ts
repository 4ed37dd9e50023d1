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

/** Up to this many bytes a copy moves 32-bit words in a loop; longer ones take one set(). */
const WORD_COPY_MAX = 64;

/**
 * What stage() learned about one buffer the last time a thread's syscall used it. A typed
 * array's buffer, offset and length never change (a detached buffer's length becomes 0, which
 * the check sees), and its getters cost more than the bytes of a short message, so a call
 * that reuses its buffers reads one getter (`length`) per buffer.
 */
export class BufInfo {
  view: Uint8Array | null = null;
  /** view.length */
  len = 0;
  /** The view's kernel address when it lies in kernel memory (used in place), else -1. */
  addr = -1;
  /** The view's whole 32-bit words (byteOffset a multiple of 4, not in kernel memory), else null. */
  w32: Int32Array | null = null;
  /** The last long copy's views (copyIn: view[0, n); copyOut: kernel memory [at, at + n)), kept
   * so that a call moving the same bytes as the last one makes no view. */
  part: Uint8Array | null = null;
  partN = -1;
  kernel: Uint8Array | null = null;
  kernelAt = -1;
  kernelN = -1;
  kernelOf: Uint8Array | null = null;
}

/** `info`, describing `view` (relearned when the view is another one, or its length changed). */
function learn(core: Core, info: BufInfo, view: Uint8Array): BufInfo {
  const len = view.length;
  if (info.view === view && info.len === len) return info;
  info.view = view;
  info.len = len;
  info.addr = core.inKernel(view) ? view.byteOffset : -1;
  const off = view.byteOffset;
  info.w32 = info.addr < 0 && (off & 3) === 0 && len >= 4 && len <= 4 * WORD_COPY_MAX
    ? new Int32Array(view.buffer, off, len >> 2) : null;
  info.part = null; info.partN = -1;
  info.kernel = null; info.kernelAt = -1; info.kernelN = -1; info.kernelOf = null;
  return info;
}

/**
 * Copies src[0, n) (described by `info`) into kernel memory at `at` (8-aligned): short copies as
 * 32-bit words, long ones with one set().
 */
function copyIn(core: Core, at: number, info: BufInfo, n: number): void {
  const src = info.view!;
  const u8 = core.u8(at + n);
  if (n > WORD_COPY_MAX) {
    if (n === info.len) { u8.set(src, at); return; }
    if (info.partN !== n) { info.part = src.subarray(0, n); info.partN = n; }
    u8.set(info.part!, at);
    return;
  }
  let k = 0;
  const w = info.w32;
  if (w !== null) {
    const i32 = core.i32;
    const base = at >> 2, words = n >> 2;
    for (let j = 0; j < words; j++) i32[base + j] = w[j]!;
    k = words << 2;
  }
  for (; k < n; k++) u8[at + k] = src[k]!;
}

/**
 * Copies n bytes of kernel memory at `at` (8-aligned) into the view `info` describes: short copies
 * as 32-bit words, long ones with one set().
 */
function copyOut(core: Core, info: BufInfo, at: number, n: number): void {
  const dst = info.view!;
  const u8 = core.u8(at + n); // first: refreshes the views if the memory grew
  if (n > WORD_COPY_MAX) {
    if (info.kernelOf !== u8 || info.kernelAt !== at || info.kernelN !== n) {
      info.kernel = u8.subarray(at, at + n);
      info.kernelOf = u8; info.kernelAt = at; info.kernelN = n;
    }
    dst.set(info.kernel!);
    return;
  }
  let k = 0;
  const w = info.w32;
  const i32 = core.i32;
  if (w !== null) {
    const base = at >> 2, words = n >> 2;
    for (let j = 0; j < words; j++) w[j] = i32[base + j]!;
    k = words << 2;
  } else {
    for (let i = at >> 2; k + 4 <= n; k += 4) {
      const v = i32[i++]!;
      dst[k] = v; dst[k + 1] = v >>> 8; dst[k + 2] = v >>> 16; dst[k + 3] = v >>> 24;
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
function sentBytes(info: BufInfo): number {
  const len = info.len;
  if (len < 24) return len;
  const w = info.w32;
  let size: number;
  if (w !== null) size = w[0]! >>> 0;
  else { const c = info.view!; size = (c[0]! | (c[1]! << 8) | (c[2]! << 16) | (c[3]! << 24)) >>> 0; }
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

/**
 * After a call that needed more than STAGE_KEEP bytes of staging: the buffer goes back to the
 * kernel heap (the next call that needs staging takes a buffer again). Never inside the core's
 * `wake` import (it enters the core).
 */
export function trimStage(core: Core, th: Thread): void {
  if (core.sys(SYS.k_stage, th.tid, 0) !== ST_OK) return; // ST_DEAD: the process ended, its memory with it
  th.stage = core.res(th.rec, 0);
  th.stageCap = core.res(th.rec, 1);
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
  let oc: BufInfo | null = null, oa: BufInfo | null = null, ic: BufInfo | null = null, ia: BufInfo | null = null;
  let ocCopy = 0, oaUsed = 0;
  if (o !== null) {
    oc = learn(core, th.bOc, o.constPart!);
    if (oc.addr < 0) { ocCopy = sentBytes(oc); need += align8(ocCopy); }
    const a = o.arena;
    if (a !== null) {
      oaUsed = a.used;
      if (oaUsed > 0) { oa = learn(core, th.bOa, a.buffer); if (oa.addr < 0) need += align8(oaUsed); }
    }
  }
  if (i !== null) {
    ic = learn(core, th.bIc, i.constPart!);
    // a Call's receive buffers start on a cache line of their own: the reply the server's core
    // writes there then shares no line with the request this thread writes next
    if (ic.addr < 0) need += align8(ic.len) + (o !== null ? 64 : 0);
    const a = i.arena;
    if (a !== null) {
      ia = learn(core, th.bIa, a.buffer);
      if (ia.len === 0) ia = null;
      else if (ia.addr < 0) need += align8(ia.len);
    }
  }
  if (need > th.stageCap) {
    const st = ensureStage(core, th, need);
    if (st !== ST_OK) return st;
  }
  let at = th.stage;
  if (oc !== null) {
    th.oclen = oc.len;
    if (oc.addr >= 0) th.oc = oc.addr;
    else { th.oc = at; copyIn(core, at, oc, ocCopy); at += align8(ocCopy); }
    th.oalen = oaUsed;
    if (oa === null) th.oa = 0;
    else if (oa.addr >= 0) th.oa = oa.addr;
    else { th.oa = at; copyIn(core, at, oa, oaUsed); at += align8(oaUsed); }
  }
  if (ic !== null) {
    th.iccap = ic.len;
    th.icStaged = ic.addr < 0;
    if (th.icStaged && oc !== null) at = (at + 63) & ~63;
    if (th.icStaged) { th.ic = at; at += align8(ic.len); } else th.ic = ic.addr;
    if (ia === null) { th.iacap = 0; th.ia = 0; th.iaStaged = false; } else {
      th.iacap = ia.len;
      th.iaStaged = ia.addr < 0;
      if (th.iaStaged) { th.ia = at; at += align8(ia.len); } else th.ia = ia.addr;
    }
  }
  return ST_OK;
}

/** After a successful receive: copy what arrived into `hdr`'s buffers and set the arena's use. */
export function deliverIn(core: Core, th: Thread, hdr: SMsgHdr, clen: number, alen: number): void {
  if (th.icStaged) copyOut(core, learn(core, th.bIc, hdr.constPart!), th.ic, clen);
  const a = hdr.arena;
  if (a) {
    if (th.iaStaged && alen > 0) copyOut(core, learn(core, th.bIa, a.buffer), th.ia, alen);
    a.used = alen;
  }
}
