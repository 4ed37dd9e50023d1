/**
 * handle_api.h for one process in this realm: user objects and callables, listeners, channels
 * made on request, badges, copies, revocation, SIDs, and reading a context back. Each call
 * checks its arguments, makes one core call on a thread of the process and writes its out
 * object. docs/semantics.md sections 1, 12 and 13 describe what the kernel does.
 * @internal
 */
import { SYS, ST_OK, ST_DEAD, MAX_CONTEXT, ST_NOT_FOUND } from './abi.js';
import type { Core } from './core.js';
import type { Thread } from './thread.js';
import { withThread, statusOf, simple, handleCall, type IpcProcess } from './ipc.js';
import { ensureStage } from './message_io.js';
import { handleArg, u32Arg, maskArg, boolArg } from './args.js';
import { outArg } from './out.js';
import { registryOf, FOREIGN } from './context_codec.js';
import { INVALID_HANDLE, NK_EOK, NK_EPERM, NK_ENOENT, type Handle, type nk_err_t, type nk_handle_desc_t } from './nk/types.js';
import { describe } from './describe.js';
import { rcQuotaExceeded, rcOk, type Retcode } from './rtl/retcode.js';

/** Writes `bytes` into the thread's staging buffer; ST_OK or the status of growing it. */
function stageBytes(core: Core, th: Thread, bytes: Uint8Array): number {
  const st = ensureStage(core, th, Math.max(bytes.length, 16));
  if (st === ST_OK) core.u8(th.stage + bytes.length).set(bytes, th.stage);
  return st;
}

/**
 * A call that makes an object keeping `context`: the encoded context is staged and `make(core,
 * thread, address, length)` makes the object (result words: its handle, then its dereference
 * key); out.handle. An object context is registered in this realm until the object ends.
 */
function withContext(p: IpcProcess, fn: string, context: unknown, out: Record<string, unknown>,
  make: (core: Core, th: Thread, at: number, len: number) => number): Retcode {
  const core = p.local(fn);
  const reg = registryOf(core);
  const { bytes, id: ctxId } = reg.encode(context);
  if (bytes.length > MAX_CONTEXT) {
    reg.forget(ctxId);
    throw new RangeError(`${fn}: the context takes ${bytes.length} bytes encoded; at most ${MAX_CONTEXT}`);
  }
  const rc = handleCall(p, fn, out, 'handle', (c, th) => {
    const st = stageBytes(c, th, bytes);
    if (st !== ST_OK) return st;
    const made = make(c, th, th.stage, bytes.length);
    if (made === ST_OK && ctxId !== 0) reg.bind(ctxId, c.res(th.rec, 1));
    return made;
  });
  if (rc !== rcOk) reg.forget(ctxId);
  sweep(p, core);
  return rc;
}

/** KnHandleCreateUserObject(Ex): a user object, or a callable when `ipcChannel` is a listener handle. */
export function createUserObject(p: IpcProcess, fn: string, type: unknown, rights: unknown, context: unknown,
  ipcChannel: unknown, riid: unknown, out: unknown): Retcode {
  const o = outArg(fn, out);
  const t = u32Arg(fn, 'type', type), r = maskArg(fn, 'rights', rights);
  const ch = handleArg(fn, 'ipcChannel', ipcChannel), id = u32Arg(fn, 'riid', riid);
  return withContext(p, fn, context, o, (c, th, at, len) => c.sys(SYS.k_user_create, th.tid, t, r, at, len, ch, id));
}

/** KnHandleCreateBadge: a badge whose events go to `notice` with entry id `eventId`. */
export function createBadge(p: IpcProcess, fn: string, notice: unknown, eventId: unknown, context: unknown, out: unknown): Retcode {
  const o = outArg(fn, out);
  const n = handleArg(fn, 'notice', notice), ev = u32Arg(fn, 'eventId', eventId);
  return withContext(p, fn, context, o, (c, th, at, len) => c.sys(SYS.k_badge_create, th.tid, n, ev, at, len));
}

/** Drops the registry's objects whose kernel objects ended (amortized: see ContextRegistry.sweep). */
function sweep(p: IpcProcess, core: Core): void {
  registryOf(core).sweep((key) => withThread(p, 'context', true, (c, th) =>
    c.sys(SYS.k_context, th.tid, key, 0, 0) !== ST_NOT_FOUND));
}

/** KnHandleCreateListener: a new listener; out.listener. */
export function createListener(p: IpcProcess, fn: string, out: unknown): Retcode {
  return handleCall(p, fn, outArg(fn, out), 'listener', (c, th) => c.sys(SYS.k_listener_create, th.tid));
}

/** KnHandleConnect: a channel to `listener` (INVALID_HANDLE: a new one); out.listener, out.server, out.client. */
export function connect(p: IpcProcess, fn: string, listener: unknown, out: unknown): Retcode {
  const o = outArg(fn, out);
  const l = handleArg(fn, 'listener', listener);
  o.server = INVALID_HANDLE;
  o.client = INVALID_HANDLE;
  return handleCall(p, fn, o, 'listener', (c, th) => {
    const st = c.sys(SYS.k_handle_connect, th.tid, l);
    if (st === ST_OK) { o.server = c.res(th.rec, 1); o.client = c.res(th.rec, 2); }
    return st;
  });
}

/** KnHandleCopy: a descendant of `inHandle` in the caller's table; out.outHandle. */
export function copy(p: IpcProcess, fn: string, inHandle: unknown, newRightsMask: unknown, copyBadge: unknown, out: unknown): Retcode {
  const o = outArg(fn, out);
  const h = handleArg(fn, 'inHandle', inHandle), r = maskArg(fn, 'newRightsMask', newRightsMask);
  const b = handleArg(fn, 'copyBadge', copyBadge);
  return handleCall(p, fn, o, 'outHandle', (c, th) => c.sys(SYS.k_handle_copy, th.tid, h, r, b));
}

/** KnHandleRevoke / KnHandleRevokeEx. */
export function revoke(p: IpcProcess, fn: string, handle: unknown, close: unknown): Retcode {
  const h = handleArg(fn, 'handle', handle);
  const shut = boolArg(fn, 'close', close);
  return simple(p, fn, (c, th) => c.sys(SYS.k_handle_revoke, th.tid, h, shut ? 1 : 0));
}

/** KnHandleRevokeSubtree. */
export function revokeSubtree(p: IpcProcess, fn: string, handle: unknown, badge: unknown): Retcode {
  const h = handleArg(fn, 'handle', handle), b = handleArg(fn, 'badge', badge);
  return simple(p, fn, (c, th) => c.sys(SYS.k_handle_revoke_subtree, th.tid, h, b));
}

/** KnHandleGetSidByHandle: out.sid. */
export function getSid(p: IpcProcess, fn: string, handle: unknown, out: unknown): Retcode {
  const o = outArg(fn, out);
  const h = handleArg(fn, 'handle', handle);
  o.sid = 0;
  return withThread(p, fn, rcQuotaExceeded, (core, th) => {
    const st = core.sys(SYS.k_handle_sid, th.tid, h);
    if (st === ST_OK) o.sid = core.res(th.rec, 0);
    return statusOf(p, fn, st);
  });
}

/** The process's own task handle (KosTaskGetHandle(KosTaskGetSelf())). */
export function ownTaskHandle(p: IpcProcess, fn: string): Handle {
  return withThread(p, fn, INVALID_HANDLE, (core, th) => {
    const st = core.sys(SYS.k_task_handle, th.tid);
    if (st === ST_DEAD) p.died(fn);
    return st === ST_OK ? core.res(th.rec, 0) : INVALID_HANDLE;
  });
}

/**
 * The context value that dereference key `key` names: an object this process made. FOREIGN
 * when the key names nothing of this process, or an object context of another realm.
 */
export function readContext(p: IpcProcess, fn: string, key: number): unknown {
  return withThread(p, fn, FOREIGN as unknown, (core, th) => {
    let st = ensureStage(core, th, MAX_CONTEXT);
    if (st === ST_OK) st = core.sys(SYS.k_context, th.tid, key, th.stage, MAX_CONTEXT);
    if (st === ST_DEAD) p.died(fn);
    if (st !== ST_OK) return FOREIGN;
    const len = core.res(th.rec, 0);
    return registryOf(core).decode(core.u8(th.stage + len).slice(th.stage, th.stage + len));
  });
}


/**
 * nk_get_badge_op: NK_EOK and out.badge = the context a dereference gave back, when `desc`
 * carries every right of `operation`; NK_EPERM when a right is missing; NK_ENOENT when the
 * descriptor carries no context of this process (a transfer, or an object made elsewhere).
 */
export function badgeOp(p: IpcProcess, fn: string, desc: unknown, operation: unknown, out: unknown): nk_err_t {
  const o = outArg(fn, out);
  if (desc === null || typeof desc !== 'object') {
    throw new TypeError(`${fn}: desc must be an nk_handle_desc_t ({ handle, rights, badge, flags }), got ${describe(desc)}`);
  }
  const d = desc as nk_handle_desc_t;
  const op = maskArg(fn, 'operation', operation);
  const rights = maskArg(fn, 'desc.rights', d.rights), key = u32Arg(fn, 'desc.badge', d.badge);
  o.badge = undefined;
  if ((rights & op) >>> 0 !== op) return NK_EPERM;
  if (key === 0) return NK_ENOENT;
  const v = readContext(p, fn, key);
  if (v === FOREIGN) return NK_ENOENT;
  o.badge = v;
  return NK_EOK;
}
