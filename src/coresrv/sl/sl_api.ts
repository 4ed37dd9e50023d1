/** `coresrv/sl/sl_api.h`: the service locator, for the current process (inside a worker). */
import { thisProcess } from '../../current.js';
import type { Handle, nk_iid_t } from '../../nk/types.js';

/** The listener handle of static channel `channelName`, or INVALID_HANDLE. */
export function ServiceLocatorRegister(channelName: string, endpoints: null = null, endpointsSize = 0, id?: unknown): Handle {
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
