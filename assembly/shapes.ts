// Message shapes: what a server declares about the messages of its methods, so that the kernel
// can find and check the nk_ptr_t arena descriptors of a constant part (it cannot know where
// they sit without the interface). A shape is keyed by (server process, riid, mid, kind); a
// message whose key has no shape gets the header checks of message.ts only (docs/message-format.md
// section 5: declaring is how a server opts in).
//
//   SHAPES         +---------------------------------+
//                  | counts   MAX_PROCS x 4 B         |  shapes declared per process (fast path)
//   SHAPE_RECORDS  +---------------------------------+
//                  | records  MAX_SHAPES x 192 B      |  open addressing, linear probing
//                  +---------------------------------+
//
//   record  +0  owner u32   0 empty, process index + 1, or TOMBSTONE (its process ended)
//           +4  key u32     riid u16 | mid u16 << 16
//           +8  kind u32    KIND_REQUEST, KIND_RESPONSE or KIND_ERROR
//           +12 ndesc u32   descriptors that follow (at most SHAPE_MAX_DESC)
//           +16 min u32     smallest accepted header size field (bytes of the constant part)
//           +20 max u32     largest accepted size field
//           +24 ndesc x 12 B descriptors:
//                 +0 field u32  offset of the nk_ptr_t {offset u32, size u32} in the constant part
//                 +4 unit u32   bits 0..23 bytes per element; bits 24..25 log2 of the segment's
//                               alignment; bit 31 string: a non-empty segment ends with a zero
//                 +8 max u32    largest segment, in bytes
//
// Shapes are written by the host under the admin lock (k_shape_add) and read under the kernel
// lock by Call and Reply, so a shape is never seen half-written.

import {
  MAX_SHAPES, SHAPE_MAX_DESC, NK_MESSAGE_SIZE, NK_OFF_SIZE, NK_OFF_TYPE, NK_OFF_IID, NK_OFF_MID,
  MAX_MESSAGE, ST_OK, ST_INVALID_MSG, ST_BAD_ARG, ST_EXISTS, ST_QUOTA,
} from './abi';
import {
  SHAPES, SHAPE_RECORDS, SHAPE_SIZE, NK_TYPE_ERR, thread, T_OUT_C, T_OUT_CLEN, T_OUT_A, T_OUT_ALEN,
} from './layout';
import { checkOutgoing } from './message';

export const KIND_REQUEST: u32 = 1;
export const KIND_RESPONSE: u32 = 2;
export const KIND_ERROR: u32 = 3;

const R_OWNER: u32 = 0;
const R_KEY: u32 = 4;
const R_KIND: u32 = 8;
const R_NDESC: u32 = 12;
const R_MIN: u32 = 16;
const R_MAX: u32 = 20;
const R_DESC: u32 = 24;
const DESC_SIZE: u32 = 12;
const TOMBSTONE: u32 = 0xFFFFFFFF;
const UNIT_MASK: u32 = 0xFFFFFF;
const UNIT_STRING: u32 = 0x80000000;
/** Returned by queuedSize for a request that no longer passes: larger than any buffer. */
const NO_SIZE: u32 = 0xFFFFFFFF;

// @ts-ignore: decorator
@inline function record(i: u32): u32 { return SHAPE_RECORDS + i * SHAPE_SIZE; }
// @ts-ignore: decorator
@inline function countAt(p: u32): u32 { return SHAPES + p * 4; }

function first(p: u32, key: u32, kind: u32): u32 {
  return ((p + 1) * 0x9E3779B1 ^ key * 0x85EBCA77 ^ kind * 0xC2B2AE3D) & (MAX_SHAPES - 1);
}

/** Index of the record of (p, key, kind), or -1. At most MAX_SHAPES probes. */
function find(p: u32, key: u32, kind: u32): i32 {
  let i = first(p, key, kind);
  for (let n: u32 = 0; n < MAX_SHAPES; n++) {
    const r = record(i);
    const owner = load<u32>(r + R_OWNER);
    if (owner == 0) return -1;
    if (owner == p + 1 && load<u32>(r + R_KEY) == key && load<u32>(r + R_KIND) == kind) return <i32>i;
    i = (i + 1) & (MAX_SHAPES - 1);
  }
  return -1;
}

/** Checks one descriptor triple of a shape being declared. */
function descriptorOk(field: u32, unit: u32, max: u32, min: u32): bool {
  const bytes = unit & UNIT_MASK;
  const align: u32 = 1 << ((unit >> 24) & 3);
  if ((unit & 0x7C000000) != 0 || bytes == 0 || bytes % align != 0) return false;
  if (field < NK_MESSAGE_SIZE || (field & 3) != 0 || <u64>field + 8 > <u64>min) return false;
  return max <= MAX_MESSAGE && max % bytes == 0;
}

/**
 * Declares the shape of (process p, riid, mid, kind): constant-part size field in [min, max] and
 * `ndesc` descriptors read as triples {field, unit, max} from `desc`. Returns ST_OK, ST_BAD_ARG
 * (a malformed shape), ST_EXISTS (that key already has a shape) or ST_QUOTA (the table is full).
 */
export function shapeAdd(
  p: u32, riid: u32, mid: u32, kind: u32, min: u32, max: u32, ndesc: u32, desc: u32,
): i32 {
  if (kind < KIND_REQUEST || kind > KIND_ERROR || riid >= 0xFFFF || mid > 0xFFFF) return ST_BAD_ARG;
  if (ndesc > SHAPE_MAX_DESC || min < NK_MESSAGE_SIZE || min > max || max > MAX_MESSAGE) return ST_BAD_ARG;
  for (let i: u32 = 0; i < ndesc; i++) {
    const d = desc + i * DESC_SIZE;
    const field = load<u32>(d);
    if (!descriptorOk(field, load<u32>(d + 4), load<u32>(d + 8), min)) return ST_BAD_ARG;
    for (let j: u32 = 0; j < i; j++) {
      const other = load<u32>(desc + j * DESC_SIZE);
      if (field < other + 8 && other < field + 8) return ST_BAD_ARG; // two nk_ptr_t share bytes
    }
  }
  const key = riid | (mid << 16);
  if (find(p, key, kind) >= 0) return ST_EXISTS;
  let i = first(p, key, kind);
  for (let n: u32 = 0; n < MAX_SHAPES; n++) {
    const r = record(i);
    const owner = load<u32>(r + R_OWNER);
    if (owner == 0 || owner == TOMBSTONE) {
      store<u32>(r + R_KEY, key);
      store<u32>(r + R_KIND, kind);
      store<u32>(r + R_NDESC, ndesc);
      store<u32>(r + R_MIN, min);
      store<u32>(r + R_MAX, max);
      memory.copy(r + R_DESC, desc, ndesc * DESC_SIZE);
      store<u32>(r + R_OWNER, p + 1);
      store<u32>(countAt(p), load<u32>(countAt(p)) + 1);
      return ST_OK;
    }
    i = (i + 1) & (MAX_SHAPES - 1);
  }
  return ST_QUOTA;
}

/** Forgets every shape of process p (it ended); its records become tombstones. */
export function shapesForgetProcess(p: u32): void {
  if (load<u32>(countAt(p)) == 0) return;
  for (let i: u32 = 0; i < MAX_SHAPES; i++) {
    const r = record(i);
    if (load<u32>(r + R_OWNER) == p + 1) store<u32>(r + R_OWNER, TOMBSTONE);
  }
  store<u32>(countAt(p), 0);
}

/** True when the segments of descriptors i and j of shape r (both inside the arena) overlap. */
function overlaps(r: u32, c: u32, i: u32, j: u32): bool {
  const fi = load<u32>(r + R_DESC + i * DESC_SIZE), fj = load<u32>(r + R_DESC + j * DESC_SIZE);
  const oi = load<u32>(c + fi), si = load<u32>(c + fi + 4);
  const oj = load<u32>(c + fj), sj = load<u32>(c + fj + 4);
  // both ends are at most the arena's used bytes (< 4 MiB), so the sums cannot overflow
  return si != 0 && sj != 0 && oi < oj + sj && oj < oi + si;
}

/**
 * Checks an outgoing message (already through checkOutgoing) against the shape that server
 * process p declared for it, in the order of docs/message-format.md section 5: type, size
 * field range, then each descriptor (maximum, inside the used arena, alignment, whole elements,
 * string terminator), then overlap. ST_OK when p declared no shape for the message's key.
 */
function check(p: u32, c: u32, a: u32, alen: u32, reply: bool, iid: u32): i32 {
  if (load<u32>(countAt(p)) == 0) return ST_OK;
  const type = load<u32>(c + NK_OFF_TYPE);
  const kind = !reply ? KIND_REQUEST : (type & NK_TYPE_ERR) != 0 ? KIND_ERROR : KIND_RESPONSE;
  const key = (iid == ANY_IID ? <u32>load<u16>(c + NK_OFF_IID) : iid) | (<u32>load<u16>(c + NK_OFF_MID) << 16);
  const ri = find(p, key, kind);
  if (ri < 0) return ST_OK;
  const r = record(<u32>ri);
  if (type > NK_TYPE_ERR || (!reply && type != 0)) return ST_INVALID_MSG;
  const size = load<u32>(c + NK_OFF_SIZE);
  if (size < load<u32>(r + R_MIN) || size > load<u32>(r + R_MAX)) return ST_INVALID_MSG;
  const n = load<u32>(r + R_NDESC);
  for (let i: u32 = 0; i < n; i++) {
    const d = r + R_DESC + i * DESC_SIZE;
    const field = load<u32>(d), unit = load<u32>(d + 4);
    // field + 8 <= min <= size <= the sender's buffer: the descriptor itself is readable
    const off = load<u32>(c + field), sz = load<u32>(c + field + 4);
    if (sz > load<u32>(d + 8)) return ST_INVALID_MSG;
    if (off > alen || sz > alen - off) return ST_INVALID_MSG;
    const alignMask: u32 = (1 << ((unit >> 24) & 3)) - 1;
    if ((off & alignMask) != 0 || sz % (unit & UNIT_MASK) != 0) return ST_INVALID_MSG;
    if ((unit & UNIT_STRING) != 0 && sz != 0 && load<u8>(a + off + sz - 1) != 0) return ST_INVALID_MSG;
  }
  for (let i: u32 = 1; i < n; i++) {
    for (let j: u32 = 0; j < i; j++) if (overlaps(r, c, i, j)) return ST_INVALID_MSG;
  }
  return ST_OK;
}

/** shapeCheckRequest's `iid` that means: the RIID the request's header carries. */
export const ANY_IID: u32 = 0xFFFFFFFF;

/**
 * (C1) Call: a request to server process `server` against its request shape, for endpoint
 * `iid` (ANY_IID: the header's; a callable's RIID otherwise).
 */
export function shapeCheckRequest(server: u32, c: u32, a: u32, alen: u32, iid: u32): i32 {
  return check(server, c, a, alen, false, iid);
}

/** (P1) Reply: the response of server process p against its response or error shape. */
export function shapeCheckReply(p: u32, c: u32, a: u32, alen: u32): i32 {
  return check(p, c, a, alen, true, ANY_IID);
}

/**
 * (D) The constant-part size of caller t's request, checked again at delivery: a buffer used in
 * place (process.alloc) may have been changed by its owner since (C1). The size field is read
 * once and bounded by the buffer recorded at (C1), so the copy never reads past it. Returns
 * NO_SIZE (more than any receive buffer holds) when the request no longer passes.
 */
export function queuedSize(t: u32, server: u32, iid: u32): u32 {
  const ta = thread(t);
  const c = load<u32>(ta + T_OUT_C), bound = load<u32>(ta + T_OUT_CLEN);
  const a = load<u32>(ta + T_OUT_A), alen = load<u32>(ta + T_OUT_ALEN);
  const size = load<u32>(c + NK_OFF_SIZE);
  if (size < NK_MESSAGE_SIZE || size > bound) return NO_SIZE;
  if (checkOutgoing(c, bound, a, alen) != ST_OK) return NO_SIZE;
  if (check(server, c, a, alen, false, iid) != ST_OK) return NO_SIZE;
  return size;
}
