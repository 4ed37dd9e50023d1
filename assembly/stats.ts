// What the kernel can say about itself: its counts (k_stats, kernel.stats()) and a digest of
// all its state (k_digest), which tests compare before and after a call that must change nothing.

import {
  LOCK_ADDR, STAT_PROCESSES, STAT_THREADS, STAT_OBJECTS, STAT_HANDLES, STAT_BADGES, STAT_NOTICES,
  STAT_SUBSCRIPTIONS, STAT_EVENTS, STAT_SLOTS, STAT_USER_OBJECTS, STAT_LISTENERS, STAT_CHANNELS,
  STAT_SYNC_OBJECTS, STAT_TASKS, STAT_CALLABLES, STAT_REVOKED_HANDLES, STAT_HEAP_BYTES, STAT_STAGING_BYTES,
  THREAD_SIZE, KERNEL_END, T_CELL,
} from './abi';
import {
  KBASE, DIRS, TABLES_END, hdr, made, proc, thread, obj, slot, sub, event, nameEntry, endpointEntry,
  H_HANDLES, H_REVOKED, TB_PROCS, TB_THREADS, TB_OBJECTS, TB_SLOTS, TB_SUBS, TB_EVENTS, TB_NAMES,
  TB_ENDPOINTS, PROC_SIZE, OBJ_SIZE, SLOT_SIZE, SUB_SIZE, EVENT_SIZE, NAME_SIZE, HANDLE_SIZE, P_STATE,
  PS_FREE, K_BADGE, K_NOTICE, K_USER, K_LISTENER, K_CHANNEL, K_SYNC, K_TASK, K_CALLABLE, H_HEAP_TOP,
  T_STATE, T_STAGE, T_STAGE_CAP, TS_FREE, H_FREELISTS, P_ALLOCS,
} from './layout';
import { tableLive } from './table';
import { slotsKept } from './slots';
import { objCount } from './objects';
import { hent, handlesMade } from './handles';

/** Writes the counters at `at`, one u32 each, in the order of abi/kernel.mjs `stats`. */
export function writeStats(at: u32): void {
  store<u32>(at + (STAT_PROCESSES << 2), tableLive(TB_PROCS));
  store<u32>(at + (STAT_THREADS << 2), tableLive(TB_THREADS));
  store<u32>(at + (STAT_OBJECTS << 2), tableLive(TB_OBJECTS));
  store<u32>(at + (STAT_HANDLES << 2), load<u32>(hdr(H_HANDLES)));
  store<u32>(at + (STAT_BADGES << 2), objCount(K_BADGE));
  store<u32>(at + (STAT_NOTICES << 2), objCount(K_NOTICE));
  store<u32>(at + (STAT_SUBSCRIPTIONS << 2), tableLive(TB_SUBS));
  store<u32>(at + (STAT_EVENTS << 2), tableLive(TB_EVENTS));
  store<u32>(at + (STAT_SLOTS << 2), tableLive(TB_SLOTS) - slotsKept());
  store<u32>(at + (STAT_USER_OBJECTS << 2), objCount(K_USER));
  store<u32>(at + (STAT_LISTENERS << 2), objCount(K_LISTENER));
  store<u32>(at + (STAT_CHANNELS << 2), objCount(K_CHANNEL));
  store<u32>(at + (STAT_SYNC_OBJECTS << 2), objCount(K_SYNC));
  store<u32>(at + (STAT_TASKS << 2), objCount(K_TASK));
  store<u32>(at + (STAT_CALLABLES << 2), objCount(K_CALLABLE));
  store<u32>(at + (STAT_REVOKED_HANDLES << 2), load<u32>(hdr(H_REVOKED)));
  const top = load<u32>(hdr(H_HEAP_TOP));
  store<u32>(at + (STAT_HEAP_BYTES << 2), top > KERNEL_END ? top - KERNEL_END : 0);
  let staging: u32 = 0;
  const n = made(TB_THREADS);
  for (let i: u32 = 0; i < n; i++) {
    if (load<i32>(thread(i) + T_STATE) != TS_FREE) staging += load<u32>(thread(i) + T_STAGE_CAP);
  }
  store<u32>(at + (STAT_STAGING_BYTES << 2), staging);
}

// @ts-ignore: decorator
@inline function mix(h: u32, w: u32): u32 { return (h ^ w) * 0x01000193; }

function hashBytes(h: u32, at: u32, bytes: u32): u32 {
  for (let a = at; a < at + bytes; a += 4) h = mix(h, load<u32>(a));
  return h;
}

/**
 * FNV-1a of the kernel's state: the fixed part (but the lock line, the admin record and the
 * scratch area, which change without changing kernel state), every record of every table made
 * so far, and every process's handle table. The heap's bookkeeping (its top, its free lists, a
 * process's list of blocks P_ALLOCS) and a thread's staging buffer (T_STAGE, T_STAGE_CAP) are
 * left out: they say where the kernel keeps memory, not what it holds, and they move without a
 * change of state (a thread gives staging above STAGE_KEEP back to the heap after its call,
 * possibly while another process takes a digest). kernel.memory() reports them. So is a
 * thread's wait cell (T_CELL), which its waiter moves from 0 to 2 when it stops spinning and
 * sleeps.
 */
export function digest(): u32 {
  let h: u32 = 0x811c9dc5;
  h = hashBytes(h, KBASE, H_HEAP_TOP);
  h = hashBytes(h, KBASE + H_HEAP_TOP + 4, H_FREELISTS - H_HEAP_TOP - 4);
  h = hashBytes(h, KBASE + H_FREELISTS + 128, LOCK_ADDR - KBASE - H_FREELISTS - 128);
  h = hashBytes(h, DIRS, TABLES_END - DIRS);
  let n = made(TB_PROCS);
  for (let i: u32 = 0; i < n; i++) {
    h = hashBytes(h, proc(i), P_ALLOCS);
    h = hashBytes(h, proc(i) + P_ALLOCS + 4, PROC_SIZE - P_ALLOCS - 4);
    if (load<i32>(proc(i) + P_STATE) == PS_FREE) continue;
    const slots = handlesMade(i);
    for (let s: u32 = 0; s < slots; s++) h = hashBytes(h, hent(i, s), HANDLE_SIZE);
  }
  n = made(TB_THREADS);
  for (let i: u32 = 0; i < n; i++) {
    h = hashBytes(h, thread(i) + T_CELL + 4, T_STAGE - T_CELL - 4);
    h = hashBytes(h, thread(i) + T_STAGE_CAP + 4, THREAD_SIZE - T_STAGE_CAP - 4);
  }
  n = made(TB_OBJECTS);
  for (let i: u32 = 0; i < n; i++) h = hashBytes(h, obj(i), OBJ_SIZE);
  n = made(TB_SLOTS);
  for (let i: u32 = 0; i < n; i++) h = hashBytes(h, slot(i), SLOT_SIZE);
  n = made(TB_SUBS);
  for (let i: u32 = 0; i < n; i++) h = hashBytes(h, sub(i), SUB_SIZE);
  n = made(TB_EVENTS);
  for (let i: u32 = 0; i < n; i++) h = hashBytes(h, event(i), EVENT_SIZE);
  n = made(TB_NAMES);
  for (let i: u32 = 0; i < n; i++) h = hashBytes(h, nameEntry(i), NAME_SIZE);
  n = made(TB_ENDPOINTS);
  for (let i: u32 = 0; i < n; i++) h = hashBytes(h, endpointEntry(i), NAME_SIZE);
  return h;
}

