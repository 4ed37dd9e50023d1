// Every return code of the handle_api.h, notice_api.h and task.h calls, each provoked through
// the API (the statuses the core's k_* exports return for them, abi/kernel.mjs), and the
// programmer errors their arguments raise (TypeError, RangeError).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  rcOk, rcInvalidArgument, rcInvalidOperation, rcNoCapability, rcHandleRevoked, rcQuotaExceeded,
  rcOutOfMemory, rcResourceNotFound, rcTimeout, rcAbort,
  OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID, OCAP_HANDLE_COPY, OCAP_HANDLE_SET_EVENT, OCAP_HANDLE_GET_EVENT,
  OCAP_IPC_CALL, OCAP_IPC_RECV, OCAP_IPC_LISTENER, OCAP_RIGHTS_SAME, EVENT_OBJECT_DESTROYED,
  OBJECT_EVENT_USER, HANDLE_TYPE_USER_FIRST, HANDLE_TYPE_USER_LAST, INVALID_HANDLE, INVALID_RIID,
  INFINITE_TIMEOUT, NOTICE_COUNT_MAX, NK_EOK, NK_EPERM, NK_ENOENT, nk_handle_desc, nk_get_rights, OCAP_HANDLE_SPEC,
  type Process, type Handle, type Kernel, type EventDesc,
} from 'kos-ipc';
import { is, newKernel, shutdownAll, rejects } from './helpers.js';
import {
  userObject, notice, badge, copyOf, sidOf, sendInRequest, sendInResponse, trio, channel, capsMsg, capsIn,
} from './caps_helpers.js';

test.after.each(shutdownAll);

const T = OCAP_HANDLE_TRANSFER, S = OCAP_HANDLE_GET_SID, C = OCAP_HANDLE_COPY;
const SET = OCAP_HANDLE_SET_EVENT, GET = OCAP_HANDLE_GET_EVENT;
const ALL = T | S | C | SET | GET;
const U0 = OBJECT_EVENT_USER(0);

/** Fixtures every code test uses: a live, a closed, a revoked and a foreign handle of `a`. */
async function world(): Promise<{
  kernel: Kernel; a: Process; b: Process; live: Handle; closed: Handle; revoked: Handle; foreign: Handle;
  n: Handle; bdg: Handle; listener: Handle; client: Handle;
}> {
  const kernel = await newKernel();
  const { procs: [a, b], link } = await trio(kernel, ['A', 'B']);
  const live = userObject(a!, ALL);
  const closed = userObject(a!, ALL);
  is(a!.KnHandleClose(closed), rcOk);
  const root = userObject(b!, ALL);
  const r = await sendInRequest(b!, link(b!, a!).ch, a!, link(b!, a!).sh, [nk_handle_desc(root)]);
  const revoked = r.got[0]!.handle;
  is(b!.KnHandleRevokeEx(root, false), rcOk);
  const foreign = userObject(b!, ALL);
  const n = notice(a!);
  const bdg = badge(a!, n, 1);
  const conn: { listener?: Handle; client?: Handle } = {};
  is(a!.KnHandleConnect(INVALID_HANDLE, conn), rcOk);
  return { kernel, a: a!, b: b!, live, closed, revoked, foreign, n, bdg, listener: conn.listener!, client: conn.client! };
}

/** The values that name no live entry of the caller: each gives rcInvalidArgument. */
const bad = (w: { closed: Handle; foreign: Handle }): [string, Handle][] => [
  ['a guessed value', 0x2468ace0], ['a closed handle', w.closed], ['another process\'s handle', w.foreign], ['INVALID_HANDLE', INVALID_HANDLE],
];

// ---- handle_api.h --------------------------------------------------------------------------

test('KnHandleCreateUserObject(Ex): rcOk, rcInvalidArgument (type, riid, ipcChannel), rcInvalidOperation, rcNoCapability, rcHandleRevoked', async () => {
  const w = await world();
  const { a } = w;
  const out: { handle?: Handle } = {};
  for (const type of [HANDLE_TYPE_USER_FIRST, HANDLE_TYPE_USER_LAST]) is(a.KnHandleCreateUserObject(type, 0, null, out), rcOk);
  for (const type of [0, HANDLE_TYPE_USER_FIRST - 1, HANDLE_TYPE_USER_LAST + 1]) {
    is(a.KnHandleCreateUserObject(type, 0, null, out), rcInvalidArgument, `type 0x${type.toString(16)}`);
    assert.is(out.handle, INVALID_HANDLE, 'a refused call writes INVALID_HANDLE');
  }
  const ex = (rights: number, ch: Handle, riid: number): number => a.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, rights, 1, ch, riid, out);
  is(ex(OCAP_IPC_CALL, w.listener, 0), rcOk);
  is(ex(OCAP_IPC_CALL, w.listener, 0xfffe), rcOk);
  is(ex(OCAP_IPC_CALL, w.listener, INVALID_RIID), rcInvalidArgument, 'a callable needs an endpoint RIID');
  is(ex(T | S, w.listener, 0), rcInvalidArgument, 'a channel without OCAP_IPC_CALL');
  is(ex(T | S, INVALID_HANDLE, INVALID_RIID), rcOk, 'no channel: a plain user object');
  for (const [what, v] of bad(w)) is(ex(OCAP_IPC_CALL, v === INVALID_HANDLE ? 0x1234567 : v, 0), rcInvalidArgument, what);
  is(ex(OCAP_IPC_CALL, w.client, 0), rcInvalidOperation, 'a client handle is no listener');
  is(ex(OCAP_IPC_CALL, w.live, 0), rcInvalidOperation, 'a user object is no listener');
  is(ex(OCAP_IPC_CALL, w.revoked, 0), rcHandleRevoked);
  // a listener handle without OCAP_IPC_LISTEN: B receives one narrowed to OCAP_IPC_RECV
  const link = channel(w.kernel, a, w.b, 'narrow');
  const r = await sendInRequest(a, link.ch, w.b, link.sh, [nk_handle_desc(w.listener, OCAP_IPC_RECV | T)]);
  is(r.rc, rcOk);
  is(w.b.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL, null, r.got[0]!.handle, 0, out), rcNoCapability);
  const wide = await sendInRequest(a, link.ch, w.b, link.sh, [nk_handle_desc(w.listener, OCAP_IPC_LISTENER)]);
  is(w.b.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL, null, wide.got[0]!.handle, 0, out), rcOk, 'with OCAP_IPC_LISTEN');
});

test('KnHandleCreateListener: rcOk, a listener with OCAP_IPC_LISTENER; KnHandleConnect: rcOk, rcInvalidArgument, rcInvalidOperation, rcNoCapability, rcHandleRevoked', async () => {
  const w = await world();
  const { a } = w;
  const l: { listener?: Handle } = {};
  is(a.KnHandleCreateListener(l), rcOk);
  const c: { listener?: Handle; server?: Handle; client?: Handle } = {};
  is(a.KnHandleConnect(l.listener!, c), rcOk);
  assert.equal([c.listener, c.server], [l.listener, l.listener], 'the given listener is the server end');
  is(a.KnHandleConnect(INVALID_HANDLE, c), rcOk);
  assert.is(c.server, c.listener, 'a new listener is the server end');
  assert.is.not(c.listener, l.listener);
  for (const [what, v] of bad(w).filter(([, v]) => v !== INVALID_HANDLE)) {
    is(a.KnHandleConnect(v, c), rcInvalidArgument, what);
    assert.equal([c.listener, c.server, c.client], [INVALID_HANDLE, INVALID_HANDLE, INVALID_HANDLE]);
  }
  is(a.KnHandleConnect(w.client, c), rcInvalidOperation);
  is(a.KnHandleConnect(w.revoked, c), rcHandleRevoked);
  const link = channel(w.kernel, a, w.b, 'narrow');
  const r = await sendInRequest(a, link.ch, w.b, link.sh, [nk_handle_desc(l.listener!, OCAP_IPC_RECV)]);
  is(w.b.KnHandleConnect(r.got[0]!.handle, c), rcNoCapability, 'no OCAP_IPC_LISTEN');
  // the channel works: a call on the client end reaches the listener
  is(a.KnHandleConnect(l.listener!, c), rcOk);
  const call = a.CallAsync(c.client!, capsMsg([]).hdr, capsIn().hdr);
  const rin = capsIn();
  is(await a.RecvAsync(l.listener!, rin.hdr), rcOk);
  const rep = capsMsg([]);
  rep.hdr.threadId = rin.hdr.threadId;
  is(a.Reply(l.listener!, rep.hdr), rcOk);
  is(await call, rcOk);
});

test('KnHandleCreateBadge: rcOk, rcInvalidArgument, rcInvalidOperation (not a notice; a notice that forbids entries)', async () => {
  const w = await world();
  const { a } = w;
  const out: { handle?: Handle } = {};
  is(a.KnHandleCreateBadge(w.n, 0xffffffff, { any: 'context' }, out), rcOk);
  for (const [what, v] of bad(w)) {
    is(a.KnHandleCreateBadge(v, 1, null, out), rcInvalidArgument, what);
    assert.is(out.handle, INVALID_HANDLE);
  }
  is(a.KnHandleCreateBadge(w.live, 1, null, out), rcInvalidOperation, 'a user object is no notice');
  is(a.KnHandleCreateBadge(w.bdg, 1, null, out), rcInvalidOperation, 'a badge is no notice');
  is(a.KnNoticeDropAndWake(w.n, true), rcOk);
  is(a.KnHandleCreateBadge(w.n, 1, null, out), rcInvalidOperation, 'the notice forbids new entries');
});

test('KnHandleCopy: rcOk, rcInvalidArgument, rcHandleRevoked, rcNoCapability (no OCAP_HANDLE_COPY; wider rights), rcInvalidOperation (a copy badge that is no badge)', async () => {
  const w = await world();
  const { a } = w;
  const out: { outHandle?: Handle } = {};
  is(a.KnHandleCopy(w.live, OCAP_RIGHTS_SAME, INVALID_HANDLE, out), rcOk);
  is(a.KnHandleCopy(w.live, S, 0, out), rcOk, 'copyBadge 0 is none too');
  is(a.KnHandleCopy(w.live, 0, w.bdg, out), rcOk, 'under a badge, with no rights at all');
  for (const [what, v] of bad(w)) {
    is(a.KnHandleCopy(v, S, INVALID_HANDLE, out), rcInvalidArgument, what);
    assert.is(out.outHandle, INVALID_HANDLE);
  }
  is(a.KnHandleCopy(w.revoked, S, INVALID_HANDLE, out), rcHandleRevoked);
  is(a.KnHandleCopy(copyOf(a, w.live, T | S), S, INVALID_HANDLE, out), rcNoCapability, 'no OCAP_HANDLE_COPY');
  is(a.KnHandleCopy(copyOf(a, w.live, C | S), C | S | T, INVALID_HANDLE, out), rcNoCapability, 'wider than the source');
  is(a.KnHandleCopy(w.live, S, w.n, out), rcInvalidOperation, 'a notice as copyBadge');
  for (const [what, v] of bad(w).filter(([, v]) => v !== INVALID_HANDLE)) is(a.KnHandleCopy(w.live, S, v, out), rcInvalidArgument, `copyBadge: ${what}`);
});

test('KnHandleRevoke, KnHandleRevokeEx: rcOk, rcInvalidArgument, rcHandleRevoked, rcInvalidOperation (the own task handle, closing)', async () => {
  const w = await world();
  const { a } = w;
  for (const fn of ['KnHandleRevoke', 'KnHandleRevokeEx'] as const) {
    const call = (h: Handle): number => fn === 'KnHandleRevoke' ? a.KnHandleRevoke(h) : a.KnHandleRevokeEx(h, true);
    is(call(copyOf(a, w.live, ALL)), rcOk, fn);
    for (const [what, v] of bad(w)) is(call(v), rcInvalidArgument, `${fn}: ${what}`);
    is(call(w.revoked), rcHandleRevoked, fn);
    is(call(a.KosTaskGetHandle(a.KosTaskGetSelf())), rcInvalidOperation, fn);
  }
  is(a.KnHandleRevokeEx(a.KosTaskGetHandle(a.KosTaskGetSelf()), false), rcOk, 'without closing it');
  is(a.KnHandleRevokeEx(w.live, 0), rcOk, 'close may be 0 / 1');
  assert.is(sidOf(a, w.live).rc, rcOk);
});

test('KnHandleRevokeSubtree: rcOk, rcInvalidArgument (handle, badge), rcHandleRevoked, rcInvalidOperation (a badge that is no badge)', async () => {
  const w = await world();
  const { a } = w;
  is(a.KnHandleRevokeSubtree(w.live, w.bdg), rcOk, 'nothing to revoke is fine');
  for (const [what, v] of bad(w)) {
    is(a.KnHandleRevokeSubtree(v, w.bdg), rcInvalidArgument, `handle: ${what}`);
    is(a.KnHandleRevokeSubtree(w.live, v), rcInvalidArgument, `badge: ${what}`);
  }
  is(a.KnHandleRevokeSubtree(w.revoked, w.bdg), rcHandleRevoked);
  is(a.KnHandleRevokeSubtree(w.live, w.n), rcInvalidOperation);
  is(a.KnHandleRevokeSubtree(w.live, w.live), rcInvalidOperation);
});

test('KnHandleGetSidByHandle: rcOk, rcInvalidArgument, rcHandleRevoked, rcNoCapability; KnHandleClose: rcOk, rcInvalidArgument, rcInvalidOperation', async () => {
  const w = await world();
  const { a } = w;
  const out: { sid?: number } = {};
  is(a.KnHandleGetSidByHandle(w.live, out), rcOk);
  assert.ok(out.sid! > 0);
  for (const [what, v] of bad(w)) {
    is(a.KnHandleGetSidByHandle(v, out), rcInvalidArgument, what);
    assert.is(out.sid, 0, 'a refused call writes 0');
  }
  is(a.KnHandleGetSidByHandle(w.revoked, out), rcHandleRevoked);
  is(a.KnHandleGetSidByHandle(copyOf(a, w.live, C), out), rcNoCapability);
  for (const [what, v] of bad(w)) is(a.KnHandleClose(v), rcInvalidArgument, `KnHandleClose: ${what}`);
  is(a.KnHandleClose(w.revoked), rcOk);
  is(a.KnHandleClose(a.KosTaskGetHandle(a.KosTaskGetSelf())), rcInvalidOperation);
});

test('nk_get_badge_op: NK_EOK, NK_EPERM (a right missing), NK_ENOENT (no context of this process)', async () => {
  const w = await world();
  const { a, b } = w;
  const link = channel(w.kernel, a, b, 'x'), back = channel(w.kernel, b, a, 'y');
  const h = userObject(a, ALL, 'ctx');
  const inB = (await sendInRequest(a, link.ch, b, link.sh, [nk_handle_desc(h, T | S)])).got[0]!;
  const out: { badge?: unknown } = {};
  assert.is(b.nk_get_badge_op(inB, S, out), NK_ENOENT, 'a transfer carries no context');
  const d = (await sendInRequest(b, back.ch, a, back.sh, [nk_handle_desc(inB.handle, S)])).got[0]!;
  assert.is(a.nk_get_badge_op(d, S, out), NK_EOK);
  assert.is(out.badge, 'ctx');
  assert.is(a.nk_get_badge_op(d, S | T, out), NK_EPERM);
  assert.is(a.nk_get_badge_op({ ...d, badge: 0x7fffff }, 0, out), NK_ENOENT, 'a key naming nothing');
});

test('Call needs OCAP_IPC_CALL and Recv and Reply need OCAP_IPC_RECV on handles narrowed by a transfer (rcNoCapability)', async () => {
  const w = await world();
  const { a, b } = w;
  const link = channel(w.kernel, a, b, 'ipc');
  const callable: { handle?: Handle } = {};
  is(a.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL | T, null, w.listener, 0, callable), rcOk);
  const r = await sendInRequest(a, link.ch, b, link.sh, [
    nk_handle_desc(w.client, T | S), nk_handle_desc(callable.handle!, T), nk_handle_desc(w.listener, OCAP_IPC_LISTENER & ~OCAP_IPC_RECV),
  ]);
  is(r.rc, rcOk);
  const [client, call, listener] = r.got.map((d) => d.handle) as [Handle, Handle, Handle];
  is(await b.CallAsync(client, capsMsg([]).hdr, capsIn().hdr), rcNoCapability, 'a client handle without OCAP_IPC_CALL');
  is(await b.CallAsync(call, capsMsg([]).hdr, capsIn().hdr), rcNoCapability, 'a callable without OCAP_IPC_CALL');
  is(await b.RecvAsync(listener, capsIn().hdr), rcNoCapability, 'a listener without OCAP_IPC_RECV');
  is(b.Reply(listener, capsMsg([]).hdr), rcNoCapability);
  is(await b.CallAsync(listener, capsMsg([]).hdr, capsIn().hdr), rcInvalidOperation, 'the wrong kind is reported before the rights');
});

// ---- notice_api.h ---------------------------------------------------------------------------

test('KnNoticeSubscribeToObject: rcOk, rcInvalidArgument (mask 0, handles), rcInvalidOperation (not a notice; forbidden), rcNoCapability, rcHandleRevoked', async () => {
  const w = await world();
  const { a } = w;
  is(a.KnNoticeSubscribeToObject(w.n, w.live, U0, 1), rcOk);
  is(a.KnNoticeSubscribeToObject(w.n, w.listener, EVENT_OBJECT_DESTROYED, 2), rcNoCapability, 'a listener handle has no OCAP_HANDLE_GET_EVENT');
  is(a.KnNoticeSubscribeToObject(w.n, w.live, 0, 1), rcInvalidArgument, 'an empty mask');
  for (const [what, v] of bad(w)) {
    is(a.KnNoticeSubscribeToObject(v, w.live, U0, 1), rcInvalidArgument, `notice: ${what}`);
    is(a.KnNoticeSubscribeToObject(w.n, v, U0, 1), rcInvalidArgument, `object: ${what}`);
  }
  is(a.KnNoticeSubscribeToObject(w.live, w.live, U0, 1), rcInvalidOperation, 'a user object is no notice');
  is(a.KnNoticeSubscribeToObject(w.n, copyOf(a, w.live, C), U0, 1), rcNoCapability, 'no OCAP_HANDLE_GET_EVENT');
  is(a.KnNoticeSubscribeToObject(w.n, w.revoked, U0, 1), rcHandleRevoked);
  is(a.KnNoticeDropAndWake(w.n, true), rcOk);
  is(a.KnNoticeSubscribeToObject(w.n, w.live, U0, 1), rcInvalidOperation, 'forbidden');
});

test('KnNoticeUnsubscribeFromEvent / FromObject: rcOk, rcResourceNotFound, rcInvalidArgument, rcInvalidOperation, rcHandleRevoked', async () => {
  const w = await world();
  const { a } = w;
  is(a.KnNoticeSubscribeToObject(w.n, w.live, U0, 1), rcOk);
  is(a.KnNoticeSubscribeToObject(w.n, w.live, U0, 2), rcOk);
  is(a.KnNoticeUnsubscribeFromEvent(w.n, 1), rcOk);
  is(a.KnNoticeUnsubscribeFromEvent(w.n, 1), rcResourceNotFound);
  is(a.KnNoticeUnsubscribeFromObject(w.n, w.live), rcOk);
  is(a.KnNoticeUnsubscribeFromObject(w.n, w.live), rcResourceNotFound);
  for (const [what, v] of bad(w)) {
    is(a.KnNoticeUnsubscribeFromEvent(v, 1), rcInvalidArgument, `notice: ${what}`);
    is(a.KnNoticeUnsubscribeFromObject(v, w.live), rcInvalidArgument, `notice: ${what}`);
    is(a.KnNoticeUnsubscribeFromObject(w.n, v), rcInvalidArgument, `object: ${what}`);
  }
  is(a.KnNoticeUnsubscribeFromEvent(w.live, 1), rcInvalidOperation);
  is(a.KnNoticeUnsubscribeFromObject(w.live, w.live), rcInvalidOperation);
  is(a.KnNoticeUnsubscribeFromObject(w.n, w.revoked), rcHandleRevoked);
});

test('KnNoticeGetEvent(Async): rcOk, rcTimeout, rcAbort, rcInvalidArgument, rcInvalidOperation', async () => {
  const w = await world();
  const { a } = w;
  const events: EventDesc[] = [];
  const out: { count?: number } = {};
  is(a.KnNoticeSubscribeToObject(w.n, w.live, U0, 1), rcOk);
  is(a.KnNoticeSetObjectEvent(w.live, U0), rcOk);
  is(a.KnNoticeGetEvent(w.n, 0, 1, events, out), rcOk);
  is(a.KnNoticeGetEvent(w.n, 0, 1, events, out), rcTimeout);
  is(await a.KnNoticeGetEventAsync(w.n, 0, 1, events, out), rcTimeout);
  const waiting = a.KnNoticeGetEventAsync(w.n, INFINITE_TIMEOUT, 1, events, out);
  is(a.KnNoticeDropAndWake(w.n, false), rcOk);
  is(await waiting, rcAbort);
  for (const [what, v] of bad(w)) {
    is(a.KnNoticeGetEvent(v, 0, 1, events, out), rcInvalidArgument, what);
    is(await a.KnNoticeGetEventAsync(v, 0, 1, events, out), rcInvalidArgument, `Async: ${what}`);
  }
  is(a.KnNoticeGetEvent(w.live, 0, 1, events, out), rcInvalidOperation);
  is(await a.KnNoticeGetEventAsync(w.bdg, 10, 1, events, out), rcInvalidOperation);
});

test('KnNoticeSetObjectEvent: rcOk, rcInvalidArgument (mask, handle), rcInvalidOperation, rcNoCapability, rcHandleRevoked; KnNoticeDropAndWake: rcOk, rcInvalidArgument, rcInvalidOperation', async () => {
  const w = await world();
  const { a } = w;
  is(a.KnNoticeSetObjectEvent(w.live, U0), rcOk);
  is(a.KnNoticeSetObjectEvent(w.live, 0), rcInvalidArgument);
  is(a.KnNoticeSetObjectEvent(w.live, EVENT_OBJECT_DESTROYED), rcInvalidArgument);
  for (const [what, v] of bad(w)) is(a.KnNoticeSetObjectEvent(v, U0), rcInvalidArgument, what);
  is(a.KnNoticeSetObjectEvent(w.bdg, U0), rcInvalidOperation);
  is(a.KnNoticeSetObjectEvent(copyOf(a, w.live, C | S), U0), rcNoCapability);
  is(a.KnNoticeSetObjectEvent(w.revoked, U0), rcHandleRevoked);
  is(a.KnNoticeDropAndWake(w.n, 1), rcOk);
  for (const [what, v] of bad(w)) is(a.KnNoticeDropAndWake(v, false), rcInvalidArgument, what);
  is(a.KnNoticeDropAndWake(w.live, false), rcInvalidOperation);
});

// ---- tables full and memory exhausted -------------------------------------------------------

test('a process\'s full handle table: every call that makes a handle in it returns rcQuotaExceeded and makes nothing', async () => {
  const kernel = await newKernel();
  const { procs: [a, b], link } = await trio(kernel, ['A', 'B']);
  const h = userObject(a!, ALL);
  const n = notice(a!);
  const bdg = badge(a!, n, 1);
  const conn: { listener?: Handle; client?: Handle } = {};
  is(a!.KnHandleConnect(INVALID_HANDLE, conn), rcOk);
  const inB = (await sendInRequest(a!, link(a!, b!).ch, b!, link(a!, b!).sh, [nk_handle_desc(h)])).got[0]!.handle;
  const fresh = userObject(b!, ALL);
  const copies: Handle[] = [];
  const out: { outHandle?: Handle } = {};
  for (;;) {
    const rc = a!.KnHandleCopy(h, S, INVALID_HANDLE, out);
    if (rc !== rcOk) { is(rc, rcQuotaExceeded); break; }
    copies.push(out.outHandle!);
  }
  assert.ok(copies.length > 131000, `${copies.length} copies`);
  const stats = kernel.stats();
  const o: Record<string, Handle> = {};
  const calls: [string, () => number][] = [
    ['KnHandleCopy', () => a!.KnHandleCopy(h, S, INVALID_HANDLE, o)],
    ['KnHandleCreateUserObject', () => a!.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, S, null, o)],
    ['KnHandleCreateUserObjectEx', () => a!.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL, null, conn.listener!, 0, o)],
    ['KnHandleCreateListener', () => a!.KnHandleCreateListener(o)],
    ['KnHandleConnect', () => a!.KnHandleConnect(conn.listener!, o)],
    ['KnHandleCreateBadge', () => a!.KnHandleCreateBadge(n, 2, null, o)],
    ['KnNoticeCreate', () => a!.KnNoticeCreate(o)],
    ['KnIpcCreateSyncObject', () => a!.KnIpcCreateSyncObject(o)],
  ];
  for (const [fn, call] of calls) is(call(), rcQuotaExceeded, fn);
  is((await sendInRequest(b!, link(b!, a!).ch, a!, link(b!, a!).sh, [nk_handle_desc(fresh)])).rc, rcQuotaExceeded, 'a transfer into the full table');
  const res = await sendInResponse(b!, link(a!, b!).sh, a!, link(a!, b!).ch, [nk_handle_desc(fresh)]);
  is(res.rc, rcQuotaExceeded, 'Reply');
  is(res.callRc, rcQuotaExceeded, 'the Call it answered');
  const deref = await sendInRequest(b!, link(b!, a!).ch, a!, link(b!, a!).sh, [nk_handle_desc(inB)]);
  is(deref.rc, rcOk, 'a dereference makes no handle: it still arrives');
  assert.is(deref.got[0]!.handle, h);
  assert.equal(kernel.stats(), stats, 'nothing made');
  // one slot free: KnHandleConnect with a new listener needs two
  is(a!.KnHandleClose(copies.pop()!), rcOk);
  is(a!.KnHandleConnect(INVALID_HANDLE, o), rcQuotaExceeded);
  is(a!.KnHandleConnect(conn.listener!, o), rcOk);
  for (const c of copies) is(a!.KnHandleClose(c), rcOk);
  is(a!.KnHandleCopy(h, S, bdg, out), rcOk, 'room again');
});

test('a thread table full of waiters: one more KnNoticeGetEventAsync (or any call) returns rcQuotaExceeded', async () => {
  const kernel = await newKernel();
  const { procs: [a, b], link } = await trio(kernel, ['A', 'B']);
  const h = userObject(a!, ALL);
  const n = notice(a!);
  is(a!.KnNoticeSubscribeToObject(n, h, U0, 1), rcOk);
  const inB = (await sendInRequest(a!, link(a!, b!).ch, b!, link(a!, b!).sh, [nk_handle_desc(h)])).got[0]!.handle;
  const waiters: Promise<number>[] = [];
  let rc = rcOk;
  for (let i = 0; i < 5000; i++) {
    const w = a!.KnNoticeGetEventAsync(n, INFINITE_TIMEOUT, 1, [], {});
    const settled = await Promise.race([w, Promise.resolve(-1)]);
    if (settled !== -1) { rc = settled; break; }
    waiters.push(w);
  }
  is(rc, rcQuotaExceeded);
  assert.ok(waiters.length > 4000, `${waiters.length} waiters`);
  is(a!.KnNoticeDropAndWake(n, false), rcQuotaExceeded, 'every thread waits: not even a drop can run');
  // B kept an idle thread from its earlier calls: its event lets one waiter of A finish
  is(b!.KnNoticeSetObjectEvent(inB, U0), rcOk);
  is(await Promise.race(waiters), rcOk);
  is(a!.KnNoticeDropAndWake(n, false), rcOk);
  const all = await Promise.all(waiters);
  assert.equal([all.filter((r) => r === rcOk).length, all.filter((r) => r === rcAbort).length], [1, waiters.length - 1]);
  const out: { count?: number } = {};
  is(a!.KnNoticeGetEvent(n, 0, 1, [], out), rcTimeout, 'threads are free again');
});

test('kernel memory exhausted: a context that does not fit gives rcOutOfMemory, a full subscription or object table rcQuotaExceeded', async () => {
  const kernel = await newKernel({ memoryMiB: 2, maxMemoryMiB: 2 });
  const a = kernel.createProcess('A');
  const big = 'x'.repeat(4000);
  // warm up: the thread's staging buffer holds the largest context; an object record and a handle slot are free
  is(a.KnHandleClose(userObject(a, ALL, big)), rcOk);
  const n = notice(a);
  is(a.KnHandleClose(badge(a, n, 1, big)), rcOk);
  const h = userObject(a, ALL);
  const fill: Uint8Array[] = [];
  for (let size = 1 << 20; size >= 16;) {
    try { fill.push(a.alloc(size)); } catch { size >>= 1; }
  }
  const out: { handle?: Handle } = {};
  is(a.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, S, big, out), rcOutOfMemory);
  assert.is(out.handle, INVALID_HANDLE);
  is(a.KnHandleCreateBadge(n, 2, big, out), rcOutOfMemory);
  let subs = 0, quota = 0;
  for (let i = 0; i < 100000; i++) {
    const r = a.KnNoticeSubscribeToObject(n, h, U0, i);
    if (r !== rcOk) { quota = r; break; }
    subs++;
  }
  is(quota, rcQuotaExceeded, `after ${subs} entries`);
  let made = 0;
  for (let i = 0; i < 100000; i++) {
    const no: { notice?: Handle } = {};
    const r = a.KnNoticeCreate(no);
    if (r !== rcOk) { quota = r; break; }
    made++;
  }
  is(quota, rcQuotaExceeded, `after ${made} notices`);
  for (const f of fill) is(a.free(f), rcOk);
});

// ---- programmer errors --------------------------------------------------------------------------

test('bad argument types are TypeErrors (RangeErrors for a context too large or countMax out of range) naming the call and the argument', async () => {
  const w = await world();
  const { a } = w;
  const notObjects: unknown[] = [undefined, null, 5, 'out', []];
  const withOut: [string, (out: never) => unknown][] = [
    ['KnHandleCreateUserObject', (o) => a.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, S, null, o)],
    ['KnHandleCreateUserObjectEx', (o) => a.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, S, null, INVALID_HANDLE, INVALID_RIID, o)],
    ['KnHandleCreateListener', (o) => a.KnHandleCreateListener(o)],
    ['KnHandleConnect', (o) => a.KnHandleConnect(INVALID_HANDLE, o)],
    ['KnHandleCreateBadge', (o) => a.KnHandleCreateBadge(w.n, 1, null, o)],
    ['KnHandleCopy', (o) => a.KnHandleCopy(w.live, S, INVALID_HANDLE, o)],
    ['KnHandleGetSidByHandle', (o) => a.KnHandleGetSidByHandle(w.live, o)],
    ['KnNoticeCreate', (o) => a.KnNoticeCreate(o)],
    ['KnNoticeGetEvent', (o) => a.KnNoticeGetEvent(w.n, 0, 1, [], o)],
    ['KnNoticeGetEventAsync', (o) => a.KnNoticeGetEventAsync(w.n, 0, 1, [], o)],
    ['KnIpcCreateSyncObject', (o) => a.KnIpcCreateSyncObject(o)],
    ['nk_get_badge_op', (o) => a.nk_get_badge_op(nk_handle_desc(w.live), 0, o)],
  ];
  for (const [fn, call] of withOut) {
    for (const v of notObjects) await rejects(() => call(v as never), new RegExp(`^${fn}: out must be an object`));
  }
  const stats = w.kernel.stats();
  const handles: [string, string, (v: never) => unknown][] = [
    ['KnHandleCreateUserObjectEx', 'ipcChannel', (v) => a.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL, null, v, 0, {})],
    ['KnHandleConnect', 'listener', (v) => a.KnHandleConnect(v, {})],
    ['KnHandleCreateBadge', 'notice', (v) => a.KnHandleCreateBadge(v, 1, null, {})],
    ['KnHandleCopy', 'inHandle', (v) => a.KnHandleCopy(v, S, INVALID_HANDLE, {})],
    ['KnHandleCopy', 'copyBadge', (v) => a.KnHandleCopy(w.live, S, v, {})],
    ['KnHandleRevoke', 'handle', (v) => a.KnHandleRevoke(v)],
    ['KnHandleRevokeEx', 'handle', (v) => a.KnHandleRevokeEx(v, false)],
    ['KnHandleRevokeSubtree', 'handle', (v) => a.KnHandleRevokeSubtree(v, w.bdg)],
    ['KnHandleRevokeSubtree', 'badge', (v) => a.KnHandleRevokeSubtree(w.live, v)],
    ['KnHandleGetSidByHandle', 'handle', (v) => a.KnHandleGetSidByHandle(v, {})],
    ['KnNoticeSubscribeToObject', 'notice', (v) => a.KnNoticeSubscribeToObject(v, w.live, U0, 1)],
    ['KnNoticeSubscribeToObject', 'object', (v) => a.KnNoticeSubscribeToObject(w.n, v, U0, 1)],
    ['KnNoticeUnsubscribeFromEvent', 'notice', (v) => a.KnNoticeUnsubscribeFromEvent(v, 1)],
    ['KnNoticeUnsubscribeFromObject', 'notice', (v) => a.KnNoticeUnsubscribeFromObject(v, w.live)],
    ['KnNoticeUnsubscribeFromObject', 'object', (v) => a.KnNoticeUnsubscribeFromObject(w.n, v)],
    ['KnNoticeGetEvent', 'notice', (v) => a.KnNoticeGetEvent(v, 0, 1, [], {})],
    ['KnNoticeGetEventAsync', 'notice', (v) => a.KnNoticeGetEventAsync(v, 0, 1, [], {})],
    ['KnNoticeSetObjectEvent', 'object', (v) => a.KnNoticeSetObjectEvent(v, U0)],
    ['KnNoticeDropAndWake', 'notice', (v) => a.KnNoticeDropAndWake(v, false)],
  ];
  for (const [fn, arg, call] of handles) {
    for (const v of [w.live + 2 ** 32, -1, 0.5, '1', null, undefined]) {
      await rejects(() => call(v as never), new RegExp(`^${fn}: ${arg} must be a handle`));
    }
  }
  const u32s: [string, string, (v: never) => unknown][] = [
    ['KnHandleCreateUserObject', 'type', (v) => a.KnHandleCreateUserObject(v, S, null, {})],
    ['KnHandleCreateUserObjectEx', 'riid', (v) => a.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, S, null, INVALID_HANDLE, v, {})],
    ['KnHandleCreateBadge', 'eventId', (v) => a.KnHandleCreateBadge(w.n, v, null, {})],
    ['KnNoticeSubscribeToObject', 'evId', (v) => a.KnNoticeSubscribeToObject(w.n, w.live, U0, v)],
    ['KnNoticeUnsubscribeFromEvent', 'evId', (v) => a.KnNoticeUnsubscribeFromEvent(w.n, v)],
    ['KnNoticeGetEvent', 'countMax', (v) => a.KnNoticeGetEvent(w.n, 0, v, [], {})],
  ];
  for (const [fn, arg, call] of u32s) {
    for (const v of [-1, 2 ** 32, 0.5, '1', null]) {
      await rejects(() => call(v as never), new RegExp(`^${fn}: ${arg} must be an integer from 0 to 0xFFFFFFFF`));
    }
  }
  const masks: [string, string, (v: never) => unknown][] = [
    ['KnHandleCreateUserObject', 'rights', (v) => a.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, v, null, {})],
    ['KnHandleCopy', 'newRightsMask', (v) => a.KnHandleCopy(w.live, v, INVALID_HANDLE, {})],
    ['KnNoticeSubscribeToObject', 'evMask', (v) => a.KnNoticeSubscribeToObject(w.n, w.live, v, 1)],
    ['KnNoticeSetObjectEvent', 'evMask', (v) => a.KnNoticeSetObjectEvent(w.live, v)],
    ['nk_get_badge_op', 'operation', (v) => a.nk_get_badge_op(nk_handle_desc(w.live), v, {})],
  ];
  for (const [fn, arg, call] of masks) {
    for (const v of [-(2 ** 31) - 1, 2 ** 32, 0.5, '1', null]) {
      await rejects(() => call(v as never), new RegExp(`^${fn}: ${arg} must be a 32-bit mask`));
    }
  }
  for (const v of [-1, 0.5, 'inf', null, 2 ** 32]) {
    await rejects(() => a.KnNoticeGetEvent(w.n, v as never, 1, [], {}), /^KnNoticeGetEvent: msec must be milliseconds/);
    await rejects(() => a.KnNoticeGetEventAsync(w.n, v as never, 1, [], {}), /^KnNoticeGetEventAsync: msec must be milliseconds/);
  }
  for (const v of [0, NOTICE_COUNT_MAX + 1]) {
    assert.throws(() => a.KnNoticeGetEvent(w.n, 0, v, [], {}), (e: Error) => e instanceof RangeError && /countMax must be from 1 to 4096/.test(e.message));
  }
  for (const v of [null, {}, 'events', 3]) {
    await rejects(() => a.KnNoticeGetEvent(w.n, 0, 1, v as never, {}), /^KnNoticeGetEvent: events must be an array/);
  }
  for (const v of ['yes', 2, null, undefined]) {
    await rejects(() => a.KnNoticeDropAndWake(w.n, v as never), /^KnNoticeDropAndWake: forbid must be a boolean/);
  }
  for (const v of [null, 5, 'desc']) {
    await rejects(() => a.nk_get_badge_op(v as never, 0, {}), /^nk_get_badge_op: desc must be an nk_handle_desc_t/);
  }
  const tooBig = 'y'.repeat(5000);
  for (const call of [
    (): unknown => a.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, S, tooBig, {}),
    (): unknown => a.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, S, tooBig, INVALID_HANDLE, INVALID_RIID, {}),
    (): unknown => a.KnHandleCreateBadge(w.n, 1, tooBig, {}),
  ]) {
    assert.throws(call, (e: Error) => e instanceof RangeError && /the context takes 5001 bytes encoded; at most 4096/.test(e.message));
  }
  assert.equal(w.kernel.stats(), stats, 'no programmer error made anything');
  await w.kernel.terminate(a);
  assert.throws(() => a.KnHandleGetSidByHandle(w.live, {}), /KnHandleGetSidByHandle: process "A" has ended/);
  assert.throws(() => a.KosTaskGetHandle(a.KosTaskGetSelf()), /KosTaskGetHandle: process "A" has ended/);
  await rejects(() => a.KnNoticeGetEventAsync(w.n, 0, 1, [], {}), /KnNoticeGetEventAsync: process "A" has ended/);
});


test('rights and event masks built with `|` pass with bit 31 set (a negative number is taken as its 32 bits); rtl_bool arguments take booleans or 0 / 1', async () => {
  const kernel = await newKernel();
  const a = kernel.createProcess('A');
  const top = OCAP_HANDLE_SPEC(15) | OCAP_HANDLE_GET_SID;
  assert.ok(top < 0, 'bit 31 makes `|` negative');
  const out: { handle?: number } = {};
  is(a.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, top | OCAP_HANDLE_COPY, null, out), rcOk);
  const copy: { outHandle?: number } = {};
  is(a.KnHandleCopy(out.handle!, top, INVALID_HANDLE, copy), rcOk);
  const desc = nk_handle_desc(out.handle!, top);
  assert.is(nk_get_rights(desc), top >>> 0);
  for (const v of ['yes', 2, null, undefined]) {
    await rejects(() => a.KnHandleRevokeEx(out.handle!, v as never), /^KnHandleRevokeEx: close must be a boolean/);
    await rejects(() => a.KnIpcCreateSyncObjectEx(v as never, {}), /^KnIpcCreateSyncObjectEx: autoclear must be a boolean/);
  }
  is(a.KnHandleRevokeEx(copy.outHandle!, 1), rcOk);
});

test.run();
