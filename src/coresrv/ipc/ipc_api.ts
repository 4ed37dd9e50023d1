/** `coresrv/ipc/ipc_api.h`: IPC sync objects, for the current process (inside a worker). */
import { thisProcess } from '../../current.js';
import type { Retcode } from '../../rtl/retcode.js';
import type { Handle } from '../../nk/types.js';

/** Creates an IPC sync object (not set); returns its handle, INVALID_HANDLE when the kernel is full. */
export function KnIpcCreateSyncObject(): Handle {
  return thisProcess().KnIpcCreateSyncObject();
}
/** Creates an IPC sync object that, with `autoclear`, clears itself after its first interruption. */
export function KnIpcCreateSyncObjectEx(autoclear: boolean | number): Handle {
  return thisProcess().KnIpcCreateSyncObjectEx(autoclear);
}
/** Interrupts CallEx/RecvEx calls naming `syncHandle` in their interruptible windows. */
export function KnIpcSetInterrupt(syncHandle: Handle): Retcode {
  return thisProcess().KnIpcSetInterrupt(syncHandle);
}
/** Cancels KnIpcSetInterrupt. */
export function KnIpcClearInterrupt(syncHandle: Handle): Retcode {
  return thisProcess().KnIpcClearInterrupt(syncHandle);
}
