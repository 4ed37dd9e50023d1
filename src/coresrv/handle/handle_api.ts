/** `coresrv/handle/handle_api.h`: handles, for the current process (inside a worker). */
import { thisProcess } from '../../current.js';
import type { Retcode } from '../../rtl/retcode.js';
import type { Handle } from '../../nk/types.js';

/** Closes a handle; closing the last handle of a kernel object ends the object. */
export function KnHandleClose(handle: Handle): Retcode {
  return thisProcess().KnHandleClose(handle);
}
