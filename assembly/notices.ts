// Notice receivers (coresrv/handle/notice_api.h): an object that collects notifications, each an
// entry id and the mask of events that happened, and the threads waiting in KnNoticeGetEvent
// for them. Notifications for one entry id that is still pending are merged (their masks ORed),
// so a receiver holds at most one per entry id, oldest first. KnNoticeDropAndWake drops them
// and the receiver's entries, wakes every waiter (ST_ABORTED) and may forbid new entries.

import { MAX_EVENTS, ST_OK, ST_ABORTED, ST_NOT_CONNECTED } from './abi';
import {
  obj, event, thread, TB_EVENTS, DIR_EVENTS, EVENT_BITS, EVENT_SIZE, O_FLAGS, O_OWNER, O_WAIT_HEAD,
  O_WAIT_TAIL, O_EV_HEAD, O_EV_TAIL, O_EV_COUNT, OF_NOTICE_FORBID, EV_ID, EV_MASK, EV_NEXT, EV_USED,
  K_NOTICE, T_STATE, T_OBJ, TS_WAIT_NOTICE,
} from './layout';
import { T_CELL } from './abi';
import { objAlloc } from './objects';
import { tableAlloc, tableFree } from './table';
import { complete, qPush, qPop, qRemove } from './threads';
import { subRemoveNotice } from './subscriptions';

/** A new receiver made by process `p`: its object index, or -1 when the object table is full. */
export function noticeCreate(p: u32): i32 {
  const n = objAlloc(K_NOTICE);
  if (n >= 0) store<u32>(obj(<u32>n) + O_OWNER, p + 1);
  return n;
}

/** True when receiver `n` takes no new entries (KnNoticeDropAndWake with forbid). */
export function noticeForbids(n: u32): bool {
  return (load<i32>(obj(n) + O_FLAGS) & OF_NOTICE_FORBID) != 0;
}

/** Wakes every thread waiting on `n` with status `st`. */
function wakeAll(n: u32, st: i32): void {
  const a = obj(n);
  let t = qPop(a + O_WAIT_HEAD, a + O_WAIT_TAIL);
  while (t != 0) {
    complete(t - 1, st);
    t = qPop(a + O_WAIT_HEAD, a + O_WAIT_TAIL);
  }
}

/** Posts a notification: events `mask` for entry `evId` of receiver `n`, and wakes its waiters. */
export function noticePost(n: u32, evId: u32, mask: u32): void {
  const a = obj(n);
  let e = load<u32>(a + O_EV_HEAD);
  while (e != 0) {
    const ea = event(e - 1);
    if (load<u32>(ea + EV_ID) == evId) {
      store<u32>(ea + EV_MASK, load<u32>(ea + EV_MASK) | mask);
      wakeAll(n, ST_OK);
      return;
    }
    e = load<u32>(ea + EV_NEXT);
  }
  const i = tableAlloc(TB_EVENTS, DIR_EVENTS, EVENT_BITS, EVENT_SIZE, MAX_EVENTS, EV_NEXT);
  if (i < 0) return; // the table is full: documented in docs/semantics.md section 14
  const ea = event(<u32>i);
  store<u32>(ea + EV_ID, evId);
  store<u32>(ea + EV_MASK, mask);
  store<u32>(ea + EV_NEXT, 0);
  store<u32>(ea + EV_USED, 1);
  const tail = load<u32>(a + O_EV_TAIL);
  if (tail != 0) store<u32>(event(tail - 1) + EV_NEXT, <u32>i + 1);
  else store<u32>(a + O_EV_HEAD, <u32>i + 1);
  store<u32>(a + O_EV_TAIL, <u32>i + 1);
  store<u32>(a + O_EV_COUNT, load<u32>(a + O_EV_COUNT) + 1);
  wakeAll(n, ST_OK);
}

/** Takes up to `max` notifications of `n`, oldest first, into [dst, dst + 8 * max): how many. */
export function noticeTake(n: u32, max: u32, dst: u32): u32 {
  const a = obj(n);
  let taken: u32 = 0;
  while (taken < max) {
    const e = load<u32>(a + O_EV_HEAD);
    if (e == 0) break;
    const ea = event(e - 1);
    store<u32>(dst + (taken << 3), load<u32>(ea + EV_ID));
    store<u32>(dst + (taken << 3) + 4, load<u32>(ea + EV_MASK));
    const next = load<u32>(ea + EV_NEXT);
    store<u32>(a + O_EV_HEAD, next);
    if (next == 0) store<u32>(a + O_EV_TAIL, 0);
    store<u32>(ea + EV_USED, 0);
    tableFree(TB_EVENTS, DIR_EVENTS, EVENT_BITS, EVENT_SIZE, e - 1, EV_NEXT);
    taken++;
  }
  store<u32>(a + O_EV_COUNT, load<u32>(a + O_EV_COUNT) - taken);
  return taken;
}

/** Notifications pending in `n`. */
export function noticePending(n: u32): u32 {
  return load<u32>(obj(n) + O_EV_COUNT);
}

/** Thread `t` waits on `n` for a notification. */
export function noticeWait(t: u32, n: u32): void {
  const ta = thread(t);
  store<u32>(ta + T_OBJ, n + 1);
  atomic.store<i32>(ta + T_CELL, 0);
  store<i32>(ta + T_STATE, TS_WAIT_NOTICE);
  qPush(obj(n) + O_WAIT_HEAD, obj(n) + O_WAIT_TAIL, t);
}

/** Thread `t`, waiting on `n`, stops waiting (timeout, death). */
export function noticeUnwait(t: u32, n: u32): void {
  qRemove(obj(n) + O_WAIT_HEAD, obj(n) + O_WAIT_TAIL, t);
}

/** Drops every notification of `n`. */
function dropEvents(n: u32): void {
  const a = obj(n);
  let e = load<u32>(a + O_EV_HEAD);
  while (e != 0) {
    const next = load<u32>(event(e - 1) + EV_NEXT);
    store<u32>(event(e - 1) + EV_USED, 0);
    tableFree(TB_EVENTS, DIR_EVENTS, EVENT_BITS, EVENT_SIZE, e - 1, EV_NEXT);
    e = next;
  }
  store<u32>(a + O_EV_HEAD, 0);
  store<u32>(a + O_EV_TAIL, 0);
  store<u32>(a + O_EV_COUNT, 0);
}

/** KnNoticeDropAndWake: drops entries and notifications, wakes waiters; `forbid`: no new entries. */
export function noticeDrop(n: u32, forbid: bool): void {
  subRemoveNotice(n);
  dropEvents(n);
  if (forbid) store<i32>(obj(n) + O_FLAGS, load<i32>(obj(n) + O_FLAGS) | OF_NOTICE_FORBID);
  wakeAll(n, ST_ABORTED);
}

/** Receiver `n` ends (its last handle closed): waiters return ST_NOT_CONNECTED. */
export function noticeDestroy(n: u32): void {
  subRemoveNotice(n);
  dropEvents(n);
  wakeAll(n, ST_NOT_CONNECTED);
}
