// The gate of every entry point (index.ts): take the kernel lock as the caller, check that the
// caller exists and is alive, and know where its result words go. Nothing is changed before the
// gate lets a call through; leave() releases the lock (and flushes the wakes, lock.ts).
//
// Callers (abi/kernel.mjs): a thread, named by its Tid, whose results go to its own record; or
// ADMIN, the realm that owns the Kernel, whose results go to ADMIN_RECORD. A worker realm makes
// the few realm-level calls it needs (k_thread_alloc) as its boot thread.

import {
  ADMIN, ADMIN_RECORD, SCRATCH, SCRATCH_SIZE, NAME_MAX, T_R0, ST_OK, ST_LOCK_BUSY, ST_DEAD, ST_BAD_ARG,
} from './abi';
import { thread, T_PROC, T_STATE, TS_IDLE, TS_DONE, procAlive } from './layout';
import { lockAcquire, lockRelease } from './lock';
import { threadIndex } from './threads';

/**
 * Takes the lock for thread `tid`: its record index, or -status with the lock not held
 * (ST_LOCK_BUSY; ST_DEAD when the thread or its process is gone; ST_BAD_ARG when `idle` is asked
 * and the thread has a syscall in flight). A completed syscall whose status the host read
 * from the record (TS_DONE, no k_finish) counts as idle.
 */
export function enterThread(tid: u32, idle: bool): i32 {
  if (!lockAcquire(tid)) return -ST_LOCK_BUSY;
  const t = threadIndex(tid);
  if (t < 0 || !procAlive(load<u32>(thread(<u32>t) + T_PROC))) { lockRelease(); return -ST_DEAD; }
  if (idle) {
    const st = load<i32>(thread(<u32>t) + T_STATE);
    if (st != TS_IDLE && st != TS_DONE) { lockRelease(); return -ST_BAD_ARG; }
  }
  return t;
}

/** Takes the lock for the admin caller: ST_OK, ST_BAD_ARG (not ADMIN) or ST_LOCK_BUSY. */
export function enterAdmin(who: u32): i32 {
  if (who != ADMIN) return ST_BAD_ARG;
  return lockAcquire(who) ? ST_OK : ST_LOCK_BUSY;
}

/**
 * Takes the lock for a realm-level call: ADMIN, or a live thread standing for its worker realm.
 * Returns the caller's record address, or -status (lock not held).
 */
export function enterRealm(who: u32): i32 {
  if (!lockAcquire(who)) return -ST_LOCK_BUSY;
  if (who == ADMIN) return <i32>ADMIN_RECORD;
  const t = threadIndex(who);
  if (t < 0) { lockRelease(); return -ST_DEAD; }
  return <i32>thread(<u32>t);
}

export function leave(st: i32): i32 {
  lockRelease();
  return st;
}

/** Writes result word `i` of the record at `rec`. */
export function result(rec: u32, i: u32, v: u32): void {
  store<u32>(rec + T_R0 + (i << 2), v);
}

/** True when [at, at + len) is a name the admin wrote into the scratch area. */
export function scratchName(at: u32, len: u32): bool {
  return len != 0 && len <= NAME_MAX && at >= SCRATCH && <u64>at + <u64>len <= <u64>(SCRATCH + SCRATCH_SIZE);
}
