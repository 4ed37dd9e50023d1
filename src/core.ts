/**
 * The binding to the wasm core in one realm (the main thread, or one worker): the instance over
 * the kernel memory, views of that memory, and the one path every core export is called
 * through (Core.sys), with the two host services the core relies on: waiting for the kernel
 * lock (the core never waits) and the in-realm wake of Async calls.
 */
import {
  ABI_HASH, ADMIN, ADMIN_RECORD, EXPORTS, LOCK_ADDR, MAX_THREADS, ST_LOCK_BUSY, SYS, T_R0,
  TID_INDEX_BITS, type CoreExports,
} from './abi.js';

import type { ContextRegistry } from './context_codec.js';

type Export = (who: number, ...args: number[]) => number;

/**
 * An Async wait of this realm (wait.ts waitAsync): the thread's Tid, and what to run when the
 * core completes it. `wake` runs inside the completer's syscall, after the kernel lock is
 * released: it must not enter the core, and must not throw.
 */
export interface Waker { tid: number; wake(): void }

const TID_INDEX_MASK = (1 << TID_INDEX_BITS) - 1;

/** The exports of `instance`, checked against abi/kernel.mjs (names and arities), in ABI order. */
function exportsOf(instance: WebAssembly.Instance): Export[] {
  const ex = instance.exports as Record<string, unknown>;
  return EXPORTS.map((e) => {
    const f = ex[e.name];
    if (typeof f !== 'function' || f.length !== e.params.length + 1) {
      throw new Error(`kos-ipc: the kernel core does not match this package: export ${e.name} is ` +
        `${typeof f === 'function' ? `a function of ${f.length} parameters` : 'missing'}, expected ` +
        `${e.params.length + 1}; rebuild it (npm run build) or load the .wasm shipped with this version`);
    }
    return f as Export;
  });
}

export class Core {
  /** The core's exports by name (for tests and tools; calls go through sys). */
  readonly exports: CoreExports;
  readonly memory: WebAssembly.Memory;
  /** Realm id: 0 for the realm that created the Kernel, then one per worker. */
  readonly realm: number;
  /** True when this realm's thread may block in Atomics.wait. */
  readonly canBlock: boolean;
  /** Pending in-realm Async waits, by thread record index: the core's `wake` import calls the one whose Tid matches. */
  readonly wakers: (Waker | undefined)[] = new Array<Waker | undefined>(MAX_THREADS + 1).fill(undefined);
  /** True when a syscall of this realm may be completed from another realm (workers exist). */
  crossRealm = false;
  /** Spin budget (microseconds) of blocking waits; 0 when no spare core exists. */
  spinUs = 0;
  /**
   * Polls of the wait cell an Async Call makes before it sleeps, when the reply may come from
   * another realm (an early answer then costs no event-loop turn); 0 when no spare core exists.
   */
  asyncSpin = 0;
  /** Calls into the core made by this realm (each ST_LOCK_BUSY retry counts): a debug counter. */
  crossings = 0;
  /** Blocking waits of this realm that slept (Atomics.wait) rather than saw the answer while spinning: a debug counter. */
  sleeps = 0;
  /** True while the core's `wake` import runs a waker: code then must not enter the core. */
  inWake = false;
  /** Async waits of this realm armed now (wait.ts waitAsync, settle). */
  armed = 0;
  /**
   * Told when this realm goes from no armed Async wait to one (true) and back (false): a Node
   * worker keeps its event loop alive meanwhile, as Atomics.waitAsync does not
   * (platform/node_worker.ts). Null where nothing needs it.
   */
  keepAlive: ((on: boolean) => void) | null = null;
  /** The caller id for realm-level calls (k_thread_alloc): ADMIN, or a worker's boot Tid. */
  home = ADMIN;
  /** The record where realm-level calls' results go: ADMIN_RECORD, or the boot thread's. */
  homeRec = ADMIN_RECORD;
  /** Context objects of this realm (context_codec.ts), made on first use. */
  contexts: ContextRegistry | undefined = undefined;
  /** Called once, at the first kernel call a process of this realm makes (a worker's start). */
  onFirstCall: (() => void) | undefined = undefined;
  private readonly fns: Export[];
  private readonly fCall: (tid: number, h: number, oc: number, oclen: number, oa: number, oalen: number, ic: number,
    iccap: number, ia: number, iacap: number, sync: number, flags: number) => number;
  private readonly fRecv: (tid: number, h: number, ic: number, iccap: number, ia: number, iacap: number, sync: number, flags: number) => number;
  private readonly fReply: (tid: number, h: number, oc: number, oclen: number, oa: number, oalen: number, token: number) => number;
  private u8view: Uint8Array;
  /** u8view.buffer and its byteLength, kept in fields: the typed-array getters cost more. */
  private kbuf: ArrayBufferLike;
  private kbytes: number;
  private i32view: Int32Array;
  private readonly kernelBuffers = new WeakSet<ArrayBufferLike>();
  private readonly shared: boolean;

  private constructor(instance: WebAssembly.Instance, memory: WebAssembly.Memory, realm: number, canBlock: boolean) {
    this.fns = exportsOf(instance);
    this.fCall = this.fns[SYS.k_call]!;
    this.fRecv = this.fns[SYS.k_recv]!;
    this.fReply = this.fns[SYS.k_reply]!;
    this.exports = instance.exports as unknown as CoreExports;
    this.memory = memory;
    this.realm = realm;
    this.canBlock = canBlock;
    this.u8view = new Uint8Array(memory.buffer);
    this.kbuf = this.u8view.buffer;
    this.kbytes = this.u8view.byteLength;
    this.i32view = new Int32Array(memory.buffer);
    this.kernelBuffers.add(memory.buffer);
    this.shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  }

  /**
   * Instantiates the core over `memory` for one realm. The realm that owns the Kernel passes
   * `verify`: the core must then report the ABI hash this package was generated with. With
   * `debug`, instantiation goes through @assemblyscript/loader, whose `abort` import decodes the
   * core's assertion messages (the debug build keeps its asserts); calls always go to the raw
   * exports. The loader is imported only then, so release use needs nothing but the .wasm.
   */
  static async instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory, realm: number,
    canBlock: boolean, options: { debug?: boolean; loaderUrl?: string; verify?: boolean } = {}): Promise<Core> {
    let core: Core | undefined;
    const env = {
      memory,
      wake(tid: number): void {
        // Called from inside the core (after the lock is released) for a thread whose waiter
        // sleeps. The waker settles a Promise, which never enters the core nor runs user code
        // before this returns.
        const w = core?.wakers[tid & TID_INDEX_MASK];
        if (w === undefined || w.tid !== tid >>> 0) return;
        core!.inWake = true;
        try {
          w.wake();
        } catch (e) {
          // a throw would unwind through the core and drop the other pending wakes
          queueMicrotask(() => { throw e; });
        } finally {
          core!.inWake = false;
        }
      },
    };
    let instance: WebAssembly.Instance;
    if (options.debug) {
      // a worker may not resolve bare specifiers (no import map in browser workers): the kernel's
      // realm passes the loader's resolved URL
      const loader = (await import(options.loaderUrl ?? '@assemblyscript/loader')) as typeof import('@assemblyscript/loader');
      ({ instance } = await loader.instantiate(module, { env }));
    } else {
      instance = await WebAssembly.instantiate(module, {
        env: { ...env, abort(): never { throw new Error('kos-ipc kernel core aborted (use { debug: true } for the message)'); } },
      });
    }
    core = new Core(instance, memory, realm, canBlock);
    if (options.verify) core.verifyAbi();
    return core;
  }

  private verifyAbi(): void {
    const hash = this.sys(SYS.k_abi, ADMIN) === 0 ? this.res(ADMIN_RECORD, 0) : 0;
    if (hash !== ABI_HASH) {
      throw new Error(`kos-ipc: the kernel core was built from another ABI (hash 0x${hash.toString(16)}, this ` +
        `package expects 0x${ABI_HASH.toString(16)}); rebuild it (npm run build) or load the .wasm shipped with this version`);
    }
  }

  /**
   * Runs core export `id` (SYS in abi.ts) as caller `who` (a Tid, or ADMIN) with its parameters,
   * and returns its status. The one path into the core: while the kernel lock is busy it waits
   * on the lock word and calls again (the core changed nothing); if the core traps, the lock is
   * released when `who` held it and the error is rethrown naming the export. A caller whose
   * thread or process is gone gets ST_DEAD back, which the process layer turns into its end.
   */
  sys(id: number, who: number, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0,
    a9 = 0, a10 = 0, a11 = 0): number {
    const f = this.fns[id]!;
    try {
      this.crossings++;
      let st = f(who, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
      while (st === ST_LOCK_BUSY) {
        this.waitLock();
        this.crossings++;
        st = f(who, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
      }
      return st;
    } catch (e) {
      throw this.trapped(id, who, e);
    }
  }

  // The hot path's entries: Core.sys specialised to the arity of k_call, k_recv and k_reply
  // (a call site that always reaches the same export with its exact arguments). The same
  // declared exports, the same lock retry and trap handling.

  /** sys(SYS.k_call, ...). */
  call(tid: number, h: number, oc: number, oclen: number, oa: number, oalen: number, ic: number, iccap: number,
    ia: number, iacap: number, sync: number, flags: number): number {
    const f = this.fCall;
    try {
      this.crossings++;
      let st = f(tid, h, oc, oclen, oa, oalen, ic, iccap, ia, iacap, sync, flags);
      while (st === ST_LOCK_BUSY) {
        this.waitLock();
        this.crossings++;
        st = f(tid, h, oc, oclen, oa, oalen, ic, iccap, ia, iacap, sync, flags);
      }
      return st;
    } catch (e) {
      throw this.trapped(SYS.k_call, tid, e);
    }
  }

  /** sys(SYS.k_recv, ...). */
  recv(tid: number, h: number, ic: number, iccap: number, ia: number, iacap: number, sync: number, flags: number): number {
    const f = this.fRecv;
    try {
      this.crossings++;
      let st = f(tid, h, ic, iccap, ia, iacap, sync, flags);
      while (st === ST_LOCK_BUSY) {
        this.waitLock();
        this.crossings++;
        st = f(tid, h, ic, iccap, ia, iacap, sync, flags);
      }
      return st;
    } catch (e) {
      throw this.trapped(SYS.k_recv, tid, e);
    }
  }

  /** sys(SYS.k_reply, ...). */
  reply(tid: number, h: number, oc: number, oclen: number, oa: number, oalen: number, token: number): number {
    const f = this.fReply;
    try {
      this.crossings++;
      let st = f(tid, h, oc, oclen, oa, oalen, token);
      while (st === ST_LOCK_BUSY) {
        this.waitLock();
        this.crossings++;
        st = f(tid, h, oc, oclen, oa, oalen, token);
      }
      return st;
    } catch (e) {
      throw this.trapped(SYS.k_reply, tid, e);
    }
  }

  /** A trap escaped export `id`: release the lock if `who` held it; the error to throw. */
  private trapped(id: number, who: number, e: unknown): Error {
    this.fns[SYS.k_unlock_after_trap]!(who);
    const cause = e instanceof Error ? e.message : String(e);
    return new Error(`kos-ipc: the kernel core trapped in ${EXPORTS[id]!.name} (caller 0x${(who >>> 0).toString(16)}): ${cause}`, { cause: e });
  }

  /** Runs onFirstCall once. */
  firstCall(): void {
    const f = this.onFirstCall;
    this.onFirstCall = undefined;
    f?.();
  }

  /** Result word `i` of the record at `rec` (a thread's record, or ADMIN_RECORD). */
  res(rec: number, i: number): number {
    return this.i32view[(rec + T_R0 >> 2) + i]! >>> 0;
  }

  /** A 32-bit field of the record at `rec`. */
  field(rec: number, offset: number): number {
    return this.i32view[(rec + offset) >> 2]! >>> 0;
  }

  /** A byte view of all kernel memory (refreshed when the memory grew past `end`). */
  u8(end = 0): Uint8Array {
    if (end > this.kbytes) this.refresh();
    return this.u8view;
  }

  /** An int32 view of kernel memory. Wait cells and records sit in the fixed tables, always in range. */
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

  /** Waits until the kernel lock looks free (the core returned ST_LOCK_BUSY). */
  private waitLock(): void {
    const i32 = this.i32view;
    const at = LOCK_ADDR >> 2;
    const owner = Atomics.load(i32, at);
    if (owner === 0) return;
    if (this.canBlock) {
      Atomics.add(i32, at + 1, 1);
      Atomics.wait(i32, at, owner, 1);
      Atomics.sub(i32, at + 1, 1);
    }
  }
}
