// Closing and revoking handles, the end of objects, and the end of processes.
//
// KnHandleClose frees the caller's entry and gives its children to its parent (the tree stays
// whole; a badge the closed handle's transfer carried passes to its children). KnHandleRevoke marks every descendant revoked, and then closes the handle;
// KnHandleRevokeSubtree revokes only the subtrees a transfer with a given badge started. A
// revoked handle keeps its entry until its process closes it, but names nothing: its object
// lost that reference when it was revoked. An object ends when nothing holds it any more (no
// live handle; for a badge, also no handle in its zone): a listener's callers and waiters
// complete with ST_NOT_CONNECTED and its client ends are disconnected; a channel or callable
// leaves its listener; a notice wakes its waiters; subscribers are told EVENT_OBJECT_DESTROYED.
// Closing an IPC handle obtained from the service locator also forgets its name, so it cannot
// be obtained again (ipc_find_ipc_desc).
//
// A process that ends (k_proc_terminate) first has every thread taken out of what it waits for,
// then the KnCmConnect requests waiting for it are refused (cm.ts), then its task completes, then every handle closes, then its names, shapes and memory are
// freed. The host calls this under the kernel lock before it terminates the process's worker,
// so the worker is never stopped inside a critical section (see lock.ts).

import { ST_OK, ST_BAD_HANDLE, ST_NOT_CONNECTED, ST_NOT_PERMITTED, ST_REVOKED } from './abi';
import {
  obj, thread, proc, O_KIND, O_REFS, O_ZONE, K_CHANNEL, K_LISTENER, K_SYNC, K_USER, K_CALLABLE,
  K_BADGE, K_NOTICE, T_STATE, T_PROC, T_REALM, TS_FREE, TS_IDLE, TS_DONE, HE_OBJ, HE_ZONE, HE_CHILD,
  HE_NEXT, HE_BADGE, HE_PARENT, P_STATE, PS_DYING,
} from './layout';
import {
  handleSlot, handleDrop, handleValue, handleMarkRevoked, handleRevoked, handleTableFree, handlesMade,
  hid, hidEntry, hidProc, hidSlot, hent, treeLiftChildren, treeUnlink,
} from './handles';
import { listenerDisconnect, listenerDetach } from './channels';
import { syncDestroy } from './interrupt';
import { nameForgetHandle, namesForgetProcess } from './registry';
import { shapesForgetProcess } from './shapes';
import { sysCancel, revokeWaits } from './rendezvous';
import { threadFree, threadsMade } from './threads';
import { heapFreeAll } from './heap';
import { objFree } from './objects';
import { contextFree } from './context';
import { zoneLeave } from './badges';
import { noticeDestroy } from './notices';
import { objectGone } from './subscriptions';
import { taskEnd, isOwnTaskHandle } from './tasks';
import { procFree } from './procs';
import { cmServerEnd } from './cm';

/** Ends object `o`: what it holds goes, subscribers are told, the record is freed. */
function destroy(o: u32): void {
  const kind = load<i32>(obj(o) + O_KIND);
  if (kind == K_LISTENER) listenerDisconnect(o);
  else if (kind == K_CHANNEL || kind == K_CALLABLE) listenerDetach(o);
  else if (kind == K_SYNC) syncDestroy(o);
  else if (kind == K_NOTICE) noticeDestroy(o);
  if (kind == K_USER || kind == K_CALLABLE || kind == K_BADGE) contextFree(o);
  objectGone(o);
  objFree(o);
}

/** Destroys object `o` when nothing holds it any more. */
function maybeDestroy(o: u32): void {
  const a = obj(o);
  if (load<u32>(a + O_REFS) != 0) return;
  if (load<i32>(a + O_KIND) == K_BADGE && load<u32>(a + O_ZONE) != 0) return;
  destroy(o);
}

/**
 * The live handle whose object is `o` and zone `zone` (+ 1, 0 none) stopped naming it (closed or
 * revoked): the object and the zone's badge lose it, and end if that was the last thing holding them.
 */
function letGo(o: u32, zone: u32): void {
  store<u32>(obj(o) + O_REFS, load<u32>(obj(o) + O_REFS) - 1);
  if (zone != 0 && zoneLeave(zone - 1) && zone - 1 != o) maybeDestroy(zone - 1);
  maybeDestroy(o);
}

/** Removes the entry of handle id `h` (live or revoked) from its table, keeping the tree whole. */
function closeEntry(h: u32): void {
  const e = hidEntry(h);
  const p = hidProc(h);
  nameForgetHandle(p, handleValue(p, hidSlot(h)));
  if (handleRevoked(h)) {
    handleDrop(h);
    return;
  }
  const o = load<u32>(e + HE_OBJ) - 1;
  const zone = load<u32>(e + HE_ZONE);
  treeLiftChildren(h);
  treeUnlink(h);
  handleDrop(h);
  letGo(o, zone);
}

/**
 * Revokes the subtree below handle id `root` (and `root` itself with `self`): every handle in it
 * is marked revoked and lets go of its object. Leaves are taken first, so the walk needs no
 * stack: a node is revoked once it has no children left.
 */
function revokeTree(root: u32, self: bool): void {
  let node = load<u32>(hidEntry(root) + HE_CHILD);
  while (node != 0) {
    let first = load<u32>(hidEntry(node - 1) + HE_CHILD);
    while (first != 0) {
      node = first;
      first = load<u32>(hidEntry(node - 1) + HE_CHILD);
    }
    const parent = load<u32>(hidEntry(node - 1) + HE_PARENT);
    revokeOne(node - 1);
    node = parent - 1 == root ? load<u32>(hidEntry(root) + HE_CHILD) : parent;
  }
  if (self) revokeOne(root);
}

/** Revokes handle id `h`, a node without children; the calls still waiting through it end. */
function revokeOne(h: u32): void {
  const e = hidEntry(h);
  const o = load<u32>(e + HE_OBJ) - 1;
  const zone = load<u32>(e + HE_ZONE);
  revokeWaits(hidProc(h), h, handleValue(hidProc(h), hidSlot(h)), o);
  treeUnlink(h);
  handleMarkRevoked(h);
  letGo(o, zone);
}

/** KnHandleClose: ST_OK, ST_BAD_HANDLE, or ST_NOT_PERMITTED for the process's own task handle. */
export function handleClose(p: u32, v: u32): i32 {
  const s = handleSlot(p, v);
  if (s < 0) return ST_BAD_HANDLE;
  if (isOwnTaskHandle(p, v)) return ST_NOT_PERMITTED;
  closeEntry(hid(p, <u32>s));
  return ST_OK;
}

/**
 * KnHandleRevoke (`close`) / KnHandleRevokeEx: revokes every descendant of live handle `v` of
 * `p`, then closes `v` if asked (not the process's own task handle: ST_NOT_PERMITTED).
 */
export function handleRevoke(p: u32, v: u32, close: bool): i32 {
  const s = handleSlot(p, v);
  if (s < 0) return ST_BAD_HANDLE;
  const h = hid(p, <u32>s);
  if (handleRevoked(h)) return ST_REVOKED;
  if (close && isOwnTaskHandle(p, v)) return ST_NOT_PERMITTED;
  revokeTree(h, false);
  if (close) closeEntry(h);
  return ST_OK;
}

/** KnHandleRevokeSubtree: revokes the subtrees of `h`'s children whose transfer carried badge `b`. */
export function handleRevokeSubtree(h: u32, b: u32): void {
  let c = load<u32>(hidEntry(h) + HE_CHILD);
  while (c != 0) {
    const next = load<u32>(hidEntry(c - 1) + HE_NEXT);
    if (load<u32>(hidEntry(c - 1) + HE_BADGE) == b + 1) revokeTree(c - 1, true);
    c = next;
  }
}

/** Cancels (ST_NOT_CONNECTED) and frees every thread of process `p` running in `realm`. */
export function realmRelease(p: u32, realm: u32): void {
  const n = threadsMade();
  for (let i: u32 = 0; i < n; i++) {
    const a = thread(i);
    const st = load<i32>(a + T_STATE);
    if (st == TS_FREE || load<u32>(a + T_PROC) != p || load<u32>(a + T_REALM) != realm) continue;
    if (st != TS_IDLE && st != TS_DONE) sysCancel(i, ST_NOT_CONNECTED);
    threadFree(i);
  }
}

export function procTerminate(p: u32): void {
  store<i32>(proc(p) + P_STATE, PS_DYING);
  const n = threadsMade();
  for (let i: u32 = 0; i < n; i++) {
    const a = thread(i);
    const st = load<i32>(a + T_STATE);
    if (st == TS_FREE || load<u32>(a + T_PROC) != p) continue;
    if (st != TS_IDLE && st != TS_DONE) sysCancel(i, ST_NOT_CONNECTED);
  }
  cmServerEnd(p);
  taskEnd(p);
  const slots = handlesMade(p);
  for (let s: u32 = 0; s < slots; s++) {
    if (load<u32>(hent(p, s) + HE_OBJ) != 0) closeEntry(hid(p, s));
  }
  for (let i: u32 = 0; i < n; i++) {
    const a = thread(i);
    if (load<i32>(a + T_STATE) != TS_FREE && load<u32>(a + T_PROC) == p) threadFree(i);
  }
  namesForgetProcess(p);
  shapesForgetProcess(p);
  heapFreeAll(p);
  handleTableFree(p);
  procFree(p);
}
