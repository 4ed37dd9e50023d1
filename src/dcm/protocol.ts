/**
 * The messages between the DCM client library (client.ts) and the DCM program (program.ts):
 * ordinary IPC requests on the static channel `kl.core.DCM`, interface id 0, one method id per
 * request. Requests and responses share one constant part of 88 bytes; names travel in the
 * arena as zero-terminated UTF-8 (nk_arena_store_string):
 * ```
 *   0   nk_message header (iid 0, mid = DcmMethod, ncaps = handles carried)
 *  24   handle descriptor 0       (nk_handle_desc_t)
 *  40   handle descriptor 1
 *  56   u32  request: flags (F_*)           response: the Retcode
 *  60   u32  request: msec                  response: outPubStatus (DcmReadPubQueue)
 *  64   nk_ptr_t name 0
 *  72   nk_ptr_t name 1
 *  80   nk_ptr_t name 2
 *  88
 * ```
 * docs/dcm.md ("DCM's protocol") lists what each method carries.
 * @internal
 */
import { DCM_NAME_SIZE } from './constants.js';

export const enum DcmMethod {
  Init = 1, Fini, Publish, Listen, Accept, Subscribe, Read, Create, Connect, Close, Interrupt, Watch,
}

export const MSG_SIZE = 88;
/** Room for three names, each aligned to 8 bytes. */
export const ARENA_SIZE = 3 * (DCM_NAME_SIZE + 8);
export const OFF_HANDLE0 = 24;
export const OFF_WORD0 = 56;
export const OFF_WORD1 = 60;
export const OFF_NAME = [64, 72, 80] as const;

/** Request flags: which optional inputs are given, which optional outputs are wanted. */
export const F_HANDLE = 1;   // DcmSetSubscription: a serverHandle is given
export const F_NAME0 = 2;    // the optional name 0 is given (in) / wanted (out)
export const F_NAME1 = 4;    // the optional name 1 is given / wanted
export const F_NAME2 = 8;    // the optional name 2 is given
export const F_WANT_HANDLE = 16; // the optional handle output is wanted

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

export function word(msg: Uint8Array, off: number): number {
  return view(msg).getUint32(off, true);
}

export function setWord(msg: Uint8Array, off: number, v: number): void {
  view(msg).setUint32(off, v >>> 0, true);
}
