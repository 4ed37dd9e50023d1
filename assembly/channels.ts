// Channels and listeners.
//
// A static channel (init.yaml `connections: - target, id`) is a channel object, named by the
// client's IPC handle, attached to a listener object, named by the server's handle. Channels
// with the same id to the same server share one listener, which then serves them all (a server
// process Recv's from all its clients of that id on one handle).
//
// A listener holds the rendezvous queues:
//   call queue   clients whose Call has not been received yet   (threads, FIFO)
//   recv queue   server threads waiting in Recv                  (threads, FIFO)
//   slot list    calls received and not yet answered             (reply slots, slots.ts)

import { MAX_OBJECTS, ST_OK, ST_NOT_CONNECTED, ST_QUOTA, ST_EXISTS, ST_DEAD } from './abi';
import {
  obj, slot, proc, procAlive, K_LISTENER, K_CHANNEL, O_KIND, O_FLAGS, O_OWNER, O_CALL_HEAD,
  O_CALL_TAIL, O_RECV_HEAD, O_RECV_TAIL, O_SLOT_HEAD, O_CHANNELS, O_LISTENER, O_CLIENT, O_SERVER,
  O_FIRST_REALM, O_MULTI_REALM, OF_CLOSED, S_NEXT, P_REALM, P_MULTI, R_CALL, R_RECV,
} from './layout';
import { objAlloc, objFree, objsFree } from './objects';
import { complete, qPop, threadIndex } from './threads';
import { slotClose, slotLive, slotCaller } from './slots';
import { handleAlloc, handlesFree, handleSlot, handleObj } from './handles';
import { nameFind, nameAdd, namesFree, NAME_CLIENT, NAME_SERVER } from './registry';

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
 * k_connect: a static channel from process `cp` to process `sp` named by the UTF-8 bytes at
 * [name, name + len). Every table is checked for room before anything is created, so a failure
 * leaves no trace. Returns ST_OK, ST_DEAD (a process is not alive), ST_EXISTS (`cp` already has
 * a channel of that name) or ST_QUOTA.
 */
export function staticConnect(cp: u32, sp: u32, name: u32, len: u32): i32 {
  if (!procAlive(cp) || !procAlive(sp)) return ST_DEAD;
  if (nameFind(cp, NAME_CLIENT, name, len) != 0) return ST_EXISTS;
  let lh = nameFind(sp, NAME_SERVER, name, len);
  const newListener = lh == 0;
  const clientHandles: u32 = newListener && cp == sp ? 2 : 1;
  if (!namesFree(newListener ? 2 : 1) || !objsFree(newListener ? 2 : 1) || !handlesFree(cp, clientHandles) ||
      (newListener && !handlesFree(sp, 1))) {
    return ST_QUOTA;
  }
  let l: i32;
  if (!newListener) {
    l = <i32>handleObj(sp, <u32>handleSlot(sp, lh));
  } else {
    l = listenerCreate(sp);
    lh = handleAlloc(sp, <u32>l, R_RECV);
    nameAdd(sp, NAME_SERVER, lh, name, len);
  }
  const c = channelCreate(cp, sp, <u32>l);
  nameAdd(cp, NAME_CLIENT, handleAlloc(cp, <u32>c, R_CALL), name, len);
  return ST_OK;
}

/**
 * True when every client that could call listener `l` runs only in `realm` (or none is
 * attached and `realm` is the kernel's own): a blocking Recv there would never return. The
 * cached realms answer the common case; a client process that later gained threads in other
 * realms (k_proc_add_realm) is checked by walking the channels, only on this rare path.
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
    if (slotLive(s - 1)) {
      const t = threadIndex(slotCaller(s - 1));
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
      store<u32>(a + O_SERVER, 0);
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

/** The listener of channel `c`, or -1 when the channel is disconnected. */
export function channelListener(c: u32): i32 {
  const a = obj(c);
  if ((load<i32>(a + O_FLAGS) & OF_CLOSED) != 0) return -1;
  return <i32>load<u32>(a + O_LISTENER) - 1;
}

/** The server process of connected channel `c` (index). */
export function channelServer(c: u32): u32 {
  return load<u32>(obj(c) + O_SERVER) - 1;
}
