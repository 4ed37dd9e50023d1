// Call / Recv / Reply: the rendezvous state machine.
//
// Every entry runs under the kernel lock and follows seL4's split: first decode and check
// (handle value, object kind and rights in one handleLookup, then the sync handle, message
// structure, channel state, declared shape, handles carried, policy, deadlock guard), returning
// a status with nothing changed; then do the work.
//
// The steps of an exchange, named so the races below can refer to them:
//   (C1) Call is checked; (C2) if a server thread waits in Recv, the request is delivered to it
//        (D) and it is woken, else the caller joins the listener's call queue (QUEUED).
//   (R1) Recv is checked; (R2) if a call is queued, it is dequeued and delivered (D), else the
//        server thread joins the recv queue (WAIT_RECV).
//   (D)  Delivery copies the request into the receiver's buffers, checks it again (the caller's
//        buffers and handles may have changed while it was queued), transfers the handles it
//        carries and opens a reply slot whose token the server sees as threadId: the caller is
//        now WAIT_REPLY.
//   (P1) Reply is checked and finds the slot (by token, or the oldest); (P2) the response is
//        checked, copied into the caller's buffers with its handles transferred, the slot is
//        closed and the caller completes: ST_OK, or the status that ended the call.
//   (X)  Cancel (timeout, interrupt, death, revocation of the handle it waits through) takes a
//        waiting thread out: QUEUED, WAIT_RECV, WAIT_NOTICE and the connection manager's waits
//        (cm.ts) leave their queue; WAIT_REPLY
//        abandons its slot.
// Races: whichever of (P2) and (X) takes the lock first wins. If (P2) wins, the call succeeds
// even though its timer fired (k_cancel then returns the completed status). If (X) wins, the
// slot is abandoned and the late Reply returns ST_CALLER_GONE; its token names only that call,
// and threadId 0 reaches it before any later call, so it never reaches a later call.
// An interrupt (sync object) only cancels QUEUED or WAIT_RECV threads: after (D) a call waits
// for its reply or its timeout, as the IPC interrupt page prescribes.
//
// A Call through a callable handle (users.ts) reaches the callable's listener and endpoint: the
// server's copy carries the callable's RIID in `iid` and, in `self`, the key that dereferencing
// the callable gives the server (transfer.ts callableKey), with the handle's rights after it.

import {
  ST_OK, ST_WOULD_BLOCK, ST_INVALID_MSG, ST_NOT_CONNECTED, ST_DENIED, ST_INTERRUPTED, ST_BAD_ARG, ST_WRONG_TYPE,
  ST_DEADLOCK, ST_NO_CALL, ST_CALLER_GONE, ST_QUOTA, ST_REVOKED, T_CELL, T_RX_CLEN, T_RX_ALEN, T_RX_TASK,
  T_RX_TOKEN, T_RX_HANDLE, NK_OFF_IID, NK_OFF_MID, NK_OFF_TYPE, NK_OFF_SELF, NK_OFF_SELF_RIGHTS,
  NK_OFF_NCAPS, OCAP_IPC_CALL, OCAP_IPC_RECV,
} from './abi';
import {
  thread, obj, proc, put, T_STATE, T_PROC, T_OBJ, T_SYNC, T_OUT_C, T_OUT_CLEN, T_OUT_A, T_OUT_ALEN,
  T_IN_C, T_IN_CCAP, T_IN_A, T_IN_ACAP, T_SLOT, T_REALM, T_RC, T_CHANNEL, T_CALL_HID, T_NEXT, TS_IDLE,
  TS_QUEUED, TS_WAIT_REPLY, TS_WAIT_RECV, TS_WAIT_NOTICE, TS_WAIT_CM_CONNECT, TS_WAIT_CM_LISTEN, TS_DONE,
  K_CHANNEL, K_CALLABLE, K_LISTENER,
  K_SYNC, O_KIND, O_RIID, O_CALL_HEAD, O_CALL_TAIL, O_RECV_HEAD, O_RECV_TAIL, P_CLASS, P_TASK,
  P_REALM, P_MULTI, EV_REQUEST, EV_RESPONSE, EV_ERROR, NK_TYPE_ERR, HE_OBJ, HE_RIGHTS, HE_FLAGS, HF_REVOKED,
} from './layout';
import { handleLookup, handleSlot, hid, hidEntry, INVALID_HANDLE } from './handles';
import { checkOutgoing, checkIncoming, sentSize } from './message';
import { shapeCheckRequest, shapeCheckReply, queuedSize, ANY_IID } from './shapes';
import { policyAllows } from './policy';
import { complete, qPush, qPop, qRemove, threadIndex } from './threads';
import { channelListener, channelServer, listenerClientsOnlyIn } from './channels';
import { slotAvailable, slotOpen, slotFind, slotClose, slotAbandon, slotLive, slotCaller } from './slots';
import { syncTake } from './sync';
import { capsOf, capsCheck, capsDeliver, callableKey, NO_HANDLE } from './transfer';
import { noticeUnwait } from './notices';
import { result } from './gate';
import { cmUnwait } from './cm';

/** Flag of k_call / k_recv: the caller will block its thread (enables the deadlock guard). */
export const F_BLOCKING: u32 = 1;

function classOf(p: u32): u32 {
  return load<u32>(proc(p) + P_CLASS);
}

/** The sync object decodeWait found: object index + 1, or 0 for none. Per instance (one
 * entry point runs at a time in an instance), read right after decodeWait. */
let decodedSync: u32 = 0;

/**
 * The checks Call (C1) and Recv (R1) share, in order: the object handle `h` of process `p`
 * names (`kind` or, for a Call, a callable; and rights), the sync handle (INVALID_HANDLE: none),
 * the receive buffers. Returns the object, or -status; the sync object is left in decodedSync.
 */
function decodeWait(p: u32, h: u32, kind: i32, rights: u32, syncH: u32, ic: u32, iccap: u32, ia: u32, iacap: u32): i32 {
  let o = handleLookup(p, h, kind, rights);
  if (o == -ST_WRONG_TYPE && kind == K_CHANNEL) o = handleLookup(p, h, K_CALLABLE, rights);
  if (o < 0) return o;
  let so: i32 = 0;
  if (syncH != INVALID_HANDLE) {
    so = handleLookup(p, syncH, K_SYNC, 0);
    if (so < 0) return so;
    so++;
  }
  const st = checkIncoming(ic, iccap, ia, iacap);
  if (st != ST_OK) return -st;
  decodedSync = <u32>so;
  return o;
}

function setIn(a: u32, c: u32, ccap: u32, ar: u32, acap: u32): void {
  put(a + T_IN_C, c);
  put(a + T_IN_CCAP, ccap);
  put(a + T_IN_A, ar);
  put(a + T_IN_ACAP, acap);
}

/** The RIID a call on client end `c` reaches: a callable's own, or ANY_IID (the header's). */
function effectiveIid(c: u32): u32 {
  return load<i32>(obj(c) + O_KIND) == K_CALLABLE ? load<u32>(obj(c) + O_RIID) : ANY_IID;
}

/**
 * (D) Delivers caller `t`'s request to receiver `r` (listener `l`): copies it into `r`'s
 * buffers, checks it again (shapes.ts queuedSize, transfer.ts capsCheck), transfers its handles,
 * stamps a callable's RIID and self key, and opens the reply slot. Returns ST_OK, or the status
 * that refuses it: the caller is then not delivered (the callers of deliver report it to both
 * sides) and the receiver's token is 0. The receiver's T_RX_HANDLE (the handle it receives
 * on) was written when its Recv started.
 */
function deliver(t: u32, r: u32, l: u32): i32 {
  const ta = thread(t), ra = thread(r);
  // Only a caller not yet received can be delivered (seed 002: the window before the server's
  // Recv), and only to a receiver that is not already holding a completed request.
  assert(load<i32>(ta + T_STATE) == TS_QUEUED || load<i32>(ta + T_STATE) == TS_IDLE || load<i32>(ta + T_STATE) == TS_DONE,
    'deliver: caller already received');
  // The receiver waits in Recv (queued), or is in its own Recv now (idle: its last syscall, if
  // any, completed).
  assert(load<i32>(ra + T_STATE) == TS_WAIT_RECV || load<i32>(ra + T_STATE) == TS_IDLE ||
    load<i32>(ra + T_STATE) == TS_DONE, 'deliver: receiver is not receiving');
  const p = load<u32>(ta + T_PROC), rp = load<u32>(ra + T_PROC);
  const c = load<u32>(ta + T_CHANNEL) - 1;
  const iid = effectiveIid(c);
  const clen = queuedSize(t, rp, iid); // checked again: an in-place buffer may have changed
  const alen = load<u32>(ta + T_OUT_ALEN);
  store<u32>(ra + T_RX_TASK, load<u32>(proc(p) + P_TASK));
  store<u32>(ra + T_RX_TOKEN, 0);
  if (clen > load<u32>(ra + T_IN_CCAP) || alen > load<u32>(ra + T_IN_ACAP)) return ST_INVALID_MSG;
  const src = load<u32>(ta + T_OUT_C), dst = load<u32>(ra + T_IN_C);
  const ncaps = <u32>capsOf(src, clen);
  if (ncaps != 0) {
    const st = capsCheck(p, rp, src, ncaps);
    if (st != ST_OK) return st;
  }
  memory.copy(dst, src, clen);
  if (alen != 0) memory.copy(load<u32>(ra + T_IN_A), load<u32>(ta + T_OUT_A), alen);
  if (ncaps != 0) capsDeliver(rp, dst, ncaps);
  if (iid != ANY_IID) {
    // the caller's handle may have been closed or revoked while the call was queued
    const h = load<u32>(ta + T_CALL_HID) - 1;
    const e = hidEntry(h);
    const still = load<u32>(e + HE_OBJ) == c + 1 && (load<u32>(e + HE_FLAGS) & HF_REVOKED) == 0;
    store<u16>(dst + NK_OFF_IID, <u16>iid);
    store<u32>(dst + NK_OFF_SELF, still ? callableKey(rp, h, c) : callableKey(rp, NO_HANDLE, c));
    store<u32>(dst + NK_OFF_SELF_RIGHTS, still ? load<u32>(e + HE_RIGHTS) : 0);
  }
  store<u32>(ra + T_RX_CLEN, clen);
  store<u32>(ra + T_RX_ALEN, alen);
  store<u32>(ra + T_RX_TOKEN, slotOpen(l, t));
  store<i32>(ta + T_STATE, TS_WAIT_REPLY);
  store<u32>(ta + T_SYNC, 0);
  return ST_OK;
}

export function sysCall(
  t: u32, h: u32, oc: u32, oclen: u32, oa: u32, oalen: u32,
  ic: u32, iccap: u32, ia: u32, iacap: u32, syncH: u32, flags: u32,
): i32 {
  const ta = thread(t);
  const p = load<u32>(ta + T_PROC);
  // (C1) decode and check, in order; nothing changes before (C2)
  const c = decodeWait(p, h, K_CHANNEL, OCAP_IPC_CALL, syncH, ic, iccap, ia, iacap);
  if (c < 0) return -c;
  const so = decodedSync;
  let st = checkOutgoing(oc, oclen, oa, oalen);
  if (st != ST_OK) return st;
  const l = channelListener(<u32>c);
  if (l < 0) return ST_NOT_CONNECTED;
  const server = channelServer(<u32>c);
  const iid = effectiveIid(<u32>c);
  st = shapeCheckRequest(server, oc, oa, oalen, iid);
  if (st != ST_OK) return st;
  const ncaps = <u32>capsOf(oc, sentSize(oc));
  if (ncaps != 0) {
    st = capsCheck(p, server, oc, ncaps);
    if (st != ST_OK) return st;
  }
  const riid = iid == ANY_IID ? <u32>load<u16>(oc + NK_OFF_IID) : iid;
  if (!policyAllows(EV_REQUEST, classOf(p), classOf(server), riid, <u32>load<u16>(oc + NK_OFF_MID), p, oc, ncaps)) return ST_DENIED;
  if ((flags & F_BLOCKING) != 0 && load<u32>(proc(server) + P_MULTI) == 0 &&
      load<u32>(proc(server) + P_REALM) == load<u32>(ta + T_REALM)) return ST_DEADLOCK;
  if (so != 0 && syncTake(so - 1)) return ST_INTERRUPTED;
  const la = obj(<u32>l);
  const r = load<u32>(la + O_RECV_HEAD);
  if (r != 0 && !slotAvailable(<u32>l)) return ST_QUOTA;
  // (C2) commit
  put(ta + T_OUT_C, oc);
  put(ta + T_OUT_CLEN, oclen);
  put(ta + T_OUT_A, oa);
  put(ta + T_OUT_ALEN, oalen);
  setIn(ta, ic, iccap, ia, iacap);
  store<u32>(ta + T_OBJ, <u32>l + 1);
  store<u32>(ta + T_SYNC, so);
  put(ta + T_CHANNEL, <u32>c + 1);
  put(ta + T_CALL_HID, hid(p, <u32>handleSlot(p, h)) + 1);
  atomic.store<i32>(ta + T_CELL, 0);
  if (r != 0) {
    st = deliver(t, r - 1, <u32>l);
    qRemove(la + O_RECV_HEAD, la + O_RECV_TAIL, r - 1);
    complete(r - 1, st);
    if (st != ST_OK) {
      store<i32>(ta + T_STATE, TS_IDLE);
      return st;
    }
  } else {
    store<i32>(ta + T_STATE, TS_QUEUED);
    qPush(la + O_CALL_HEAD, la + O_CALL_TAIL, t);
  }
  // r0: whether the reply may come from another realm (the host's Async wait may spin for it)
  const remote = load<u32>(proc(server) + P_MULTI) != 0 || load<u32>(proc(server) + P_REALM) != load<u32>(ta + T_REALM);
  result(ta, 0, remote ? 1 : 0);
  return ST_WOULD_BLOCK;
}

export function sysRecv(
  t: u32, h: u32, ic: u32, iccap: u32, ia: u32, iacap: u32, syncH: u32, flags: u32,
): i32 {
  const ta = thread(t);
  const p = load<u32>(ta + T_PROC);
  // (R1)
  const l = decodeWait(p, h, K_LISTENER, OCAP_IPC_RECV, syncH, ic, iccap, ia, iacap);
  if (l < 0) return -l;
  const so = decodedSync;
  const la = obj(<u32>l);
  const head = load<u32>(la + O_CALL_HEAD);
  if (head == 0) {
    if ((flags & F_BLOCKING) != 0 && listenerClientsOnlyIn(<u32>l, load<u32>(ta + T_REALM))) {
      return ST_DEADLOCK;
    }
  } else if (!slotAvailable(<u32>l)) {
    return ST_QUOTA;
  }
  if (so != 0 && syncTake(so - 1)) return ST_INTERRUPTED;
  // (R2)
  setIn(ta, ic, iccap, ia, iacap);
  put(ta + T_RX_HANDLE, h);
  if (head != 0) {
    const c = qPop(la + O_CALL_HEAD, la + O_CALL_TAIL) - 1;
    const d = deliver(c, t, <u32>l);
    if (d != ST_OK) complete(c, d); // the request cannot be delivered: both sides are told
    return d;
  }
  store<u32>(ta + T_OBJ, <u32>l + 1);
  store<u32>(ta + T_SYNC, so);
  atomic.store<i32>(ta + T_CELL, 0);
  store<i32>(ta + T_STATE, TS_WAIT_RECV);
  qPush(la + O_RECV_HEAD, la + O_RECV_TAIL, t);
  return ST_WOULD_BLOCK;
}

/**
 * (P1)(P2) Reply. Once the slot is found the call it names is over, whatever happens next: a
 * response that is malformed (ST_INVALID_MSG, ST_TOO_LARGE, ...), carries handles that may not
 * go (ST_BAD_HANDLE, ST_REVOKED, ST_TRANSFER_DENIED, ST_QUOTA), is denied (ST_DENIED) or does
 * not fit the caller's buffers (ST_INVALID_MSG) ends the waiting Call with that same status, so
 * no caller waits for a reply that can never come (seed 000: Call's rcInvalidArgument).
 */
export function sysReply(t: u32, h: u32, oc: u32, oclen: u32, oa: u32, oalen: u32, token: u32): i32 {
  const p = load<u32>(thread(t) + T_PROC);
  // (P1)
  const l = handleLookup(p, h, K_LISTENER, OCAP_IPC_RECV);
  if (l < 0) return -l;
  const s = slotFind(<u32>l, token);
  if (s < 0) return ST_NO_CALL;
  // (P2) the slot is consumed whatever happens now; a live caller learns the outcome
  const live = slotLive(<u32>s);
  const ci = live ? threadIndex(slotCaller(<u32>s)) : -1;
  slotClose(<u32>l, <u32>s);
  let st = checkOutgoing(oc, oclen, oa, oalen);
  if (st == ST_OK) st = shapeCheckReply(p, oc, oa, oalen);
  if (st != ST_OK) {
    if (ci >= 0) complete(<u32>ci, st);
    return st;
  }
  if (ci < 0) return ST_CALLER_GONE;
  const c = <u32>ci;
  const ca = thread(c);
  const client = load<u32>(ca + T_PROC);
  const clen = min(sentSize(oc), oclen); // read again: never past the checked buffer
  const ncaps = <u32>capsOf(oc, clen);
  if (ncaps != 0) {
    st = capsCheck(p, client, oc, ncaps);
    if (st != ST_OK) {
      complete(c, st);
      return st;
    }
  }
  const ev = (load<u32>(oc + NK_OFF_TYPE) & NK_TYPE_ERR) != 0 ? EV_ERROR : EV_RESPONSE;
  const iid = <u32>load<u16>(oc + NK_OFF_IID), mid = <u32>load<u16>(oc + NK_OFF_MID);
  if (!policyAllows(ev, classOf(p), classOf(client), iid, mid, p, oc, ncaps)) {
    complete(c, ST_DENIED);
    return ST_DENIED;
  }
  if (clen > load<u32>(ca + T_IN_CCAP) || oalen > load<u32>(ca + T_IN_ACAP)) {
    complete(c, ST_INVALID_MSG);
    return ST_INVALID_MSG;
  }
  const dst = load<u32>(ca + T_IN_C);
  memory.copy(dst, oc, clen);
  if (oalen != 0) memory.copy(load<u32>(ca + T_IN_A), oa, oalen);
  if (ncaps != 0) capsDeliver(client, dst, ncaps);
  store<u32>(ca + T_RX_CLEN, clen);
  store<u32>(ca + T_RX_ALEN, oalen);
  complete(c, ST_OK);
  return ST_OK;
}

/**
 * (X) Takes thread `t` out of whatever it waits for, completing it with `reason`. Returns the
 * thread's final status: `reason`, or the status it completed with if that came first.
 */
export function sysCancel(t: u32, reason: i32): i32 {
  const ta = thread(t);
  const state = load<i32>(ta + T_STATE);
  if (state == TS_DONE) return load<i32>(ta + T_RC);
  const l = load<u32>(ta + T_OBJ);
  if (state == TS_QUEUED && l != 0) {
    qRemove(obj(l - 1) + O_CALL_HEAD, obj(l - 1) + O_CALL_TAIL, t);
  } else if (state == TS_WAIT_RECV && l != 0) {
    qRemove(obj(l - 1) + O_RECV_HEAD, obj(l - 1) + O_RECV_TAIL, t);
  } else if (state == TS_WAIT_NOTICE && l != 0) {
    noticeUnwait(t, l - 1);
  } else if ((state == TS_WAIT_CM_CONNECT || state == TS_WAIT_CM_LISTEN) && l != 0) {
    cmUnwait(t, state);
  } else if (state == TS_WAIT_REPLY) {
    const s = load<u32>(ta + T_SLOT);
    if (s != 0) slotAbandon(s - 1);
  } else {
    return ST_BAD_ARG;
  }
  complete(t, reason);
  return reason;
}

/**
 * Handle id `h` of process `p` (value `v`), naming object `o`, is being revoked: the calls made
 * through it that are still waiting end with ST_REVOKED, as any later call with it would. These
 * are Recvs waiting on a listener through `h`, and Calls through a client end (a channel or a
 * callable) still queued, not yet received. A call already received goes on: its server holds
 * the request and will answer it.
 */
export function revokeWaits(p: u32, h: u32, v: u32, o: u32): void {
  const kind = load<i32>(obj(o) + O_KIND);
  if (kind == K_LISTENER) {
    let t = load<u32>(obj(o) + O_RECV_HEAD);
    while (t != 0) {
      const a = thread(t - 1);
      const next = load<u32>(a + T_NEXT);
      if (load<u32>(a + T_PROC) == p && load<u32>(a + T_RX_HANDLE) == v) sysCancel(t - 1, ST_REVOKED);
      t = next;
    }
  } else if (kind == K_CHANNEL || kind == K_CALLABLE) {
    const l = channelListener(o);
    if (l < 0) return;
    let t = load<u32>(obj(<u32>l) + O_CALL_HEAD);
    while (t != 0) {
      const a = thread(t - 1);
      const next = load<u32>(a + T_NEXT);
      if (load<u32>(a + T_CALL_HID) == h + 1) sysCancel(t - 1, ST_REVOKED);
      t = next;
    }
  }
}

/** The status of thread `t`'s completed syscall (the thread is idle again), or -1 if not done. */
export function finishState(t: u32): i32 {
  const ta = thread(t);
  if (load<i32>(ta + T_STATE) != TS_DONE) return -1;
  store<i32>(ta + T_STATE, TS_IDLE);
  return load<i32>(ta + T_RC);
}
