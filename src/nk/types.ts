/**
 * `nk/types.h` (and the few kernel type names the IPC API needs): handle, id and error types,
 * the sentinel values and the sizes of the two wire structures (nk_message, nk_ptr_t).
 *
 * The SDK's numeric values are not public (docs/sources.md). kos-ipc picks
 * its own: `NK_EOK` is 0 (the SDK sample compares an nk_err_t with rcOk), the other nk_err_t
 * codes borrow the Linux errno numbers of the same name. Compare with the names, never numbers.
 */

import { NK_MESSAGE_SIZE as ABI_NK_MESSAGE_SIZE } from '../abi.js';
import { thisProcess } from '../current.js';

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
/**
 * I/O error: kos-ipc's answer of the KOS transport for a kernel Retcode that has no closer
 * nk_err_t (coresrv/nk/transport-kos.ts lists the mapping).
 */
export const NK_EIO: nk_err_t = 5;
/** Function not implemented (the transport's answer for rcUnimplemented). */
export const NK_ENOSYS: nk_err_t = 38;
/** Message too long (the transport's answer for rcBufferTooLarge: over 4 MiB). */
export const NK_EMSGSIZE: nk_err_t = 90;
/** Not connected (the transport's answer for rcNotConnected: the peer's end of the channel is gone). */
export const NK_ENOTCONN: nk_err_t = 107;

/**
 * Logical errors (the older error convention of nk-gen-c, without `--extended-errors`): a
 * server method returns NK_ELOGIC_MAKE(code) and the generated dispatcher turns it into an
 * error response whose first error parameter is `code`. kos-ipc encodes them above every 32-bit
 * value, so they are never confused with NK_E* codes or Retcodes: 2^32 + code, code a u32.
 */
const NK_ELOGIC_BASE = 0x100000000;

/** The nk_err_t a method returns for logical error `code` (an integer; its low 32 bits are kept). */
export function NK_ELOGIC_MAKE(code: number): nk_err_t {
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    throw new TypeError(`NK_ELOGIC_MAKE: code must be an integer, got ${typeof code} ${String(code)}`);
  }
  return NK_ELOGIC_BASE + (code >>> 0);
}

/** True when `rc` is a logical error made by NK_ELOGIC_MAKE. */
export function NK_ELOGIC_CHECK(rc: nk_err_t): boolean {
  return typeof rc === 'number' && Number.isInteger(rc) && rc >= NK_ELOGIC_BASE && rc < 2 * NK_ELOGIC_BASE;
}

/** The code of a logical error (a u32), or 0 when `rc` is not one. */
export function NK_ELOGIC_GET(rc: nk_err_t): number {
  return NK_ELOGIC_CHECK(rc) ? rc - NK_ELOGIC_BASE : 0;
}

const NK_ERR_NAMES = new Map<number, string>([
  [0, 'NK_EOK'], [1, 'NK_EPERM'], [2, 'NK_ENOENT'], [5, 'NK_EIO'], [12, 'NK_ENOMEM'], [22, 'NK_EINVAL'],
  [38, 'NK_ENOSYS'], [74, 'NK_EBADMSG'], [90, 'NK_EMSGSIZE'], [107, 'NK_ENOTCONN'],
]);

/** The name of an nk_err_t: `NK_EPERM`, `NK_ELOGIC(7)`, or `nk_err_t(n)` for another number. */
export function nkErrorName(err: nk_err_t): string {
  if (typeof err !== 'number' || !Number.isInteger(err)) {
    throw new TypeError(`nkErrorName: err must be an integer nk_err_t, got ${typeof err} ${String(err)}`);
  }
  if (NK_ELOGIC_CHECK(err)) return `NK_ELOGIC(${NK_ELOGIC_GET(err)})`;
  return NK_ERR_NAMES.get(err) ?? `nk_err_t(${err})`;
}

/** The null pointer of nk/types.h, as NkKosTransport_Init(&transport, handle, NK_NULL, 0) passes it. */
export const NK_NULL = null;

/** nk_bool_t true. */
export const NK_TRUE = 1;
/** nk_bool_t false. */
export const NK_FALSE = 0;

/** sizeof(struct nk_message): the header at the start of every constant part. */
export const NK_MESSAGE_SIZE: number = ABI_NK_MESSAGE_SIZE;
/** sizeof(nk_ptr_t): an arena descriptor {offset, size} in a constant part. */
export const NK_PTR_SIZE = 8;
/**
 * sizeof(nk_handle_desc_t): a Handle parameter in a constant part (align 8): handle, rights,
 * badge, flags, each a u32 (nk/message_layout.ts NK_HANDLE_DESC_FIELDS).
 */
export const NK_HANDLE_DESC_SIZE = 16;

// ---- handles in messages (nk_handle_desc_t) -------------------------------------------------

/** A rights mask (services/ocap.h OCAP_* bits). */
export type nk_rights_t = number;
/** A resource's security id: one per resource, equal in every process that holds a handle to it. */
export type nk_sid_t = number;

/**
 * nk_handle_desc_t: a handle as a message carries it (16 bytes in the constant part,
 * nk/message_layout.ts NK_HANDLE_DESC_FIELDS). When sending: `handle` is the sender's handle,
 * `rights` the rights the receiver gets (OCAP_RIGHTS_SAME: the sender's own), `badge` a badge
 * handle of the sender (0: none). When received: `handle` is the receiver's handle, `rights` what
 * was sent, `badge` the kernel's key of the context a dereference gives back (0: none) and
 * `flags` NK_HANDLE_DESC_DEREFERENCED when the handle came by dereference.
 */
export interface nk_handle_desc_t {
  handle: Handle;
  rights: nk_rights_t;
  badge: number;
  flags: number;
}

const RIGHTS_SAME = 0xffffffff;
const DEREFERENCED = 1;

function u32Of(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new TypeError(`${fn}: ${arg} must be an integer from 0 to 0xFFFFFFFF, got ${typeof v} ${String(v)}`);
  }
  return v;
}

function maskOf(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff) {
    throw new TypeError(`${fn}: ${arg} must be a 32-bit mask (an integer from -0x80000000 to 0xFFFFFFFF), got ${typeof v} ${String(v)}`);
  }
  return v >>> 0;
}

function descOf(fn: string, desc: unknown): nk_handle_desc_t {
  if (desc === null || typeof desc !== 'object') {
    throw new TypeError(`${fn}: desc must be an nk_handle_desc_t ({ handle, rights, badge, flags }), got ${desc === null ? 'null' : typeof desc}`);
  }
  return desc as nk_handle_desc_t;
}

/**
 * Packs a handle for a message: `rights` defaults to OCAP_RIGHTS_SAME (the receiver gets the
 * sender's rights), `badge` to 0 (no badge). A badge is a handle from KnHandleCreateBadge: the
 * transfer it tags can be revoked (KnHandleRevokeSubtree) and its end is notified.
 */
export function nk_handle_desc(handle: Handle, rights: nk_rights_t = RIGHTS_SAME, badge: Handle = 0): nk_handle_desc_t {
  return {
    handle: u32Of('nk_handle_desc', 'handle', handle),
    rights: maskOf('nk_handle_desc', 'rights', rights),
    badge: u32Of('nk_handle_desc', 'badge', badge),
    flags: 0,
  };
}

/** The handle a descriptor carries (on receipt: the receiver's own handle value). */
export function nk_get_handle(desc: nk_handle_desc_t): Handle {
  return descOf('nk_get_handle', desc).handle >>> 0;
}

/** The rights mask a descriptor carries. */
export function nk_get_rights(desc: nk_handle_desc_t): nk_rights_t {
  return descOf('nk_get_rights', desc).rights >>> 0;
}

/** NK_TRUE when the receiver got its own ancestor handle back (a dereference), NK_FALSE for a transfer. */
export function nk_is_handle_dereferenced(desc: nk_handle_desc_t): number {
  return (descOf('nk_is_handle_dereferenced', desc).flags & DEREFERENCED) !== 0 ? NK_TRUE : NK_FALSE;
}

/**
 * NK_EOK and out.badge = the context a dereference gave back, when `desc` carries every right of
 * `operation`; NK_EPERM when a right is missing; NK_ENOENT when the descriptor carries no
 * context of the current process. Inside a worker; elsewhere use process.nk_get_badge_op.
 */
export function nk_get_badge_op(desc: nk_handle_desc_t, operation: nk_rights_t, out: { badge?: unknown }): nk_err_t {
  return thisProcess().nk_get_badge_op(desc, operation, out);
}
