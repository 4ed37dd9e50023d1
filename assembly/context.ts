// Context values of user objects, callables and badges (the C `void *context`). The host
// encodes the value (docs/semantics.md section 13: JSON for numbers and strings, a realm-local
// reference for anything else) and the kernel keeps the bytes in a heap block it owns, freed
// with the object. Only the process that made the object reads them back (k_context), through a
// dereference key: the object's index and generation, so a key outlives nothing it names.
//
//   key = generation[31:21] | (object index + 1)[20:0]

import { MAX_CONTEXT, ST_OK, ST_BAD_ARG, ST_NOT_FOUND, ST_INVALID_MSG } from './abi';
import { obj, made, TB_OBJECTS, O_KIND, O_OWNER, O_GEN, O_CTX, O_CTX_LEN, K_USER, K_CALLABLE, K_BADGE } from './layout';
import { heapAlloc, heapFree, KERNEL_OWNED } from './heap';
import { inHeap } from './message';

const INDEX_BITS: u32 = 21;
const INDEX_MASK: u32 = (<u32>1 << INDEX_BITS) - 1;

/** Checks an encoded context at [at, at + len): ST_OK, or ST_BAD_ARG. */
export function contextCheck(at: u32, len: u32): i32 {
  return len <= MAX_CONTEXT && inHeap(at, len) ? ST_OK : ST_BAD_ARG;
}

/** Sentinel of contextAlloc: kernel memory could not hold the copy. */
export const CONTEXT_NO_MEMORY: u32 = 0xFFFFFFFF;

/**
 * A kernel-owned copy of [at, at + len) (checked before): its address, 0 for an empty context,
 * or CONTEXT_NO_MEMORY. Made before the object it belongs to, so nothing else changes on failure.
 */
export function contextAlloc(at: u32, len: u32): u32 {
  if (len == 0) return 0;
  const b = heapAlloc(KERNEL_OWNED, len);
  if (b == 0) return CONTEXT_NO_MEMORY;
  memory.copy(b, at, len);
  return b;
}

/** Gives object `o` the context copy `b` of `len` bytes (from contextAlloc). */
export function contextAttach(o: u32, b: u32, len: u32): void {
  store<u32>(obj(o) + O_CTX, b);
  store<u32>(obj(o) + O_CTX_LEN, b == 0 ? 0 : len);
}

/** Frees object `o`'s context bytes. */
export function contextFree(o: u32): void {
  const b = load<u32>(obj(o) + O_CTX);
  if (b != 0) heapFree(b);
  store<u32>(obj(o) + O_CTX, 0);
  store<u32>(obj(o) + O_CTX_LEN, 0);
}

/** The dereference key of object `o`. */
export function contextKey(o: u32): u32 {
  return (load<u32>(obj(o) + O_GEN) << INDEX_BITS) | (o + 1);
}

/**
 * k_context: copies the context of the object `key` names to [dst, dst + cap) for process `p`,
 * its maker. Returns the context's length (>= 0), or -status: ST_NOT_FOUND when the key names
 * no live user object, callable or badge of `p`; ST_INVALID_MSG when it does not fit.
 */
export function contextRead(p: u32, key: u32, dst: u32, cap: u32): i32 {
  const i = (key & INDEX_MASK) - 1;
  if (i >= made(TB_OBJECTS)) return -ST_NOT_FOUND;
  const a = obj(i);
  const kind = load<i32>(a + O_KIND);
  if ((kind != K_USER && kind != K_CALLABLE && kind != K_BADGE) ||
      (load<u32>(a + O_GEN) & (0xFFFFFFFF >> INDEX_BITS)) != key >> INDEX_BITS ||
      load<u32>(a + O_OWNER) != p + 1) return -ST_NOT_FOUND;
  const len = load<u32>(a + O_CTX_LEN);
  if (len > cap || !inHeap(dst, cap)) return -ST_INVALID_MSG;
  if (len != 0) memory.copy(dst, load<u32>(a + O_CTX), len);
  return <i32>len;
}
