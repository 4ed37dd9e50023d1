/**
 * `coresrv/handle/handle_api.h`: handles, for the current process (inside a worker). Each
 * function is the method of the same name on Process (docs/api/ has a page for each).
 */
import { thisProcess } from '../../current.js';
import type { Retcode } from '../../rtl/retcode.js';
import type { Handle, nk_iid_t, nk_rights_t, nk_sid_t } from '../../nk/types.js';

/** Closes a handle: its descendants move to its ancestor; the last handle of a resource ends it. */
export function KnHandleClose(handle: Handle): Retcode {
  return thisProcess().KnHandleClose(handle);
}
/** A user object of `type` with `rights`, keeping `context`; out.handle. */
export function KnHandleCreateUserObject(type: number, rights: nk_rights_t, context: unknown, out: { handle?: Handle }): Retcode {
  return thisProcess().KnHandleCreateUserObject(type, rights, context, out);
}
/** A user object bound to listener `ipcChannel` and endpoint `riid` (with OCAP_IPC_CALL: a callable handle); out.handle. */
export function KnHandleCreateUserObjectEx(type: number, rights: nk_rights_t, context: unknown, ipcChannel: Handle,
  riid: nk_iid_t, out: { handle?: Handle }): Retcode {
  return thisProcess().KnHandleCreateUserObjectEx(type, rights, context, ipcChannel, riid, out);
}
/** A new listener; out.listener. */
export function KnHandleCreateListener(out: { listener?: Handle }): Retcode {
  return thisProcess().KnHandleCreateListener(out);
}
/** A channel to `listenerIn` (INVALID_HANDLE: a new listener); out.listener, out.server, out.client. */
export function KnHandleConnect(listenerIn: Handle, out: { listener?: Handle; server?: Handle; client?: Handle }): Retcode {
  return thisProcess().KnHandleConnect(listenerIn, out);
}
/** A badge whose events go to `notice` as entry `eventId`; out.handle. */
export function KnHandleCreateBadge(notice: Handle, eventId: number, context: unknown, out: { handle?: Handle }): Retcode {
  return thisProcess().KnHandleCreateBadge(notice, eventId, context, out);
}
/** A descendant of `inHandle` in this process; out.outHandle. */
export function KnHandleCopy(inHandle: Handle, newRightsMask: nk_rights_t, copyBadge: Handle, out: { outHandle?: Handle }): Retcode {
  return thisProcess().KnHandleCopy(inHandle, newRightsMask, copyBadge, out);
}
/** Revokes every descendant of `handle` and closes it. */
export function KnHandleRevoke(handle: Handle): Retcode {
  return thisProcess().KnHandleRevoke(handle);
}
/** Revokes every descendant of `handle`; closes it too when `close`. */
export function KnHandleRevokeEx(handle: Handle, close: boolean | number): Retcode {
  return thisProcess().KnHandleRevokeEx(handle, close);
}
/** Revokes the subtree made by transferring `handle` with `badge`. */
export function KnHandleRevokeSubtree(handle: Handle, badge: Handle): Retcode {
  return thisProcess().KnHandleRevokeSubtree(handle, badge);
}
/** The resource's SID; out.sid. */
export function KnHandleGetSidByHandle(handle: Handle, out: { sid?: nk_sid_t }): Retcode {
  return thisProcess().KnHandleGetSidByHandle(handle, out);
}
