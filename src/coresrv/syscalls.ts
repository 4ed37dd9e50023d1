/**
 * `coresrv/syscalls.h`: Call, CallEx, Recv, RecvEx, Reply and their Async forms, acting on the
 * current process (inside a worker started by kernel.spawn). Elsewhere, call the methods of a
 * Process (`process.Call(...)`).
 */
import { thisProcess } from '../current.js';
import type { Retcode } from '../rtl/retcode.js';
import type { Handle } from '../nk/types.js';
import type { SMsgHdr } from '../services/rtl/nk_msg.js';

/** Sends an IPC request on client handle `handle` and blocks until the response or an error. */
export function Call(handle: Handle, msgOut: SMsgHdr, msgIn: SMsgHdr): Retcode {
  return thisProcess().Call(handle, msgOut, msgIn);
}
/** Call with a timeout in milliseconds (INFINITE_TIMEOUT: none) and an IPC sync object (or INVALID_HANDLE). */
export function CallEx(handle: Handle, msgOut: SMsgHdr, msgIn: SMsgHdr, mdelay: number, syncHandle: Handle): Retcode {
  return thisProcess().CallEx(handle, msgOut, msgIn, mdelay, syncHandle);
}
/** Blocks until an IPC request arrives on server handle `handle`. */
export function Recv(handle: Handle, msgIn: SMsgHdr): Retcode {
  return thisProcess().Recv(handle, msgIn);
}
/** Recv with a timeout in milliseconds and an IPC sync object (or INVALID_HANDLE). */
export function RecvEx(handle: Handle, msgIn: SMsgHdr, mdelay: number, syncHandle: Handle): Retcode {
  return thisProcess().RecvEx(handle, msgIn, mdelay, syncHandle);
}
/** Sends the IPC response `msgOut` on server handle `handle`. */
export function Reply(handle: Handle, msgOut: SMsgHdr): Retcode {
  return thisProcess().Reply(handle, msgOut);
}
/** Call, without blocking the thread. */
export function CallAsync(handle: Handle, msgOut: SMsgHdr, msgIn: SMsgHdr): Promise<Retcode> {
  return thisProcess().CallAsync(handle, msgOut, msgIn);
}
/** CallEx, without blocking the thread. */
export function CallExAsync(handle: Handle, msgOut: SMsgHdr, msgIn: SMsgHdr, mdelay: number, syncHandle: Handle): Promise<Retcode> {
  return thisProcess().CallExAsync(handle, msgOut, msgIn, mdelay, syncHandle);
}
/** Recv, without blocking the thread. */
export function RecvAsync(handle: Handle, msgIn: SMsgHdr): Promise<Retcode> {
  return thisProcess().RecvAsync(handle, msgIn);
}
/** RecvEx, without blocking the thread. */
export function RecvExAsync(handle: Handle, msgIn: SMsgHdr, mdelay: number, syncHandle: Handle): Promise<Retcode> {
  return thisProcess().RecvExAsync(handle, msgIn, mdelay, syncHandle);
}
export { INFINITE_TIMEOUT, INVALID_HANDLE } from '../nk/types.js';
