/**
 * Waiting for a syscall to complete. The core flips a thread's wait cell from 0 to 1 and
 * notifies it; the waiter here either blocks its thread (spin briefly when a spare core exists,
 * then Atomics.wait) or returns a Promise (in-realm wake from the core's `wake` import, plus
 * Atomics.waitAsync when the completer may run in another realm).
 */
import type { Core } from './core.js';
import type { Thread } from './thread.js';
import { TID_INDEX_BITS } from './abi.js';

const TID_INDEX_MASK = (1 << TID_INDEX_BITS) - 1;

export interface SpinPolicy {
  /** Spin budget in microseconds before Atomics.wait; 0 disables spinning. */
  spinUs: number;
}

const now = (): number => performance.now();

/**
 * Blocks until thread `th`'s cell is set or `timeoutMs` passes (Infinity: no limit).
 * Returns true when completed, false on timeout.
 */
export function waitBlocking(core: Core, th: Thread, timeoutMs: number, spin: SpinPolicy): boolean {
  const i32 = core.i32;
  const idx = th.cell;
  if (Atomics.load(i32, idx) !== 0) return true;
  const start = now();
  if (spin.spinUs > 0) {
    const end = start + Math.min(spin.spinUs / 1000, timeoutMs);
    for (let n = 1; ; n++) {
      if (Atomics.load(i32, idx) !== 0) return true;
      if ((n & 127) === 0 && now() >= end) break;
    }
  }
  const deadline = start + timeoutMs;
  for (;;) {
    if (timeoutMs === Infinity) {
      Atomics.wait(i32, idx, 0);
    } else {
      const rest = deadline - now();
      if (rest <= 0) return Atomics.load(i32, idx) !== 0;
      Atomics.wait(i32, idx, 0, rest);
    }
    if (Atomics.load(i32, idx) !== 0) return true;
  }
}

/**
 * Calls `done(true)` when thread `th`'s cell is set, or `done(false)` when `timeoutMs` passes
 * first; exactly once. `crossRealm`: the completer may run in another realm, so also wait with
 * Atomics.waitAsync. A callback, not a Promise, so an Async call costs one Promise in all.
 */
export function onWake(core: Core, th: Thread, timeoutMs: number, crossRealm: boolean,
  done: (completed: boolean) => void): void {
  const i32 = core.i32;
  const idx = th.cell;
  const tid = th.tid;
  if (Atomics.load(i32, idx) !== 0) { done(true); return; }
  let settled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const slot = tid & TID_INDEX_MASK;
  const settle = (ok: boolean): void => {
    if (settled) return;
    settled = true;
    if (core.wakers[slot] === waker) core.wakers[slot] = undefined;
    if (timer !== undefined) clearTimeout(timer);
    done(ok);
  };
  const waker = { tid, wake: (): void => settle(true) };
  core.wakers[slot] = waker;
  if (crossRealm) {
    // A late futex wake from a previous syscall of this thread may arrive first: re-arm.
    const arm = (): void => {
      if (settled) return;
      const w = Atomics.waitAsync(i32, idx, 0);
      if (!w.async) { settle(true); return; }
      void w.value.then(() => { if (Atomics.load(i32, idx) !== 0) settle(true); else arm(); });
    };
    arm();
  }
  if (timeoutMs !== Infinity) {
    // setTimeout holds at most 2^31-1 ms: longer timeouts re-arm until the deadline
    const deadline = performance.now() + timeoutMs;
    const arm = (): void => {
      const rest = deadline - performance.now();
      if (rest <= 0) { settle(Atomics.load(i32, idx) !== 0); return; }
      timer = setTimeout(arm, Math.min(rest, 0x7fffffff));
    };
    timer = setTimeout(arm, Math.min(timeoutMs, 0x7fffffff));
  }
}
