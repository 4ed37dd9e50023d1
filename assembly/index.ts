// The kernel core's exports, as abi/kernel.mjs declares them: each takes the caller first,
// passes the gate (gate.ts: the lock, the caller alive), hands the call to the one file that
// implements it, writes its result words and returns one status. No logic of its own lives
// here; test/abi.test.ts checks these names and arities against the declaration.

import {
  ABI_HASH, ADMIN, ADMIN_RECORD, LOCK_ADDR, SCRATCH, SCRATCH_SIZE, KERNEL_END, NAME_MAX,
  MAX_PROCS, SHAPE_MAX_DESC, ST_OK, ST_BAD_ARG, ST_NO_MEMORY, ST_QUOTA, ST_DEAD, ST_IN_USE,
  ST_NOT_FOUND, ST_NOT_CONNECTED,
} from './abi';
import * as L from './layout';
import { enterThread, enterAdmin, enterRealm, leave, result, scratchName } from './gate';
import { lockOwner, lockRelease, lockSteal } from './lock';
import { threadIndex, threadAlloc, threadStage, threadsUseBuffer, tidOf, rewakeCompleted } from './threads';
import { heapAlloc, heapFree, heapOwns, heapCapacity } from './heap';
import { handleAlloc, handleLookup, handlesFree, ANY_KIND } from './handles';
import { objsFree } from './objects';
import { staticConnect, channelListener, channelServer } from './channels';
import { slotsInit } from './slots';
import { sysCall, sysRecv, sysReply, sysCancel, finishState } from './rendezvous';
import { syncCreate } from './sync';
import { interruptSet, interruptClear } from './interrupt';
import { handleClose, procTerminate, realmRelease } from './lifecycle';
import { policyReset, policyAdd } from './policy';
import { nameFind, endpointAdd, endpointFind, NAME_CLIENT, NAME_SERVER } from './registry';
import { shapeAdd } from './shapes';
import { inHeap } from './message';

// @ts-ignore: decorator
@inline function procOf(t: i32): u32 { return load<u32>(L.thread(<u32>t) + L.T_PROC); }

// ---- administration ------------------------------------------------------------------------

export function k_abi(who: u32): i32 {
  if (who != ADMIN) return ST_BAD_ARG;
  result(ADMIN_RECORD, 0, ABI_HASH);
  return ST_OK;
}

/** Runs once, before any other call: no lock is needed yet. */
export function k_init(who: u32, key: u32): i32 {
  if (who != ADMIN) return ST_BAD_ARG;
  // the memory map of layout.ts must agree with abi/kernel.mjs
  if (LOCK_ADDR != L.KBASE + L.HDR_SIZE || ADMIN_RECORD != LOCK_ADDR + L.LOCK_LINE ||
      SCRATCH != ADMIN_RECORD + L.ADMIN_RECORD_SIZE || L.TABLES_END > KERNEL_END) return ST_BAD_ARG;
  if ((<u64>memory.size() << 16) < <u64>KERNEL_END) return ST_NO_MEMORY;
  memory.fill(L.KBASE, 0, KERNEL_END - L.KBASE);
  store<u32>(L.hdr(L.H_KEY), key);
  store<u32>(L.hdr(L.H_HEAP_TOP), KERNEL_END);
  policyReset(1);
  slotsInit();
  return ST_OK;
}

export function k_proc_create(who: u32, realm: u32, cls: u32): i32 {
  const g = enterAdmin(who);
  if (g != ST_OK) return g;
  for (let p: u32 = 0; p < MAX_PROCS; p++) {
    const a = L.proc(p);
    if (load<i32>(a + L.P_STATE) != L.PS_FREE) continue;
    memory.fill(a, 0, L.PROC_SIZE);
    const task = load<u32>(L.hdr(L.H_TASK_SEQ)) + 1;
    store<u32>(L.hdr(L.H_TASK_SEQ), task);
    store<i32>(a + L.P_STATE, L.PS_ALIVE);
    store<u32>(a + L.P_REALM, realm);
    store<u32>(a + L.P_CLASS, cls);
    store<u32>(a + L.P_TASK, task);
    result(ADMIN_RECORD, 0, p);
    result(ADMIN_RECORD, 1, task);
    return leave(ST_OK);
  }
  return leave(ST_QUOTA);
}

/** The admin gate for a call about live process `p`: ST_OK with the lock held, or a status. */
function enterAdminProc(who: u32, p: u32): i32 {
  if (p >= MAX_PROCS) return ST_BAD_ARG;
  const g = enterAdmin(who);
  if (g != ST_OK) return g;
  return L.procAlive(p) ? ST_OK : leave(ST_DEAD);
}

export function k_proc_terminate(who: u32, p: u32): i32 {
  const g = enterAdminProc(who, p);
  if (g != ST_OK) return g;
  procTerminate(p);
  return leave(ST_OK);
}

/** Process `p` gains threads in `realm` (kernel.spawnThread): the deadlock guard then knows. */
export function k_proc_add_realm(who: u32, p: u32, realm: u32): i32 {
  const g = enterAdminProc(who, p);
  if (g != ST_OK) return g;
  if (load<u32>(L.proc(p) + L.P_REALM) != realm) store<u32>(L.proc(p) + L.P_MULTI, 1);
  return leave(ST_OK);
}

export function k_realm_release(who: u32, p: u32, realm: u32): i32 {
  const g = enterAdminProc(who, p);
  if (g != ST_OK) return g;
  realmRelease(p, realm);
  return leave(ST_OK);
}

export function k_thread_alloc(who: u32, p: u32, realm: u32): i32 {
  if (p >= MAX_PROCS) return ST_BAD_ARG;
  const rec = enterRealm(who);
  if (rec < 0) return -rec;
  if (!L.procAlive(p)) return leave(ST_DEAD);
  const t = threadAlloc(p, realm);
  if (t < 0) return leave(ST_QUOTA);
  result(<u32>rec, 0, tidOf(<u32>t));
  result(<u32>rec, 1, L.thread(<u32>t));
  return leave(ST_OK);
}

export function k_connect(who: u32, cp: u32, sp: u32, name: u32, len: u32): i32 {
  if (cp >= MAX_PROCS || sp >= MAX_PROCS || !scratchName(name, len)) return ST_BAD_ARG;
  const g = enterAdmin(who);
  if (g != ST_OK) return g;
  return leave(staticConnect(cp, sp, name, len));
}

export function k_endpoint(who: u32, p: u32, riid: u32, name: u32, len: u32): i32 {
  if (p >= MAX_PROCS || !scratchName(name, len) || riid >= 0xFFFF) return ST_BAD_ARG;
  const g = enterAdmin(who);
  if (g != ST_OK) return g;
  return leave(endpointAdd(p, riid, name, len));
}

export function k_shape_add(
  who: u32, p: u32, riid: u32, mid: u32, kind: u32, min: u32, max: u32, ndesc: u32, desc: u32,
): i32 {
  if (ndesc > SHAPE_MAX_DESC || desc < SCRATCH || <u64>desc + <u64>(ndesc * 12) > <u64>(SCRATCH + SCRATCH_SIZE)) return ST_BAD_ARG;
  const g = enterAdminProc(who, p);
  if (g != ST_OK) return g;
  return leave(shapeAdd(p, riid, mid, kind, min, max, ndesc, desc));
}

export function k_policy_reset(who: u32, defaultGrant: u32): i32 {
  const g = enterAdmin(who);
  if (g != ST_OK) return g;
  policyReset(defaultGrant);
  return leave(ST_OK);
}

export function k_policy_add(who: u32, events: u32, src: u32, dst: u32, iid: u32, mid: u32, grant: u32): i32 {
  const g = enterAdmin(who);
  if (g != ST_OK) return g;
  return leave(policyAdd(events, src, dst, iid, mid, grant));
}

// ---- service locator (sl_api.h) ---------------------------------------------------------

export function k_sl_lookup(tid: u32, server: u32, name: u32, len: u32): i32 {
  if (len == 0 || len > NAME_MAX || !inHeap(name, len)) return ST_BAD_ARG;
  const t = enterThread(tid, false);
  if (t < 0) return -t;
  const h = nameFind(procOf(t), server != 0 ? NAME_SERVER : NAME_CLIENT, name, len);
  if (h == 0) return leave(ST_NOT_FOUND);
  result(L.thread(<u32>t), 0, h);
  return leave(ST_OK);
}

export function k_sl_riid(tid: u32, h: u32, name: u32, len: u32): i32 {
  if (len == 0 || len > NAME_MAX || !inHeap(name, len)) return ST_BAD_ARG;
  const t = enterThread(tid, false);
  if (t < 0) return -t;
  const c = handleLookup(procOf(t), h, L.K_CHANNEL, 0);
  if (c < 0) return leave(-c);
  // a disconnected channel's server may be gone, its index reused: ask nobody
  if (channelListener(<u32>c) < 0) return leave(ST_NOT_CONNECTED);
  const riid = endpointFind(channelServer(<u32>c), name, len);
  if (riid < 0) return leave(ST_NOT_FOUND);
  result(L.thread(<u32>t), 0, <u32>riid);
  return leave(ST_OK);
}

// ---- syscalls.h ---------------------------------------------------------------------------

export function k_call(
  tid: u32, h: u32, oc: u32, oclen: u32, oa: u32, oalen: u32,
  ic: u32, iccap: u32, ia: u32, iacap: u32, sync: u32, flags: u32,
): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  return leave(sysCall(<u32>t, h, oc, oclen, oa, oalen, ic, iccap, ia, iacap, sync, flags));
}

export function k_recv(
  tid: u32, h: u32, ic: u32, iccap: u32, ia: u32, iacap: u32, sync: u32, flags: u32,
): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  return leave(sysRecv(<u32>t, h, ic, iccap, ia, iacap, sync, flags));
}

export function k_reply(tid: u32, h: u32, oc: u32, oclen: u32, oa: u32, oalen: u32, token: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  return leave(sysReply(<u32>t, h, oc, oclen, oa, oalen, token));
}

export function k_finish(tid: u32): i32 {
  const t = enterThread(tid, false);
  if (t < 0) return -t;
  const st = finishState(<u32>t);
  return leave(st < 0 ? ST_BAD_ARG : st);
}

export function k_cancel(tid: u32, reason: i32): i32 {
  const t = enterThread(tid, false);
  if (t < 0) return -t;
  sysCancel(<u32>t, reason);
  const st = finishState(<u32>t);
  return leave(st < 0 ? ST_BAD_ARG : st);
}

// ---- handle_api.h / ipc_api.h -----------------------------------------------------------

export function k_close(tid: u32, h: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  return leave(handleClose(procOf(t), h));
}

export function k_sync_create(tid: u32, autoclear: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const p = procOf(t);
  if (!objsFree(1) || !handlesFree(p, 1)) return leave(ST_QUOTA);
  const h = handleAlloc(p, <u32>syncCreate(p, autoclear != 0), L.R_SYNC);
  result(L.thread(<u32>t), 0, h);
  return leave(ST_OK);
}

export function k_sync_set(tid: u32, h: u32, on: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const o = handleLookup(procOf(t), h, L.K_SYNC, L.R_SYNC);
  if (o < 0) return leave(-o);
  if (on != 0) interruptSet(<u32>o);
  else interruptClear(<u32>o);
  return leave(ST_OK);
}

// ---- memory -------------------------------------------------------------------------------

export function k_alloc(tid: u32, bytes: u32): i32 {
  const t = enterThread(tid, false);
  if (t < 0) return -t;
  const a = heapAlloc(procOf(t), bytes == 0 ? 1 : bytes);
  if (a == 0) return leave(ST_NO_MEMORY);
  result(L.thread(<u32>t), 0, a);
  return leave(ST_OK);
}

export function k_free(tid: u32, addr: u32): i32 {
  const t = enterThread(tid, false);
  if (t < 0) return -t;
  const p = procOf(t);
  if (!heapOwns(p, addr)) return leave(ST_BAD_ARG);
  if (threadsUseBuffer(p, addr, heapCapacity(addr))) return leave(ST_IN_USE);
  heapFree(addr);
  return leave(ST_OK);
}

export function k_stage(tid: u32, bytes: u32): i32 {
  const t = enterThread(tid, false);
  if (t < 0) return -t;
  const a = threadStage(<u32>t, bytes);
  if (a == 0) return leave(ST_NO_MEMORY);
  result(L.thread(<u32>t), 0, a);
  result(L.thread(<u32>t), 1, heapCapacity(a));
  return leave(ST_OK);
}

// ---- robustness ---------------------------------------------------------------------------

/** A trap escaped the core while `who` may have held the lock: release it so others go on. */
export function k_unlock_after_trap(who: u32): i32 {
  if (lockOwner() == who) lockRelease();
  return ST_OK;
}

/**
 * After a worker was terminated: if the lock is held by a thread that no longer exists (the
 * worker was stopped between taking and releasing it, in the entry that found its thread
 * gone), release it; and wake every thread whose syscall has completed, since the worker may
 * have been stopped after releasing the lock but before sending the wakes it owed
 * (threads.ts rewakeCompleted). Result word 0: 1 when it released the lock.
 */
export function k_unlock_if_dead_owner(who: u32): i32 {
  if (who != ADMIN) return ST_BAD_ARG;
  const owner = lockOwner();
  const dead = owner != 0 && owner != ADMIN && threadIndex(owner) < 0 && lockSteal(owner);
  rewakeCompleted();
  result(ADMIN_RECORD, 0, dead ? 1 : 0);
  return ST_OK;
}

/** A hash (FNV-1a) of the kernel's tables: every byte from KBASE to TABLES_END but the lock
 * line, the admin record and the scratch area, which change without changing kernel state. */
export function k_digest(who: u32): i32 {
  const g = enterAdmin(who);
  if (g != ST_OK) return g;
  let h: u32 = 0x811c9dc5;
  for (let a = L.KBASE; a < L.TABLES_END; a += 4) {
    if (a == LOCK_ADDR) a = L.PROCS;
    h = (h ^ load<u32>(a)) * 0x01000193;
  }
  result(ADMIN_RECORD, 0, h);
  return leave(ST_OK);
}
