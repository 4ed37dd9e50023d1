/**
 * cm_api.h for one process in this realm: KnCmConnect, KnCmListen, KnCmAccept and KnCmDrop,
 * the kernel's connection manager (assembly/cm.ts). Connect and Listen wait (blocking, or
 * Async): the core queues the thread and returns ST_WOULD_BLOCK; after the wake, a Connect is
 * over (its status is in the thread's record: wait.ts finish), a Listen asks again with the time left, since another
 * thread of the server may have accepted the request it was woken for. docs/dcm.md describes
 * the behaviour ("The kernel's connection manager").
 * @internal
 */
import { SYS, ADMIN, NAME_MAX, ST_OK, ST_WOULD_BLOCK, ST_DEAD, ST_DEADLOCK, ST_TIMEOUT, ST_NOT_CONNECTED } from './abi.js';
import type { Core } from './core.js';
import type { Thread } from './thread.js';
import { withThread, take, type IpcProcess } from './ipc.js';
import { ensureStage } from './message_io.js';
import { waitBlocking, waitAsync, finish } from './wait.js';
import { toRetcode } from './status.js';
import { handleArg, u32Arg, timeoutArg, stringArg } from './args.js';
import { outArg } from './out.js';
import { describe } from './describe.js';
import { scratchName } from './scratch.js';
import { INVALID_HANDLE, INVALID_RIID, type Handle } from './nk/types.js';
import { rcInvalidArgument, rcQuotaExceeded, type Retcode } from './rtl/retcode.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** k_cm_connect / k_cm_listen flags (assembly/cm.ts). */
const CM_WAIT = 1, CM_BLOCKING = 2;

/**
 * Tells the core the name of process `index` (Kernel.createProcess / spawn), so KnCmConnect
 * finds it and KnCmListen reports it. A name longer than NAME_MAX bytes is not registered: that
 * process can take part in no KnCm exchange (docs/dcm.md).
 * @internal
 */
export function registerName(core: Core, index: number, name: string): void {
  if (encoder.encode(name).length > NAME_MAX) return;
  const [at, len] = scratchName(core, 'createProcess', name);
  core.sys(SYS.k_proc_name, ADMIN, index, at, len);
}

/** A name argument as UTF-8: null when it cannot be a name (empty, or longer than NAME_MAX bytes). */
function nameBytes(fn: string, arg: string, v: unknown): Uint8Array | null {
  const b = encoder.encode(stringArg(fn, arg, v));
  return b.length === 0 || b.length > NAME_MAX ? null : b;
}

/** Writes `parts` one after another at the thread's staging buffer; ST_OK or the status of growing it. */
function stageNames(core: Core, th: Thread, ...parts: Uint8Array[]): number {
  const st = ensureStage(core, th, 2 * NAME_MAX);
  if (st !== ST_OK) return st;
  let at = th.stage;
  const u8 = core.u8(th.stage + 2 * NAME_MAX);
  for (const b of parts) { u8.set(b, at); at += b.length; }
  return ST_OK;
}

function readName(core: Core, at: number, len: number): string {
  return decoder.decode(core.u8(at + len).slice(at, at + len));
}

/** A call that waits: one try, what an ST_OK after a wake means, and what to read on success. */
interface Waiting {
  /** One try: a status; ST_WOULD_BLOCK when the thread now waits. `wait`: time is left. */
  start(core: Core, th: Thread, wait: boolean, blocking: boolean): number;
  /** True when ST_OK after a wake ends the call; false: try again (KnCmListen). */
  readonly final: boolean;
  /** Reads the results after ST_OK. */
  done(core: Core, th: Thread): void;
}


/** The Retcode of a call that ended with `st` (`waited`: it waited first). */
function settle(p: IpcProcess, fn: string, core: Core, th: Thread, st: number, waited: boolean, w: Waiting, async: boolean): Retcode {
  if (st === ST_DEAD) {
    if (!waited) p.died(fn);
    p.ended(); // the process ended while the call waited: it settles as not connected
    return toRetcode(ST_NOT_CONNECTED);
  }
  if (st === ST_DEADLOCK) {
    throw new Error(`${fn}: the server runs on this same thread, so a blocking call would never return; ` +
      `use ${async ? fn : `${fn}Async`} instead`);
  }
  if (st === ST_OK) w.done(core, th);
  return toRetcode(st);
}

function blocking(p: IpcProcess, fn: string, timeout: number, w: Waiting): Retcode {
  const core = p.local(fn);
  if (timeout > 0 && !core.canBlock) {
    throw new Error(`${fn}: this thread may not block (a browser main thread, or no SharedArrayBuffer); use ${fn}Async`);
  }
  const th = take(p, fn);
  if (typeof th === 'number') return th;
  try {
    const deadline = performance.now() + timeout;
    let waited = false;
    for (;;) {
      const rest = Math.max(0, deadline - performance.now());
      let st = w.start(core, th, rest > 0, true);
      if (st === ST_WOULD_BLOCK) {
        waited = true;
        st = finish(core, th, waitBlocking(core, th, rest));
        if (st === ST_OK && !w.final) continue;
        if (st === ST_OK) { w.done(core, th); return toRetcode(st); }
      }
      return settle(p, fn, core, th, st, waited, w, false);
    }
  } finally {
    p.pool!.release(th);
  }
}

function async(p: IpcProcess, fn: string, timeout: number, w: Waiting): Promise<Retcode> {
  let core: Core, th: Thread | Retcode;
  try {
    core = p.local(fn);
    th = take(p, fn);
  } catch (e) {
    return Promise.reject(e);
  }
  if (typeof th === 'number') return Promise.resolve(th);
  const thread = th;
  const deadline = performance.now() + timeout;
  let waited = false;
  return new Promise<Retcode>((resolve, reject) => {
    const step = (): void => {
      let done = true;
      try {
        const rest = Math.max(0, deadline - performance.now());
        const st = w.start(core, thread, rest > 0, false);
        if (st === ST_WOULD_BLOCK) {
          done = false;
          waited = true;
          const woke = (_: Thread, completed: boolean): void => {
            // the core's wake import runs this inside the completer's syscall: the next kernel
            // call waits for it to end
            if (core.inWake) { queueMicrotask(() => woke(thread, completed)); return; }
            let again = false;
            try {
              const st2 = finish(core, thread, completed);
              if (st2 === ST_OK && !w.final) { again = true; step(); return; }
              if (st2 === ST_OK) { w.done(core, thread); resolve(toRetcode(st2)); return; }
              resolve(settle(p, fn, core, thread, st2, true, w, true));
            } catch (e) {
              reject(e);
            } finally {
              if (!again) p.pool!.release(thread);
            }
          };
          // completed already: collect it now, as a wake would
          if (waitAsync(core, thread, rest, 0, woke)) woke(thread, true);
          return;
        }
        resolve(settle(p, fn, core, thread, st, waited, w, true));
      } catch (e) {
        reject(e);
      } finally {
        if (done) p.pool!.release(thread);
      }
    };
    step();
  });
}

// ---- KnCmConnect ----------------------------------------------------------------------------

/** The checked arguments of KnCmConnect, as a Waiting; null when a name cannot be one. */
function connectCall(fn: string, server: unknown, service: unknown, out: unknown): Waiting | null {
  const o = outArg(fn, out);
  o.handle = INVALID_HANDLE;
  o.rsid = INVALID_RIID;
  const s = nameBytes(fn, 'server', server), v = nameBytes(fn, 'service', service);
  if (!s || !v) return null;
  return {
    final: true,
    start(core, th, wait, block) {
      const st = stageNames(core, th, s, v);
      if (st !== ST_OK) return st;
      const flags = (wait ? CM_WAIT : 0) | (block ? CM_BLOCKING : 0);
      return core.sys(SYS.k_cm_connect, th.tid, th.stage, s.length, th.stage + s.length, v.length, flags);
    },
    done(core, th) {
      o.handle = core.res(th.rec, 0);
      o.rsid = core.res(th.rec, 1);
    },
  };
}

/** KnCmConnect: blocks until `server` accepts or drops the request, or `msecs` pass. */
export function connect(p: IpcProcess, fn: string, server: unknown, service: unknown, msecs: unknown, out: unknown): Retcode {
  const timeout = timeoutArg(fn, 'msecs', msecs);
  const w = connectCall(fn, server, service, out);
  return w ? blocking(p, fn, timeout, w) : rcInvalidArgument;
}

/** KnCmConnect without blocking the thread. */
export function connectAsync(p: IpcProcess, fn: string, server: unknown, service: unknown, msecs: unknown, out: unknown): Promise<Retcode> {
  try {
    const timeout = timeoutArg(fn, 'msecs', msecs);
    const w = connectCall(fn, server, service, out);
    return w ? async(p, fn, timeout, w) : Promise.resolve(rcInvalidArgument);
  } catch (e) {
    return Promise.reject(e);
  }
}

// ---- KnCmListen -----------------------------------------------------------------------------

function listenCall(fn: string, filter: unknown, out: unknown): Waiting {
  if (filter !== null && filter !== undefined && typeof filter !== 'string') {
    throw new TypeError(`${fn}: filter is not used: pass null (RTL_NULL), got ${describe(filter)}`);
  }
  const o = outArg(fn, out);
  o.client = '';
  o.service = '';
  return {
    final: false,
    start(core, th, wait) {
      const st = ensureStage(core, th, 2 * NAME_MAX);
      if (st !== ST_OK) return st;
      return core.sys(SYS.k_cm_listen, th.tid, th.stage, wait ? CM_WAIT : 0);
    },
    done(core, th) {
      const clen = core.res(th.rec, 0), slen = core.res(th.rec, 1);
      o.client = readName(core, th.stage, clen);
      o.service = readName(core, th.stage + clen, slen);
    },
  };
}

/** KnCmListen: the oldest request waiting for this process (out.client, out.service), waiting up to `msecs`. */
export function listen(p: IpcProcess, fn: string, filter: unknown, msecs: unknown, out: unknown): Retcode {
  const timeout = timeoutArg(fn, 'msecs', msecs);
  return blocking(p, fn, timeout, listenCall(fn, filter, out));
}

/** KnCmListen without blocking the thread. */
export function listenAsync(p: IpcProcess, fn: string, filter: unknown, msecs: unknown, out: unknown): Promise<Retcode> {
  try {
    const timeout = timeoutArg(fn, 'msecs', msecs);
    return async(p, fn, timeout, listenCall(fn, filter, out));
  } catch (e) {
    return Promise.reject(e);
  }
}

// ---- KnCmAccept, KnCmDrop -------------------------------------------------------------------

/** KnCmAccept: the request of `client` for `service` gets a channel on `listener` (INVALID_HANDLE: a new one); out.handle. */
export function accept(p: IpcProcess, fn: string, client: unknown, service: unknown, rsid: unknown, listener: unknown,
  out: unknown): Retcode {
  const o = outArg(fn, out);
  o.handle = INVALID_HANDLE;
  const c = nameBytes(fn, 'client', client), s = nameBytes(fn, 'service', service);
  const id = u32Arg(fn, 'rsid', rsid), l = handleArg(fn, 'listener', listener);
  if (!c || !s) return rcInvalidArgument;
  return withThread(p, fn, rcQuotaExceeded, (core, th) => {
    let st = stageNames(core, th, c, s);
    if (st === ST_OK) st = core.sys(SYS.k_cm_accept, th.tid, th.stage, c.length, s.length, id, l);
    if (st === ST_DEAD) p.died(fn);
    if (st === ST_OK) o.handle = core.res(th.rec, 0);
    return toRetcode(st);
  });
}

/** KnCmDrop: the request of `client` for `service` is refused; its KnCmConnect returns rcNotConnected. */
export function drop(p: IpcProcess, fn: string, client: unknown, service: unknown): Retcode {
  const c = nameBytes(fn, 'client', client), s = nameBytes(fn, 'service', service);
  if (!c || !s) return rcInvalidArgument;
  return withThread(p, fn, rcQuotaExceeded, (core, th) => {
    let st = stageNames(core, th, c, s);
    if (st === ST_OK) st = core.sys(SYS.k_cm_drop, th.tid, th.stage, c.length, s.length);
    if (st === ST_DEAD) p.died(fn);
    return toRetcode(st);
  });
}

/** The cm_api.h methods of Process (process.ts installs them on its prototype). */
export interface CmMethods {
  /** Asks process `server` for a channel to `service`, waiting up to `msecs` for its answer; out.handle, out.rsid. */
  KnCmConnect(server: string, service: string, msecs: number, out: { handle?: Handle; rsid?: number }): Retcode;
  /** KnCmConnect without blocking the thread. */
  KnCmConnectAsync(server: string, service: string, msecs: number, out: { handle?: Handle; rsid?: number }): Promise<Retcode>;
  /** The oldest channel request waiting for this process, waiting up to `msecs`; out.client, out.service. */
  KnCmListen(filter: string | null, msecs: number, out: { client?: string; service?: string }): Retcode;
  /** KnCmListen without blocking the thread. */
  KnCmListenAsync(filter: string | null, msecs: number, out: { client?: string; service?: string }): Promise<Retcode>;
  /** Accepts the request of `client` for `service`: a channel on `listener` (INVALID_HANDLE: a new listener); out.handle. */
  KnCmAccept(client: string, service: string, rsid: number, listener: Handle, out: { handle?: Handle }): Retcode;
  /** Refuses the request of `client` for `service`. */
  KnCmDrop(client: string, service: string): Retcode;
}

/** The implementations of CmMethods, with `this` the Process. */
export const cmMethods: CmMethods & ThisType<IpcProcess> = {
  KnCmConnect(server, service, msecs, out) { return connect(this, 'KnCmConnect', server, service, msecs, out); },
  KnCmConnectAsync(server, service, msecs, out) { return connectAsync(this, 'KnCmConnectAsync', server, service, msecs, out); },
  KnCmListen(filter, msecs, out) { return listen(this, 'KnCmListen', filter, msecs, out); },
  KnCmListenAsync(filter, msecs, out) { return listenAsync(this, 'KnCmListenAsync', filter, msecs, out); },
  KnCmAccept(client, service, rsid, listener, out) { return accept(this, 'KnCmAccept', client, service, rsid, listener, out); },
  KnCmDrop(client, service) { return drop(this, 'KnCmDrop', client, service); },
};
