/**
 * notice_api.h for one process in this realm: notice receivers, subscriptions, user events and
 * KnNoticeGetEvent in its blocking and Async forms. The core never waits: k_notice_get takes
 * what is pending, or queues the thread (ST_WOULD_BLOCK); after a wake the layer asks again
 * with the time left, since another waiter may have taken the notifications first.
 * docs/semantics.md section 14 describes the receiver.
 * @internal
 */
import { SYS, ST_OK, ST_WOULD_BLOCK, ST_DEAD, ST_TIMEOUT, ST_NOT_CONNECTED } from './abi.js';
import type { Core } from './core.js';
import type { Thread } from './thread.js';
import { take, statusOf, simple, handleCall, type IpcProcess } from './ipc.js';
import { ensureStage } from './message_io.js';
import { waitBlocking, waitAsync, finish } from './wait.js';
import { toRetcode } from './status.js';
import { handleArg, u32Arg, timeoutArg, maskArg, boolArg } from './args.js';
import { outArg } from './out.js';
import { describe } from './describe.js';
import type { Retcode } from './rtl/retcode.js';

/** One notification: the entry id given at subscription and the events that happened since. */
export interface EventDesc {
  /** The `evId` of the "resource-event mask" entry (KnNoticeSubscribeToObject, KnHandleCreateBadge). */
  eventId: number;
  /** The events that happened (EVENT_* bits), ORed while the notification waited. */
  eventMask: number;
}

/** Most notifications one KnNoticeGetEvent takes (the core's bound on countMax). */
export const NOTICE_COUNT_MAX = 4096;

/** k_notice_get's flag: the caller may wait. */
const F_WAIT = 1;

/** KnNoticeCreate: a new notice receiver; out.notice. */
export function noticeCreate(p: IpcProcess, fn: string, out: unknown): Retcode {
  return handleCall(p, fn, outArg(fn, out), 'notice', (core, th) => core.sys(SYS.k_notice_create, th.tid));
}

/** KnNoticeSubscribeToObject. */
export function subscribe(p: IpcProcess, fn: string, notice: unknown, object: unknown, evMask: unknown, evId: unknown): Retcode {
  const n = handleArg(fn, 'notice', notice), o = handleArg(fn, 'object', object);
  const m = maskArg(fn, 'evMask', evMask), id = u32Arg(fn, 'evId', evId);
  return simple(p, fn, (c, th) => c.sys(SYS.k_notice_subscribe, th.tid, n, o, m, id));
}

/** KnNoticeUnsubscribeFromEvent (byObject false: `value` is an evId) / FromObject (a handle). */
export function unsubscribe(p: IpcProcess, fn: string, notice: unknown, byObject: boolean, value: unknown): Retcode {
  const n = handleArg(fn, 'notice', notice);
  const v = byObject ? handleArg(fn, 'object', value) : u32Arg(fn, 'evId', value);
  return simple(p, fn, (c, th) => c.sys(SYS.k_notice_unsubscribe, th.tid, n, byObject ? 1 : 0, v));
}

/** KnNoticeSetObjectEvent. */
export function setObjectEvent(p: IpcProcess, fn: string, object: unknown, evMask: unknown): Retcode {
  const o = handleArg(fn, 'object', object), m = maskArg(fn, 'evMask', evMask);
  return simple(p, fn, (c, th) => c.sys(SYS.k_notice_set_event, th.tid, o, m));
}

/** KnNoticeDropAndWake. */
export function dropAndWake(p: IpcProcess, fn: string, notice: unknown, forbid: unknown): Retcode {
  const n = handleArg(fn, 'notice', notice), f = boolArg(fn, 'forbid', forbid);
  return simple(p, fn, (c, th) => c.sys(SYS.k_notice_drop, th.tid, n, f ? 1 : 0));
}

/** The checked arguments of KnNoticeGetEvent. */
interface GetArgs { n: number; timeout: number; max: number; events: EventDesc[]; out: Record<string, unknown> }

function getArgs(fn: string, notice: unknown, msec: unknown, countMax: unknown, events: unknown, out: unknown): GetArgs {
  const o = outArg(fn, out);
  const n = handleArg(fn, 'notice', notice);
  const timeout = timeoutArg(fn, 'msec', msec);
  const max = u32Arg(fn, 'countMax', countMax);
  if (max < 1 || max > NOTICE_COUNT_MAX) {
    throw new RangeError(`${fn}: countMax must be from 1 to ${NOTICE_COUNT_MAX}, got ${max}`);
  }
  if (!Array.isArray(events)) {
    throw new TypeError(`${fn}: events must be an array the call fills with EventDesc entries, got ${describe(events)}`);
  }
  o.count = 0;
  return { n, timeout, max, events: events as EventDesc[], out: o };
}

/**
 * One try: takes what is pending into the thread's staging buffer. ST_OK (events written),
 * ST_WOULD_BLOCK (queued, when `wait`), or an error status.
 */
function tryGet(core: Core, th: Thread, a: GetArgs, wait: boolean): number {
  const st = ensureStage(core, th, a.max * 8);
  if (st !== ST_OK) return st;
  return core.sys(SYS.k_notice_get, th.tid, a.n, a.max, th.stage, wait ? F_WAIT : 0);
}

/** Copies the `count` notifications the core wrote to the staging buffer into a.events. */
function deliver(core: Core, th: Thread, a: GetArgs): void {
  const count = core.res(th.rec, 0);
  core.u8(th.stage + count * 8); // refreshes the views if the memory grew
  for (let i = 0; i < count; i++) {
    a.events[i] = { eventId: core.field(th.stage, i * 8), eventMask: core.field(th.stage, i * 8 + 4) };
  }
  a.out.count = count;
}


/**
 * The Retcode of a wait that ended with status `st`: a process that ended while its thread
 * waited settles as not connected, as Call and Recv do (ipc.ts), rather than throwing.
 */
function waited(p: IpcProcess, fn: string, st: number): Retcode {
  if (st === ST_DEAD) {
    p.ended();
    return toRetcode(ST_NOT_CONNECTED);
  }
  return statusOf(p, fn, st);
}

/** KnNoticeGetEvent, blocking the thread until a notification, the timeout or a drop. */
export function getEvent(p: IpcProcess, fn: string, notice: unknown, msec: unknown, countMax: unknown,
  events: unknown, out: unknown): Retcode {
  const core = p.local(fn);
  const a = getArgs(fn, notice, msec, countMax, events, out);
  if (a.timeout > 0 && !core.canBlock) {
    throw new Error(`${fn}: this thread may not block (a browser main thread, or no SharedArrayBuffer); use ${fn}Async`);
  }
  const th = take(p, fn);
  if (typeof th === 'number') return th;
  try {
    const deadline = performance.now() + a.timeout;
    for (let retry = false; ; retry = true) {
      const rest = Math.max(0, deadline - performance.now());
      // without another realm nothing could post while this thread sleeps: never wait forever
      const forever = rest === Infinity && !core.crossRealm;
      let st = tryGet(core, th, a, rest > 0 && !forever);
      if (forever && st === ST_TIMEOUT) {
        throw new Error(`${fn}: no worker runs beside this thread, so nothing could post a notification ` +
          `while it waits without a time limit; use ${fn}Async, or a timeout`);
      }
      if (st === ST_WOULD_BLOCK) {
        st = finish(core, th, waitBlocking(core, th, rest));
        if (st === ST_OK) continue;
        return waited(p, fn, st);
      }
      if (st === ST_OK) deliver(core, th, a);
      return retry ? waited(p, fn, st) : statusOf(p, fn, st);
    }
  } finally {
    p.pool!.release(th);
  }
}

/** KnNoticeGetEvent without blocking the thread. */
export function getEventAsync(p: IpcProcess, fn: string, notice: unknown, msec: unknown, countMax: unknown,
  events: unknown, out: unknown): Promise<Retcode> {
  let core: Core, a: GetArgs, th: Thread | Retcode;
  try {
    core = p.local(fn);
    a = getArgs(fn, notice, msec, countMax, events, out);
    th = take(p, fn);
  } catch (e) {
    return Promise.reject(e);
  }
  if (typeof th === 'number') return Promise.resolve(th);
  const thread = th;
  const deadline = performance.now() + a.timeout;
  return new Promise<Retcode>((resolve, reject) => {
    const step = (retry: boolean): void => {
      let done = true;
      try {
        const rest = Math.max(0, deadline - performance.now());
        const st = tryGet(core, thread, a, rest > 0);
        if (st === ST_WOULD_BLOCK) {
          const woke = (_: Thread, completed: boolean): void => {
            // the core's wake import runs this inside the completer's syscall: asking again must wait
            if (core.inWake) { queueMicrotask(() => woke(thread, completed)); return; }
            let again = false;
            try {
              const st2 = finish(core, thread, completed);
              if (st2 === ST_OK) { again = true; step(true); return; }
              resolve(waited(p, fn, st2));
            } catch (e) {
              reject(e);
            } finally {
              if (!again) p.pool!.release(thread);
            }
          };
          done = false;
          // completed already: collect it now, as a wake would
          if (waitAsync(core, thread, rest, 0, woke)) woke(thread, true);
          return;
        }
        if (st === ST_OK) deliver(core, thread, a);
        resolve(retry ? waited(p, fn, st) : statusOf(p, fn, st));
      } catch (e) {
        reject(e);
      } finally {
        if (done) p.pool!.release(thread);
      }
    };
    step(false);
  });
}
