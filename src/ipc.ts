/**
 * Call, Recv and Reply for one process in this realm: argument checks, staging, the core's
 * k_call / k_recv / k_reply, the wait (blocking or Async), the status (read from the thread's
 * record, or k_cancel on timeout), and what it means at the API. docs/architecture.md draws a
 * Call crossing this layer.
 * @internal
 */
import {
  ST_OK, ST_WOULD_BLOCK, ST_DEADLOCK, ST_DEAD, ST_INVALID_MSG, ST_NOT_CONNECTED, T_RX_CLEN, T_RX_ALEN,
  T_RX_HANDLE, T_RX_TASK, T_RX_TOKEN, STAGE_KEEP,
} from './abi.js';
import type { Core } from './core.js';
import type { Thread } from './thread.js';
import type { ThreadPool } from './thread_pool.js';
import { stage, deliverIn, trimStage, OUT, IN, BOTH } from './message_io.js';
import { waitBlocking, waitAsync, finished, finish } from './wait.js';
import { toRetcode } from './status.js';
import { handleArg, timeoutArg, u32Arg } from './args.js';
import { rcQuotaExceeded, type Retcode } from './rtl/retcode.js';
import { INVALID_HANDLE, type Handle } from './nk/types.js';
import { SMsgHdr } from './services/rtl/nk_msg.js';

/** What the IPC layer needs of a Process (process.ts implements it). */
export interface IpcProcess {
  readonly name: string;
  /** This realm's core binding; throws when the process has ended or runs in another realm. */
  local(fn: string): Core;
  /** The process's threads in this realm (set whenever local() succeeds). */
  readonly pool: ThreadPool | null;
  /** The process has ended: marks it so and throws an Error naming `fn`. */
  died(fn: string): never;
  /** The process ended while a call waited: marks it so. */
  ended(): void;
}

/** Flag of k_call / k_recv: the caller will block its thread (enables the deadlock guard). */
const F_BLOCKING = 1;

/** A thread of `p` for call `fn`, or the Retcode to return when the kernel's table is full. */
export function take(p: IpcProcess, fn: string): Thread | Retcode {
  const th = p.pool!.acquire();
  if (th === 'full') return rcQuotaExceeded;
  if (th === 'dead') p.died(fn);
  return th;
}

/**
 * Runs a call that never waits on a thread of `p`: `run` makes the core call(s) and reads
 * results; a status of ST_DEAD means the process ended (p.died throws).
 */
export function withThread<T>(p: IpcProcess, fn: string, full: T, run: (core: Core, th: Thread) => T): T {
  const core = p.local(fn);
  const th = take(p, fn);
  if (typeof th === 'number') return full;
  try {
    return run(core, th);
  } finally {
    p.pool!.release(th);
  }
}

/** The Retcode of a call that does not wait (Reply, KnHandleClose, ...). */
export function statusOf(p: IpcProcess, fn: string, st: number): Retcode {
  if (st === ST_DEAD) p.died(fn);
  return toRetcode(st);
}

/** A call that does not wait and only returns a status. */
export function simple(p: IpcProcess, fn: string, run: (core: Core, th: Thread) => number): Retcode {
  return withThread(p, fn, rcQuotaExceeded, (core, th) => statusOf(p, fn, run(core, th)));
}

/** A call that does not wait and makes a handle: result word 0 goes to `out[field]` (INVALID_HANDLE otherwise). */
export function handleCall(p: IpcProcess, fn: string, out: Record<string, unknown>, field: string,
  call: (core: Core, th: Thread) => number): Retcode {
  out[field] = INVALID_HANDLE;
  return withThread(p, fn, rcQuotaExceeded, (core, th) => {
    const st = call(core, th);
    if (st === ST_OK) out[field] = core.res(th.rec, 0);
    return statusOf(p, fn, st);
  });
}

function blockingCore(p: IpcProcess, fn: string): Core {
  const core = p.local(fn);
  if (!core.canBlock) {
    throw new Error(`${fn}: this thread may not block (a browser main thread, or no SharedArrayBuffer); use ${fn}Async`);
  }
  return core;
}

function startCall(fn: string, core: Core, th: Thread, h: number, out: unknown, inn: unknown, s: number, flags: number): number {
  const st = stage(core, th, fn, out, inn, BOTH);
  if (st !== ST_OK) return st;
  const r = core.call(th.tid, h, th.oc, th.oclen, th.oa, th.oalen, th.ic, th.iccap, th.ia, th.iacap, s, flags);
  if (r === ST_DEADLOCK) {
    throw new Error(`${fn}: the server behind handle ${h} runs on this same thread, so a blocking ` +
      `call would never return; use ${fn}Async instead`);
  }
  return r;
}

function startRecv(fn: string, core: Core, th: Thread, h: number, inn: unknown, s: number, flags: number): number {
  const st = stage(core, th, fn, null, inn, IN);
  if (st !== ST_OK) return st;
  const r = core.recv(th.tid, h, th.ic, th.iccap, th.ia, th.iacap, s, flags);
  if (r === ST_DEADLOCK) {
    throw new Error(`${fn}: every client of handle ${h} runs on this same thread, so a blocking ` +
      `Recv would never return; use ${fn}Async instead`);
  }
  return r;
}

/** The API's answer for a Call or Recv that ended with status `st`. */
function end(p: IpcProcess, fn: string, core: Core, th: Thread, st: number, inn: SMsgHdr, waited: boolean, recv: boolean): Retcode {
  if (st === ST_DEAD) {
    if (!waited) p.died(fn);
    // the process ended while the call was in flight: it settles as not connected
    p.ended();
    return toRetcode(ST_NOT_CONNECTED);
  }
  if (recv && (st === ST_OK || st === ST_INVALID_MSG)) {
    inn.replyHandle = core.field(th.rec, T_RX_HANDLE);
    inn.sender = core.field(th.rec, T_RX_TASK);
    inn.threadId = core.field(th.rec, T_RX_TOKEN);
  }
  if (st === ST_OK) deliverIn(core, th, inn, core.field(th.rec, T_RX_CLEN), core.field(th.rec, T_RX_ALEN));
  return toRetcode(st);
}

/**
 * The blocking forms: Call / CallEx (`recv` false: `out` is the request) and Recv / RecvEx
 * (`recv` true); blocks this thread until the call completes, an error, or the timeout. One
 * core entry when nothing waits (k_call or k_recv); the status of a completed wait is read
 * from the thread's record. Allocates nothing.
 */
export function ipcSync(p: IpcProcess, fn: string, recv: boolean, handle: Handle, out: SMsgHdr | null,
  inn: SMsgHdr, mdelay: number, sync: Handle): Retcode {
  const core = blockingCore(p, fn);
  const h = handleArg(fn, 'handle', handle), s = handleArg(fn, 'syncHandle', sync);
  const timeout = timeoutArg(fn, 'mdelay', mdelay);
  const th = take(p, fn);
  if (typeof th === 'number') return th;
  try {
    let st = recv ? startRecv(fn, core, th, h, inn, s, F_BLOCKING) : startCall(fn, core, th, h, out, inn, s, F_BLOCKING);
    const waited = st === ST_WOULD_BLOCK;
    if (waited) st = finish(core, th, waitBlocking(core, th, timeout));
    return end(p, fn, core, th, st, inn, waited, recv);
  } finally {
    if (th.stageCap > STAGE_KEEP) trimStage(core, th);
    p.pool!.release(th);
  }
}

/**
 * An Async wait of ipcAsync ended (wait.ts settle): collect the status, deliver, settle the
 * call's Promise, give the thread back. Runs inside the completer's syscall when the wake came
 * from this realm's `wake` import (core.inWake): it then reads memory only, and a staging
 * buffer to give back waits for a microtask (which enters the core).
 */
function asyncDone(th: Thread, completed: boolean): void {
  const core = th.core!, p = th.owner as IpcProcess, fn = th.fn, inn = th.inn!, recv = th.recv;
  const resolve = th.resolve, reject = th.reject;
  th.owner = null; th.inn = null; th.resolve = noop; th.reject = noop;
  try {
    resolve(end(p, fn, core, th, finish(core, th, completed), inn, true, recv));
  } catch (e) {
    reject(e);
  } finally {
    if (th.stageCap <= STAGE_KEEP) p.pool!.release(th);
    else if (!core.inWake) { trimStage(core, th); p.pool!.release(th); }
    else queueMicrotask(() => { trimStage(core, th); p.pool!.release(th); });
  }
}

function noop(): void { /* no call in flight */ }

/**
 * The Async forms of Call and Recv: one Promise per call (in one realm, nothing else is
 * allocated), settled from the wake. Programmer errors become rejections, as they would in an
 * async function. A Call whose server runs in another realm first polls for an early answer
 * (core.asyncSpin polls) before it sleeps.
 */
export function ipcAsync(p: IpcProcess, fn: string, recv: boolean, handle: Handle, out: SMsgHdr | null,
  inn: SMsgHdr, mdelay: number, sync: Handle): Promise<Retcode> {
  let core: Core, timeout: number, h: number, s: number;
  let th: Thread | Retcode;
  try {
    core = p.local(fn);
    h = handleArg(fn, 'handle', handle);
    s = handleArg(fn, 'syncHandle', sync);
    timeout = timeoutArg(fn, 'mdelay', mdelay);
    th = take(p, fn);
  } catch (e) {
    return Promise.reject(e);
  }
  if (typeof th === 'number') return Promise.resolve(th);
  const thread = th;
  let armed = false;
  try {
    let st = recv ? startRecv(fn, core, thread, h, inn, s, 0) : startCall(fn, core, thread, h, out, inn, s, 0);
    const waited = st === ST_WOULD_BLOCK;
    if (waited) {
      // k_call's r0: the reply may come from another realm, so an early answer is worth a poll
      const spin = !recv && core.asyncSpin > 0 && core.res(thread.rec, 0) !== 0 ? core.asyncSpin : 0;
      if (!waitAsync(core, thread, timeout, spin, asyncDone)) {
        armed = true;
        thread.owner = p; thread.fn = fn; thread.recv = recv; thread.inn = inn;
        return new Promise<Retcode>(thread.executor);
      }
      st = finished(core, thread);
    }
    return Promise.resolve(end(p, fn, core, thread, st, inn, waited, recv));
  } catch (e) {
    return Promise.reject(e);
  } finally {
    if (!armed) {
      if (thread.stageCap > STAGE_KEEP) trimStage(core, thread);
      p.pool!.release(thread);
    }
  }
}

/**
 * Reply: sends `msgOut` to the call `msgOut.threadId` names (the token Recv reported; 0: the
 * oldest call received on `handle` and not answered). Never waits; one core entry.
 */
export function reply(p: IpcProcess, fn: string, handle: Handle, msgOut: SMsgHdr): Retcode {
  const core = p.local(fn);
  const h = handleArg(fn, 'handle', handle);
  // a msgOut that is not an SMsgHdr is reported by stage()
  const token = msgOut instanceof SMsgHdr ? u32Arg(fn, 'msgOut.threadId', msgOut.threadId) : 0;
  const th = take(p, fn);
  if (typeof th === 'number') return th;
  try {
    let st = stage(core, th, fn, msgOut, null, OUT);
    if (st === ST_OK) st = core.reply(th.tid, h, th.oc, th.oclen, th.oa, th.oalen, token);
    return statusOf(p, fn, st);
  } finally {
    if (th.stageCap > STAGE_KEEP) trimStage(core, th);
    p.pool!.release(th);
  }
}
