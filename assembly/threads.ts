// Thread records: one per thread of a process that makes syscalls (a worker's thread, or one
// logical thread per concurrent Async call in a realm). Each record holds the thread's wait
// cell, its result words, the descriptors of its syscall in flight and what it received.
//
// A thread's public id (Tid) carries the record's generation, so a stale Tid from an earlier
// user of the same record is never taken for the current one:
//   Tid = gen << TID_INDEX_BITS | (index + 1)
// The index bits are never 0, so a Tid is never 0 and never ADMIN. The record keeps its current
// Tid in T_TID (host-visible): the generation moves on when the record is freed and again when
// it is reused, so a waiter that reads T_TID after its status knows whether the status is its own.

import { MAX_THREADS, TID_INDEX_BITS, T_CELL, T_TID, THREAD_SIZE, STAGE_KEEP } from './abi';
import {
  thread, made, put, T_STATE, T_PROC, T_RC, T_NEXT, T_PREV, T_REALM, T_SYNC, T_OBJ, T_SLOT, T_STAGE,
  T_STAGE_CAP, T_OUT_C, T_OUT_A, T_IN_C, T_IN_A, TS_FREE, TS_IDLE, TS_DONE, TS_QUEUED,
  TS_WAIT_REPLY, TS_WAIT_RECV, TB_THREADS, DIR_THREADS, THREAD_BITS,
} from './layout';
import { heapAlloc, heapFree, heapCapacity } from './heap';
import { tableAlloc, tableFree } from './table';

// @ts-ignore: decorator
@external("env", "wake")
declare function hostWake(tid: u32): void;

const INDEX_MASK: u32 = (1 << TID_INDEX_BITS) - 1;
const GEN_MASK: u32 = 0xFFFFFFFF >> TID_INDEX_BITS;

export function tidOf(i: u32): u32 {
  return load<u32>(thread(i) + T_TID);
}

/** Moves record `i`'s Tid to the next generation. */
function nextTid(a: u32, i: u32): void {
  const gen = ((load<u32>(a + T_TID) >>> TID_INDEX_BITS) + 1) & GEN_MASK;
  atomic.store<u32>(a + T_TID, (gen << TID_INDEX_BITS) | (i + 1));
}

/** Thread index of a public Tid, or -1 when it names no live record. */
export function threadIndex(tid: u32): i32 {
  const i = (tid & INDEX_MASK) - 1;
  if (i >= made(TB_THREADS)) return -1;
  if (load<i32>(thread(i) + T_STATE) == TS_FREE) return -1;
  if (tidOf(i) != tid) return -1;
  return <i32>i;
}

/** A record for a thread of process `p` in `realm`: its index, or -1 when the table is full. */
export function threadAlloc(p: u32, realm: u32): i32 {
  const i = tableAlloc(TB_THREADS, DIR_THREADS, THREAD_BITS, THREAD_SIZE, MAX_THREADS, T_NEXT);
  if (i < 0) return i;
  const a = thread(<u32>i);
  const tid = load<u32>(a + T_TID);
  memory.fill(a, 0, THREAD_SIZE);
  store<u32>(a + T_TID, tid);
  nextTid(a, <u32>i);
  store<i32>(a + T_STATE, TS_IDLE);
  store<u32>(a + T_PROC, p);
  store<u32>(a + T_REALM, realm);
  return i;
}

/** Frees a record and its staging buffer; its Tid names nothing from now on. */
export function threadFree(i: u32): void {
  const a = thread(i);
  const stage = load<u32>(a + T_STAGE);
  if (stage != 0) heapFree(stage);
  store<i32>(a + T_STATE, TS_FREE);
  store<u32>(a + T_STAGE, 0);
  store<u32>(a + T_STAGE_CAP, 0);
  nextTid(a, i);
  tableFree(TB_THREADS, DIR_THREADS, THREAD_BITS, THREAD_SIZE, i, T_NEXT);
}

/** Thread records made so far (live or free): the bound of a scan over all threads. */
export function threadsMade(): u32 {
  return made(TB_THREADS);
}

/**
 * The thread's staging buffer, grown to at least `bytes` (its old one is freed): the address, or
 * 0 when kernel memory is exhausted (the old buffer is then kept). `bytes` 0: a buffer larger
 * than STAGE_KEEP goes back to the heap (the address is then 0).
 */
export function threadStage(t: u32, bytes: u32): u32 {
  const a = thread(t);
  let s = load<u32>(a + T_STAGE);
  if (bytes == 0) {
    if (s != 0 && load<u32>(a + T_STAGE_CAP) > STAGE_KEEP) {
      heapFree(s);
      store<u32>(a + T_STAGE, 0);
      store<u32>(a + T_STAGE_CAP, 0);
      return 0;
    }
    return s;
  }
  if (s != 0 && load<u32>(a + T_STAGE_CAP) >= bytes) return s;
  const grown = heapAlloc(load<u32>(a + T_PROC), bytes);
  if (grown == 0) return 0;
  if (s != 0) heapFree(s);
  store<u32>(a + T_STAGE, grown);
  store<u32>(a + T_STAGE_CAP, heapCapacity(grown));
  return grown;
}

/** True when a syscall in flight of process `p` uses [addr, addr + cap) in place. */
export function threadsUseBuffer(p: u32, addr: u32, cap: u32): bool {
  const end = addr + cap;
  const n = made(TB_THREADS);
  for (let i: u32 = 0; i < n; i++) {
    const a = thread(i);
    const st = load<i32>(a + T_STATE);
    if (load<u32>(a + T_PROC) != p || (st != TS_QUEUED && st != TS_WAIT_REPLY && st != TS_WAIT_RECV)) continue;
    const c1 = load<u32>(a + T_OUT_C), c2 = load<u32>(a + T_OUT_A);
    const c3 = load<u32>(a + T_IN_C), c4 = load<u32>(a + T_IN_A);
    if ((c1 >= addr && c1 < end) || (c2 >= addr && c2 < end) || (c3 >= addr && c3 < end) || (c4 >= addr && c4 < end)) return true;
  }
  return false;
}

// Wakes are deferred until the kernel lock is released (flushWakes, called by lockRelease), so
// a woken thread does not run straight into the lock its waker still holds. Only a thread whose
// waiter said it sleeps (it set its cell from 0 to 2: Atomics.wait, Atomics.waitAsync, or an
// Async call of its realm waiting for the `wake` import) is woken at all; a waiter that spins
// sees the cell flip to 1 by itself, and costs its completer nothing more. The pending list
// holds Tids taken when the thread completed: a record freed and reused before the flush (its
// process ended in the same entry point) still wakes the waiter of the completed syscall, which
// then finds its record's Tid changed (ST_DEAD). The list lives in wasm globals: per instance,
// and an instance runs one entry point at a time, so it is never shared between realms. Past
// WAKE_MAX pending wakes, a wake happens at once.
const WAKE_MAX = 4;
let wakeN = 0;
let wake0: u32 = 0, wake1: u32 = 0, wake2: u32 = 0, wake3: u32 = 0;

function wakeNow(tid: u32): void {
  atomic.notify(thread((tid & INDEX_MASK) - 1) + T_CELL, 1);
  hostWake(tid);
}

function wakeLater(tid: u32): void {
  if (wakeN == 0) wake0 = tid;
  else if (wakeN == 1) wake1 = tid;
  else if (wakeN == 2) wake2 = tid;
  else if (wakeN == 3) wake3 = tid;
  else { wakeNow(tid); return; }
  wakeN++;
}

/**
 * Notifies the wait cell of every thread whose syscall has completed (its cell is 1). Called
 * after a worker was stopped: it may have completed other threads' syscalls and been stopped
 * after releasing the lock but before flushWakes sent their wakes, leaving them asleep on a
 * cell that says done. A notify that finds no waiter does nothing; every waiter checks its
 * cell again when woken. Runs without the kernel lock, as k_unlock_if_dead_owner does (the
 * stopped worker may hold it): it only reads cells and notifies.
 */
export function rewakeCompleted(): void {
  const n = made(TB_THREADS);
  for (let i: u32 = 0; i < n; i++) {
    const cell = thread(i) + T_CELL;
    if (atomic.load<i32>(cell) != 0) atomic.notify(cell, -1);
  }
}

/** Wakes the threads completed during the entry point that just released the lock. */
export function flushWakes(): void {
  const n = wakeN;
  if (n == 0) return;
  wakeN = 0;
  wakeNow(wake0);
  if (n > 1) wakeNow(wake1);
  if (n > 2) wakeNow(wake2);
  if (n > 3) wakeNow(wake3);
}

/** Cell values (T_CELL): in flight; completed; in flight with a sleeping waiter. */
export const CELL_BUSY: i32 = 0;
export const CELL_DONE: i32 = 1;
export const CELL_SLEEPING: i32 = 2;

/**
 * Completes thread `i`'s syscall with status `rc`: the status is written and the cell flips to
 * 1 now, under the lock; if its waiter sleeps, the futex wake (for Atomics.wait / waitAsync)
 * and the host's wake import (for an Async call of this realm) follow when the lock is
 * released. The record leaves every queue before this.
 */
export function complete(i: u32, rc: i32): void {
  const a = thread(i);
  // A syscall completes exactly once (docs/semantics.md, "Steps of an exchange": (X) and (P2)
  // exclude each other under the lock).
  assert(load<i32>(a + T_STATE) != TS_DONE && load<i32>(a + T_STATE) != TS_FREE, 'complete: thread is not waiting');
  store<i32>(a + T_RC, rc);
  store<i32>(a + T_STATE, TS_DONE);
  store<u32>(a + T_OBJ, 0);
  store<u32>(a + T_SYNC, 0);
  store<u32>(a + T_SLOT, 0);
  if (atomic.xchg<i32>(a + T_CELL, CELL_DONE) == CELL_SLEEPING) wakeLater(tidOf(i));
}

// ---- FIFO queues of threads, linked through T_NEXT / T_PREV (index + 1) --------------------

export function qPush(headAddr: u32, tailAddr: u32, i: u32): void {
  const a = thread(i);
  const tail = load<u32>(tailAddr);
  put(a + T_NEXT, 0);
  put(a + T_PREV, tail);
  if (tail != 0) store<u32>(thread(tail - 1) + T_NEXT, i + 1);
  else store<u32>(headAddr, i + 1);
  store<u32>(tailAddr, i + 1);
}

export function qRemove(headAddr: u32, tailAddr: u32, i: u32): void {
  const a = thread(i);
  const next = load<u32>(a + T_NEXT);
  const prev = load<u32>(a + T_PREV);
  if (prev != 0) store<u32>(thread(prev - 1) + T_NEXT, next);
  else store<u32>(headAddr, next);
  if (next != 0) store<u32>(thread(next - 1) + T_PREV, prev);
  else store<u32>(tailAddr, prev);
  put(a + T_NEXT, 0);
  put(a + T_PREV, 0);
}

/** Pops the head of a queue; returns its index + 1, or 0 when empty. */
export function qPop(headAddr: u32, tailAddr: u32): u32 {
  const h = load<u32>(headAddr);
  if (h != 0) qRemove(headAddr, tailAddr, h - 1);
  return h;
}
