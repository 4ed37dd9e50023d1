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
import { ipcSync, ipcAsync, reply, withThread, statusOf, type IpcProcess } from './ipc.js';
import { ensureStage } from './message_io.js';
import { handleArg, stringArg } from './args.js';
import { rcQuotaExceeded, type Retcode } from './rtl/retcode.js';
import { INVALID_HANDLE, INVALID_RIID, INFINITE_TIMEOUT, type Handle, type nk_iid_t } from './nk/types.js';
import type { SMsgHdr } from './services/rtl/nk_msg.js';
import { kosTransportInit, type NkKosTransport } from './coresrv/nk/transport-kos.js';

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
   * SDK's obsolete parameters (pass null, 0).
   */
  ServiceLocatorRegister(name: string, endpoints: null = null, endpointsSize = 0, id?: unknown): Handle {
    void endpoints; void endpointsSize; void id;
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
    return withThread(this, fn, rcQuotaExceeded, (core, th) => statusOf(this, fn, core.sys(SYS.k_close, th.tid, h)));
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
    return withThread(this, fn, INVALID_HANDLE, (core, th) => {
      const st = core.sys(SYS.k_sync_create, th.tid, autoclear ? 1 : 0);
      if (st === ST_OK) return core.res(th.rec, 0);
      if (st === ST_DEAD) this.died(fn);
      return INVALID_HANDLE;
    });
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
    return withThread(this, fn, rcQuotaExceeded, (core, th) => statusOf(this, fn, core.sys(SYS.k_sync_set, th.tid, h, on)));
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
    return withThread(this, 'free', rcQuotaExceeded, (c, th) => statusOf(this, 'free', c.sys(SYS.k_free, th.tid, buffer.byteOffset)));
  }

  // ---- coresrv/nk/transport-kos.h -----------------------------------------------------------

  /** Binds `transport` to IPC handle `handle` of this process; pass NK_NULL, 0 as the last two. */
  NkKosTransport_Init(transport: NkKosTransport, handle: Handle, view: null, size: number): void {
    kosTransportInit(this, transport, handle, view, size);
  }
}
