/**
 * Core statuses as the API's Retcodes: the table comes from abi/kernel.mjs (src/abi.ts), so the
 * mapping is declared once, beside the statuses themselves.
 * @internal
 */
import { STATUS_NAMES, STATUS_RETCODES } from './abi.js';
import type { Retcode } from './rtl/retcode.js';

/**
 * The Retcode of status `st`. Statuses that never reach the API as codes (ST_WOULD_BLOCK,
 * ST_LOCK_BUSY, ST_DEADLOCK) mean a bug in this layer: they throw.
 */
export function toRetcode(st: number): Retcode {
  const rc = STATUS_RETCODES[st];
  if (rc === undefined || rc === null) {
    throw new Error(`kos-ipc internal error: status ${STATUS_NAMES[st] ?? st} reached the API; please report it`);
  }
  return rc;
}
