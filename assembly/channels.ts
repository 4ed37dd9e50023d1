// Channels, listeners and reply slots.
//
// A static channel (init.yaml `connections: - target, id`) is a channel object, named by the
// client's IPC handle, attached to a listener object, named by the server's handle. Channels
// with the same id to the same server share one listener, which then serves them all (a server
// process Recv's from all its clients of that id on one handle).
//
// A listener holds the rendezvous queues:
//   call queue   clients whose Call has not been received yet   (threads, FIFO)
//   recv queue   server threads waiting in Recv                  (threads, FIFO)
//   slot list    calls received and not yet answered             (reply slots, FIFO)
// A reply slot outlives a caller that stops waiting (timeout, death): it is then "abandoned",
// so a Reply meant for that call consumes it and fails instead of reaching a later call.

import {
  obj, thread, slot, hdr, proc, K_LISTENER, K_CHANNEL, O_KIND, O_FLAGS, O_OWNER, O_REFS,
  O_CALL_HEAD, O_CALL_TAIL, O_RECV_HEAD, O_RECV_TAIL, O_SLOT_HEAD, O_SLOT_TAIL, O_CHANNELS,
  O_LISTENER, O_CLIENT, O_SERVER, OF_CLOSED, MAX_OBJECTS, MAX_SLOTS, H_SLOT_FREE, S_STATE,
  S_LISTENER, S_TID, S_NEXT, SL_FREE, SL_LIVE, SL_ABANDONED, T_SLOT, P_REALM, P_MULTI,
} from './layout';
import { objAlloc, objFree } from './objects';
import { complete, qPop, tidOf, threadIndex } from './threads';
import { ST_NOT_CONNECTED } from './status';

// Listener realm bookkeeping for the deadlock guard (see rendezvous.ts):
const O_FIRST_REALM: u32 = 44; // realm of the first client attached, + 1
const O_MULTI_REALM: u32 = 48; // 1 when clients of several realms are attached

export function listenerCreate(serverProc: u32): i32 {
  const l = objAlloc(K_LISTENER);
  if (l >= 0) store<u32>(obj(l) + O_OWNER, serverProc + 1);
  return l;
}

export function channelCreate(clientProc: u32, serverProc: u32, l: u32): i32 {
  const c = objAlloc(K_CHANNEL);
  if (c < 0) return c;
  const a = obj(c);
  store<u32>(a + O_LISTENER, l + 1);
  store<u32>(a + O_CLIENT, clientProc + 1);
  store<u32>(a + O_SERVER, serverProc + 1);
  const la = obj(l);
  const realm = load<u32>(proc(clientProc) + P_REALM);
  if (load<u32>(la + O_CHANNELS) == 0) store<u32>(la + O_FIRST_REALM, realm + 1);
  else if (load<u32>(la + O_FIRST_REALM) != realm + 1) store<u32>(la + O_MULTI_REALM, 1);
  store<u32>(la + O_CHANNELS, load<u32>(la + O_CHANNELS) + 1);
  return c;
}

/**
 * True when every client that could call listener `l` runs only in `realm` (or none is
 * attached and `realm` is the kernel's own): a blocking Recv there would never return. The
 * cached realms answer the common case; a client process that later gained threads in other
 * realms (k_thread_realm) is checked by walking the channels, only on this rare path.
 */
export function listenerClientsOnlyIn(l: u32, realm: u32): bool {
  const la = obj(l);
  if (load<u32>(la + O_MULTI_REALM) != 0) return false;
  if (load<u32>(la + O_CHANNELS) == 0) return realm == 0;
  if (load<u32>(la + O_FIRST_REALM) != realm + 1) return false;
  for (let i: u32 = 0; i < MAX_OBJECTS; i++) {
    const a = obj(i);
    if (load<i32>(a + O_KIND) != K_CHANNEL || load<u32>(a + O_LISTENER) != l + 1) continue;
    if (load<u32>(proc(load<u32>(a + O_CLIENT) - 1) + P_MULTI) != 0) return false;
  }
  return true;
}

// ---- reply slots --------------------------------------------------------------------------

export function slotsInit(): void {
  for (let i: u32 = 0; i < MAX_SLOTS; i++) {
    store<i32>(slot(i) + S_STATE, SL_FREE);
    store<u32>(slot(i) + S_NEXT, i + 1 < MAX_SLOTS ? i + 2 : 0);
  }
  store<u32>(hdr(H_SLOT_FREE), 1);
}

export function slotAvailable(): bool {
  return load<u32>(hdr(H_SLOT_FREE)) != 0;
}

/** Appends a live slot for caller thread `t` to listener `l`; returns the slot index. */
export function slotOpen(l: u32, t: u32): u32 {
  // Callers check slotAvailable() in their decode step, before any state changes (STYLE.md,
  // "Check, then do").
  assert(load<u32>(hdr(H_SLOT_FREE)) != 0, 'slotOpen: no free reply slot');
  const s = load<u32>(hdr(H_SLOT_FREE)) - 1;
  const sa = slot(s);
  store<u32>(hdr(H_SLOT_FREE), load<u32>(sa + S_NEXT));
  store<i32>(sa + S_STATE, SL_LIVE);
  store<u32>(sa + S_LISTENER, l + 1);
  store<u32>(sa + S_TID, tidOf(t));
  store<u32>(sa + S_NEXT, 0);
  const la = obj(l);
  const tail = load<u32>(la + O_SLOT_TAIL);
  if (tail != 0) store<u32>(slot(tail - 1) + S_NEXT, s + 1);
  else store<u32>(la + O_SLOT_HEAD, s + 1);
  store<u32>(la + O_SLOT_TAIL, s + 1);
  store<u32>(thread(t) + T_SLOT, s + 1);
  return s;
}

/** Finds the oldest slot of listener `l` for `tid` (0: the oldest of all); -1 when none. */
export function slotFind(l: u32, tid: u32): i32 {
  let s = load<u32>(obj(l) + O_SLOT_HEAD);
  while (s != 0) {
    const sa = slot(s - 1);
    if (tid == 0 || load<u32>(sa + S_TID) == tid) return <i32>(s - 1);
    s = load<u32>(sa + S_NEXT);
  }
  return -1;
}

/** Unlinks slot `s` from listener `l` and frees it. */
export function slotClose(l: u32, s: u32): void {
  const la = obj(l);
  let prev: u32 = 0;
  let cur = load<u32>(la + O_SLOT_HEAD);
  while (cur != 0 && cur != s + 1) {
    prev = cur;
    cur = load<u32>(slot(cur - 1) + S_NEXT);
  }
  if (cur == 0) return;
  const next = load<u32>(slot(s) + S_NEXT);
  if (prev != 0) store<u32>(slot(prev - 1) + S_NEXT, next);
  else store<u32>(la + O_SLOT_HEAD, next);
  if (load<u32>(la + O_SLOT_TAIL) == s + 1) store<u32>(la + O_SLOT_TAIL, prev);
  store<i32>(slot(s) + S_STATE, SL_FREE);
  store<u32>(slot(s) + S_LISTENER, 0);
  store<u32>(slot(s) + S_NEXT, load<u32>(hdr(H_SLOT_FREE)));
  store<u32>(hdr(H_SLOT_FREE), s + 1);
}

export function slotAbandon(s: u32): void {
  store<i32>(slot(s) + S_STATE, SL_ABANDONED);
}

export function slotState(s: u32): i32 {
  return load<i32>(slot(s) + S_STATE);
}

export function slotTid(s: u32): u32 {
  return load<u32>(slot(s) + S_TID);
}

// ---- destruction --------------------------------------------------------------------------

/**
 * The server end is gone (its last handle closed, or its process ended): every caller queued
 * or waiting for a reply, and every server thread waiting in Recv on it, completes with
 * ST_NOT_CONNECTED; every channel attached to it is disconnected.
 */
export function listenerDestroy(l: u32): void {
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
    if (load<i32>(slot(s - 1) + S_STATE) == SL_LIVE) {
      const t = threadIndex(load<u32>(slot(s - 1) + S_TID));
      if (t >= 0) complete(<u32>t, ST_NOT_CONNECTED);
    }
    slotClose(l, s - 1);
    s = next;
  }
  for (let i: u32 = 0; i < MAX_OBJECTS; i++) {
    const a = obj(i);
    if (load<i32>(a + O_KIND) == K_CHANNEL && load<u32>(a + O_LISTENER) == l + 1) {
      store<i32>(a + O_FLAGS, load<i32>(a + O_FLAGS) | OF_CLOSED);
      store<u32>(a + O_LISTENER, 0);
    }
  }
  objFree(l);
}

/** The client end is gone: the listener serves one channel fewer. */
export function channelDestroy(c: u32): void {
  const l = load<u32>(obj(c) + O_LISTENER);
  if (l != 0) {
    const la = obj(l - 1);
    store<u32>(la + O_CHANNELS, load<u32>(la + O_CHANNELS) - 1);
  }
  objFree(c);
}

export function channelListener(c: u32): i32 {
  const a = obj(c);
  if ((load<i32>(a + O_FLAGS) & OF_CLOSED) != 0) return -1;
  return <i32>load<u32>(a + O_LISTENER) - 1;
}

export function objRefs(o: u32): u32 {
  return load<u32>(obj(o) + O_REFS);
}
