// Closing handles and ending processes.
//
// KnHandleClose frees the caller's entry; when the last handle of an object closes, the object
// ends: a listener's callers and waiters complete with ST_NOT_CONNECTED and its channels are
// disconnected; a channel detaches from its listener; a sync object stops being named. Closing
// an IPC handle obtained from the service locator also forgets its name, so it cannot be
// obtained again (ipc_find_ipc_desc).
//
// A process that ends (k_proc_terminate) first has every thread taken out of what it waits
// for, then every handle closed, then its names and heap blocks freed. The host calls this
// under the kernel lock before it terminates the process's worker, so the worker is never
// stopped inside a critical section (see lock.ts).

import { MAX_THREADS, HANDLES_PER_PROC, ST_OK, ST_NOT_CONNECTED } from './abi';
import {
  obj, thread, proc, O_KIND, O_REFS, K_CHANNEL, K_LISTENER, K_SYNC, T_STATE, T_PROC, T_REALM,
  TS_FREE, TS_IDLE, TS_DONE, hent, HE_OBJ, P_STATE, PS_FREE, PS_DYING,
} from './layout';
import { handleLookup, handleSlot, handleDrop, handleValue, ANY_KIND } from './handles';
import { listenerDestroy, channelDestroy } from './channels';
import { syncDestroy } from './interrupt';
import { nameForgetHandle, namesForgetProcess } from './registry';
import { shapesForgetProcess } from './shapes';
import { sysCancel } from './rendezvous';
import { threadFree } from './threads';
import { heapFreeAll } from './heap';

function release(o: u32): void {
  const a = obj(o);
  const refs = load<u32>(a + O_REFS) - 1;
  store<u32>(a + O_REFS, refs);
  if (refs != 0) return;
  const kind = load<i32>(a + O_KIND);
  if (kind == K_LISTENER) listenerDestroy(o);
  else if (kind == K_CHANNEL) channelDestroy(o);
  else if (kind == K_SYNC) syncDestroy(o);
}

function handleCloseSlot(p: u32, s: u32): void {
  nameForgetHandle(p, handleValue(p, s));
  release(handleDrop(p, s));
}

/** KnHandleClose: ST_OK, or the status of the handle check (ST_BAD_HANDLE). */
export function handleClose(p: u32, h: u32): i32 {
  const o = handleLookup(p, h, ANY_KIND, 0);
  if (o < 0) return -o;
  handleCloseSlot(p, <u32>handleSlot(p, h));
  return ST_OK;
}

/** Cancels (ST_NOT_CONNECTED) and frees every thread of process `p` running in `realm`. */
export function realmRelease(p: u32, realm: u32): void {
  for (let i: u32 = 0; i < MAX_THREADS; i++) {
    const a = thread(i);
    const st = load<i32>(a + T_STATE);
    if (st == TS_FREE || load<u32>(a + T_PROC) != p || load<u32>(a + T_REALM) != realm) continue;
    if (st != TS_IDLE && st != TS_DONE) sysCancel(i, ST_NOT_CONNECTED);
    threadFree(i);
  }
}

export function procTerminate(p: u32): void {
  store<i32>(proc(p) + P_STATE, PS_DYING);
  for (let i: u32 = 0; i < MAX_THREADS; i++) {
    const a = thread(i);
    const st = load<i32>(a + T_STATE);
    if (st == TS_FREE || load<u32>(a + T_PROC) != p) continue;
    if (st != TS_IDLE && st != TS_DONE) sysCancel(i, ST_NOT_CONNECTED);
  }
  for (let s: u32 = 0; s < HANDLES_PER_PROC; s++) {
    if (load<u32>(hent(p, s) + HE_OBJ) != 0) handleCloseSlot(p, s);
  }
  for (let i: u32 = 0; i < MAX_THREADS; i++) {
    const a = thread(i);
    if (load<i32>(a + T_STATE) != TS_FREE && load<u32>(a + T_PROC) == p) threadFree(i);
  }
  namesForgetProcess(p);
  shapesForgetProcess(p);
  heapFreeAll(p);
  store<i32>(proc(p) + P_STATE, PS_FREE);
}
