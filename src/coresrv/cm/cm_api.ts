/**
 * `coresrv/cm/cm_api.h`: the kernel's connection manager (dynamic channels, seed 004), for the
 * current process (inside a worker). Each function is the method of the same name on Process.
 */
import { thisProcess } from '../../current.js';
import type { Retcode } from '../../rtl/retcode.js';
import type { Handle } from '../../nk/types.js';

/** Asks process `server` for a channel to `service`, waiting up to `msecs` for its answer; out.handle, out.rsid. */
export function KnCmConnect(server: string, service: string, msecs: number, out: { handle?: Handle; rsid?: number }): Retcode {
  return thisProcess().KnCmConnect(server, service, msecs, out);
}
/** KnCmConnect without blocking the thread. */
export function KnCmConnectAsync(server: string, service: string, msecs: number,
  out: { handle?: Handle; rsid?: number }): Promise<Retcode> {
  return thisProcess().KnCmConnectAsync(server, service, msecs, out);
}
/** The oldest channel request waiting for this process, waiting up to `msecs`; out.client, out.service. */
export function KnCmListen(filter: string | null, msecs: number, out: { client?: string; service?: string }): Retcode {
  return thisProcess().KnCmListen(filter, msecs, out);
}
/** KnCmListen without blocking the thread. */
export function KnCmListenAsync(filter: string | null, msecs: number, out: { client?: string; service?: string }): Promise<Retcode> {
  return thisProcess().KnCmListenAsync(filter, msecs, out);
}
/** Accepts the request of `client` for `service` on `listener` (INVALID_HANDLE: a new listener); out.handle. */
export function KnCmAccept(client: string, service: string, rsid: number, listener: Handle, out: { handle?: Handle }): Retcode {
  return thisProcess().KnCmAccept(client, service, rsid, listener, out);
}
/** Refuses the request of `client` for `service`. */
export function KnCmDrop(client: string, service: string): Retcode {
  return thisProcess().KnCmDrop(client, service);
}
export { INFINITE_TIMEOUT, INVALID_HANDLE } from '../../nk/types.js';
