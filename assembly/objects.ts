// The kernel object table: channels (a static channel's client end), listeners (the server end,
// with the rendezvous queues), callables, IPC sync objects, user objects, badges, notice
// receivers and tasks. Every object has a SID, one global id for the resource that never changes
// and is never reused. An object lives while a live handle names it (O_REFS) or something else
// holds it (a badge's zone, handles.ts); lifecycle.ts destroys it.

import { MAX_OBJECTS } from './abi';
import {
  obj, hdr, H_KINDS, H_SID_SEQ, TB_OBJECTS, DIR_OBJECTS, OBJ_BITS, OBJ_SIZE, O_KIND, O_REFS, O_GEN,
  O_SID, K_FREE,
} from './layout';
import { tableAlloc, tableFree, tableReserve } from './table';

/** A new object of `kind`, with a new SID: its index, or -1 when the table is full. */
export function objAlloc(kind: i32): i32 {
  const i = tableAlloc(TB_OBJECTS, DIR_OBJECTS, OBJ_BITS, OBJ_SIZE, MAX_OBJECTS, O_REFS);
  if (i < 0) return i;
  const a = obj(<u32>i);
  const gen = load<u32>(a + O_GEN);
  memory.fill(a, 0, OBJ_SIZE);
  store<u32>(a + O_GEN, gen);
  store<i32>(a + O_KIND, kind);
  const sid = load<u32>(hdr(H_SID_SEQ)) + 1;
  store<u32>(hdr(H_SID_SEQ), sid);
  store<u32>(a + O_SID, sid);
  const k = hdr(H_KINDS) + (<u32>kind << 2);
  store<u32>(k, load<u32>(k) + 1);
  return i;
}

/** True when the object table can take `n` more objects (objAlloc cannot fail for them). */
export function objsFree(n: u32): bool {
  return tableReserve(TB_OBJECTS, DIR_OBJECTS, OBJ_BITS, OBJ_SIZE, MAX_OBJECTS, n);
}

/** Frees object `i`; its generation moves on, so a dereference key that named it names nothing. */
export function objFree(i: u32): void {
  const a = obj(i);
  const kind = load<i32>(a + O_KIND);
  const k = hdr(H_KINDS) + (<u32>kind << 2);
  store<u32>(k, load<u32>(k) - 1);
  const gen = load<u32>(a + O_GEN) + 1;
  store<i32>(a + O_KIND, K_FREE);
  tableFree(TB_OBJECTS, DIR_OBJECTS, OBJ_BITS, OBJ_SIZE, i, O_REFS);
  store<u32>(a + O_GEN, gen);
}

/** Objects of `kind` alive. */
export function objCount(kind: i32): u32 {
  return load<u32>(hdr(H_KINDS) + (<u32>kind << 2));
}

