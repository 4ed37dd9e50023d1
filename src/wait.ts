/**
 * Waiting for a syscall to complete. The core sets a thread's wait cell to 0 when the syscall
 * starts and to 1 when it completes, after writing the status into the record (T_STATUS). A
 * waiter that only polls costs its completer nothing; a waiter about to sleep first changes
 * the cell from 0 to 2, and the completer, seeing 2, wakes it (the futex notify, and the
 * realm's `wake` import) once it has released the kernel lock.
 *
 * - waitBlocking: spins on the cell for a bounded time when a spare core exists (the clock is
 *   read only every 1024 polls, and not at all before the first 1024), then Atomics.wait;
 * - waitAsync: an optional bounded spin in polls (an Async Call whose reply comes from another
 *   realm), then the realm's `wake` import, plus Atomics.waitAsync when the completer may run
 *   in another realm; a timer for a finite timeout.
 *
 * Then the status: finished() reads it from the record without entering the core, checking that
 * the record still stands for the thread (T_TID); a record freed (its process ended) gives
 * ST_DEAD, as k_finish would.
 */
import type { Core } from './core.js';
import type { Thread, WaitDone } from './thread.js';
import { TID_INDEX_BITS, ST_DEAD } from './abi.js';

const TID_INDEX_MASK = (1 << TID_INDEX_BITS) - 1;

/** Wait cell values (abi/kernel.mjs T_CELL). */
export const CELL_BUSY = 0;
export const CELL_DONE = 1;
export const CELL_SLEEPING = 2;

/** Polls between two clock readings while spinning (and before the first one). */
const POLLS_PER_CLOCK = 1024;

export interface SpinPolicy {
  /** Spin budget in microseconds before Atomics.wait; 0 disables spinning. */
  spinUs: number;
}

const now = (): number => performance.now();

/**
 * The status of thread `th`'s completed syscall, read from its record (the cell is 1): what
 * k_finish returns, without entering the core. ST_DEAD when the record no longer stands for the
 * thread (its process ended and the record was freed, perhaps reused).
 */
export function finished(core: Core, th: Thread): number {
  const i32 = core.i32;
  const st = Atomics.load(i32, th.statusAt);
  return (Atomics.load(i32, th.tidAt) >>> 0) === th.tid ? st : ST_DEAD;
}

/**
 * Blocks until thread `th`'s cell is set or `timeoutMs` passes (Infinity: no limit).
 * Returns true when completed, false on timeout.
 */
export function waitBlocking(core: Core, th: Thread, timeoutMs: number, spin: SpinPolicy): boolean {
  const i32 = core.i32;
  const idx = th.cell;
  if (Atomics.load(i32, idx) === CELL_DONE) return true;
  if (timeoutMs <= 0) return false;
  let start = -1;
  if (spin.spinUs > 0) {
    // the first POLLS_PER_CLOCK polls read no clock: most answers come within them
    for (let n = 1; ; n++) {
      if (Atomics.load(i32, idx) === CELL_DONE) return true;
      if ((n & (POLLS_PER_CLOCK - 1)) === 0) {
        const t = now();
        if (start < 0) start = t;
        else if (t - start >= Math.min(spin.spinUs / 1000, timeoutMs)) break;
      }
    }
  } else {
    start = now();
  }
  const deadline = start + timeoutMs;
  for (;;) {
    const v = Atomics.load(i32, idx);
    if (v === CELL_DONE) return true;
    // announce the sleep; the completer then notifies (a lost race leaves the cell at 1)
    if (v === CELL_BUSY && Atomics.compareExchange(i32, idx, CELL_BUSY, CELL_SLEEPING) !== CELL_BUSY) continue;
    if (timeoutMs === Infinity) {
      Atomics.wait(i32, idx, CELL_SLEEPING);
    } else {
      const rest = deadline - now();
      if (rest <= 0) return Atomics.load(i32, idx) === CELL_DONE;
      Atomics.wait(i32, idx, CELL_SLEEPING, rest);
    }
  }
}

/** Ends thread `th`'s armed Async wait (once): disarms it, then runs its `done`. */
export function settle(th: Thread, completed: boolean): void {
  const done = th.done;
  if (done === null) return;
  th.done = null;
  th.waitSeq++;
  const core = th.core!;
  const slot = th.tid & TID_INDEX_MASK;
  if (core.wakers[slot] === th) core.wakers[slot] = undefined;
  if (th.timer !== undefined) { clearTimeout(th.timer); th.timer = undefined; }
  done(th, completed);
}

/**
 * Arms the wait for thread `th`'s syscall without blocking: `done(th, true)` runs when its cell
 * is set, or `done(th, false)` when `timeoutMs` passes first; exactly once, and never before
 * this returns. `spinPolls`: polls of the cell first (an answer expected from another realm);
 * `crossRealm`: the completer may run in another realm, so also wait with Atomics.waitAsync.
 * Returns true when the syscall had completed already (nothing armed, `done` not called).
 */
export function waitAsync(core: Core, th: Thread, timeoutMs: number, crossRealm: boolean, spinPolls: number,
  done: WaitDone): boolean {
  const i32 = core.i32;
  const idx = th.cell;
  for (let n = 0; n < spinPolls; n++) if (Atomics.load(i32, idx) === CELL_DONE) return true;
  // from here on the completer wakes this thread (a lost race leaves the cell at 1)
  if (Atomics.compareExchange(i32, idx, CELL_BUSY, CELL_SLEEPING) === CELL_DONE) return true;
  let futex: Promise<unknown> | undefined;
  if (crossRealm) {
    const w = Atomics.waitAsync(i32, idx, CELL_SLEEPING);
    // not-equal: the cell left 2, which only the completion does while the syscall is in flight
    if (!w.async) return true;
    futex = w.value;
  }
  th.core = core;
  th.done = done;
  core.wakers[th.tid & TID_INDEX_MASK] = th;
  if (futex !== undefined) watchFutex(th, futex, th.waitSeq);
  if (timeoutMs !== Infinity) {
    th.deadline = now() + timeoutMs;
    th.timer = setTimeout(onTimer, Math.min(timeoutMs, 0x7fffffff), th);
  }
  return false;
}

function onTimer(th: Thread): void {
  th.timer = undefined;
  if (th.done === null) return;
  const rest = th.deadline - now();
  // setTimeout holds at most 2^31-1 ms: longer timeouts re-arm until the deadline
  if (rest > 0) { th.timer = setTimeout(onTimer, Math.min(rest, 0x7fffffff), th); return; }
  settle(th, Atomics.load(th.core!.i32, th.cell) === CELL_DONE);
}

/** Settles `th`'s wait seq when `futex` (Atomics.waitAsync on its cell) ends with the cell set;
 * a late wake meant for an earlier syscall of the thread re-arms it. */
function watchFutex(th: Thread, futex: Promise<unknown>, seq: number): void {
  void futex.then(() => {
    if (th.waitSeq !== seq) return;
    const i32 = th.core!.i32;
    if (Atomics.load(i32, th.cell) === CELL_DONE) { settle(th, true); return; }
    const w = Atomics.waitAsync(i32, th.cell, CELL_SLEEPING);
    if (!w.async) settle(th, true);
    else watchFutex(th, w.value, seq);
  });
}
