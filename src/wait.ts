/**
 * Waiting for a syscall to complete. The core sets a thread's wait cell to 0 when the syscall
 * starts and to 1 when it completes, after writing the status into the record (T_STATUS). A
 * waiter that only polls costs its completer nothing; a waiter about to sleep first changes
 * the cell from 0 to 2, and the completer, seeing 2, wakes it (the futex notify, and the
 * realm's `wake` import) once it has released the kernel lock.
 *
 * - waitBlocking: spins on the cell for a bounded time when a spare core exists (a number of
 *   polls measured once to last that long: no clock is read while spinning), then Atomics.wait;
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
import { TID_INDEX_BITS, ST_DEAD, ST_TIMEOUT, SYS } from './abi.js';

const TID_INDEX_MASK = (1 << TID_INDEX_BITS) - 1;

/** Wait cell values (abi/kernel.mjs T_CELL). */
export const CELL_BUSY = 0;
export const CELL_DONE = 1;
export const CELL_SLEEPING = 2;


const now = (): number => performance.now();

/**
 * The status of thread `th`'s completed syscall, read from its record (the cell is 1): what
 * k_finish returns, without entering the core. ST_DEAD when the record no longer stands for the
 * thread (its process ended and the record was freed, perhaps reused).
 */
export function finished(core: Core, th: Thread): number {
  // plain reads: the waiter's atomic read of the cell (1) ordered them after the completer's writes
  const i32 = core.i32;
  const st = i32[th.statusAt]!;
  return (i32[th.tidAt]! >>> 0) === th.tid ? st : ST_DEAD;
}

/**
 * The status of a wait that ended: read from the thread's record when the syscall completed
 * (no core entry: finished), k_cancel when the timeout passed first.
 */
export function finish(core: Core, th: Thread, completed: boolean): number {
  return completed ? finished(core, th) : core.sys(SYS.k_cancel, th.tid, ST_TIMEOUT);
}

/**
 * Blocks until thread `th`'s cell is set or `timeoutMs` passes (Infinity: no limit), spinning
 * first for the realm's budget (core.spinUs). Returns true when completed, false on timeout.
 */
export function waitBlocking(core: Core, th: Thread, timeoutMs: number): boolean {
  const i32 = core.i32;
  const idx = th.cell;
  if (Atomics.load(i32, idx) === CELL_DONE) return true;
  if (timeoutMs <= 0) return false;
  if (core.spinUs > 0 && poll(i32, idx, spinPolls(core.spinUs, timeoutMs))) return true;
  core.sleeps++;
  return sleep(i32, idx, timeoutMs);
}

/** Sleeps until the cell is set (true) or `timeoutMs` has passed (false). */
function sleep(i32: Int32Array, idx: number, timeoutMs: number): boolean {
  const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
  for (;;) {
    const v = Atomics.load(i32, idx);
    if (v === CELL_DONE) return true;
    // announce the sleep; the completer then notifies (a lost race leaves the cell at 1)
    if (v === CELL_BUSY && Atomics.compareExchange(i32, idx, CELL_BUSY, CELL_SLEEPING) !== CELL_BUSY) continue;
    if (deadline === Infinity) {
      Atomics.wait(i32, idx, CELL_SLEEPING);
    } else {
      const rest = deadline - performance.now();
      if (rest <= 0) return Atomics.load(i32, idx) === CELL_DONE;
      Atomics.wait(i32, idx, CELL_SLEEPING, rest);
    }
  }
}

/** Polls of a wait cell per microsecond in this realm, measured once (pollRate). */
let pollsPerUs = 0;

/**
 * Polls that last `spinUs` microseconds (at most `timeoutMs`) in this realm. The spin reads no
 * clock: a clock reading costs as much as a hundred polls, and in a Node worker
 * performance.now() allocates; the rate is measured once per realm instead.
 */
export function spinPolls(spinUs: number, timeoutMs: number): number {
  if (pollsPerUs === 0) pollsPerUs = pollRate();
  return Math.ceil(pollsPerUs * Math.min(spinUs, timeoutMs * 1000));
}

/** Polls the cell up to `n` times: true as soon as it is set. The spin of every wait. */
function poll(i32: Int32Array, idx: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (Atomics.load(i32, idx) === CELL_DONE) return true;
  return false;
}

/**
 * How many polls run in a microsecond here: poll() itself timed on an idle cell, the best of a
 * few rounds (the first ones run before it is optimized), at least 1.
 */
function pollRate(): number {
  const i32 = new Int32Array(new SharedArrayBuffer(64));
  const n = 20000;
  let best = 0;
  for (let round = 0; round < 12; round++) {
    const t0 = performance.now();
    poll(i32, 0, n);
    const us = (performance.now() - t0) * 1000;
    if (us > 0) best = Math.max(best, n / us);
  }
  return Math.max(1, Math.min(best, 10000));
}

/** Ends thread `th`'s armed Async wait (once): disarms it, then runs its `done`. */
export function settle(th: Thread, completed: boolean): void {
  const done = th.done;
  if (done === null) return;
  th.done = null;
  th.waitSeq++;
  const core = th.core!;
  if (--core.armed === 0 && core.keepAlive !== null) core.keepAlive(false);
  const slot = th.tid & TID_INDEX_MASK;
  if (core.wakers[slot] === th) core.wakers[slot] = undefined;
  if (th.timer !== undefined) { clearTimeout(th.timer); th.timer = undefined; }
  done(th, completed);
}

/**
 * Arms the wait for thread `th`'s syscall without blocking: `done(th, true)` runs when its cell
 * is set, or `done(th, false)` when `timeoutMs` passes first; exactly once, and never before
 * this returns. `polls`: polls of the cell first (an answer expected from another realm). When
 * the completer may run in another realm (core.crossRealm), it also waits with Atomics.waitAsync.
 * Returns true when the syscall had completed already (nothing armed, `done` not called).
 */
export function waitAsync(core: Core, th: Thread, timeoutMs: number, polls: number, done: WaitDone): boolean {
  const i32 = core.i32;
  const idx = th.cell;
  for (let n = 0; n < polls; n++) if (Atomics.load(i32, idx) === CELL_DONE) return true;
  // from here on the completer wakes this thread (a lost race leaves the cell at 1)
  if (Atomics.compareExchange(i32, idx, CELL_BUSY, CELL_SLEEPING) === CELL_DONE) return true;
  let futex: Promise<unknown> | undefined;
  if (core.crossRealm) {
    const w = Atomics.waitAsync(i32, idx, CELL_SLEEPING);
    // not-equal: the cell left 2, which only the completion does while the syscall is in flight
    if (!w.async) return true;
    futex = w.value;
  }
  th.core = core;
  th.done = done;
  if (core.armed++ === 0 && core.keepAlive !== null) core.keepAlive(true);
  core.wakers[th.tid & TID_INDEX_MASK] = th;
  if (futex !== undefined) watchFutex(th, futex, th.waitSeq);
  if (timeoutMs !== Infinity) {
    th.deadline = now() + timeoutMs;
    th.timer = setTimeout(onTimer, Math.min(timeoutMs, 0x7fffffff), th);
  }
  return false;
}

/**
 * Realm of `core` is about to have its first worker: from now on a completer may run in another
 * realm, whose `wake` import cannot reach this realm. Every Async wait armed until now (without
 * Atomics.waitAsync) also starts watching its cell, so a worker's completion settles it.
 */
export function becomeCrossRealm(core: Core): void {
  if (core.crossRealm) return;
  core.crossRealm = true;
  for (const w of core.wakers) {
    const th = w as Thread | undefined;
    if (th === undefined || th.done === null) continue;
    const f = Atomics.waitAsync(core.i32, th.cell, CELL_SLEEPING);
    // not-equal: completed between the arming and now; the watcher settles it in a microtask
    watchFutex(th, f.async ? f.value : Promise.resolve(), th.waitSeq);
  }
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
