/** `coresrv/sl/sl_api.h`: the service locator, for the current process (inside a worker). */
import { thisProcess } from '../../current.js';
import type { Handle, nk_iid_t } from '../../nk/types.js';

/**
 * The listener handle of static channel `channelName`, or INVALID_HANDLE. `endpoints`,
 * `endpointsSize` and `id` are obsolete in the SDK: pass null, 0 (an `id` object gets
 * `id = INVALID_RIID`).
 */
export function ServiceLocatorRegister(channelName: string, endpoints: null = null, endpointsSize = 0, id?: { id?: nk_iid_t } | null): Handle {
  return thisProcess().ServiceLocatorRegister(channelName, endpoints, endpointsSize, id);
}
/** The client IPC handle of static channel `channelName`, or INVALID_HANDLE. */
export function ServiceLocatorConnect(channelName: string): Handle {
  return thisProcess().ServiceLocatorConnect(channelName);
}
/** The RIID of endpoint `endpointName` of the server behind `handle`, or INVALID_RIID. */
export function ServiceLocatorGetRiid(handle: Handle, endpointName: string): nk_iid_t {
  return thisProcess().ServiceLocatorGetRiid(handle, endpointName);
}
export { INVALID_HANDLE, INVALID_RIID } from '../../nk/types.js';
