// The kernel core's exports, as abi/kernel.mjs declares them: each takes the caller first,
// passes the gate (gate.ts: the lock, the caller alive), checks its arguments, hands the call
// to the file that implements it, writes its result words and returns one status. No logic of
// its own lives here; test/abi.test.ts checks these names and arities against the declaration.

import {
  ABI_HASH, ADMIN, ADMIN_RECORD, LOCK_ADDR, SCRATCH, SCRATCH_SIZE, KERNEL_END, NAME_MAX, MAX_PROCS,
  SHAPE_MAX_DESC, STATS, ST_OK, ST_BAD_ARG, ST_NO_MEMORY, ST_QUOTA, ST_DEAD, ST_IN_USE, ST_NOT_FOUND,
  ST_NOT_CONNECTED, ST_NO_RIGHTS, ST_NOT_PERMITTED, ST_TIMEOUT, ST_WOULD_BLOCK, ST_EXISTS, OCAP_IPC_LISTEN, OCAP_IPC_SYNC, OCAP_HANDLE_COPY, OCAP_HANDLE_GET_SID, OCAP_HANDLE_GET_EVENT,
  OCAP_HANDLE_SET_EVENT, EVENT_USER_MASK, THREAD_SIZE,
} from './abi';
import * as L from './layout';
import { enterThread, enterAdmin, enterRealm, leave, result, scratchName } from './gate';
import { lockOwner, lockRelease, lockSteal } from './lock';
import { threadIndex, threadAlloc, threadStage, threadsUseBuffer, tidOf, rewakeCompleted } from './threads';
import { heapAlloc, heapFree, heapOwns, heapCapacity } from './heap';
import {
  handleAlloc, handleInstall, handleLookup, handlesFree, handleSlot, hid, hent, ANY_KIND, INVALID_HANDLE, handleTableFree,
} from './handles';
import { objsFree } from './objects';
import {
  staticConnect, channelListener, channelServer, listenerCreate, LISTENER_RIGHTS, channelRoom, channelOpen,
  channelOpenedListener,
} from './channels';
import { sysCall, sysRecv, sysReply, sysCancel, finishState } from './rendezvous';
import { syncCreate } from './sync';
import { interruptSet, interruptClear } from './interrupt';
import { handleClose, handleRevoke, handleRevokeSubtree, procTerminate, realmRelease } from './lifecycle';
import { policyReset, policyAdd } from './policy';
import { nameFind, endpointAdd, endpointFind, NAME_CLIENT, NAME_SERVER } from './registry';
import { shapeAdd } from './shapes';
import { inHeap } from './message';
import { procAlloc, procFree } from './procs';
import { taskCreate } from './tasks';
import { userArgs, makesCallable, userCreate, callableCreate } from './users';
import { contextCheck, contextAlloc, contextAttach, contextRead, contextKey, CONTEXT_NO_MEMORY } from './context';
import { badgeCreate, zoneEnter } from './badges';
import { noticeCreate, noticeForbids, noticePending, noticeTake, noticeWait, noticeDrop } from './notices';
import { subRoom, subAdd, subRemoveWhere, objectSignal } from './subscriptions';
import { writeStats, digest } from './stats';
import { cmConnect, cmListen, cmAccept, cmDrop } from './cm';
import { procNameEntry, nameStore, namesFree, NAME_PROC } from './registry';
import { RIGHTS_SAME } from './transfer';

// @ts-ignore: decorator
@inline function procOf(t: i32): u32 { return load<u32>(L.thread(<u32>t) + L.T_PROC); }
// @ts-ignore: decorator
@inline function rec(t: i32): u32 { return L.thread(<u32>t); }

/** Rights of a notice receiver's handle and of a badge's handle. */
const NOTICE_RIGHTS: u32 = OCAP_HANDLE_GET_SID;
const BADGE_RIGHTS: u32 = OCAP_HANDLE_GET_SID;

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
      SCRATCH != ADMIN_RECORD + L.ADMIN_RECORD_SIZE || L.FIXED_END > KERNEL_END || L.T_END > THREAD_SIZE) return ST_BAD_ARG;
  if ((<u64>memory.size() << 16) < <u64>KERNEL_END) return ST_NO_MEMORY;
  memory.fill(L.KBASE, 0, KERNEL_END - L.KBASE);
  store<u32>(L.hdr(L.H_KEY), key);
  store<u32>(L.hdr(L.H_HEAP_TOP), KERNEL_END);
  policyReset(1);
  return ST_OK;
}

export function k_proc_create(who: u32, realm: u32, cls: u32): i32 {
  const g = enterAdmin(who);
  if (g != ST_OK) return g;
  if (!objsFree(1)) return leave(ST_QUOTA);
  const pi = procAlloc(realm, cls);
  if (pi < 0) return leave(ST_QUOTA);
  const p = <u32>pi;
  if (!handlesFree(p, 1)) { handleTableFree(p); procFree(p); return leave(ST_NO_MEMORY); } // handlesFree may have made the directory
  taskCreate(p);
  result(ADMIN_RECORD, 0, p);
  result(ADMIN_RECORD, 1, load<u32>(L.proc(p) + L.P_TASK));
  return leave(ST_OK);
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
  const r = enterRealm(who);
  if (r < 0) return -r;
  if (!L.procAlive(p)) return leave(ST_DEAD);
  const t = threadAlloc(p, realm);
  if (t < 0) return leave(ST_QUOTA);
  result(<u32>r, 0, tidOf(<u32>t));
  result(<u32>r, 1, L.thread(<u32>t));
  return leave(ST_OK);
}

export function k_connect(who: u32, cp: u32, sp: u32, name: u32, len: u32): i32 {
  if (cp >= MAX_PROCS || sp >= MAX_PROCS || !scratchName(name, len)) return ST_BAD_ARG;
  const g = enterAdmin(who);
  if (g != ST_OK) return g;
  return leave(staticConnect(cp, sp, name, len));
}

export function k_endpoint(who: u32, p: u32, riid: u32, name: u32, len: u32): i32 {
  if (!scratchName(name, len) || riid >= 0xFFFF) return ST_BAD_ARG;
  const g = enterAdminProc(who, p);
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

export function k_stats(who: u32): i32 {
  const g = enterAdmin(who);
  if (g != ST_OK) return g;
  writeStats(STATS);
  return leave(ST_OK);
}

// ---- service locator (sl_api.h) ---------------------------------------------------------

export function k_sl_lookup(tid: u32, server: u32, name: u32, len: u32): i32 {
  if (len == 0 || len > NAME_MAX || !inHeap(name, len)) return ST_BAD_ARG;
  const t = enterThread(tid, false);
  if (t < 0) return -t;
  const h = nameFind(procOf(t), server != 0 ? NAME_SERVER : NAME_CLIENT, name, len);
  if (h == 0) return leave(ST_NOT_FOUND);
  result(rec(t), 0, h);
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
  result(rec(t), 0, <u32>riid);
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

// ---- ipc_api.h ------------------------------------------------------------------------------

export function k_sync_create(tid: u32, autoclear: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const p = procOf(t);
  if (!objsFree(1) || !handlesFree(p, 1)) return leave(ST_QUOTA);
  // an IPC sync object handle cannot be transferred (seed 002): no OCAP_HANDLE_TRANSFER
  result(rec(t), 0, handleAlloc(p, <u32>syncCreate(p, autoclear != 0), OCAP_IPC_SYNC));
  return leave(ST_OK);
}

export function k_sync_set(tid: u32, h: u32, on: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const o = handleLookup(procOf(t), h, L.K_SYNC, OCAP_IPC_SYNC);
  if (o < 0) return leave(-o);
  if (on != 0) interruptSet(<u32>o);
  else interruptClear(<u32>o);
  return leave(ST_OK);
}

// ---- handle_api.h ---------------------------------------------------------------------------

export function k_close(tid: u32, h: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  return leave(handleClose(procOf(t), h));
}

export function k_task_handle(tid: u32): i32 {
  const t = enterThread(tid, false);
  if (t < 0) return -t;
  result(rec(t), 0, load<u32>(L.proc(procOf(t)) + L.P_TASK_HANDLE));
  return leave(ST_OK);
}

export function k_user_create(tid: u32, type: u32, rights: u32, ctx: u32, ctxLen: u32, ipcChannel: u32, riid: u32): i32 {
  const callable = ipcChannel != INVALID_HANDLE;
  if (callable && !makesCallable(rights)) return ST_BAD_ARG;
  let st = userArgs(type, riid, callable);
  if (st == ST_OK) st = contextCheck(ctx, ctxLen);
  if (st != ST_OK) return st;
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const p = procOf(t);
  let l: i32 = -1;
  if (callable) {
    l = handleLookup(p, ipcChannel, L.K_LISTENER, OCAP_IPC_LISTEN);
    if (l < 0) return leave(-l);
  }
  if (!objsFree(1) || !handlesFree(p, 1)) return leave(ST_QUOTA);
  const block = contextAlloc(ctx, ctxLen);
  if (block == CONTEXT_NO_MEMORY) return leave(ST_NO_MEMORY);
  const o = callable ? callableCreate(p, <u32>l, riid, type) : userCreate(p, type);
  contextAttach(o, block, ctxLen);
  result(rec(t), 0, handleAlloc(p, o, rights));
  result(rec(t), 1, contextKey(o));
  return leave(ST_OK);
}

export function k_listener_create(tid: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const p = procOf(t);
  if (!objsFree(1) || !handlesFree(p, 1)) return leave(ST_QUOTA);
  result(rec(t), 0, handleAlloc(p, <u32>listenerCreate(p), LISTENER_RIGHTS));
  return leave(ST_OK);
}

export function k_handle_connect(tid: u32, listener: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const p = procOf(t);
  const fresh = listener == INVALID_HANDLE;
  let l: i32 = -1;
  if (!fresh) {
    l = handleLookup(p, listener, L.K_LISTENER, OCAP_IPC_LISTEN);
    if (l < 0) return leave(-l);
  }
  if (!channelRoom(p, p, fresh)) return leave(ST_QUOTA);
  const ch = channelOpen(p, p, l);
  const lh = fresh ? channelOpenedListener() : listener;
  result(rec(t), 0, lh);
  result(rec(t), 1, lh);
  result(rec(t), 2, ch);
  return leave(ST_OK);
}

export function k_badge_create(tid: u32, notice: u32, eventId: u32, ctx: u32, ctxLen: u32): i32 {
  const c = contextCheck(ctx, ctxLen);
  if (c != ST_OK) return c;
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const p = procOf(t);
  const n = handleLookup(p, notice, L.K_NOTICE, 0);
  if (n < 0) return leave(-n);
  if (noticeForbids(<u32>n)) return leave(ST_NOT_PERMITTED);
  if (!objsFree(1) || !handlesFree(p, 1) || !subRoom()) return leave(ST_QUOTA);
  const block = contextAlloc(ctx, ctxLen);
  if (block == CONTEXT_NO_MEMORY) return leave(ST_NO_MEMORY);
  const b = badgeCreate(p, <u32>n, eventId);
  contextAttach(b, block, ctxLen);
  result(rec(t), 0, handleAlloc(p, b, BADGE_RIGHTS));
  result(rec(t), 1, contextKey(b));
  return leave(ST_OK);
}

export function k_handle_copy(tid: u32, h: u32, rights: u32, badge: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const p = procOf(t);
  const o = handleLookup(p, h, ANY_KIND, OCAP_HANDLE_COPY);
  if (o < 0) return leave(-o);
  const src = hid(p, <u32>handleSlot(p, h));
  const se = hent(p, <u32>handleSlot(p, h));
  const held = load<u32>(se + L.HE_RIGHTS);
  const asked = rights == RIGHTS_SAME ? held : rights;
  if ((asked & ~held) != 0) return leave(ST_NO_RIGHTS);
  let b: i32 = -1;
  if (badge != INVALID_HANDLE && badge != 0) {
    b = handleLookup(p, badge, L.K_BADGE, 0);
    if (b < 0) return leave(-b);
  }
  if (!handlesFree(p, 1)) return leave(ST_QUOTA);
  const v = handleInstall(p, <u32>o, asked, src + 1);
  const ne = hent(p, <u32>handleSlot(p, v));
  const zone = b >= 0 ? <u32>b + 1 : load<u32>(se + L.HE_ZONE);
  if (b >= 0) store<u32>(ne + L.HE_BADGE, <u32>b + 1);
  if (zone != 0) {
    store<u32>(ne + L.HE_ZONE, zone);
    zoneEnter(zone - 1);
  }
  result(rec(t), 0, v);
  return leave(ST_OK);
}

export function k_handle_revoke(tid: u32, h: u32, close: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  return leave(handleRevoke(procOf(t), h, close != 0));
}

export function k_handle_revoke_subtree(tid: u32, h: u32, badge: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const p = procOf(t);
  const o = handleLookup(p, h, ANY_KIND, 0);
  if (o < 0) return leave(-o);
  const b = handleLookup(p, badge, L.K_BADGE, 0);
  if (b < 0) return leave(-b);
  handleRevokeSubtree(hid(p, <u32>handleSlot(p, h)), <u32>b);
  return leave(ST_OK);
}

export function k_handle_sid(tid: u32, h: u32): i32 {
  const t = enterThread(tid, false);
  if (t < 0) return -t;
  const o = handleLookup(procOf(t), h, ANY_KIND, OCAP_HANDLE_GET_SID);
  if (o < 0) return leave(-o);
  result(rec(t), 0, load<u32>(L.obj(<u32>o) + L.O_SID));
  return leave(ST_OK);
}

export function k_context(tid: u32, key: u32, dst: u32, cap: u32): i32 {
  const t = enterThread(tid, false);
  if (t < 0) return -t;
  const n = contextRead(procOf(t), key, dst, cap);
  if (n < 0) return leave(-n);
  result(rec(t), 0, <u32>n);
  return leave(ST_OK);
}

// ---- notice_api.h ---------------------------------------------------------------------------

export function k_notice_create(tid: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const p = procOf(t);
  if (!objsFree(1) || !handlesFree(p, 1)) return leave(ST_QUOTA);
  result(rec(t), 0, handleAlloc(p, <u32>noticeCreate(p), NOTICE_RIGHTS));
  return leave(ST_OK);
}

export function k_notice_subscribe(tid: u32, notice: u32, object: u32, mask: u32, eventId: u32): i32 {
  if (mask == 0) return ST_BAD_ARG;
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const p = procOf(t);
  const n = handleLookup(p, notice, L.K_NOTICE, 0);
  if (n < 0) return leave(-n);
  const o = handleLookup(p, object, ANY_KIND, OCAP_HANDLE_GET_EVENT);
  if (o < 0) return leave(-o);
  if (noticeForbids(<u32>n)) return leave(ST_NOT_PERMITTED);
  if (!subRoom()) return leave(ST_QUOTA);
  subAdd(<u32>n, <u32>o, mask, eventId);
  return leave(ST_OK);
}

export function k_notice_unsubscribe(tid: u32, notice: u32, byObject: u32, value: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const p = procOf(t);
  const n = handleLookup(p, notice, L.K_NOTICE, 0);
  if (n < 0) return leave(-n);
  let removed: u32;
  if (byObject != 0) {
    const o = handleLookup(p, value, ANY_KIND, 0);
    if (o < 0) return leave(-o);
    removed = subRemoveWhere(<u32>n, 0, o);
  } else {
    removed = subRemoveWhere(<u32>n, value, -1);
  }
  return leave(removed == 0 ? ST_NOT_FOUND : ST_OK);
}

/** k_notice_get's flag: the caller may wait (KnNoticeGetEvent with a timeout above 0). */
const F_WAIT: u32 = 1;

export function k_notice_get(tid: u32, notice: u32, countMax: u32, dst: u32, flags: u32): i32 {
  if (countMax == 0 || countMax > 4096 || !inHeap(dst, countMax << 3)) return ST_BAD_ARG;
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const n = handleLookup(procOf(t), notice, L.K_NOTICE, 0);
  if (n < 0) return leave(-n);
  if (noticePending(<u32>n) != 0) {
    result(rec(t), 0, noticeTake(<u32>n, countMax, dst));
    return leave(ST_OK);
  }
  if ((flags & F_WAIT) == 0) return leave(ST_TIMEOUT);
  noticeWait(<u32>t, <u32>n);
  return leave(ST_WOULD_BLOCK);
}

export function k_notice_set_event(tid: u32, object: u32, mask: u32): i32 {
  if (mask == 0 || (mask & ~EVENT_USER_MASK) != 0) return ST_BAD_ARG;
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const o = handleLookup(procOf(t), object, L.K_USER, OCAP_HANDLE_SET_EVENT);
  if (o < 0) return leave(-o);
  objectSignal(<u32>o, mask, false);
  return leave(ST_OK);
}

export function k_notice_drop(tid: u32, notice: u32, forbid: u32): i32 {
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  const n = handleLookup(procOf(t), notice, L.K_NOTICE, 0);
  if (n < 0) return leave(-n);
  noticeDrop(<u32>n, forbid != 0);
  return leave(ST_OK);
}

// ---- memory -------------------------------------------------------------------------------

export function k_alloc(tid: u32, bytes: u32): i32 {
  const t = enterThread(tid, false);
  if (t < 0) return -t;
  const a = heapAlloc(procOf(t), bytes == 0 ? 1 : bytes);
  if (a == 0) return leave(ST_NO_MEMORY);
  // a reused block holds what its last owner left (another process's message, a name)
  memory.fill(a, 0, bytes);
  result(rec(t), 0, a);
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
  if (a == 0 && bytes != 0) return leave(ST_NO_MEMORY);
  result(rec(t), 0, a);
  result(rec(t), 1, a != 0 ? heapCapacity(a) : 0);
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

/** A digest of all kernel state (stats.ts): tests compare it before and after a refused call. */
export function k_digest(who: u32): i32 {
  const g = enterAdmin(who);
  if (g != ST_OK) return g;
  result(ADMIN_RECORD, 0, digest());
  return leave(ST_OK);
}

// ---- cm_api.h (the kernel's connection manager, cm.ts) ------------------------------------------

/** Names the host registers for process `p` (its class): the connection manager's directory. */
export function k_proc_name(who: u32, p: u32, name: u32, len: u32): i32 {
  if (!scratchName(name, len)) return ST_BAD_ARG;
  const g = enterAdminProc(who, p);
  if (g != ST_OK) return g;
  if (procNameEntry(p) >= 0) return leave(ST_EXISTS);
  if (!namesFree(1)) return leave(ST_QUOTA);
  nameStore(p, NAME_PROC, name, len);
  return leave(ST_OK);
}

/** True when [at, at + len) is a name a thread staged: 1 to NAME_MAX bytes of the heap. */
function stagedName(at: u32, len: u32): bool {
  return len != 0 && len <= NAME_MAX && inHeap(at, len);
}

export function k_cm_connect(tid: u32, server: u32, serverLen: u32, service: u32, serviceLen: u32, flags: u32): i32 {
  if (!stagedName(server, serverLen) || !stagedName(service, serviceLen)) return ST_BAD_ARG;
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  return leave(cmConnect(<u32>t, server, serverLen, service, serviceLen, flags));
}

export function k_cm_listen(tid: u32, dst: u32, flags: u32): i32 {
  if (!inHeap(dst, NAME_MAX << 1)) return ST_BAD_ARG;
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  return leave(cmListen(<u32>t, dst, flags));
}

export function k_cm_accept(tid: u32, names: u32, clientLen: u32, serviceLen: u32, rsid: u32, listener: u32): i32 {
  if (!stagedName(names, clientLen) || !stagedName(names + clientLen, serviceLen)) return ST_BAD_ARG;
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  return leave(cmAccept(<u32>t, names, clientLen, names + clientLen, serviceLen, rsid, listener));
}

export function k_cm_drop(tid: u32, names: u32, clientLen: u32, serviceLen: u32): i32 {
  if (!stagedName(names, clientLen) || !stagedName(names + clientLen, serviceLen)) return ST_BAD_ARG;
  const t = enterThread(tid, true);
  if (t < 0) return -t;
  return leave(cmDrop(<u32>t, names, clientLen, names + clientLen, serviceLen));
}
