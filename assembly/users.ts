// User objects and callables (KnHandleCreateUserObject, KnHandleCreateUserObjectEx), listeners
// made on request (KnHandleCreateListener) and channels made on request (KnHandleConnect).
//
// A user object is a resource a process provides: the kernel keeps its type, its maker and its
// context, and tells subscribers when it ends or when its maker signals user events. A callable
// is a client IPC handle bound to a listener and one endpoint (RIID): a Call through it reaches
// that endpoint, whatever RIID the request carries, and the server finds a dereference key of
// the call's context in the request's `self` field (rendezvous.ts).

import { HANDLE_TYPE_USER_FIRST, HANDLE_TYPE_USER_LAST, OCAP_IPC_CALL, ST_OK, ST_BAD_ARG } from './abi';
import { obj, O_OWNER, O_TYPE, O_RIID, K_USER, K_CALLABLE } from './layout';
import { objAlloc } from './objects';
import { listenerAttach } from './channels';

/** Checks KnHandleCreateUserObject(Ex)'s type and riid: ST_OK or ST_BAD_ARG. */
export function userArgs(type: u32, riid: u32, callable: bool): i32 {
  if (type < HANDLE_TYPE_USER_FIRST || type > HANDLE_TYPE_USER_LAST) return ST_BAD_ARG;
  if (callable && riid >= 0xFFFF) return ST_BAD_ARG;
  return ST_OK;
}

/** True when KnHandleCreateUserObjectEx with `rights` and a channel makes a callable. */
export function makesCallable(rights: u32): bool {
  return (rights & OCAP_IPC_CALL) != 0;
}

/** A user object of `type` made by process `p` (the caller checked for room): its index. */
export function userCreate(p: u32, type: u32): u32 {
  const u = <u32>objAlloc(K_USER);
  store<u32>(obj(u) + O_OWNER, p + 1);
  store<u32>(obj(u) + O_TYPE, type);
  return u;
}

/**
 * A callable made by process `p` on listener `l` for endpoint `riid` (the caller checked for
 * room): its index. It may be transferred anywhere, so the listener's deadlock guard no longer
 * assumes its clients run in one realm.
 */
export function callableCreate(p: u32, l: u32, riid: u32, type: u32): u32 {
  const c = <u32>objAlloc(K_CALLABLE);
  store<u32>(obj(c) + O_OWNER, p + 1);
  store<u32>(obj(c) + O_RIID, riid);
  store<u32>(obj(c) + O_TYPE, type);
  listenerAttach(l, c, 0xFFFFFFFF);
  return c;
}
