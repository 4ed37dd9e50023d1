/**
 * `coresrv/handle/notice_api.h`: notice receivers, for the current process (inside a worker).
 * Each function is the method of the same name on Process.
 */
import { thisProcess } from '../../current.js';
import type { Retcode } from '../../rtl/retcode.js';
import type { Handle } from '../../nk/types.js';
import type { EventDesc } from '../../notice_calls.js';

export type { EventDesc } from '../../notice_calls.js';
export { NOTICE_COUNT_MAX } from '../../notice_calls.js';

/** A new notice receiver; out.notice. */
export function KnNoticeCreate(out: { notice?: Handle }): Retcode {
  return thisProcess().KnNoticeCreate(out);
}
/** Adds the entry (object, evMask, evId) to `notice`. */
export function KnNoticeSubscribeToObject(notice: Handle, object: Handle, evMask: number, evId: number): Retcode {
  return thisProcess().KnNoticeSubscribeToObject(notice, object, evMask, evId);
}
/** Removes the entries of `notice` with id `evId`. */
export function KnNoticeUnsubscribeFromEvent(notice: Handle, evId: number): Retcode {
  return thisProcess().KnNoticeUnsubscribeFromEvent(notice, evId);
}
/** Removes the entries of `notice` for the resource of `object`. */
export function KnNoticeUnsubscribeFromObject(notice: Handle, object: Handle): Retcode {
  return thisProcess().KnNoticeUnsubscribeFromObject(notice, object);
}
/** Takes up to `countMax` notifications into `events`, waiting up to `msec`; out.count. */
export function KnNoticeGetEvent(notice: Handle, msec: number, countMax: number, events: EventDesc[], out: { count?: number }): Retcode {
  return thisProcess().KnNoticeGetEvent(notice, msec, countMax, events, out);
}
/** KnNoticeGetEvent without blocking the thread. */
export function KnNoticeGetEventAsync(notice: Handle, msec: number, countMax: number, events: EventDesc[],
  out: { count?: number }): Promise<Retcode> {
  return thisProcess().KnNoticeGetEventAsync(notice, msec, countMax, events, out);
}
/** Signals user events on a user object. */
export function KnNoticeSetObjectEvent(object: Handle, evMask: number): Retcode {
  return thisProcess().KnNoticeSetObjectEvent(object, evMask);
}
/** Drops every entry and notification of `notice` and wakes its waiters; `forbid`: no new entries. */
export function KnNoticeDropAndWake(notice: Handle, forbid: boolean | number): Retcode {
  return thisProcess().KnNoticeDropAndWake(notice, forbid);
}
export { INFINITE_TIMEOUT } from '../../nk/types.js';
