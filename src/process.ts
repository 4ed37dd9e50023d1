/**
 * Process: one KasperskyOS process (task) of an EDL class, with its own handle space in the
 * kernel. Every API function is a method with the SDK's name and argument order; the modules
 * under coresrv/ expose the same functions at top level for code running inside a worker.
 * The IPC calls themselves live in ipc.ts; this file is the SDK surface.
 */
import type { Core } from './core.js';
import { SYS, ST_OK, ST_DEAD, NAME_MAX } from './abi.js';
import type { ProcessExit } from './platform/types.js';
import { ThreadPool } from './thread_pool.js';
import type { Thread } from './thread.js';
import { ipcSync, ipcAsync, reply, withThread, simple, handleCall, type IpcProcess } from './ipc.js';
import { ensureStage } from './message_io.js';
import { outArg } from './out.js';
import * as H from './handle_calls.js';
import * as N from './notice_calls.js';
import type { EventDesc } from './notice_calls.js';
import { taskOf, type KosTask } from './task.js';
import { handleArg, stringArg, boolArg } from './args.js';
import type { Retcode } from './rtl/retcode.js';
import { INVALID_HANDLE, INVALID_RIID, INFINITE_TIMEOUT, type Handle, type nk_iid_t, type nk_rights_t, type nk_sid_t, type nk_err_t, type nk_handle_desc_t } from './nk/types.js';
import type { SMsgHdr } from './services/rtl/nk_msg.js';
import { kosTransportInit, type NkKosTransport } from './coresrv/nk/transport-kos.js';
import { cmMethods, type CmMethods } from './cm_calls.js';
import { dcmMethods, type DcmMethods } from './dcm/client.js';

export type { ProcessExit } from './platform/types.js';

const encoder = new TextEncoder();

export class Process implements IpcProcess {
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
  /** @internal the process's threads in this realm; null: runs elsewhere */
  readonly pool: ThreadPool | null;
  private ended_ = false;
  private resolveExit!: (e: ProcessExit) => void;

  /**
   * @internal Processes are made by `kernel.createProcess` / `kernel.spawn`. `first`: a thread
   * already made for this realm (a worker's boot thread).
   */
  constructor(name: string, index: number, taskId: number, core: Core | null, args: readonly string[] = [], first?: Thread) {
    this.name = name;
    this.args = Object.freeze([...args]);
    this.index = index;
    this.taskId = taskId;
    this.core = core;
    this.pool = core ? new ThreadPool(core, index, first) : null;
    this.exited = new Promise((r) => { this.resolveExit = r; });
  }

  /** True once the process has ended. */
  get hasEnded(): boolean {
    return this.ended_;
  }

  /** @internal marks the process ended (the kernel already released it in the core). */
  markEnded(exit: ProcessExit): void {
    if (this.ended_) return;
    this.ended_ = true;
    this.pool?.close();
    this.resolveExit(exit);
  }

  /** @internal */
  local(fn: string): Core {
    if (this.ended_) throw new Error(`${fn}: process "${this.name}" has ended`);
    if (!this.core) {
      throw new Error(`${fn}: process "${this.name}" runs in a worker; call ${fn} from code running ` +
        'inside it (the top-level functions, or thisProcess())');
    }
    return this.core;
  }

  /** @internal */
  died(fn: string): never {
    this.markEnded({ code: 0 });
    throw new Error(`${fn}: process "${this.name}" has ended`);
  }

  /** @internal */
  ended(): void {
    this.markEnded({ code: 0 });
  }

  // ---- syscalls.h ---------------------------------------------------------------------------

  /** Sends a request on client IPC handle `handle` and blocks until the response (or an error). */
  Call(handle: Handle, msgOut: SMsgHdr, msgIn: SMsgHdr): Retcode {
    return ipcSync(this, 'Call', false, handle, msgOut, msgIn, INFINITE_TIMEOUT, INVALID_HANDLE);
  }

  /** Call with a timeout in milliseconds (or INFINITE_TIMEOUT) and an optional IPC sync object. */
  CallEx(handle: Handle, msgOut: SMsgHdr, msgIn: SMsgHdr, mdelay: number, syncHandle: Handle): Retcode {
    return ipcSync(this, 'CallEx', false, handle, msgOut, msgIn, mdelay, syncHandle);
  }

  /** Call without blocking the thread: resolves to the Retcode. */
  CallAsync(handle: Handle, msgOut: SMsgHdr, msgIn: SMsgHdr): Promise<Retcode> {
    return ipcAsync(this, 'CallAsync', false, handle, msgOut, msgIn, INFINITE_TIMEOUT, INVALID_HANDLE);
  }

  /** CallEx without blocking the thread. */
  CallExAsync(handle: Handle, msgOut: SMsgHdr, msgIn: SMsgHdr, mdelay: number, syncHandle: Handle): Promise<Retcode> {
    return ipcAsync(this, 'CallExAsync', false, handle, msgOut, msgIn, mdelay, syncHandle);
  }

  /** Blocks until a request arrives on server IPC (listener) handle `handle`. */
  Recv(handle: Handle, msgIn: SMsgHdr): Retcode {
    return ipcSync(this, 'Recv', true, handle, null, msgIn, INFINITE_TIMEOUT, INVALID_HANDLE);
  }

  /** Recv with a timeout in milliseconds (or INFINITE_TIMEOUT) and an optional IPC sync object. */
  RecvEx(handle: Handle, msgIn: SMsgHdr, mdelay: number, syncHandle: Handle): Retcode {
    return ipcSync(this, 'RecvEx', true, handle, null, msgIn, mdelay, syncHandle);
  }

  /** Recv without blocking the thread. */
  RecvAsync(handle: Handle, msgIn: SMsgHdr): Promise<Retcode> {
    return ipcAsync(this, 'RecvAsync', true, handle, null, msgIn, INFINITE_TIMEOUT, INVALID_HANDLE);
  }

  /** RecvEx without blocking the thread. */
  RecvExAsync(handle: Handle, msgIn: SMsgHdr, mdelay: number, syncHandle: Handle): Promise<Retcode> {
    return ipcAsync(this, 'RecvExAsync', true, handle, null, msgIn, mdelay, syncHandle);
  }

  /**
   * Sends the response `msgOut` on server handle `handle` to the call `msgOut.threadId` names
   * (the token Recv wrote into its msgIn.threadId; 0: the oldest call received and not yet
   * answered). Never waits: the response is copied into the caller's buffers before Reply returns.
   */
  Reply(handle: Handle, msgOut: SMsgHdr): Retcode {
    return reply(this, 'Reply', handle, msgOut);
  }

  // ---- sl_api.h -----------------------------------------------------------------------------

  /**
   * Looks a name up in the core: `name` is written to the thread's staging buffer and `id`
   * called with (address, length) after `before`. Returns result word 0, or `fail`.
   */
  private lookup(fn: string, name: unknown, fail: number, id: number, before: number): number {
    const bytes = encoder.encode(stringArg(fn, 'the name', name));
    if (bytes.length === 0 || bytes.length > NAME_MAX) return fail;
    return withThread(this, fn, fail, (core, th) => {
      let st = ensureStage(core, th, NAME_MAX);
      if (st === ST_OK) {
        core.u8(th.stage + bytes.length).set(bytes, th.stage);
        st = core.sys(id, th.tid, before, th.stage, bytes.length);
      }
      if (st === ST_OK) return core.res(th.rec, 0);
      if (st === ST_DEAD) this.died(fn);
      return fail;
    });
  }

  /**
   * Server side of a static channel: the listener (server IPC) handle of channel `name`, or
   * INVALID_HANDLE when this process has none. `endpoints`, `endpointsSize` and `id` are the
   * SDK's obsolete parameters (pass null, 0); an `id` out object gets `id = INVALID_RIID`.
   */
  ServiceLocatorRegister(name: string, endpoints: null = null, endpointsSize = 0, id?: { id?: nk_iid_t } | null): Handle {
    void endpoints; void endpointsSize;
    if (id !== undefined && id !== null) outArg('ServiceLocatorRegister', id).id = INVALID_RIID;
    return this.lookup('ServiceLocatorRegister', name, INVALID_HANDLE, SYS.k_sl_lookup, 1);
  }

  /** Client side of a static channel: the client IPC handle of channel `name`, or INVALID_HANDLE. */
  ServiceLocatorConnect(name: string): Handle {
    return this.lookup('ServiceLocatorConnect', name, INVALID_HANDLE, SYS.k_sl_lookup, 0);
  }

  /** RIID of endpoint `endpointName` (qualified `Server.main` or bare `main`), or INVALID_RIID. */
  ServiceLocatorGetRiid(handle: Handle, endpointName: string): nk_iid_t {
    const h = handleArg('ServiceLocatorGetRiid', 'handle', handle);
    return this.lookup('ServiceLocatorGetRiid', endpointName, INVALID_RIID, SYS.k_sl_riid, h);
  }

  // ---- handle_api.h / ipc_api.h -----------------------------------------------------------

  /** Closes a handle of this process. */
  KnHandleClose(handle: Handle): Retcode {
    const fn = 'KnHandleClose';
    const h = handleArg(fn, 'handle', handle);
    return simple(this, fn, (core, th) => core.sys(SYS.k_close, th.tid, h));
  }

  /** Creates an IPC sync object (not set); out.syncHandle. */
  KnIpcCreateSyncObject(out: { syncHandle?: Handle }): Retcode {
    return this.createSync('KnIpcCreateSyncObject', false, out);
  }

  /** KnIpcCreateSyncObject; with `autoclear` the object clears itself after its first interruption. */
  KnIpcCreateSyncObjectEx(autoclear: boolean | number, out: { syncHandle?: Handle }): Retcode {
    return this.createSync('KnIpcCreateSyncObjectEx', boolArg('KnIpcCreateSyncObjectEx', 'autoclear', autoclear), out);
  }

  private createSync(fn: string, autoclear: boolean, out: unknown): Retcode {
    return handleCall(this, fn, outArg(fn, out), 'syncHandle', (core, th) => core.sys(SYS.k_sync_create, th.tid, autoclear ? 1 : 0));
  }

  /** Interrupts CallEx/RecvEx calls naming `syncHandle`, in their interruptible windows. */
  KnIpcSetInterrupt(syncHandle: Handle): Retcode {
    return this.syncSet('KnIpcSetInterrupt', syncHandle, 1);
  }

  /** Cancels KnIpcSetInterrupt. */
  KnIpcClearInterrupt(syncHandle: Handle): Retcode {
    return this.syncSet('KnIpcClearInterrupt', syncHandle, 0);
  }

  private syncSet(fn: string, syncHandle: Handle, on: number): Retcode {
    const h = handleArg(fn, 'syncHandle', syncHandle);
    return simple(this, fn, (core, th) => core.sys(SYS.k_sync_set, th.tid, h, on));
  }

  // ---- handle_api.h -------------------------------------------------------------------------

  /** A user object of `type` with `rights`, keeping `context` for this process; out.handle. */
  KnHandleCreateUserObject(type: number, rights: nk_rights_t, context: unknown, out: { handle?: Handle }): Retcode {
    return H.createUserObject(this, 'KnHandleCreateUserObject', type, rights, context, INVALID_HANDLE, INVALID_RIID, out);
  }

  /** A user object bound to listener `ipcChannel` and endpoint `riid`: with OCAP_IPC_CALL, a callable handle; out.handle. */
  KnHandleCreateUserObjectEx(type: number, rights: nk_rights_t, context: unknown, ipcChannel: Handle, riid: nk_iid_t,
    out: { handle?: Handle }): Retcode {
    return H.createUserObject(this, 'KnHandleCreateUserObjectEx', type, rights, context, ipcChannel, riid, out);
  }

  /** A new listener (server IPC handle) with no channels yet; out.listener. */
  KnHandleCreateListener(out: { listener?: Handle }): Retcode {
    return H.createListener(this, 'KnHandleCreateListener', out);
  }

  /** A channel whose server end is `listenerIn` (INVALID_HANDLE: a new listener); out.listener, out.server, out.client. */
  KnHandleConnect(listenerIn: Handle, out: { listener?: Handle; server?: Handle; client?: Handle }): Retcode {
    return H.connect(this, 'KnHandleConnect', listenerIn, out);
  }

  /** A badge: its events go to `notice` as entry `eventId`; `context` comes back on dereference; out.handle. */
  KnHandleCreateBadge(notice: Handle, eventId: number, context: unknown, out: { handle?: Handle }): Retcode {
    return H.createBadge(this, 'KnHandleCreateBadge', notice, eventId, context, out);
  }

  /** A descendant of `inHandle` in this process with rights `newRightsMask` (OCAP_HANDLE_COPY); out.outHandle. */
  KnHandleCopy(inHandle: Handle, newRightsMask: nk_rights_t, copyBadge: Handle, out: { outHandle?: Handle }): Retcode {
    return H.copy(this, 'KnHandleCopy', inHandle, newRightsMask, copyBadge, out);
  }

  /** Revokes every descendant of `handle` and closes `handle`. */
  KnHandleRevoke(handle: Handle): Retcode {
    return H.revoke(this, 'KnHandleRevoke', handle, true);
  }

  /** Revokes every descendant of `handle`; closes it too when `close`. */
  KnHandleRevokeEx(handle: Handle, close: boolean | number): Retcode {
    return H.revoke(this, 'KnHandleRevokeEx', handle, close);
  }

  /** Revokes the subtree made by transferring (or copying) `handle` with badge `badge`. */
  KnHandleRevokeSubtree(handle: Handle, badge: Handle): Retcode {
    return H.revokeSubtree(this, 'KnHandleRevokeSubtree', handle, badge);
  }

  /** The resource's SID (OCAP_HANDLE_GET_SID); out.sid. */
  KnHandleGetSidByHandle(handle: Handle, out: { sid?: nk_sid_t }): Retcode {
    return H.getSid(this, 'KnHandleGetSidByHandle', handle, out);
  }

  /** nk_get_badge_op for a descriptor this process received; out.badge. */
  nk_get_badge_op(desc: nk_handle_desc_t, operation: nk_rights_t, out: { badge?: unknown }): nk_err_t {
    return H.badgeOp(this, 'nk_get_badge_op', desc, operation, out);
  }

  // ---- notice_api.h -------------------------------------------------------------------------

  /** A new notice receiver; out.notice. */
  KnNoticeCreate(out: { notice?: Handle }): Retcode {
    return N.noticeCreate(this, 'KnNoticeCreate', out);
  }

  /** Adds the entry (object, evMask, evId) to `notice` (the object's handle needs OCAP_HANDLE_GET_EVENT). */
  KnNoticeSubscribeToObject(notice: Handle, object: Handle, evMask: number, evId: number): Retcode {
    return N.subscribe(this, 'KnNoticeSubscribeToObject', notice, object, evMask, evId);
  }

  /** Removes the entries of `notice` with id `evId`. */
  KnNoticeUnsubscribeFromEvent(notice: Handle, evId: number): Retcode {
    return N.unsubscribe(this, 'KnNoticeUnsubscribeFromEvent', notice, false, evId);
  }

  /** Removes the entries of `notice` for the resource of `object`. */
  KnNoticeUnsubscribeFromObject(notice: Handle, object: Handle): Retcode {
    return N.unsubscribe(this, 'KnNoticeUnsubscribeFromObject', notice, true, object);
  }

  /** Takes up to `countMax` notifications into `events`, waiting up to `msec`; out.count. */
  KnNoticeGetEvent(notice: Handle, msec: number, countMax: number, events: EventDesc[], out: { count?: number }): Retcode {
    return N.getEvent(this, 'KnNoticeGetEvent', notice, msec, countMax, events, out);
  }

  /** KnNoticeGetEvent without blocking the thread. */
  KnNoticeGetEventAsync(notice: Handle, msec: number, countMax: number, events: EventDesc[], out: { count?: number }): Promise<Retcode> {
    return N.getEventAsync(this, 'KnNoticeGetEventAsync', notice, msec, countMax, events, out);
  }

  /** Signals user events `evMask` (OBJECT_EVENT_USER bits) on user object `object` (OCAP_HANDLE_SET_EVENT). */
  KnNoticeSetObjectEvent(object: Handle, evMask: number): Retcode {
    return N.setObjectEvent(this, 'KnNoticeSetObjectEvent', object, evMask);
  }

  /** Drops every entry and notification of `notice`, wakes its waiters (rcAbort); `forbid`: no new entries. */
  KnNoticeDropAndWake(notice: Handle, forbid: boolean | number): Retcode {
    return N.dropAndWake(this, 'KnNoticeDropAndWake', notice, forbid);
  }

  // ---- kos/task.h ---------------------------------------------------------------------------

  /** The task object of this process (what KosTaskGetHandle takes). */
  KosTaskGetSelf(): KosTask {
    return taskOf(this);
  }

  /** The process handle of `task` (transferable, EVENT_TASK_COMPLETED); INVALID_HANDLE for another task. */
  KosTaskGetHandle(task: KosTask): Handle {
    if (task !== taskOf(this)) return INVALID_HANDLE;
    return H.ownTaskHandle(this, 'KosTaskGetHandle');
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
    const buf = withThread(this, 'alloc', null, (core, th) => {
      const st = core.sys(SYS.k_alloc, th.tid, size);
      if (st !== ST_OK) {
        if (st === ST_DEAD) this.died('alloc');
        throw new Error(`alloc: kernel memory is exhausted (asked for ${size} bytes)`);
      }
      const a = core.res(th.rec, 0);
      return core.u8(a + size).subarray(a, a + size);
    });
    if (!buf) throw new Error('alloc: the kernel\'s thread table is full');
    return buf;
  }

  /** Frees a buffer returned by `alloc`. */
  free(buffer: Uint8Array): Retcode {
    const core = this.local('free');
    if (!(buffer instanceof Uint8Array) || !core.inKernel(buffer)) {
      throw new TypeError('free: the buffer was not returned by alloc');
    }
    return simple(this, 'free', (c, th) => c.sys(SYS.k_free, th.tid, buffer.byteOffset));
  }

  // ---- coresrv/nk/transport-kos.h -----------------------------------------------------------

  /** Binds `transport` to IPC handle `handle` of this process; pass NK_NULL, 0 as the last two. */
  NkKosTransport_Init(transport: NkKosTransport, handle: Handle, view: null, size: number): void {
    kosTransportInit(this, transport, handle, view, size);
  }
}

// ---- cm_api.h and dcm/dcm_api.h: methods defined beside their calls (cm_calls.ts,
// dcm/client.ts), installed here ---------------------------------------------------------------

export interface Process extends CmMethods, DcmMethods {}
Object.assign(Process.prototype, cmMethods, dcmMethods);
