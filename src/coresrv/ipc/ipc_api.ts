/** `coresrv/ipc/ipc_api.h`: IPC sync objects, for the current process (inside a worker). */
import { thisProcess } from '../../current.js';
import type { Retcode } from '../../rtl/retcode.js';
import type { Handle } from '../../nk/types.js';

/** Creates an IPC sync object (not set); out.syncHandle. */
export function KnIpcCreateSyncObject(out: { syncHandle?: Handle }): Retcode {
  return thisProcess().KnIpcCreateSyncObject(out);
}
/** KnIpcCreateSyncObject; with `autoclear` the object clears itself after its first interruption. */
export function KnIpcCreateSyncObjectEx(autoclear: boolean | number, out: { syncHandle?: Handle }): Retcode {
  return thisProcess().KnIpcCreateSyncObjectEx(autoclear, out);
}
/** Interrupts CallEx/RecvEx calls naming `syncHandle` in their interruptible windows. */
export function KnIpcSetInterrupt(syncHandle: Handle): Retcode {
  return thisProcess().KnIpcSetInterrupt(syncHandle);
}
/** Cancels KnIpcSetInterrupt. */
export function KnIpcClearInterrupt(syncHandle: Handle): Retcode {
  return thisProcess().KnIpcClearInterrupt(syncHandle);
}
