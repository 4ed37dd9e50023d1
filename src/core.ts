/**
 * The binding to the wasm core in one realm (the main thread, or one worker): the instance over
 * the kernel memory, views of that memory, and the two host services the core relies on:
 * waiting for the kernel lock (the core never waits) and the in-realm wake of Async calls.
 */
import { ST_LOCK_BUSY } from './rtl/status.js';

/** The core's exports (assembly/index.ts); only numbers cross. */
export interface CoreExports {
  k_init(key: number): number;
  k_layout(i: number): number;
  k_proc_create(realm: number, cls: number): number;
  k_proc_task(p: number): number;
  k_proc_terminate(p: number): number;
  k_thread_alloc(p: number, realm: number): number;
  k_proc_add_realm(p: number, realm: number): number;
  k_realm_release(p: number, realm: number): number;
  k_connect(cp: number, sp: number, name: number, len: number): number;
  k_endpoint(p: number, riid: number, name: number, len: number): number;
  k_shape_add(p: number, riid: number, mid: number, kind: number, min: number, max: number,
    ndesc: number, desc: number): number;
  k_policy_reset(defaultGrant: number): number;
  k_policy_add(events: number, src: number, dst: number, iid: number, mid: number, grant: number): number;
  k_sl_lookup(tid: number, server: number, name: number, len: number): number;
  k_sl_riid(tid: number, h: number, name: number, len: number): number;
  k_call(tid: number, h: number, oc: number, oclen: number, oa: number, oalen: number,
    ic: number, iccap: number, ia: number, iacap: number, sync: number, flags: number): number;
  k_recv(tid: number, h: number, ic: number, iccap: number, ia: number, iacap: number,
    sync: number, flags: number): number;
  k_reply(tid: number, h: number, oc: number, oclen: number, oa: number, oalen: number, to: number): number;
  k_finish(tid: number): number;
  k_cancel(tid: number, reason: number): number;
  k_close(tid: number, h: number): number;
  k_sync_create(tid: number, autoclear: number): number;
  k_sync_set(tid: number, h: number, on: number): number;
  k_alloc(tid: number, bytes: number): number;
  k_free(tid: number, addr: number): number;
  k_stage(tid: number, bytes: number): number;
  k_unlock_after_trap(who: number): void;
  k_unlock_if_dead_owner(): number;
}

/** Layout facts read once from the core (k_layout), so the core stays the one source. */
export interface CoreLayout {
  threads: number; threadSize: number; cell: number; rxClen: number; rxAlen: number;
  rxTask: number; rxTid: number; rxHandle: number; lock: number; heapBase: number;
  nkSize: number; nkOffSize: number; nkOffType: number; nkOffIid: number; nkOffMid: number;
  nkOffNcaps: number; nkOffSelf: number; maxMessage: number; nameMax: number;
  tablesEnd: number; maxProcs: number; maxThreads: number; handlesPerProc: number;
}

const LAYOUT_KEYS: (keyof CoreLayout)[] = [
  'threads', 'threadSize', 'cell', 'rxClen', 'rxAlen', 'rxTask', 'rxTid', 'rxHandle', 'lock',
  'heapBase', 'nkSize', 'nkOffSize', 'nkOffType', 'nkOffIid', 'nkOffMid', 'nkOffNcaps',
  'nkOffSelf', 'maxMessage', 'nameMax', 'tablesEnd', 'maxProcs', 'maxThreads', 'handlesPerProc',
];

/** Admin lock owner id used by the core for non-thread entry points. */
export const ADMIN_OWNER = 0x40000000;

export class Core {
  readonly exports: CoreExports;
  readonly memory: WebAssembly.Memory;
  readonly layout: CoreLayout;
  /** Realm id: 0 for the realm that created the Kernel, then one per worker. */
  readonly realm: number;
  /** True when this realm's thread may block in Atomics.wait. */
  readonly canBlock: boolean;
  /**
   * Pending in-realm Async waits, indexed by thread record (Tid & 0x1ff): the core's `wake`
   * import calls the one whose Tid matches.
   */
  readonly wakers: ({ tid: number; wake: () => void } | undefined)[] = new Array(512).fill(undefined);
  /** True when a syscall of this realm may be completed from another realm (workers exist). */
  crossRealm = false;
  /** Spin budget (microseconds) of blocking waits; 0 when no spare core exists. */
  spinUs = 0;
  private u8view: Uint8Array;
  /** u8view.buffer and its byteLength, kept in fields: the typed-array getters cost more. */
  private kbuf: ArrayBufferLike;
  private kbytes: number;
  private i32view: Int32Array;
  private readonly kernelBuffers = new WeakSet<ArrayBufferLike>();
  private lockIndex: number;
  private readonly shared: boolean;

  private constructor(exports: CoreExports, memory: WebAssembly.Memory, realm: number, canBlock: boolean) {
    this.exports = exports;
    this.memory = memory;
    this.realm = realm;
    this.canBlock = canBlock;
    this.u8view = new Uint8Array(memory.buffer);
    this.kbuf = this.u8view.buffer;
    this.kbytes = this.u8view.byteLength;
    this.i32view = new Int32Array(memory.buffer);
    this.kernelBuffers.add(memory.buffer);
    this.shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
    const layout = {} as CoreLayout;
    LAYOUT_KEYS.forEach((k, i) => { layout[k] = exports.k_layout(i) >>> 0; });
    this.layout = layout;
    this.lockIndex = layout.lock >> 2;
  }

  /**
   * Instantiates the core over `memory` for one realm. With `debug`, instantiation goes through
   * @assemblyscript/loader, whose `abort` import decodes the core's assertion messages (the
   * debug build keeps its asserts); calls always go to the raw exports, never to the loader's
   * wrappers. The loader is imported only then, so release use needs nothing but the .wasm.
   */
  static async instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory,
    realm: number, canBlock: boolean, debug = false, loaderUrl?: string): Promise<Core> {
    let core: Core | undefined;
    const env = {
      memory,
      wake(tid: number): void {
        // Called from inside the core: only schedule, never re-enter the core from here. A
        // Promise job, not queueMicrotask, which costs about 1 us a call in Chromium.
        const w = core?.wakers[tid & 0x1ff];
        if (w !== undefined && w.tid === tid >>> 0) void Promise.resolve().then(w.wake);
      },
    };
    let instance: WebAssembly.Instance;
    if (debug) {
      // a worker may not resolve bare specifiers (no import map in browser workers): the kernel's
      // realm passes the loader's resolved URL
      const loader = (await import(loaderUrl ?? '@assemblyscript/loader')) as typeof import('@assemblyscript/loader');
      ({ instance } = await loader.instantiate(module, { env }));
    } else {
      instance = await WebAssembly.instantiate(module, {
        env: { ...env, abort(): never { throw new Error('kos-ipc kernel core aborted (use { debug: true } for the message)'); } },
      });
    }
    core = new Core(instance.exports as unknown as CoreExports, memory, realm, canBlock);
    return core;
  }

  /** A byte view of all kernel memory (refreshed when the memory grew). */
  u8(end = 0): Uint8Array {
    if (end > this.kbytes) this.refresh();
    return this.u8view;
  }

  /** An int32 view of kernel memory. Wait cells sit in the fixed tables, always in range. */
  get i32(): Int32Array {
    return this.i32view;
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    this.kernelBuffers.add(buf);
    this.u8view = new Uint8Array(buf);
    this.kbuf = buf;
    this.kbytes = this.u8view.byteLength;
    this.i32view = new Int32Array(buf);
  }

  /** True when `view` lies in kernel memory (process.alloc), so it can be used in place. */
  inKernel(view: Uint8Array): boolean {
    const b = view.buffer;
    if (b === this.kbuf) return true;
    // a plain ArrayBuffer is never the shared kernel memory: no need to ask memory.buffer
    if (this.shared && !(b instanceof SharedArrayBuffer)) return false;
    if (this.kernelBuffers.has(b)) return true;
    if (b === this.memory.buffer) { this.refresh(); return true; }
    return false;
  }

  /** The wait cell index (into i32) of thread `tid`. */
  cellIndex(tid: number): number {
    const i = (tid & 0x1ff) - 1;
    return (this.layout.threads + i * this.layout.threadSize + this.layout.cell) >> 2;
  }

  /** A 32-bit field of thread `tid`'s record. */
  threadField(tid: number, offset: number): number {
    const i = (tid & 0x1ff) - 1;
    return this.i32view[(this.layout.threads + i * this.layout.threadSize + offset) >> 2]! >>> 0;
  }

  /** Waits until the kernel lock looks free (the core returned ST_LOCK_BUSY). */
  waitLock(): void {
    const i32 = this.i32view;
    const owner = Atomics.load(i32, this.lockIndex);
    if (owner === 0) return;
    if (this.canBlock) {
      Atomics.add(i32, this.lockIndex + 1, 1);
      Atomics.wait(i32, this.lockIndex, owner, 1);
      Atomics.sub(i32, this.lockIndex + 1, 1);
    }
  }

  /** Runs a core entry point, retrying while the lock is busy; recovers the lock after a trap. */
  retry(who: number, f: () => number): number {
    try {
      let st = f();
      while (st === ST_LOCK_BUSY) { this.waitLock(); st = f(); }
      return st;
    } catch (e) {
      this.exports.k_unlock_after_trap(who);
      throw e;
    }
  }

}
