// The kernel lock: one word on its own cache line, held for the few hundred nanoseconds of a
// syscall's critical section. The core never waits: after a bounded spin it returns
// ST_LOCK_BUSY and the host waits (Atomics.wait on the lock word, counted in LOCK_WAITERS) and
// calls again (src/core.ts, Core.sys). Every entry point takes the lock before it changes
// anything, so calling again is exact.
//
//   LOCK_ADDR +0  owner: 0 free, else the holder's caller id (a Tid, or ADMIN)
//             +4  host waiters: how many realms sleep on the lock word (unlock notifies them)
//
// A holder that dies cannot leave the lock held: a process's worker is only terminated after
// the kernel's realm took the lock and freed the process (src/workers.ts); a worker stopped
// just after, inside the entry that finds its thread gone, is caught by k_unlock_if_dead_owner
// once it has stopped; a trap inside the core is caught by Core.sys, which calls
// k_unlock_after_trap; and nothing in a critical section calls code that can throw or re-enter
// the core (the host's wake import only schedules a microtask). The wakes lockRelease sends
// after the store of 0 can be lost with a worker stopped in between: k_unlock_if_dead_owner
// sends them again once it has stopped (threads.ts rewakeCompleted).

import { LOCK_ADDR } from './abi';
import { flushWakes } from './threads';

const LOCK_WAITERS: u32 = LOCK_ADDR + 4;
const SPINS: i32 = 2000;

export function lockAcquire(who: u32): bool {
  for (let i = 0; i < SPINS; i++) {
    if (atomic.load<u32>(LOCK_ADDR) == 0 && atomic.cmpxchg<u32>(LOCK_ADDR, 0, who) == 0) return true;
  }
  return false;
}

/** Releases the lock, then wakes the threads this entry point completed (threads.ts). */
export function lockRelease(): void {
  atomic.store<u32>(LOCK_ADDR, 0);
  lockWakeWaiters();
  flushWakes();
}

/** Wakes realms sleeping on the lock word. */
export function lockWakeWaiters(): void {
  if (atomic.load<i32>(LOCK_WAITERS) != 0) atomic.notify(LOCK_ADDR, 1);
}

export function lockOwner(): u32 {
  return atomic.load<u32>(LOCK_ADDR);
}

/** Releases the lock if `owner` still holds it (a dead or trapped holder); true when it did. */
export function lockSteal(owner: u32): bool {
  if (owner == 0 || atomic.cmpxchg<u32>(LOCK_ADDR, owner, 0) != owner) return false;
  lockWakeWaiters();
  return true;
}
