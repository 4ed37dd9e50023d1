// The kernel core's exports. Each entry point takes the kernel lock (or returns ST_LOCK_BUSY
// having changed nothing), checks that the calling thread and its process are alive, and calls
// the one file that implements it. Only numbers cross this boundary: addresses, lengths,
// handle values, Tids and status codes.

import * as L from './layout';
import {
  ST_OK, ST_LOCK_BUSY, ST_DEAD, ST_BAD_ARG, ST_NO_MEMORY, ST_QUOTA, ST_BAD_HANDLE, ST_WRONG_TYPE,
  ST_NO_RIGHTS, ST_EXISTS, ST_IN_USE,
} from './status';
import { lockAcquire, lockRelease, lockOwner, lockWakeWaiters as lockRelease2 } from './lock';
import { threadIndex, threadAlloc } from './threads';
import { heapAlloc, heapFree, heapOwns, heapCapacity } from './heap';
import { handleAlloc, handleSlot, handleObj, handleRights, handleRoom, INVALID_HANDLE } from './handles';
import { objsFree } from './objects';
import { listenerCreate, channelCreate, slotsInit } from './channels';
import { sysCall, sysRecv, sysReply, sysCancel, finishState } from './rendezvous';
import { syncCreate } from './sync';
import { interruptSet, interruptClear } from './interrupt';
import { handleClose, procTerminate, realmRelease } from './lifecycle';
import { policyReset, policyAdd } from './policy';
import {
  nameFind, nameAdd, namesFree, endpointAdd, endpointFind, NAME_CLIENT, NAME_SERVER,
} from './registry';
import { shapeAdd, SHAPE_MAX_DESC } from './shapes';

const ADMIN: i32 = 0x40000000;

// ---- entry helpers ------------------------------------------------------------------------

/** Takes the lock for thread `tid`; returns its index, or -status (lock released). */
function enter(tid: u32): i32 {
  if (!lockAcquire(<i32>tid)) return -ST_LOCK_BUSY;
  const t = threadIndex(tid);
  if (t < 0) { lockRelease(); return -ST_DEAD; }
  const p = load<u32>(L.thread(<u32>t) + L.T_PROC);
  if (load<i32>(L.proc(p) + L.P_STATE) != L.PS_ALIVE) { lockRelease(); return -ST_DEAD; }
  return t;
}

/** Like enter, and the thread must have no syscall in flight. */
function enterIdle(tid: u32): i32 {
  const t = enter(tid);
  if (t < 0) return t;
  if (load<i32>(L.thread(<u32>t) + L.T_STATE) != L.TS_IDLE) { lockRelease(); return -ST_BAD_ARG; }
  return t;
}

// @ts-ignore: decorator
@inline function procOf(t: i32): u32 { return load<u32>(L.thread(<u32>t) + L.T_PROC); }

function leave(st: i32): i32 { lockRelease(); return st; }

// ---- administration (the realm that owns the Kernel) --------------------------------------

export function k_init(key: u32): i32 {
  if (L.TABLES_END > L.HEAP_BASE) return ST_NO_MEMORY;
  if ((<u64>memory.size() << 16) < <u64>L.HEAP_BASE) return ST_NO_MEMORY;
  memory.fill(L.KBASE, 0, L.HEAP_BASE - L.KBASE);
  store<u32>(L.hdr(L.H_MAGIC), L.MAGIC);
  store<u32>(L.hdr(L.H_KEY), key);
  store<u32>(L.hdr(L.H_HEAP_TOP), L.HEAP_BASE);
  policyReset(1);
  slotsInit();
  return ST_OK;
}

/** Layout facts the host needs to read thread records and message headers directly. */
export function k_layout(i: u32): u32 {
  switch (i) {
    case 0: return L.THREADS;
    case 1: return L.THREAD_SIZE;
    case 2: return L.T_CELL;
    case 3: return L.T_RX_CLEN;
    case 4: return L.T_RX_ALEN;
    case 5: return L.T_RX_TASK;
    case 6: return L.T_RX_TID;
    case 7: return L.T_RX_HANDLE;
    case 8: return L.LOCK_ADDR;
    case 9: return L.HEAP_BASE;
    case 10: return L.NK_MESSAGE_SIZE;
    case 11: return L.NK_OFF_SIZE;
    case 12: return L.NK_OFF_TYPE;
    case 13: return L.NK_OFF_IID;
    case 14: return L.NK_OFF_MID;
    case 15: return L.NK_OFF_NCAPS;
    case 16: return L.NK_OFF_SELF;
    case 17: return L.MAX_MESSAGE;
    case 18: return L.NAME_MAX;
    case 19: return L.TABLES_END;
    case 20: return L.MAX_PROCS;
    case 21: return L.MAX_THREADS;
    case 22: return L.HANDLES_PER_PROC;
    default: return 0xFFFFFFFF;
  }
}

export function k_proc_create(realm: u32, cls: u32): i32 {
  if (!lockAcquire(ADMIN)) return -ST_LOCK_BUSY;
  for (let p: u32 = 0; p < L.MAX_PROCS; p++) {
    const a = L.proc(p);
    if (load<i32>(a + L.P_STATE) != L.PS_FREE) continue;
    memory.fill(a, 0, L.PROC_SIZE);
    const task = load<u32>(L.hdr(L.H_TASK_SEQ)) + 1;
    store<u32>(L.hdr(L.H_TASK_SEQ), task);
    store<i32>(a + L.P_STATE, L.PS_ALIVE);
    store<u32>(a + L.P_REALM, realm);
    store<u32>(a + L.P_CLASS, cls);
    store<u32>(a + L.P_TASK, task);
    return leave(<i32>p);
  }
  return -leave(ST_QUOTA);
}

export function k_proc_task(p: u32): u32 {
  return p < L.MAX_PROCS ? load<u32>(L.proc(p) + L.P_TASK) : 0;
}

export function k_proc_terminate(p: u32): i32 {
  if (p >= L.MAX_PROCS) return ST_BAD_ARG;
  if (!lockAcquire(ADMIN)) return ST_LOCK_BUSY;
  if (load<i32>(L.proc(p) + L.P_STATE) != L.PS_ALIVE) return leave(ST_DEAD);
  procTerminate(p);
  return leave(ST_OK);
}

/** A new thread for process `p` running in `realm`; returns its Tid, or 0. */
export function k_thread_alloc(p: u32, realm: u32): u32 {
  if (p >= L.MAX_PROCS) return 0;
  if (!lockAcquire(ADMIN)) return 0xFFFFFFFF;
  if (load<i32>(L.proc(p) + L.P_STATE) != L.PS_ALIVE) { lockRelease(); return 0; }
  const t = threadAlloc(p, realm);
  lockRelease();
  return t < 0 ? 0 : ((load<u32>(L.thread(<u32>t) + L.T_GEN) & 0x7FFFFF) << 9) | (<u32>t + 1);
}

/**
 * Process `p` gains a thread in `realm` (a worker started by kernel.spawnThread): the deadlock
 * guard then knows its threads may run elsewhere.
 */
export function k_proc_add_realm(p: u32, realm: u32): i32 {
  if (p >= L.MAX_PROCS) return ST_BAD_ARG;
  if (!lockAcquire(ADMIN)) return ST_LOCK_BUSY;
  if (load<i32>(L.proc(p) + L.P_STATE) != L.PS_ALIVE) return leave(ST_DEAD);
  if (load<u32>(L.proc(p) + L.P_REALM) != realm) store<u32>(L.proc(p) + L.P_MULTI, 1);
  return leave(ST_OK);
}

/** The threads of process `p` in `realm` end (their worker exited): cancel and free them. */
export function k_realm_release(p: u32, realm: u32): i32 {
  if (p >= L.MAX_PROCS) return ST_BAD_ARG;
  if (!lockAcquire(ADMIN)) return ST_LOCK_BUSY;
  if (load<i32>(L.proc(p) + L.P_STATE) != L.PS_ALIVE) return leave(ST_DEAD);
  realmRelease(p, realm);
  return leave(ST_OK);
}

/**
 * Static channel: client process `cp` to server process `sp` named by the UTF-8 bytes at
 * [name, name + len). Channels with one name to one server share the server's listener.
 */
export function k_connect(cp: u32, sp: u32, name: u32, len: u32): i32 {
  if (cp >= L.MAX_PROCS || sp >= L.MAX_PROCS || len == 0 || len > L.NAME_MAX) return ST_BAD_ARG;
  if (!lockAcquire(ADMIN)) return ST_LOCK_BUSY;
  if (load<i32>(L.proc(cp) + L.P_STATE) != L.PS_ALIVE ||
      load<i32>(L.proc(sp) + L.P_STATE) != L.PS_ALIVE) return leave(ST_DEAD);
  if (nameFind(cp, NAME_CLIENT, name, len) != 0) return leave(ST_EXISTS);
  let lh = nameFind(sp, NAME_SERVER, name, len);
  const newListener = lh == 0;
  // check that every table has room before creating anything: a failure leaves no trace
  if (!namesFree(newListener ? 2 : 1) || !objsFree(newListener ? 2 : 1) || !handleRoom(cp) ||
      (newListener && !handleRoom(sp)) || (newListener && cp == sp && !handleRoom2(cp))) {
    return leave(ST_QUOTA);
  }
  let l: i32;
  if (!newListener) {
    l = <i32>handleObj(sp, <u32>handleSlot(sp, lh));
  } else {
    l = listenerCreate(sp);
    lh = handleAlloc(sp, <u32>l, L.R_RECV);
    nameAdd(sp, NAME_SERVER, lh, name, len);
  }
  const c = channelCreate(cp, sp, <u32>l);
  const ch = handleAlloc(cp, <u32>c, L.R_CALL);
  nameAdd(cp, NAME_CLIENT, ch, name, len);
  return leave(ST_OK);
}

/** Two free handle entries in process `p` (a process connected to itself needs both). */
function handleRoom2(p: u32): bool {
  let free: u32 = 0;
  for (let s: u32 = 0; s < L.HANDLES_PER_PROC && free < 2; s++) {
    if (load<u32>(L.hent(p, s) + L.HE_OBJ) == 0) free++;
  }
  return free >= 2;
}

export function k_endpoint(p: u32, riid: u32, name: u32, len: u32): i32 {
  if (p >= L.MAX_PROCS || len == 0 || len > L.NAME_MAX || riid >= 0xFFFF) return ST_BAD_ARG;
  if (!lockAcquire(ADMIN)) return ST_LOCK_BUSY;
  return leave(endpointAdd(p, riid, name, len));
}

/**
 * Declares a message shape of server process `p` (shapes.ts): `ndesc` descriptor triples are
 * read from the admin scratch area at `desc` (at or after TABLES_END, below the heap).
 */
export function k_shape_add(
  p: u32, riid: u32, mid: u32, kind: u32, min: u32, max: u32, ndesc: u32, desc: u32,
): i32 {
  if (p >= L.MAX_PROCS || ndesc > SHAPE_MAX_DESC || desc < L.TABLES_END ||
      <u64>desc + <u64>(ndesc * 12) > <u64>L.HEAP_BASE) return ST_BAD_ARG;
  if (!lockAcquire(ADMIN)) return ST_LOCK_BUSY;
  if (load<i32>(L.proc(p) + L.P_STATE) != L.PS_ALIVE) return leave(ST_DEAD);
  return leave(shapeAdd(p, riid, mid, kind, min, max, ndesc, desc));
}

export function k_policy_reset(defaultGrant: u32): i32 {
  if (!lockAcquire(ADMIN)) return ST_LOCK_BUSY;
  policyReset(defaultGrant);
  return leave(ST_OK);
}

export function k_policy_add(events: u32, src: u32, dst: u32, iid: u32, mid: u32, grant: u32): i32 {
  if (!lockAcquire(ADMIN)) return ST_LOCK_BUSY;
  return leave(policyAdd(events, src, dst, iid, mid, grant));
}

// ---- service locator (sl_api.h) ---------------------------------------------------------

/** Returns the handle, INVALID_HANDLE when the name is unknown, or 0 with the lock busy. */
export function k_sl_lookup(tid: u32, server: u32, name: u32, len: u32): u32 {
  const t = enter(tid);
  if (t == -ST_LOCK_BUSY) return 0;
  if (t < 0) return INVALID_HANDLE;
  const h = nameFind(procOf(t), server != 0 ? NAME_SERVER : NAME_CLIENT, name, len);
  lockRelease();
  return h == 0 ? INVALID_HANDLE : h;
}

/** RIID of endpoint `name` of the server behind client handle `h`; 0xFFFF when unknown. */
export function k_sl_riid(tid: u32, h: u32, name: u32, len: u32): u32 {
  const t = enter(tid);
  if (t == -ST_LOCK_BUSY) return 0xFFFFFFFF;
  if (t < 0) return 0xFFFF;
  const p = procOf(t);
  const s = handleSlot(p, h);
  let riid: u32 = 0xFFFF;
  if (s >= 0) {
    const o = handleObj(p, <u32>s);
    // a disconnected channel's server slot may already hold another process: ask nobody
    if (load<i32>(L.obj(o) + L.O_KIND) == L.K_CHANNEL && (load<i32>(L.obj(o) + L.O_FLAGS) & L.OF_CLOSED) == 0) {
      riid = endpointFind(load<u32>(L.obj(o) + L.O_SERVER) - 1, name, len);
    }
  }
  lockRelease();
  return riid;
}

// ---- syscalls.h ---------------------------------------------------------------------------

export function k_call(
  tid: u32, h: u32, oc: u32, oclen: u32, oa: u32, oalen: u32,
  ic: u32, iccap: u32, ia: u32, iacap: u32, sync: u32, flags: u32,
): i32 {
  const t = enterIdle(tid);
  if (t < 0) return -t;
  return leave(sysCall(<u32>t, h, oc, oclen, oa, oalen, ic, iccap, ia, iacap, sync, flags));
}

export function k_recv(
  tid: u32, h: u32, ic: u32, iccap: u32, ia: u32, iacap: u32, sync: u32, flags: u32,
): i32 {
  const t = enterIdle(tid);
  if (t < 0) return -t;
  return leave(sysRecv(<u32>t, h, ic, iccap, ia, iacap, sync, flags));
}

export function k_reply(tid: u32, h: u32, oc: u32, oclen: u32, oa: u32, oalen: u32, to: u32): i32 {
  const t = enterIdle(tid);
  if (t < 0) return -t;
  return leave(sysReply(<u32>t, h, oc, oclen, oa, oalen, to));
}

/** After the wait cell flipped: the status of the completed syscall (the thread is idle again). */
export function k_finish(tid: u32): i32 {
  const t = enter(tid);
  if (t < 0) return -t;
  const st = finishState(<u32>t);
  return leave(st < 0 ? ST_BAD_ARG : st);
}

/** Stops waiting (timeout, host abort) with status `reason`; returns the final status. */
export function k_cancel(tid: u32, reason: i32): i32 {
  const t = enter(tid);
  if (t < 0) return -t;
  sysCancel(<u32>t, reason);
  const st = finishState(<u32>t);
  return leave(st < 0 ? ST_BAD_ARG : st);
}

// ---- handle_api.h / ipc_api.h -----------------------------------------------------------

export function k_close(tid: u32, h: u32): i32 {
  const t = enterIdle(tid);
  if (t < 0) return -t;
  return leave(handleClose(procOf(t), h));
}

/** Creates an IPC sync object; returns its handle value, INVALID_HANDLE on quota, 0 if busy. */
export function k_sync_create(tid: u32, autoclear: u32): u32 {
  const t = enterIdle(tid);
  if (t == -ST_LOCK_BUSY) return 0;
  if (t < 0) return INVALID_HANDLE;
  const p = procOf(t);
  const o = syncCreate(p, autoclear != 0);
  if (o < 0) { lockRelease(); return INVALID_HANDLE; }
  const h = handleAlloc(p, <u32>o, L.R_SYNC);
  if (h == 0) { store<i32>(L.obj(<u32>o) + L.O_KIND, L.K_FREE); lockRelease(); return INVALID_HANDLE; }
  lockRelease();
  return h;
}

export function k_sync_set(tid: u32, h: u32, on: u32): i32 {
  const t = enterIdle(tid);
  if (t < 0) return -t;
  const p = procOf(t);
  const s = handleSlot(p, h);
  if (s < 0) return leave(ST_BAD_HANDLE);
  const o = handleObj(p, <u32>s);
  if (load<i32>(L.obj(o) + L.O_KIND) != L.K_SYNC) return leave(ST_WRONG_TYPE);
  if ((handleRights(p, <u32>s) & L.R_SYNC) == 0) return leave(ST_NO_RIGHTS);
  if (on != 0) interruptSet(o);
  else interruptClear(o);
  return leave(ST_OK);
}

// ---- memory -------------------------------------------------------------------------------

/** Allocates `bytes` in kernel memory for the thread's process: the address, 0, or 1 if busy. */
export function k_alloc(tid: u32, bytes: u32): u32 {
  const t = enter(tid);
  if (t == -ST_LOCK_BUSY) return 1;
  if (t < 0) return 0;
  const a = heapAlloc(procOf(t), bytes == 0 ? 1 : bytes);
  lockRelease();
  return a;
}

export function k_free(tid: u32, addr: u32): i32 {
  const t = enter(tid);
  if (t < 0) return -t;
  const p = procOf(t);
  if (!heapOwns(p, addr)) return leave(ST_BAD_ARG);
  if (inFlightUses(p, addr, heapCapacity(addr))) return leave(ST_IN_USE);
  heapFree(addr);
  return leave(ST_OK);
}

/** True when a syscall in flight of process `p` uses [addr, addr + cap) in place. */
function inFlightUses(p: u32, addr: u32, cap: u32): bool {
  const end = addr + cap;
  for (let i: u32 = 0; i < L.MAX_THREADS; i++) {
    const a = L.thread(i);
    const st = load<i32>(a + L.T_STATE);
    if (load<u32>(a + L.T_PROC) != p || (st != L.TS_QUEUED && st != L.TS_WAIT_REPLY && st != L.TS_WAIT_RECV)) continue;
    const c1 = load<u32>(a + L.T_OUT_C), c2 = load<u32>(a + L.T_OUT_A);
    const c3 = load<u32>(a + L.T_IN_C), c4 = load<u32>(a + L.T_IN_A);
    if ((c1 >= addr && c1 < end) || (c2 >= addr && c2 < end) || (c3 >= addr && c3 < end) || (c4 >= addr && c4 < end)) return true;
  }
  return false;
}

/**
 * The thread's staging buffer, grown to at least `bytes`: its address, 0 when memory is
 * exhausted, 1 if the lock is busy, 2 when the thread or its process is gone.
 */
export function k_stage(tid: u32, bytes: u32): u32 {
  const t = enter(tid);
  if (t == -ST_LOCK_BUSY) return 1;
  if (t < 0) return 2;
  const a = L.thread(<u32>t);
  let s = load<u32>(a + L.T_STAGE);
  if (s == 0 || load<u32>(a + L.T_STAGE_CAP) < bytes) {
    if (s != 0) heapFree(s);
    s = heapAlloc(procOf(t), bytes);
    store<u32>(a + L.T_STAGE, s);
    store<u32>(a + L.T_STAGE_CAP, s == 0 ? 0 : heapCapacity(s));
  }
  lockRelease();
  return s;
}

// ---- robustness ---------------------------------------------------------------------------

/** A trap escaped the core while `who` held the lock: release it so others go on. */
export function k_unlock_after_trap(who: i32): void {
  if (lockOwner() == who) lockRelease();
}

/**
 * After a worker was terminated: if the lock is held by a thread that no longer exists (the
 * worker was stopped between taking and releasing it, in the entry that found its thread
 * gone), release it. Returns 1 when it did.
 */
export function k_unlock_if_dead_owner(): i32 {
  const owner = lockOwner();
  if (owner == 0 || owner == ADMIN) return 0;
  if (threadIndex(<u32>owner) >= 0) return 0;
  if (atomic.cmpxchg<i32>(L.LOCK_ADDR, owner, 0) != owner) return 0;
  lockRelease2();
  return 1;
}

