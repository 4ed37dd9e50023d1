// The kernel lock: one word on its own cache line, held for the few hundred nanoseconds of a
// syscall's critical section. The core never waits: after a bounded spin it returns
// ST_LOCK_BUSY and the host waits (Atomics.wait on the lock word, counted in LOCK_WAITERS) and
// retries. Every entry point takes the lock before it changes anything, so a retry is exact.
//
//   LOCK_ADDR +0  owner: 0 free, else the holder's id (its Tid, or 0x40000000 for the realm
//                 that owns the Kernel)
//             +4  host waiters: how many realms sleep on the lock word (unlock notifies them)
//
// A holder that dies cannot leave the lock held: a process's worker is only terminated after
// the kernel's realm took the lock and freed the process (src/kernel.ts release()); a worker
// stopped just after, inside the entry that finds its thread gone, is caught by
// k_unlock_if_dead_owner once it has stopped; a trap inside the core is caught by the host,
// which calls k_unlock_after_trap; and nothing in a critical section calls code that can
// throw or re-enter the core (the host's wake import only schedules a microtask).

import { LOCK_ADDR } from './layout';
import { flushWakes } from './threads';

const LOCK_WAITERS: u32 = LOCK_ADDR + 4;
const SPINS: i32 = 2000;

export function lockAcquire(who: i32): bool {
  for (let i = 0; i < SPINS; i++) {
    if (atomic.load<i32>(LOCK_ADDR) == 0 && atomic.cmpxchg<i32>(LOCK_ADDR, 0, who) == 0) return true;
  }
  return false;
}

/** Releases the lock, then wakes the threads this entry point completed (threads.ts). */
export function lockRelease(): void {
  atomic.store<i32>(LOCK_ADDR, 0);
  if (atomic.load<i32>(LOCK_WAITERS) != 0) atomic.notify(LOCK_ADDR, 1);
  flushWakes();
}

/** Wakes realms sleeping on the lock word (after it was released by other means). */
export function lockWakeWaiters(): void {
  if (atomic.load<i32>(LOCK_WAITERS) != 0) atomic.notify(LOCK_ADDR, 1);
}

export function lockOwner(): i32 {
  return atomic.load<i32>(LOCK_ADDR);
}
