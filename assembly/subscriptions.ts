// "Resource-event mask" entries of notice receivers (KnNoticeSubscribeToObject): each links a
// notice and an object, with the events the notice wants and the entry id they come with. An
// entry is in two lists: its notice's (to drop them all) and its object's (to find who to tell
// when an event happens). When an event happens on an object, every entry whose mask meets it
// posts a notification (notices.ts). State events (a task completed, an object destroyed) are
// remembered on the object, so an entry made after them is told at once.

import { MAX_SUBSCRIPTIONS, EVENT_OBJECT_DESTROYED } from './abi';
import {
  obj, sub, TB_SUBS, DIR_SUBS, SUB_BITS, SUB_SIZE, O_SUBS, O_SIGNALED, O_OWN_SUBS, SB_NOTICE,
  SB_OBJECT, SB_MASK, SB_EVID, SB_NEXT_N, SB_PREV_N, SB_NEXT_O, SB_PREV_O,
} from './layout';
import { tableAlloc, tableFree, tableReserve } from './table';
import { noticePost } from './notices';

/** True when an entry can be added: subAdd cannot fail after it. */
export function subRoom(): bool {
  return tableReserve(TB_SUBS, DIR_SUBS, SUB_BITS, SUB_SIZE, MAX_SUBSCRIPTIONS, 1);
}

/** Links entry `s` at the head of the list at `headAddr`, through the link pair at `next`/`prev`. */
function listPush(headAddr: u32, s: u32, next: u32, prev: u32): void {
  const head = load<u32>(headAddr);
  const e = sub(s);
  store<u32>(e + next, head);
  store<u32>(e + prev, 0);
  if (head != 0) store<u32>(sub(head - 1) + prev, s + 1);
  store<u32>(headAddr, s + 1);
}

function listRemove(headAddr: u32, s: u32, next: u32, prev: u32): void {
  const e = sub(s);
  const n = load<u32>(e + next), pv = load<u32>(e + prev);
  if (pv != 0) store<u32>(sub(pv - 1) + next, n);
  else store<u32>(headAddr, n);
  if (n != 0) store<u32>(sub(n - 1) + prev, pv);
}

/**
 * Adds an entry: notice `n` is told, with `evId`, of the `mask` events of object `o` (checked
 * before, with subRoom). Events `o` already went through (state events) are posted at once.
 */
export function subAdd(n: u32, o: u32, mask: u32, evId: u32): void {
  const si = tableAlloc(TB_SUBS, DIR_SUBS, SUB_BITS, SUB_SIZE, MAX_SUBSCRIPTIONS, SB_NEXT_N);
  assert(si >= 0, 'subAdd: no entry although subRoom said so');
  const s = <u32>si;
  const e = sub(s);
  store<u32>(e + SB_NOTICE, n + 1);
  store<u32>(e + SB_OBJECT, o + 1);
  store<u32>(e + SB_MASK, mask);
  store<u32>(e + SB_EVID, evId);
  listPush(obj(n) + O_OWN_SUBS, s, SB_NEXT_N, SB_PREV_N);
  listPush(obj(o) + O_SUBS, s, SB_NEXT_O, SB_PREV_O);
  const already = load<u32>(obj(o) + O_SIGNALED) & mask;
  if (already != 0) noticePost(n, evId, already);
}

function subRemove(s: u32): void {
  const e = sub(s);
  listRemove(obj(load<u32>(e + SB_NOTICE) - 1) + O_OWN_SUBS, s, SB_NEXT_N, SB_PREV_N);
  listRemove(obj(load<u32>(e + SB_OBJECT) - 1) + O_SUBS, s, SB_NEXT_O, SB_PREV_O);
  store<u32>(e + SB_NOTICE, 0);
  tableFree(TB_SUBS, DIR_SUBS, SUB_BITS, SUB_SIZE, s, SB_NEXT_N);
}

/** Removes notice `n`'s entries with entry id `evId` (object < 0) or for object `object`; how many. */
export function subRemoveWhere(n: u32, evId: u32, object: i32): u32 {
  let removed: u32 = 0;
  let s = load<u32>(obj(n) + O_OWN_SUBS);
  while (s != 0) {
    const e = sub(s - 1);
    const next = load<u32>(e + SB_NEXT_N);
    const match = object < 0 ? load<u32>(e + SB_EVID) == evId : load<u32>(e + SB_OBJECT) == <u32>object + 1;
    if (match) { subRemove(s - 1); removed++; }
    s = next;
  }
  return removed;
}

/** Removes every entry of notice `n`. */
export function subRemoveNotice(n: u32): void {
  let s = load<u32>(obj(n) + O_OWN_SUBS);
  while (s != 0) {
    const next = load<u32>(sub(s - 1) + SB_NEXT_N);
    subRemove(s - 1);
    s = next;
  }
}

/**
 * Events `mask` happened on object `o`: every entry whose mask meets them posts a notification.
 * With `state`, they are remembered on the object for entries made later.
 */
export function objectSignal(o: u32, mask: u32, state: bool): void {
  if (state) store<u32>(obj(o) + O_SIGNALED, load<u32>(obj(o) + O_SIGNALED) | mask);
  let s = load<u32>(obj(o) + O_SUBS);
  while (s != 0) {
    const e = sub(s - 1);
    const next = load<u32>(e + SB_NEXT_O);
    const m = load<u32>(e + SB_MASK) & mask;
    if (m != 0) noticePost(load<u32>(e + SB_NOTICE) - 1, load<u32>(e + SB_EVID), m);
    s = next;
  }
}

/** Object `o` is being destroyed: its entries are told EVENT_OBJECT_DESTROYED and removed. */
export function objectGone(o: u32): void {
  objectSignal(o, EVENT_OBJECT_DESTROYED, false);
  let s = load<u32>(obj(o) + O_SUBS);
  while (s != 0) {
    const next = load<u32>(sub(s - 1) + SB_NEXT_O);
    subRemove(s - 1);
    s = next;
  }
}
