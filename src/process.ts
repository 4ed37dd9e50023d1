/**
 * Process: one KasperskyOS process (task) of an EDL class, with its own handle space in the
 * kernel. Every API function is a method with the SDK's name and argument order; the modules
 * under coresrv/ expose the same functions at top level for code running inside a worker.
 */
import type { Core } from './core.js';
import { Thread } from './thread.js';
import { stage, deliverIn, OUT, IN, BOTH } from './message_io.js';
import { waitBlocking, onWake } from './wait.js';
import {
  ST_OK, ST_WOULD_BLOCK, ST_LOCK_BUSY, ST_DEADLOCK, ST_DEAD, ST_TIMEOUT, ST_INVALID_MSG,
  ST_QUOTA, ST_NOT_CONNECTED, toRetcode,
} from './rtl/status.js';
import { rcQuotaExceeded, type Retcode } from './rtl/retcode.js';
import { INVALID_HANDLE, INVALID_RIID, INFINITE_TIMEOUT, type Handle, type nk_iid_t } from './nk/types.js';
import type { SMsgHdr } from './services/rtl/nk_msg.js';
import { kosTransportInit, type NkKosTransport } from './coresrv/nk/transport-kos.js';

/** How a process ended: its worker's exit code, and the error it threw, if any. */
export interface ProcessExit {
  code: number;
  error?: unknown;
}

const F_BLOCKING = 1;
const encoder = new TextEncoder();

function checkHandle(fn: string, arg: string, h: unknown): number {
  if (typeof h !== 'number' || !Number.isInteger(h)) {
    throw new TypeError(`${fn}: ${arg} must be a handle (an integer), got ${typeof h} ${String(h)}`);
  }
  return h >>> 0;
}

function timeoutOf(fn: string, mdelay: unknown): number {
  if (typeof mdelay !== 'number' || !Number.isInteger(mdelay) || mdelay < 0 || mdelay > INFINITE_TIMEOUT) {
    throw new TypeError(`${fn}: mdelay must be milliseconds (an integer from 0) or INFINITE_TIMEOUT, got ${String(mdelay)}`);
  }
  return mdelay === INFINITE_TIMEOUT ? Infinity : mdelay;
}

export class Process {
  /** The process's name: its EDL class, as in init.yaml. */
  readonly name: string;
  /** TaskId: what a server sees in `SMsgHdr.sender` after Recv. */
  readonly taskId: number;
  /** Resolves when the process ends. */
  readonly exited: Promise<ProcessExit>;
  /** The process's arguments, as given to kernel.spawn (EntitySetArgs). */
  readonly args: readonly string[];
  /** @internal index of the process in the kernel's table */
  readonly index: number;
  /** @internal the core binding of the realm this object lives in; null: runs elsewhere */
  readonly core: Core | null;
  private readonly pool: Thread[] = [];
  private ended = false;
  private resolveExit!: (e: ProcessExit) => void;

  /** @internal Processes are made by `kernel.createProcess` / `kernel.spawn`. */
  constructor(name: string, index: number, taskId: number, core: Core | null, args: readonly string[] = []) {
    this.name = name;
    this.args = Object.freeze([...args]);
    this.index = index;
    this.taskId = taskId;
    this.core = core;
    this.exited = new Promise((r) => { this.resolveExit = r; });
  }

  /** True once the process has ended. */
  get hasEnded(): boolean {
    return this.ended;
  }

  /** @internal marks the process ended (the kernel already released it in the core). */
  markEnded(exit: ProcessExit): void {
    if (this.ended) return;
    this.ended = true;
    this.pool.length = 0;
    this.resolveExit(exit);
  }

  // ---- threads ------------------------------------------------------------------------------

  private local(fn: string): Core {
    if (this.ended) throw new Error(`${fn}: process "${this.name}" has ended`);
    if (!this.core) {
      throw new Error(`${fn}: process "${this.name}" runs in a worker; call ${fn} from code running ` +
        'inside it (the top-level functions, or thisProcess())');
    }
    return this.core;
  }

  /** A thread for one syscall, or null when the kernel's thread table is full. */
  private acquire(core: Core): Thread | null {
    const th = this.pool.pop();
    if (th) return th;
    let tid = core.exports.k_thread_alloc(this.index, core.realm) >>> 0;
    while (tid === 0xffffffff) { core.waitLock(); tid = core.exports.k_thread_alloc(this.index, core.realm) >>> 0; }
    return tid === 0 ? null : new Thread(tid);
  }

  private release(th: Thread): void {
    if (!this.ended) this.pool.push(th);
  }

  private died(fn: string): never {
    this.markEnded({ code: 0 });
    throw new Error(`${fn}: process "${this.name}" has ended`);
  }

  /** Runs a non-waiting core entry point that returns a status, for one thread. */
  private simple(fn: string, f: (core: Core, tid: number) => number): number {
    const core = this.local(fn);
    const th = this.acquire(core);
    if (!th) return ST_QUOTA;
    try {
      const st = core.retry(th.tid, () => f(core, th.tid));
      if (st === ST_DEAD) this.died(fn);
      return st;
    } finally {
      this.release(th);
    }
  }

  // ---- syscalls.h ---------------------------------------------------------------------------

  /** Sends a request on client IPC handle `handle` and blocks until the response (or an error). */
  Call(handle: Handle, msgOut: SMsgHdr, msgIn: SMsgHdr): Retcode {
    return this.callSync('Call', handle, msgOut, msgIn, INFINITE_TIMEOUT, INVALID_HANDLE);
  }

  /** Call with a timeout in milliseconds (or INFINITE_TIMEOUT) and an optional IPC sync object. */
  CallEx(handle: Handle, msgOut: SMsgHdr, msgIn: SMsgHdr, mdelay: number, syncHandle: Handle): Retcode {
    return this.callSync('CallEx', handle, msgOut, msgIn, mdelay, syncHandle);
  }

  /** Call without blocking the thread: resolves to the Retcode. */
  CallAsync(handle: Handle, msgOut: SMsgHdr, msgIn: SMsgHdr): Promise<Retcode> {
    return this.callAsync('CallAsync', handle, msgOut, msgIn, INFINITE_TIMEOUT, INVALID_HANDLE);
  }

  /** CallEx without blocking the thread. */
  CallExAsync(handle: Handle, msgOut: SMsgHdr, msgIn: SMsgHdr, mdelay: number, syncHandle: Handle): Promise<Retcode> {
    return this.callAsync('CallExAsync', handle, msgOut, msgIn, mdelay, syncHandle);
  }

  /** Blocks until a request arrives on server IPC (listener) handle `handle`. */
  Recv(handle: Handle, msgIn: SMsgHdr): Retcode {
    return this.recvSync('Recv', handle, msgIn, INFINITE_TIMEOUT, INVALID_HANDLE);
  }

  /** Recv with a timeout in milliseconds (or INFINITE_TIMEOUT) and an optional IPC sync object. */
  RecvEx(handle: Handle, msgIn: SMsgHdr, mdelay: number, syncHandle: Handle): Retcode {
    return this.recvSync('RecvEx', handle, msgIn, mdelay, syncHandle);
  }

  /** Recv without blocking the thread. */
  RecvAsync(handle: Handle, msgIn: SMsgHdr): Promise<Retcode> {
    return this.recvAsync('RecvAsync', handle, msgIn, INFINITE_TIMEOUT, INVALID_HANDLE);
  }

  /** RecvEx without blocking the thread. */
  RecvExAsync(handle: Handle, msgIn: SMsgHdr, mdelay: number, syncHandle: Handle): Promise<Retcode> {
    return this.recvAsync('RecvExAsync', handle, msgIn, mdelay, syncHandle);
  }

  /**
   * Sends the response `msgOut` on server handle `handle` to the caller `msgOut.threadId` names
   * (0: the oldest call received and not yet answered). Never waits: the response is copied
   * into the caller's buffers before Reply returns.
   */
  Reply(handle: Handle, msgOut: SMsgHdr): Retcode {
    const fn = 'Reply';
    const core = this.local(fn);
    const h = checkHandle(fn, 'handle', handle);
    const th = this.acquire(core);
    if (!th) return rcQuotaExceeded;
    try {
      let st = stage(core, th, fn, msgOut, null, OUT);
      if (st === ST_OK) {
        const to = msgOut.threadId >>> 0;
        const ex = core.exports;
        st = core.retry(th.tid, () => ex.k_reply(th.tid, h, th.oc, th.oclen, th.oa, th.oalen, to));
      }
      if (st === ST_DEAD) this.died(fn);
      return toRetcode(st);
    } finally {
      this.release(th);
    }
  }

  private startCall(fn: string, core: Core, th: Thread, handle: unknown, out: unknown, inn: unknown,
    sync: unknown, flags: number): number {
    const h = checkHandle(fn, 'handle', handle);
    const s = checkHandle(fn, 'syncHandle', sync);
    const st = stage(core, th, fn, out, inn, BOTH);
    if (st !== ST_OK) return st;
    const ex = core.exports;
    const t = th.tid;
    try {
      let r = ex.k_call(t, h, th.oc, th.oclen, th.oa, th.oalen, th.ic, th.iccap, th.ia, th.iacap, s, flags);
      while (r === ST_LOCK_BUSY) {
        core.waitLock();
        r = ex.k_call(t, h, th.oc, th.oclen, th.oa, th.oalen, th.ic, th.iccap, th.ia, th.iacap, s, flags);
      }
      if (r === ST_DEADLOCK) {
        throw new Error(`${fn}: the server behind handle ${h} runs on this same thread, so a blocking ` +
          `call would never return; use ${fn}Async instead`);
      }
      return r;
    } catch (e) {
      ex.k_unlock_after_trap(t);
      throw e;
    }
  }

  private startRecv(fn: string, core: Core, th: Thread, handle: unknown, inn: unknown, sync: unknown,
    flags: number): number {
    const h = checkHandle(fn, 'handle', handle);
    const s = checkHandle(fn, 'syncHandle', sync);
    const st = stage(core, th, fn, null, inn, IN);
    if (st !== ST_OK) return st;
    const ex = core.exports;
    const t = th.tid;
    try {
      let r = ex.k_recv(t, h, th.ic, th.iccap, th.ia, th.iacap, s, flags);
      while (r === ST_LOCK_BUSY) { core.waitLock(); r = ex.k_recv(t, h, th.ic, th.iccap, th.ia, th.iacap, s, flags); }
      if (r === ST_DEADLOCK) {
        throw new Error(`${fn}: every client of handle ${h} runs on this same thread, so a blocking ` +
          `Recv would never return; use ${fn}Async instead`);
      }
      return r;
    } catch (e) {
      ex.k_unlock_after_trap(t);
      throw e;
    }
  }

  /** The status of a completed (or timed-out) wait. */
  private finish(core: Core, th: Thread, completed: boolean): number {
    const ex = core.exports;
    const t = th.tid;
    try {
      let st = completed ? ex.k_finish(t) : ex.k_cancel(t, ST_TIMEOUT);
      while (st === ST_LOCK_BUSY) {
        core.waitLock();
        st = completed ? ex.k_finish(t) : ex.k_cancel(t, ST_TIMEOUT);
      }
      return st;
    } catch (e) {
      ex.k_unlock_after_trap(t);
      throw e;
    }
  }

  private endCall(fn: string, core: Core, th: Thread, st: number, inn: SMsgHdr, waited: boolean): Retcode {
    if (st === ST_DEAD) {
      if (!waited) this.died(fn);
      // the process ended while the call was in flight: it settles as not connected
      this.markEnded({ code: 0 });
      return toRetcode(ST_NOT_CONNECTED);
    }
    if (st === ST_OK) {
      deliverIn(core, th, inn, core.threadField(th.tid, core.layout.rxClen),
        core.threadField(th.tid, core.layout.rxAlen));
    }
    return toRetcode(st);
  }

  private endRecv(fn: string, core: Core, th: Thread, st: number, inn: SMsgHdr, waited: boolean): Retcode {
    if (st === ST_OK || st === ST_INVALID_MSG) {
      const L = core.layout;
      inn.replyHandle = core.threadField(th.tid, L.rxHandle);
      inn.sender = core.threadField(th.tid, L.rxTask);
      inn.threadId = core.threadField(th.tid, L.rxTid);
    }
    return this.endCall(fn, core, th, st, inn, waited);
  }

  private callSync(fn: string, handle: Handle, out: SMsgHdr, inn: SMsgHdr, mdelay: number, sync: Handle): Retcode {
    const core = this.local(fn);
    const timeout = timeoutOf(fn, mdelay);
    if (!core.canBlock) throw new Error(`${fn}: this thread may not block (a browser main thread, or no SharedArrayBuffer); use ${fn}Async`);
    const th = this.acquire(core);
    if (!th) return rcQuotaExceeded;
    try {
      let st = this.startCall(fn, core, th, handle, out, inn, sync, F_BLOCKING);
      const waited = st === ST_WOULD_BLOCK;
      if (waited) st = this.finish(core, th, waitBlocking(core, th.tid, timeout, core));
      return this.endCall(fn, core, th, st, inn, waited);
    } finally {
      this.release(th);
    }
  }

  /**
   * The Async forms: one Promise per call, settled from the wake callback. Programmer errors
   * become rejections, as they would in an async function.
   */
  private callAsync(fn: string, handle: Handle, out: SMsgHdr, inn: SMsgHdr, mdelay: number, sync: Handle): Promise<Retcode> {
    return this.async(fn, mdelay, inn, false, (core, th) => this.startCall(fn, core, th, handle, out, inn, sync, 0));
  }

  private async(fn: string, mdelay: number, inn: SMsgHdr, recv: boolean,
    start: (core: Core, th: Thread) => number): Promise<Retcode> {
    let core: Core, timeout: number, th: Thread | null, st: number;
    try {
      core = this.local(fn);
      timeout = timeoutOf(fn, mdelay);
      th = this.acquire(core);
      if (!th) return Promise.resolve(rcQuotaExceeded);
    } catch (e) {
      return Promise.reject(e);
    }
    const end = (s: number, waited: boolean): Retcode => (recv
      ? this.endRecv(fn, core, th!, s, inn, waited) : this.endCall(fn, core, th!, s, inn, waited));
    try {
      st = start(core, th);
      if (st !== ST_WOULD_BLOCK) return Promise.resolve(end(st, false));
    } catch (e) {
      return Promise.reject(e);
    } finally {
      if (st! !== ST_WOULD_BLOCK) this.release(th);
    }
    const thread = th;
    return new Promise<Retcode>((resolve, reject) => {
      onWake(core, thread.tid, timeout, core.crossRealm, (completed) => {
        try {
          resolve(end(this.finish(core, thread, completed), true));
        } catch (e) {
          reject(e);
        } finally {
          this.release(thread);
        }
      });
    });
  }

  private recvSync(fn: string, handle: Handle, inn: SMsgHdr, mdelay: number, sync: Handle): Retcode {
    const core = this.local(fn);
    const timeout = timeoutOf(fn, mdelay);
    if (!core.canBlock) throw new Error(`${fn}: this thread may not block (a browser main thread, or no SharedArrayBuffer); use ${fn}Async`);
    const th = this.acquire(core);
    if (!th) return rcQuotaExceeded;
    try {
      let st = this.startRecv(fn, core, th, handle, inn, sync, F_BLOCKING);
      const waited = st === ST_WOULD_BLOCK;
      if (waited) st = this.finish(core, th, waitBlocking(core, th.tid, timeout, core));
      return this.endRecv(fn, core, th, st, inn, waited);
    } finally {
      this.release(th);
    }
  }

  private recvAsync(fn: string, handle: Handle, inn: SMsgHdr, mdelay: number, sync: Handle): Promise<Retcode> {
    return this.async(fn, mdelay, inn, true, (core, th) => this.startRecv(fn, core, th, handle, inn, sync, 0));
  }

  // ---- sl_api.h -----------------------------------------------------------------------------

  private withName<T>(fn: string, name: unknown, fail: T, f: (core: Core, tid: number, addr: number, len: number) => T): T {
    if (typeof name !== 'string') throw new TypeError(`${fn}: the name must be a string, got ${typeof name}`);
    const core = this.local(fn);
    const bytes = encoder.encode(name);
    if (bytes.length === 0 || bytes.length > core.layout.nameMax) return fail;
    const th = this.acquire(core);
    if (!th) return fail;
    try {
      let a = core.exports.k_stage(th.tid, 64) >>> 0;
      while (a === 1) { core.waitLock(); a = core.exports.k_stage(th.tid, 64) >>> 0; }
      if (a === 2) this.died(fn);
      if (a === 0) return fail; // kernel memory exhausted
      if (th.stageCap < 64) { th.stage = a; th.stageCap = 64; }
      core.u8(a + bytes.length).set(bytes, a);
      return f(core, th.tid, a, bytes.length);
    } finally {
      this.release(th);
    }
  }

  /**
   * Server side of a static channel: the listener (server IPC) handle of channel `name`, or
   * INVALID_HANDLE when this process has none. `endpoints`, `endpointsSize` and `id` are the
   * SDK's obsolete parameters (pass null, 0).
   */
  ServiceLocatorRegister(name: string, endpoints: null = null, endpointsSize = 0, id?: unknown): Handle {
    void endpoints; void endpointsSize; void id;
    return this.withName('ServiceLocatorRegister', name, INVALID_HANDLE, (core, tid, a, len) =>
      core.retry(tid, () => core.exports.k_sl_lookup(tid, 1, a, len) || ST_LOCK_BUSY) >>> 0);
  }

  /** Client side of a static channel: the client IPC handle of channel `name`, or INVALID_HANDLE. */
  ServiceLocatorConnect(name: string): Handle {
    return this.withName('ServiceLocatorConnect', name, INVALID_HANDLE, (core, tid, a, len) =>
      core.retry(tid, () => core.exports.k_sl_lookup(tid, 0, a, len) || ST_LOCK_BUSY) >>> 0);
  }

  /** RIID of endpoint `endpointName` (qualified `Server.main` or bare `main`), or INVALID_RIID. */
  ServiceLocatorGetRiid(handle: Handle, endpointName: string): nk_iid_t {
    const h = checkHandle('ServiceLocatorGetRiid', 'handle', handle);
    return this.withName('ServiceLocatorGetRiid', endpointName, INVALID_RIID, (core, tid, a, len) => {
      let r = core.exports.k_sl_riid(tid, h, a, len) >>> 0;
      while (r === 0xffffffff) { core.waitLock(); r = core.exports.k_sl_riid(tid, h, a, len) >>> 0; }
      return r;
    });
  }

  // ---- handle_api.h / ipc_api.h -----------------------------------------------------------

  /** Closes a handle of this process. */
  KnHandleClose(handle: Handle): Retcode {
    const h = checkHandle('KnHandleClose', 'handle', handle);
    return toRetcode(this.simple('KnHandleClose', (core, tid) => core.exports.k_close(tid, h)));
  }

  /** Creates an IPC sync object; returns its handle (INVALID_HANDLE when the kernel is full). */
  KnIpcCreateSyncObject(): Handle {
    return this.createSync('KnIpcCreateSyncObject', false);
  }

  /** Creates an IPC sync object; with `autoclear` it clears itself after its first interruption. */
  KnIpcCreateSyncObjectEx(autoclear: boolean | number): Handle {
    return this.createSync('KnIpcCreateSyncObjectEx', Boolean(autoclear));
  }

  private createSync(fn: string, autoclear: boolean): Handle {
    const st = this.simple(fn, (core, tid) => core.exports.k_sync_create(tid, autoclear ? 1 : 0) || ST_LOCK_BUSY);
    return st === ST_QUOTA ? INVALID_HANDLE : st >>> 0;
  }

  /** Interrupts CallEx/RecvEx calls naming `syncHandle`, in their interruptible windows. */
  KnIpcSetInterrupt(syncHandle: Handle): Retcode {
    const h = checkHandle('KnIpcSetInterrupt', 'syncHandle', syncHandle);
    return toRetcode(this.simple('KnIpcSetInterrupt', (core, tid) => core.exports.k_sync_set(tid, h, 1)));
  }

  /** Cancels KnIpcSetInterrupt. */
  KnIpcClearInterrupt(syncHandle: Handle): Retcode {
    const h = checkHandle('KnIpcClearInterrupt', 'syncHandle', syncHandle);
    return toRetcode(this.simple('KnIpcClearInterrupt', (core, tid) => core.exports.k_sync_set(tid, h, 0)));
  }

  // ---- kernel memory ----------------------------------------------------------------------

  /**
   * A buffer of `size` bytes in kernel memory, owned by this process: Call/Recv/Reply use it in
   * place, without copying. Freed by `free` or when the process ends.
   */
  alloc(size: number): Uint8Array {
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > 0x40000000) {
      throw new RangeError(`alloc: size must be an integer from 0 to 1 GiB, got ${String(size)}`);
    }
    const core = this.local('alloc');
    const th = this.acquire(core);
    if (!th) throw new Error(`alloc: the kernel's thread table is full`);
    try {
      let a = core.exports.k_alloc(th.tid, size) >>> 0;
      while (a === 1) { core.waitLock(); a = core.exports.k_alloc(th.tid, size) >>> 0; }
      if (a === 0) throw new Error(`alloc: kernel memory is exhausted (asked for ${size} bytes)`);
      return core.u8(a + size).subarray(a, a + size);
    } finally {
      this.release(th);
    }
  }

  /** Frees a buffer returned by `alloc`. */
  free(buffer: Uint8Array): Retcode {
    const core = this.local('free');
    if (!(buffer instanceof Uint8Array) || !core.inKernel(buffer)) {
      throw new TypeError('free: the buffer was not returned by alloc');
    }
    return toRetcode(this.simple('free', (c, tid) => c.exports.k_free(tid, buffer.byteOffset)));
  }

  // ---- coresrv/nk/transport-kos.h -----------------------------------------------------------

  /** Binds `transport` to IPC handle `handle` of this process; pass NK_NULL, 0 as the last two. */
  NkKosTransport_Init(transport: NkKosTransport, handle: Handle, view: null, size: number): void {
    kosTransportInit(this, transport, handle, view, size);
  }
}
