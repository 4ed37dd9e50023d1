// The kernel's connection manager (coresrv/cm/cm_api.h, seed 004): channels made at run time.
//
// A client asks a server process, by name, for a channel to one of its services
// (KnCmConnect); the request waits at the server's task object until the server accepts it
// (KnCmAccept: the kernel makes the channel and gives each side its own IPC handle) or drops
// it (KnCmDrop), the client's timeout passes, or the server ends. KnCmListen shows the server
// the oldest request waiting, without taking it: it reports the same request until that one is
// accepted or dropped (docs/dcm.md, "The kernel's connection manager").
//
//   client thread  --KnCmConnect-->  [ server task: O_CM_HEAD .. O_CM_TAIL ]  (TS_WAIT_CM_CONNECT)
//   server thread  --KnCmListen--->  the head's client name and service, or waits  (TS_WAIT_CM_LISTEN)
//   server thread  --KnCmAccept--->  channel + client handle (the client's r0, its rsid r1),
//                                    listener handle (the server's r0); the client completes ST_OK
//   server thread  --KnCmDrop----->  the client completes ST_NOT_CONNECTED
//
// A waiting request keeps its service name in a name entry the kernel owns (registry.ts
// NAME_CM; its index + 1 in the thread's T_OUT_A), and identifies its client by the client
// process's own name (NAME_PROC, registered by the host with k_proc_name). Every accepted
// request makes a new channel, so the same pair may connect again after closing both ends.

import {
  ST_OK, ST_WOULD_BLOCK, ST_TIMEOUT, ST_NOT_FOUND, ST_NOT_CONNECTED, ST_DEADLOCK, ST_BAD_ARG,
  ST_QUOTA, T_CELL, OCAP_IPC_LISTEN,
} from './abi';
import {
  thread, obj, proc, procAlive, T_STATE, T_PROC, T_OBJ, T_OUT_A, T_REALM, T_NEXT, TS_WAIT_CM_CONNECT,
  TS_WAIT_CM_LISTEN, O_CM_HEAD, O_CM_TAIL, O_CML_HEAD, O_CML_TAIL, P_TASK_OBJ, P_REALM, P_MULTI,
  K_LISTENER,
} from './layout';
import { complete, qPush, qPop, qRemove } from './threads';
import { handleLookup, INVALID_HANDLE } from './handles';
import { channelRoom, channelOpen, channelOpenedListener } from './channels';
import {
  namesFree, nameStore, nameRelease, procNameEntry, procByName, nameIs, nameCopy, NAME_CM,
} from './registry';
import { result } from './gate';

/** k_cm_connect / k_cm_listen flag: the caller may wait (a timeout above 0). */
export const CM_WAIT: u32 = 1;
/** k_cm_connect flag: the caller blocks its thread (the deadlock guard applies). */
export const CM_BLOCKING: u32 = 2;

/** The task object of live process `p` (index). */
function taskObj(p: u32): u32 {
  return load<u32>(proc(p) + P_TASK_OBJ) - 1;
}

/** Completes every thread of `p` waiting in KnCmListen with ST_OK: they look again. */
function wakeListeners(task: u32): void {
  const a = obj(task);
  let w = qPop(a + O_CML_HEAD, a + O_CML_TAIL);
  while (w != 0) {
    complete(w - 1, ST_OK);
    w = qPop(a + O_CML_HEAD, a + O_CML_TAIL);
  }
}

/** Ends waiting request `c` (a client thread in the queue of `task`) with `st`. */
function release(task: u32, c: u32, st: i32): void {
  const a = obj(task);
  qRemove(a + O_CM_HEAD, a + O_CM_TAIL, c);
  const e = load<u32>(thread(c) + T_OUT_A);
  if (e != 0) nameRelease(e - 1);
  store<u32>(thread(c) + T_OUT_A, 0);
  complete(c, st);
}

/**
 * KnCmConnect by thread `t`: a request to the process named [srv, srv + srvLen) for service
 * [svc, svc + svcLen). Checks, in order: the server exists and lives (ST_NOT_FOUND), the caller
 * has a registered name (ST_BAD_ARG), the caller may wait (ST_TIMEOUT), a blocking caller's
 * server runs elsewhere (ST_DEADLOCK), room for the service name (ST_QUOTA). Then queues it:
 * ST_WOULD_BLOCK.
 */
export function cmConnect(t: u32, srv: u32, srvLen: u32, svc: u32, svcLen: u32, flags: u32): i32 {
  const ta = thread(t);
  const p = load<u32>(ta + T_PROC);
  const s = procByName(srv, srvLen);
  if (s < 0 || !procAlive(<u32>s)) return ST_NOT_FOUND;
  if (procNameEntry(p) < 0) return ST_BAD_ARG;
  if ((flags & CM_WAIT) == 0) return ST_TIMEOUT;
  if ((flags & CM_BLOCKING) != 0 && load<u32>(proc(<u32>s) + P_MULTI) == 0 &&
      load<u32>(proc(<u32>s) + P_REALM) == load<u32>(ta + T_REALM)) return ST_DEADLOCK;
  if (!namesFree(1)) return ST_QUOTA;
  const task = taskObj(<u32>s);
  store<u32>(ta + T_OUT_A, nameStore(p, NAME_CM, svc, svcLen) + 1);
  store<u32>(ta + T_OBJ, task + 1);
  atomic.store<i32>(ta + T_CELL, 0);
  store<i32>(ta + T_STATE, TS_WAIT_CM_CONNECT);
  qPush(obj(task) + O_CM_HEAD, obj(task) + O_CM_TAIL, t);
  wakeListeners(task);
  return ST_WOULD_BLOCK;
}

/**
 * KnCmListen by thread `t`: the oldest request waiting for its process, written to `dst` as the
 * client's name then the service (result words: their lengths): ST_OK. With none: ST_TIMEOUT,
 * or (CM_WAIT) the thread waits for one: ST_WOULD_BLOCK. `dst` holds 2 * NAME_MAX bytes.
 */
export function cmListen(t: u32, dst: u32, flags: u32): i32 {
  const ta = thread(t);
  const p = load<u32>(ta + T_PROC);
  const task = taskObj(p);
  const head = load<u32>(obj(task) + O_CM_HEAD);
  if (head != 0) {
    const c = head - 1;
    const clen = nameCopy(<u32>procNameEntry(load<u32>(thread(c) + T_PROC)), dst);
    const slen = nameCopy(load<u32>(thread(c) + T_OUT_A) - 1, dst + clen);
    result(ta, 0, clen);
    result(ta, 1, slen);
    return ST_OK;
  }
  if ((flags & CM_WAIT) == 0) return ST_TIMEOUT;
  store<u32>(ta + T_OBJ, task + 1);
  atomic.store<i32>(ta + T_CELL, 0);
  store<i32>(ta + T_STATE, TS_WAIT_CM_LISTEN);
  qPush(obj(task) + O_CML_HEAD, obj(task) + O_CML_TAIL, t);
  return ST_WOULD_BLOCK;
}

/**
 * The oldest request waiting at `task` from the process named [cn, cn + clen) for service
 * [sn, sn + slen): its client thread, or -1.
 */
function find(task: u32, cn: u32, clen: u32, sn: u32, slen: u32): i32 {
  let c = load<u32>(obj(task) + O_CM_HEAD);
  while (c != 0) {
    const ca = thread(c - 1);
    const ce = procNameEntry(load<u32>(ca + T_PROC));
    if (ce >= 0 && nameIs(<u32>ce, cn, clen) && nameIs(load<u32>(ca + T_OUT_A) - 1, sn, slen)) return <i32>(c - 1);
    c = load<u32>(ca + T_NEXT);
  }
  return -1;
}

/**
 * KnCmAccept by thread `t` of server process `p`: the request of client [cn, +clen) for service
 * [sn, +slen) gets a channel on `listener` (INVALID_HANDLE: a new listener). Checks: the
 * request waits (ST_NOT_FOUND), the listener handle (its lookup's status), room for the objects
 * and both handles (ST_QUOTA). The client's KnCmConnect returns its client IPC handle and
 * `rsid`; result word 0 of `t` is the server IPC (listener) handle.
 */
export function cmAccept(t: u32, cn: u32, clen: u32, sn: u32, slen: u32, rsid: u32, listener: u32): i32 {
  const ta = thread(t);
  const p = load<u32>(ta + T_PROC);
  const task = taskObj(p);
  const ci = find(task, cn, clen, sn, slen);
  if (ci < 0) return ST_NOT_FOUND;
  const c = <u32>ci;
  const fresh = listener == INVALID_HANDLE;
  let l: i32 = -1;
  if (!fresh) {
    l = handleLookup(p, listener, K_LISTENER, OCAP_IPC_LISTEN);
    if (l < 0) return -l;
  }
  const cp = load<u32>(thread(c) + T_PROC);
  if (!channelRoom(p, cp, fresh)) return ST_QUOTA;
  const ch = channelOpen(p, cp, l);
  const lh = fresh ? channelOpenedListener() : listener;
  result(thread(c), 0, ch);
  result(thread(c), 1, rsid);
  release(task, c, ST_OK);
  result(ta, 0, lh);
  return ST_OK;
}

/** KnCmDrop by thread `t`: the request of [cn, +clen) for [sn, +slen) is refused (ST_NOT_CONNECTED). */
export function cmDrop(t: u32, cn: u32, clen: u32, sn: u32, slen: u32): i32 {
  const task = taskObj(load<u32>(thread(t) + T_PROC));
  const c = find(task, cn, clen, sn, slen);
  if (c < 0) return ST_NOT_FOUND;
  release(task, <u32>c, ST_NOT_CONNECTED);
  return ST_OK;
}

/** (X) for the connection manager: thread `t` in `state` stops waiting (timeout, death). */
export function cmUnwait(t: u32, state: i32): void {
  const ta = thread(t);
  const task = load<u32>(ta + T_OBJ) - 1;
  const a = obj(task);
  if (state == TS_WAIT_CM_LISTEN) {
    qRemove(a + O_CML_HEAD, a + O_CML_TAIL, t);
    return;
  }
  qRemove(a + O_CM_HEAD, a + O_CM_TAIL, t);
  const e = load<u32>(ta + T_OUT_A);
  if (e != 0) nameRelease(e - 1);
  store<u32>(ta + T_OUT_A, 0);
}

/** Server process `p` ends: every request still waiting for it is refused (ST_NOT_CONNECTED). */
export function cmServerEnd(p: u32): void {
  const task = taskObj(p);
  let c = load<u32>(obj(task) + O_CM_HEAD);
  while (c != 0) {
    release(task, c - 1, ST_NOT_CONNECTED);
    c = load<u32>(obj(task) + O_CM_HEAD);
  }
}
