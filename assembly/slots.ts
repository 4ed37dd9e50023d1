// Reply slots: one per call a server has received and not yet answered, listed per listener in
// the order received. A slot's token, `generation << 16 | index + 1`, is what Recv reports as
// SMsgHdr.threadId: it names that one call, so a Reply that carries it reaches that call and no
// other. Reply with threadId 0 takes the oldest slot of the listener.
//
// A slot outlives a caller that stops waiting after delivery (timeout, death): it is then
// "abandoned" and stays in the list until a Reply reaches it (that Reply fails with
// ST_CALLER_GONE) or the listener ends. So an answer meant for a call whose caller left is never
// delivered to a later call, whichever way the server names the call (docs/semantics.md §5).

import { MAX_SLOTS } from './abi';
import {
  obj, slot, thread, made, O_SLOT_HEAD, O_SLOT_TAIL, S_STATE, S_LISTENER, S_TOKEN, S_CALLER, S_NEXT, SL_FREE,
  SL_LIVE, SL_ABANDONED, T_SLOT, TB_SLOTS, DIR_SLOTS, SLOT_BITS, SLOT_SIZE,
} from './layout';
import { tidOf } from './threads';
import { tableAlloc, tableFree, tableReserve } from './table';

/** True when a reply slot can be opened: slotOpen cannot fail after it. */
export function slotAvailable(): bool {
  return tableReserve(TB_SLOTS, DIR_SLOTS, SLOT_BITS, SLOT_SIZE, MAX_SLOTS, 1);
}

/** Appends a live slot for caller thread `t` to listener `l`; returns its token. */
export function slotOpen(l: u32, t: u32): u32 {
  // Callers check slotAvailable() in their decode step, before any state changes (STYLE.md,
  // "Check, then do").
  const si = tableAlloc(TB_SLOTS, DIR_SLOTS, SLOT_BITS, SLOT_SIZE, MAX_SLOTS, S_NEXT);
  assert(si >= 0, 'slotOpen: no reply slot although slotAvailable said so');
  const s = <u32>si;
  const sa = slot(s);
  let gen = ((load<u32>(sa + S_TOKEN) >> 16) + 1) & 0xFFFF;
  if (gen == 0) gen = 1;
  const token = (gen << 16) | (s + 1);
  store<i32>(sa + S_STATE, SL_LIVE);
  store<u32>(sa + S_LISTENER, l + 1);
  store<u32>(sa + S_TOKEN, token);
  store<u32>(sa + S_CALLER, tidOf(t));
  store<u32>(sa + S_NEXT, 0);
  const la = obj(l);
  const tail = load<u32>(la + O_SLOT_TAIL);
  if (tail != 0) store<u32>(slot(tail - 1) + S_NEXT, s + 1);
  else store<u32>(la + O_SLOT_HEAD, s + 1);
  store<u32>(la + O_SLOT_TAIL, s + 1);
  store<u32>(thread(t) + T_SLOT, s + 1);
  return token;
}

/** The slot of listener `l` that `token` names (0: the oldest); -1 when none. */
export function slotFind(l: u32, token: u32): i32 {
  if (token == 0) return <i32>load<u32>(obj(l) + O_SLOT_HEAD) - 1;
  const s = (token & 0xFFFF) - 1;
  if (s >= made(TB_SLOTS)) return -1;
  const sa = slot(s);
  if (load<i32>(sa + S_STATE) == SL_FREE || load<u32>(sa + S_TOKEN) != token ||
      load<u32>(sa + S_LISTENER) != l + 1) return -1;
  return <i32>s;
}

/** Unlinks slot `s` from listener `l` and frees it. */
export function slotClose(l: u32, s: u32): void {
  const la = obj(l);
  let prev: u32 = 0;
  let cur = load<u32>(la + O_SLOT_HEAD);
  while (cur != 0 && cur != s + 1) {
    prev = cur;
    cur = load<u32>(slot(cur - 1) + S_NEXT);
  }
  if (cur == 0) return;
  const next = load<u32>(slot(s) + S_NEXT);
  if (prev != 0) store<u32>(slot(prev - 1) + S_NEXT, next);
  else store<u32>(la + O_SLOT_HEAD, next);
  if (load<u32>(la + O_SLOT_TAIL) == s + 1) store<u32>(la + O_SLOT_TAIL, prev);
  store<i32>(slot(s) + S_STATE, SL_FREE);
  store<u32>(slot(s) + S_LISTENER, 0);
  tableFree(TB_SLOTS, DIR_SLOTS, SLOT_BITS, SLOT_SIZE, s, S_NEXT);
}

export function slotAbandon(s: u32): void {
  store<i32>(slot(s) + S_STATE, SL_ABANDONED);
}

export function slotLive(s: u32): bool {
  return load<i32>(slot(s) + S_STATE) == SL_LIVE;
}

/** The Tid of the caller whose call slot `s` holds. */
export function slotCaller(s: u32): u32 {
  return load<u32>(slot(s) + S_CALLER);
}
