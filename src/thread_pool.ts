/**
 * The threads of one process in one realm. A syscall takes a thread from the pool and gives it
 * back when it completes; a new one is made in the core (k_thread_alloc, as the realm's home
 * caller: ADMIN, or a worker's boot thread) only when the pool is empty, so a process has as
 * many threads as it has calls in flight at once.
 */
import { SYS, ST_OK, ST_DEAD, THREAD_SIZE } from './abi.js';
import type { Core } from './core.js';
import { Thread } from './thread.js';

/** What acquire gives when it has no thread: the kernel's table is full, or the process ended. */
export type NoThread = 'full' | 'dead';

export class ThreadPool {
  private readonly idle: Thread[] = [];
  private closed = false;

  /** `proc`: the process's index in the kernel; `core`: this realm's binding. */
  constructor(readonly core: Core, readonly proc: number, first?: Thread) {
    if (first) this.idle.push(first);
  }

  /** A thread for one syscall: an idle one, or a new one. */
  acquire(): Thread | NoThread {
    if (this.core.onFirstCall) this.core.firstCall();
    const th = this.idle.pop();
    if (th) return th;
    if (this.closed) return 'dead';
    const core = this.core;
    const st = core.sys(SYS.k_thread_alloc, core.home, this.proc, core.realm);
    if (st === ST_DEAD) return 'dead';
    if (st !== ST_OK) return 'full';
    const rec = core.res(core.homeRec, 1);
    core.u8(rec + THREAD_SIZE); // a record in a chunk beyond this realm's view: refresh the views
    return new Thread(core.res(core.homeRec, 0), rec);
  }

  release(th: Thread): void {
    if (!this.closed) this.idle.push(th);
  }

  /** The process ended: its threads are gone in the core; forget them. */
  close(): void {
    this.closed = true;
    this.idle.length = 0;
  }
}
