/** What the kernel needs from its host environment; implemented by node.ts and browser.ts. */

/** How a process (or one of its threads) ended: its worker's exit code, and the error it threw, if any. */
export interface ProcessExit {
  code: number;
  error?: unknown;
}

/**
 * What a worker tells the kernel's realm, in order, on one channel: it booted ('ready'), its
 * module started ('started': the module was evaluated, or its process made its first kernel
 * call), it failed ('error', before or after starting), or (in a browser, where a worker
 * cannot end itself) its module was evaluated and its process is over ('exit').
 */
export type WorkerReport =
  | { type: 'ready' }
  | { type: 'started' }
  | { type: 'error'; error: ReportedError }
  | { type: 'exit' };

/** An error as a worker reports it (structured clone keeps no class or extra fields). */
export interface ReportedError { name: string; message: string; stack?: string }

export interface WorkerHandle {
  /** Stops the worker at once. */
  terminate(): Promise<void>;
  /** Resolves when the worker has booted (instantiated the core over the shared memory). */
  readonly ready: Promise<void>;
  /**
   * Resolves when the worker's module has started (evaluated, or its process made its first
   * kernel call); rejects with an Error naming the module and the cause when it fails before.
   */
  readonly started: Promise<void>;
  /** Resolves when the worker's thread has ended: exit code, and the error it threw if any. */
  readonly exit: Promise<ProcessExit>;
}

/** Everything a worker needs to run a process over the kernel's shared memory. */
export interface WorkerBoot {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  realm: number;
  proc: number;
  taskId: number;
  /** The worker's boot thread, made by the kernel's realm: its Tid and record address. */
  tid: number;
  rec: number;
  name: string;
  moduleUrl: string;
  spinUs: number;
  /** Polls of an Async Call's early-answer check (Core.asyncSpin). */
  asyncSpin: number;
  /** The process's arguments (EntitySetArgs): `thisProcess().args` inside the worker. */
  args: string[];
  /** Instantiate the debug core through @assemblyscript/loader (decoded assertion messages). */
  debug: boolean;
  /** The resolved URL of @assemblyscript/loader (debug only), as workers cannot resolve it. */
  loaderUrl?: string;
}

export interface Platform {
  readonly name: 'node' | 'browser';
  /** Compiles the kernel core shipped beside this package (release or debug; shared memory or not). */
  loadCore(debug: boolean, shared: boolean): Promise<WebAssembly.Module>;
  /** Cores that can run threads in parallel. */
  parallelism(): number;
  /** True when shared memory can be handed to workers (Node; isolated browser pages). */
  sharedMemory(): boolean;
  /** True when this (the kernel's) thread may block in Atomics.wait. */
  mainThreadCanBlock(): boolean;
  /** Starts a worker that boots the process described by `boot` and imports its module. */
  startWorker(boot: WorkerBoot): WorkerHandle;
  /** Resolves a module reference given to kernel.spawn to an absolute URL string. */
  resolveModule(ref: string | URL): string;
}
