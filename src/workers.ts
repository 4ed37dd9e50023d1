/**
 * The worker lifecycle: processes whose thread is a worker over the kernel's shared memory
 * (kernel.spawn), further threads of a process (kernel.spawnThread), and their end. A worker is
 * only terminated after the kernel's realm freed its process in the core under the kernel lock
 * (assembly/lock.ts), so it is never stopped inside a critical section.
 * @internal
 */
import { SYS, ADMIN, ADMIN_RECORD, ST_OK } from './abi.js';
import type { Core } from './core.js';
import { becomeCrossRealm } from './wait.js';
import type { Process } from './process.js';
import type { Platform, ProcessExit, WorkerBoot, WorkerHandle } from './platform/types.js';

/** What the worker lifecycle needs of the Kernel. */
export interface WorkerHost {
  readonly core: Core;
  readonly module: WebAssembly.Module;
  readonly platform: Platform;
  readonly spinUs: number;
  readonly debug: boolean;
  /** True while the kernel is not shut down. */
  isOpen(): boolean;
  /** True when `p` is a live process of this kernel. */
  isLive(p: Process): boolean;
  /** Frees `p` in the core (idempotent). */
  release(p: Process): void;
  /** Told of a process whose worker failed after it started (KernelOptions.onProcessError). */
  onProcessError: ((p: Process, error: unknown) => void) | undefined;
}

/** The default for a failure after start: print it once, with the process's name. */
function printFailure(p: Process, error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  console.error(`kos-ipc: process "${p.name}" failed: ${text}`);
}

/** spawn's rejection for a worker that failed before its module started. */
function spawnError(fn: string, e: unknown): Error {
  const msg = e instanceof Error ? e.message : String(e);
  return new Error(`${fn}: ${msg}`, { cause: e });
}

export class Workers {
  private readonly workers = new Map<Process, WorkerHandle>();
  private readonly threadWorkers = new Map<Process, Set<WorkerHandle>>();
  private nextRealm = 1;

  constructor(private readonly host: WorkerHost) {}

  /** A new realm id for a worker. */
  realm(): number {
    return this.nextRealm++;
  }

  /** With debug, the loader's URL resolved here, for workers (which may not resolve it). */
  private loader(): { loaderUrl?: string } {
    if (!this.host.debug) return {};
    const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
    try {
      return resolve ? { loaderUrl: resolve('@assemblyscript/loader') } : {};
    } catch {
      return {};
    }
  }

  /** A boot thread for process `p` in `realm`, made here so the worker can call the core at once. */
  private boot(p: Process, realm: number, moduleUrl: string | URL, args: string[]): WorkerBoot {
    const { core } = this.host;
    const st = core.sys(SYS.k_thread_alloc, ADMIN, p.index, realm);
    if (st !== ST_OK) throw new Error(`spawn: the kernel's thread table is full (status ${st})`);
    becomeCrossRealm(this.host.core);
    return {
      module: this.host.module, memory: core.memory, realm, proc: p.index, taskId: p.taskId,
      tid: core.res(ADMIN_RECORD, 0), rec: core.res(ADMIN_RECORD, 1), name: p.name,
      moduleUrl: this.host.platform.resolveModule(moduleUrl), spinUs: this.host.spinUs,
      asyncSpin: core.asyncSpin, args,
      debug: this.host.debug, ...this.loader(),
    };
  }

  /**
   * Starts the worker of process `p`, made in `realm`; resolves with `p` once its module started
   * (evaluated, or its process made its first kernel call), rejects when it failed before. A
   * failure after that ends the process: `exited` tells it, and onProcessError (or a line on the
   * console) reports it once.
   */
  spawn(p: Process, realm: number, moduleUrl: string | URL, args: string[]): Promise<Process> {
    const worker = this.host.platform.startWorker(this.boot(p, realm, moduleUrl, args));
    this.workers.set(p, worker);
    let started = false;
    void worker.exit.then((exit) => {
      // A process the kernel ended (terminate, shutdown) is no longer live: its worker may still
      // have thrown before it stopped (its next call found the process ended). That is the end
      // the kernel made, not a failure to report.
      const failed = started && exit.error !== undefined && this.host.isLive(p);
      this.ended(p, exit);
      if (failed) (this.host.onProcessError ?? printFailure)(p, exit.error);
    });
    return worker.started.then(() => { started = true; return p; }, async (e: unknown) => {
      // the process is over before it started: end it, then say why
      this.host.release(p);
      await worker.terminate();
      await worker.exit;
      throw spawnError('spawn', e);
    });
  }

  /** Another thread of live process `p`: a worker running `moduleUrl` as `p`. */
  spawnThread(p: Process, moduleUrl: string | URL, args: string[]): Promise<{ exited: Promise<ProcessExit> }> {
    const { core } = this.host;
    const realm = this.realm();
    core.sys(SYS.k_proc_add_realm, ADMIN, p.index, realm);
    const worker = this.host.platform.startWorker(this.boot(p, realm, moduleUrl, args));
    let set = this.threadWorkers.get(p);
    if (!set) this.threadWorkers.set(p, set = new Set());
    set.add(worker);
    void worker.exit.then(() => {
      set!.delete(worker);
      if (this.host.isOpen() && this.host.isLive(p)) core.sys(SYS.k_realm_release, ADMIN, p.index, realm);
    });
    return worker.started.then(() => ({ exited: worker.exit }), (e: unknown) => { throw spawnError('spawnThread', e); });
  }

  /** True when `p` runs in a worker. */
  has(p: Process): boolean {
    return this.workers.has(p);
  }

  /** Ends `p`'s threads and worker (the process was already released in the core). */
  async terminate(p: Process): Promise<ProcessExit | undefined> {
    await this.endThreads(p);
    const worker = this.workers.get(p);
    if (!worker) return undefined;
    await worker.terminate();
    this.recoverLock();
    return worker.exit;
  }

  private async endThreads(p: Process): Promise<void> {
    const set = this.threadWorkers.get(p);
    if (!set) return;
    this.threadWorkers.delete(p);
    await Promise.all([...set].map((w) => w.terminate()));
    this.recoverLock();
  }

  /**
   * A worker stopped between taking and releasing the kernel lock (only possible in the entry
   * that finds its freshly freed thread gone) would leave it held: release it (lock.ts).
   */
  private recoverLock(): void {
    if (this.host.isOpen() || this.workers.size > 0) this.host.core.sys(SYS.k_unlock_if_dead_owner, ADMIN);
  }

  private ended(p: Process, exit: ProcessExit): void {
    this.workers.delete(p);
    this.recoverLock();
    if (this.host.isOpen()) this.host.release(p);
    void this.endThreads(p);
    p.markEnded(exit);
  }

  /** Terminates every worker (the kernel is shutting down; its processes are released). */
  async shutdown(): Promise<void> {
    const exits: Promise<unknown>[] = [];
    for (const [p, w] of this.workers) {
      exits.push(w.terminate().then(() => w.exit).then((e) => p.markEnded(e)));
    }
    for (const p of [...this.threadWorkers.keys()]) exits.push(this.endThreads(p));
    await Promise.all(exits);
    this.workers.clear();
  }
}

