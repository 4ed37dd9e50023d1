/**
 * `nk/types.h` (and the few kernel type names the IPC API needs): handle, id and error types,
 * the sentinel values and the sizes of the two wire structures (nk_message, nk_ptr_t).
 *
 * The SDK's numeric values are not public (docs/sources.md). kos-ipc picks
 * its own: `NK_EOK` is 0 (the SDK sample compares an nk_err_t with rcOk), the other nk_err_t
 * codes borrow the Linux errno numbers of the same name. Compare with the names, never numbers.
 */

import { NK_MESSAGE_SIZE as ABI_NK_MESSAGE_SIZE } from '../abi.js';

/** A handle value in a process's handle space (a 32-bit unsigned integer). */
export type Handle = number;
/** An interface (endpoint) id, RIID: 16-bit unsigned. */
export type nk_iid_t = number;
/** A method id within an interface: 16-bit unsigned. */
export type nk_mid_t = number;
/** A transport (NK) error code: NK_EOK or one of the NK_E* constants. */
export type nk_err_t = number;
/** A process (task) id. */
export type TaskId = number;
/** A thread id. */
export type Tid = number;

/** The handle value that names no object. */
export const INVALID_HANDLE: Handle = 0xffffffff;
/** The RIID returned when an endpoint name is not found. */
export const INVALID_RIID: nk_iid_t = 0xffff;
/** An mdelay meaning "wait without a time limit" (CallEx, RecvEx). */
export const INFINITE_TIMEOUT = 0xffffffff;

/** Success; equal to rcOk. */
export const NK_EOK: nk_err_t = 0;
/** Operation not permitted (the client transport's answer when the security module denies). */
export const NK_EPERM: nk_err_t = 1;
/** No such entry (the dispatcher's answer for an unknown iid or mid). */
export const NK_ENOENT: nk_err_t = 2;
/**
 * Out of memory: kos-ipc's answer of nk_arena_store/nk_arena_store_string when a segment does
 * not fit in the arena (the name is ours; the SDK only says "non-zero").
 */
export const NK_ENOMEM: nk_err_t = 12;
/** Invalid argument. */
export const NK_EINVAL: nk_err_t = 22;
/** Bad message (e.g. an arena descriptor that nk_arena_get rejects). */
export const NK_EBADMSG: nk_err_t = 74;

/** nk_bool_t true. */
export const NK_TRUE = 1;
/** nk_bool_t false. */
export const NK_FALSE = 0;

/** sizeof(struct nk_message): the header at the start of every constant part. */
export const NK_MESSAGE_SIZE: number = ABI_NK_MESSAGE_SIZE;
/** sizeof(nk_ptr_t): an arena descriptor {offset, size} in a constant part. */
export const NK_PTR_SIZE = 8;
