// Growable tables. A table's records live in chunks of `1 << bits` records taken from the heap
// (heapBump) as the table grows, up to its limit; a directory in the fixed part of memory holds
// each chunk's address, so record i is at dir[i >> bits] + (i & mask) * size and a record never
// moves. Freed records go to a free list (LIFO, linked through the record's `link` field) and
// are reused first. Every realm sees a new chunk at once: the directory is in the one memory,
// and only the core reads it, under the kernel lock.
//
//   table state (header, 16 B)   +0 made (records made so far)  +4 free head (index + 1)  +8 live

import { hdr, rec } from './layout';
import { heapBump } from './heap';

const TB_MADE: u32 = 0;
const TB_FREE: u32 = 4;
const TB_LIVE: u32 = 8;

/**
 * A record of the table: its index, or -1 when the table is at `max` or the heap cannot give it
 * a new chunk. A new record is zero; a reused one holds what its last user left (a generation
 * the caller keeps, say): the caller initialises it.
 */
export function tableAlloc(tb: u32, dir: u32, bits: u32, size: u32, max: u32, link: u32): i32 {
  const st = hdr(tb);
  const free = load<u32>(st + TB_FREE);
  let i: u32;
  if (free != 0) {
    i = free - 1;
    store<u32>(st + TB_FREE, load<u32>(rec(dir, i, bits, size) + link));
  } else {
    i = load<u32>(st + TB_MADE);
    if (i >= max || !chunkFor(dir, i, bits, size)) return -1;
    store<u32>(st + TB_MADE, i + 1);
  }
  store<u32>(st + TB_LIVE, load<u32>(st + TB_LIVE) + 1);
  return <i32>i;
}

/** Makes sure the chunk of record `i` exists; false when the heap cannot give it. */
function chunkFor(dir: u32, i: u32, bits: u32, size: u32): bool {
  const entry = dir + ((i >> bits) << 2);
  if (load<u32>(entry) != 0) return true;
  const chunk = heapBump(size << bits);
  if (chunk == 0) return false;
  store<u32>(entry, chunk);
  return true;
}

/**
 * Makes sure the next `n` tableAlloc calls cannot fail: the free records and the records the
 * table may still make, below `max`, whose chunks exist or could be made now (they are made:
 * only capacity changes). For the check step of an entry that allocates in its commit step.
 */
export function tableReserve(tb: u32, dir: u32, bits: u32, size: u32, max: u32, n: u32): bool {
  const st = hdr(tb);
  const madeN = load<u32>(st + TB_MADE);
  const free = madeN - load<u32>(st + TB_LIVE);
  if (free >= n) return true;
  const need = n - free;
  if (<u64>madeN + <u64>need > <u64>max) return false;
  const last = madeN + need - 1;
  for (let c = madeN >> bits; c <= last >> bits; c++) {
    if (!chunkFor(dir, c << bits, bits, size)) return false;
  }
  return true;
}

/** Returns record `i` to the free list; the caller has cleared what marks it in use. */
export function tableFree(tb: u32, dir: u32, bits: u32, size: u32, i: u32, link: u32): void {
  const st = hdr(tb);
  store<u32>(rec(dir, i, bits, size) + link, load<u32>(st + TB_FREE));
  store<u32>(st + TB_FREE, i + 1);
  store<u32>(st + TB_LIVE, load<u32>(st + TB_LIVE) - 1);
}

/** Records of the table in use. */
export function tableLive(tb: u32): u32 {
  return load<u32>(hdr(tb) + TB_LIVE);
}
