// The kernel heap: buffers for process.alloc (used in place by Call/Recv/Reply) and per-thread
// staging buffers (where a plain Uint8Array is copied in and out). Called under the kernel
// lock only; never on the hot path of a call that reuses its staging buffer.
//
// Blocks are powers of two from 64 B, each with a 16-byte header, and go back to a free list of
// their size class (no splitting or merging: bounded work, bounded waste). Each block is also
// linked into its owner process's list so that a process that ends frees what it allocated.
//
//   block +0  size class c (block bytes = 64 << c)
//         +4  owner process index + 1
//         +8  previous block of the owner (address, 0 none)
//         +12 next block of the owner
//         +16 data ... (16-byte aligned)

import { KERNEL_END } from './abi';
import { hdr, H_HEAP_TOP, H_FREELISTS, proc, P_ALLOCS } from './layout';

const BLOCK_HEADER: u32 = 16;
/** heapAlloc's owner for a block that belongs to the kernel (a context), in no process's list. */
export const KERNEL_OWNED: u32 = 0xFFFFFFFF;
const MAX_CLASS: u32 = 24; // 1 GiB blocks

function classFor(bytes: u32): i32 {
  if (bytes > (<u32>64 << MAX_CLASS) - BLOCK_HEADER) return -1;
  const total = bytes + BLOCK_HEADER;
  let c: u32 = 0;
  while ((<u32>64 << c) < total) c++;
  return <i32>c;
}

/** Grows memory so that it reaches `end`; false when it cannot. */
function reach(end: u64): bool {
  const have: u64 = <u64>memory.size() << 16;
  if (end <= have) return true;
  return memory.grow(<i32>((end - have + 0xFFFF) >> 16)) >= 0;
}

/**
 * `bytes` of zeroed memory off the top of the heap, 64-byte aligned, for a table chunk
 * (table.ts): never freed. Returns its address, or 0 when memory is exhausted.
 */
export function heapBump(bytes: u32): u32 {
  let top = load<u32>(hdr(H_HEAP_TOP));
  if (top < KERNEL_END) top = KERNEL_END;
  top = (top + 63) & ~63;
  const end: u64 = <u64>top + <u64>bytes;
  if (end > 0xFFFF0000 || !reach(end)) return 0;
  store<u32>(hdr(H_HEAP_TOP), <u32>end);
  memory.fill(top, 0, bytes);
  return top;
}

/** Allocates `bytes` for process `p`; returns the data address, or 0 when memory is exhausted. */
export function heapAlloc(p: u32, bytes: u32): u32 {
  const c = classFor(bytes);
  if (c < 0) return 0;
  const listAddr = hdr(H_FREELISTS) + (<u32>c << 2);
  let block = load<u32>(listAddr);
  if (block != 0) {
    store<u32>(listAddr, load<u32>(block + 12));
  } else {
    let top = load<u32>(hdr(H_HEAP_TOP));
    if (top < KERNEL_END) top = KERNEL_END;
    const size: u64 = <u64>64 << c;
    const end: u64 = <u64>top + size;
    if (end > 0xFFFF0000 || !reach(end)) return 0;
    block = top;
    store<u32>(hdr(H_HEAP_TOP), <u32>end);
    store<u32>(block, <u32>c);
  }
  store<u32>(block + 8, 0);
  if (p == KERNEL_OWNED) {
    store<u32>(block + 4, 0);
    store<u32>(block + 12, 0);
    return block + BLOCK_HEADER;
  }
  // link into the owner's list
  const pa = proc(p);
  const head = load<u32>(pa + P_ALLOCS);
  store<u32>(block + 4, p + 1);
  store<u32>(block + 12, head);
  if (head != 0) store<u32>(head + 8, block);
  store<u32>(pa + P_ALLOCS, block);
  return block + BLOCK_HEADER;
}

/** Data capacity of the block at data address `data`. */
export function heapCapacity(data: u32): u32 {
  return (<u32>64 << load<u32>(data - BLOCK_HEADER)) - BLOCK_HEADER;
}

/**
 * True when `data` is the data address of a live block owned by process `p`. Walks the owner's
 * list: bounded by what the process allocated; only used to validate process.free.
 */
export function heapOwns(p: u32, data: u32): bool {
  if (data < KERNEL_END + BLOCK_HEADER || (data & 15) != 0) return false;
  let b = load<u32>(proc(p) + P_ALLOCS);
  while (b != 0) {
    if (b + BLOCK_HEADER == data) return true;
    b = load<u32>(b + 12);
  }
  return false;
}

/** Frees the block at data address `data` (which must be live). */
export function heapFree(data: u32): void {
  const block = data - BLOCK_HEADER;
  const owner = load<u32>(block + 4);
  const prev = load<u32>(block + 8);
  const next = load<u32>(block + 12);
  if (prev != 0) store<u32>(prev + 12, next);
  else if (owner != 0) store<u32>(proc(owner - 1) + P_ALLOCS, next);
  if (next != 0) store<u32>(next + 8, prev);
  store<u32>(block + 4, 0);
  const listAddr = hdr(H_FREELISTS) + (load<u32>(block) << 2);
  store<u32>(block + 12, load<u32>(listAddr));
  store<u32>(listAddr, block);
}

/** Frees every block of process `p`. */
export function heapFreeAll(p: u32): void {
  let b = load<u32>(proc(p) + P_ALLOCS);
  while (b != 0) {
    const next = load<u32>(b + 12);
    heapFree(b + BLOCK_HEADER);
    b = next;
  }
  store<u32>(proc(p) + P_ALLOCS, 0);
}
