// Channels, callables and listeners.
//
// A listener is the server end (a server IPC handle): it holds the rendezvous queues
//   call queue   clients whose Call has not been received yet   (threads, FIFO)
//   recv queue   server threads waiting in Recv                  (threads, FIFO)
//   slot list    calls received and not yet answered             (reply slots, slots.ts)
// and the list of client ends attached to it: channels (a client IPC handle's object: static
// channels from init.yaml `connections`, KnHandleConnect) and callables (a client IPC handle
// bound to one endpoint, users.ts). Static channels with the same id to the same server share
// one listener. When the listener ends, every client end attached is disconnected.

import {
  ST_OK, ST_NOT_CONNECTED, ST_QUOTA, ST_EXISTS, ST_DEAD, OCAP_IPC_CLIENT, OCAP_IPC_LISTENER,
} from './abi';
import {
  obj, slot, proc, procAlive, K_LISTENER, K_CHANNEL, O_FLAGS, O_OWNER, O_CALL_HEAD, O_CALL_TAIL,
  O_RECV_HEAD, O_RECV_TAIL, O_SLOT_HEAD, O_CLIENTS, O_CHANNELS, O_LISTENER, O_CLIENT, O_SERVER,
  O_CL_NEXT, O_CL_PREV, O_FIRST_REALM, O_MULTI_REALM, OF_CLOSED, S_NEXT, P_REALM, P_MULTI, HE_OBJ,
} from './layout';
import { objAlloc, objsFree } from './objects';
import { complete, qPop, threadIndex } from './threads';
import { slotClose, slotLive, slotCaller, slotReleaseSpare } from './slots';
import { handleAlloc, handlesFree, handleSlot, hent } from './handles';
import { nameFind, nameAdd, namesFree, NAME_CLIENT, NAME_SERVER } from './registry';

/** Rights of a client IPC handle the kernel makes (a channel's client end). */
export const CLIENT_RIGHTS: u32 = OCAP_IPC_CLIENT;
/** Rights of a listener handle the kernel makes. */
export const LISTENER_RIGHTS: u32 = OCAP_IPC_LISTENER;

export function listenerCreate(serverProc: u32): i32 {
  const l = objAlloc(K_LISTENER);
  if (l >= 0) store<u32>(obj(<u32>l) + O_OWNER, serverProc + 1);
  return l;
}

/**
 * Attaches client end `c` (a channel or a callable) to listener `l`. `realm` is the realm the
 * client end's calls come from, or 0xFFFFFFFF when they may come from anywhere (a callable,
 * which can be transferred): the deadlock guard of Recv reads it.
 */
export function listenerAttach(l: u32, c: u32, realm: u32): void {
  const la = obj(l), ca = obj(c);
  store<u32>(ca + O_LISTENER, l + 1);
  store<u32>(ca + O_SERVER, load<u32>(la + O_OWNER));
  const head = load<u32>(la + O_CLIENTS);
  store<u32>(ca + O_CL_NEXT, head);
  store<u32>(ca + O_CL_PREV, 0);
  if (head != 0) store<u32>(obj(head - 1) + O_CL_PREV, c + 1);
  store<u32>(la + O_CLIENTS, c + 1);
  if (realm == 0xFFFFFFFF) store<u32>(la + O_MULTI_REALM, 1);
  else if (load<u32>(la + O_CHANNELS) == 0) store<u32>(la + O_FIRST_REALM, realm + 1);
  else if (load<u32>(la + O_FIRST_REALM) != realm + 1) store<u32>(la + O_MULTI_REALM, 1);
  store<u32>(la + O_CHANNELS, load<u32>(la + O_CHANNELS) + 1);
}

/** Detaches client end `c` from its listener (if still attached). */
export function listenerDetach(c: u32): void {
  const ca = obj(c);
  const l = load<u32>(ca + O_LISTENER);
  if (l == 0) return;
  const la = obj(l - 1);
  const next = load<u32>(ca + O_CL_NEXT), prev = load<u32>(ca + O_CL_PREV);
  if (prev != 0) store<u32>(obj(prev - 1) + O_CL_NEXT, next);
  else store<u32>(la + O_CLIENTS, next);
  if (next != 0) store<u32>(obj(next - 1) + O_CL_PREV, prev);
  store<u32>(la + O_CHANNELS, load<u32>(la + O_CHANNELS) - 1);
  store<u32>(ca + O_LISTENER, 0);
  store<u32>(ca + O_CL_NEXT, 0);
  store<u32>(ca + O_CL_PREV, 0);
}

/** A channel from client process `cp` to listener `l` (the caller checked for room): its index. */
export function channelCreate(cp: u32, l: u32): u32 {
  const c = <u32>objAlloc(K_CHANNEL);
  store<u32>(obj(c) + O_OWNER, cp + 1);
  store<u32>(obj(c) + O_CLIENT, cp + 1);
  listenerAttach(l, c, load<u32>(proc(cp) + P_REALM));
  return c;
}

/**
 * Room for one channel of client process `cp` to a listener of server process `sp`, and for a
 * new listener too when `fresh`: the objects, and a handle in each table (one table when the two
 * are one process).
 */
export function channelRoom(sp: u32, cp: u32, fresh: bool): bool {
  if (!objsFree(fresh ? 2 : 1)) return false;
  if (cp == sp) return handlesFree(sp, fresh ? 2 : 1);
  return handlesFree(cp, 1) && (!fresh || handlesFree(sp, 1));
}

let openedListener: u32 = 0;

/**
 * After channelRoom: a channel of `cp` to listener `l`, or, when `l` is negative, to a new
 * listener of `sp` with its handle in `sp`'s table (channelOpenedListener). Returns the client's
 * handle value.
 */
export function channelOpen(sp: u32, cp: u32, l: i32): u32 {
  openedListener = 0;
  if (l < 0) {
    l = listenerCreate(sp);
    openedListener = handleAlloc(sp, <u32>l, LISTENER_RIGHTS);
  }
  return handleAlloc(cp, channelCreate(cp, <u32>l), CLIENT_RIGHTS);
}

/** The handle value of the listener the last channelOpen made. */
export function channelOpenedListener(): u32 {
  return openedListener;
}

/**
 * k_connect: a static channel from process `cp` to process `sp` named by the UTF-8 bytes at
 * [name, name + len). Every table is checked for room before anything is created, so a failure
 * leaves no trace. Returns ST_OK, ST_DEAD (a process is not alive), ST_EXISTS (`cp` already has
 * a channel of that name) or ST_QUOTA.
 */
export function staticConnect(cp: u32, sp: u32, name: u32, len: u32): i32 {
  if (!procAlive(cp) || !procAlive(sp)) return ST_DEAD;
  if (nameFind(cp, NAME_CLIENT, name, len) != 0) return ST_EXISTS;
  const lh = nameFind(sp, NAME_SERVER, name, len);
  const newListener = lh == 0;
  if (!namesFree(newListener ? 2 : 1) || !channelRoom(sp, cp, newListener)) return ST_QUOTA;
  const l: i32 = newListener ? -1 : <i32>load<u32>(hent(sp, <u32>handleSlot(sp, lh)) + HE_OBJ) - 1;
  const ch = channelOpen(sp, cp, l);
  if (newListener) nameAdd(sp, NAME_SERVER, channelOpenedListener(), name, len);
  nameAdd(cp, NAME_CLIENT, ch, name, len);
  return ST_OK;
}

/**
 * True when every client that could call listener `l` runs only in `realm` (or none is
 * attached and `realm` is the kernel's own): a blocking Recv there would never return. The
 * cached realms answer the common case; a client process that later gained threads in other
 * realms (k_proc_add_realm) is found by walking the listener's clients, only on this rare path.
 */
export function listenerClientsOnlyIn(l: u32, realm: u32): bool {
  const la = obj(l);
  if (load<u32>(la + O_MULTI_REALM) != 0) return false;
  if (load<u32>(la + O_CHANNELS) == 0) return realm == 0;
  if (load<u32>(la + O_FIRST_REALM) != realm + 1) return false;
  let c = load<u32>(la + O_CLIENTS);
  while (c != 0) {
    const cp = load<u32>(obj(c - 1) + O_CLIENT);
    if (cp != 0 && load<u32>(proc(cp - 1) + P_MULTI) != 0) return false;
    c = load<u32>(obj(c - 1) + O_CL_NEXT);
  }
  return true;
}

/**
 * The server end is gone (its last handle closed, or its process ended): every caller queued
 * or waiting for a reply, and every server thread waiting in Recv on it, completes with
 * ST_NOT_CONNECTED; every client end attached to it is disconnected.
 */
export function listenerDisconnect(l: u32): void {
  const la = obj(l);
  store<i32>(la + O_FLAGS, load<i32>(la + O_FLAGS) | OF_CLOSED);
  let h = qPop(la + O_CALL_HEAD, la + O_CALL_TAIL);
  while (h != 0) {
    complete(h - 1, ST_NOT_CONNECTED);
    h = qPop(la + O_CALL_HEAD, la + O_CALL_TAIL);
  }
  h = qPop(la + O_RECV_HEAD, la + O_RECV_TAIL);
  while (h != 0) {
    complete(h - 1, ST_NOT_CONNECTED);
    h = qPop(la + O_RECV_HEAD, la + O_RECV_TAIL);
  }
  let s = load<u32>(la + O_SLOT_HEAD);
  while (s != 0) {
    const next = load<u32>(slot(s - 1) + S_NEXT);
    if (slotLive(s - 1)) {
      const t = threadIndex(slotCaller(s - 1));
      if (t >= 0) complete(<u32>t, ST_NOT_CONNECTED);
    }
    slotClose(l, s - 1);
    s = next;
  }
  slotReleaseSpare(l);
  let c = load<u32>(la + O_CLIENTS);
  while (c != 0) {
    const next = load<u32>(obj(c - 1) + O_CL_NEXT);
    const ca = obj(c - 1);
    store<i32>(ca + O_FLAGS, load<i32>(ca + O_FLAGS) | OF_CLOSED);
    listenerDetach(c - 1);
    store<u32>(ca + O_SERVER, 0);
    c = next;
  }
}

/** The listener of client end `c` (a channel or a callable), or -1 when it is disconnected. */
export function channelListener(c: u32): i32 {
  const a = obj(c);
  if ((load<i32>(a + O_FLAGS) & OF_CLOSED) != 0) return -1;
  return <i32>load<u32>(a + O_LISTENER) - 1;
}

/** The server process of connected client end `c` (index). */
export function channelServer(c: u32): u32 {
  return load<u32>(obj(c) + O_SERVER) - 1;
}

