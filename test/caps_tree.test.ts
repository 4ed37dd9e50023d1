// The handle inheritance tree: close keeps it whole, KnHandleRevoke and KnHandleRevokeSubtree
// reach exactly the right handles, a revoked handle fails every call with rcHandleRevoked until
// it is closed, a resource ends with its last handle anywhere, and the kernel's counts return
// to where they were (10,000 handles in one process included).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  rcOk, rcInvalidArgument, rcHandleRevoked, rcNotConnected, rcNoCapability, rcTimeout, rcSecurityDisallow,
  OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID, OCAP_HANDLE_COPY, OCAP_HANDLE_SET_EVENT, OCAP_HANDLE_GET_EVENT,
  OCAP_IPC_CALL, OCAP_RIGHTS_SAME, EVENT_OBJECT_DESTROYED, EVENT_BADGE_CLOSED, OBJECT_EVENT_USER,
  HANDLE_TYPE_USER_FIRST, INVALID_HANDLE, INFINITE_TIMEOUT, nk_handle_desc, nk_get_handle,
  type Process, type Handle, type Kernel, type KernelStats,
} from 'kos-ipc';
import { is, newKernel, shutdownAll, syncObject } from './helpers.js';
import {
  userObject, notice, badge, copyOf, sidOf, sid, drain, sameStats, capsMsg, capsIn, sendInRequest,
  sendInResponse, trio,
} from './caps_helpers.js';

test.after.each(shutdownAll);

const T = OCAP_HANDLE_TRANSFER, S = OCAP_HANDLE_GET_SID, C = OCAP_HANDLE_COPY;
const ALL = T | S | C | OCAP_HANDLE_SET_EVENT | OCAP_HANDLE_GET_EVENT;

/** The state of handle `h` of `p`: 'live', 'revoked' or 'gone' (KnHandleGetSidByHandle's code). */
function state(p: Process, h: Handle): string {
  const { rc } = sidOf(p, h);
  return rc === rcOk || rc === rcNoCapability ? 'live' : rc === rcHandleRevoked ? 'revoked' : rc === rcInvalidArgument ? 'gone' : `rc ${rc}`;
}

/** Ends every process of `kernel` and checks the counts are back at `base`. */
async function endAll(kernel: Kernel, base: KernelStats): Promise<void> {
  for (const p of kernel.processes) await kernel.terminate(p);
  sameStats(kernel, base, 'after every process ended:');
}

/** A handle of `from` in `to` (a transfer in a request on the trio's link): its value there. */
async function give(link: (a: Process, b: Process) => { ch: Handle; sh: Handle }, from: Process, to: Process,
  h: Handle, rights = OCAP_RIGHTS_SAME, bdg = 0): Promise<Handle> {
  const r = await sendInRequest(from, link(from, to).ch, to, link(from, to).sh, [nk_handle_desc(h, rights, bdg)]);
  is(r.rc, rcOk, `transfer from ${from.name} to ${to.name}`);
  return r.got[0]!.handle;
}

// ---- close -----------------------------------------------------------------------------------

test('closing an intermediate handle keeps the tree: a revoke from above still reaches the grandchildren', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const { procs: [a, b, c], link } = await trio(kernel);
  const root = userObject(a!, ALL);
  const inB = await give(link, a!, b!, root);
  const inC = await give(link, b!, c!, inB);
  const copyInC = copyOf(c!, inC, OCAP_RIGHTS_SAME);
  is(b!.KnHandleClose(inB), rcOk);
  is(c!.KnHandleClose(inC), rcOk);
  assert.is(state(c!, copyInC), 'live', 'descendants outlive a closed ancestor');
  assert.is(sid(c!, copyInC), sid(a!, root));
  // C's copy is now A's root's child: it is still dereferenced to A's handle
  const back = await sendInRequest(c!, link(c!, a!).ch, a!, link(c!, a!).sh, [nk_handle_desc(copyInC)]);
  assert.is(nk_get_handle(back.got[0]!), root);
  is(a!.KnHandleRevokeEx(root, false), rcOk);
  assert.is(state(c!, copyInC), 'revoked');
  assert.is(state(a!, root), 'live', 'KnHandleRevokeEx(h, false) keeps h');
  await endAll(kernel, base);
});

test('closing a handle whose children live in other processes makes them children of its ancestor in every process', async () => {
  const kernel = await newKernel();
  const { procs: [a, b, c], link } = await trio(kernel);
  const root = userObject(a!, ALL);
  const mid = copyOf(a!, root, OCAP_RIGHTS_SAME);
  const inB = await give(link, a!, b!, mid);
  const inC = await give(link, a!, c!, mid);
  const deep = await give(link, b!, c!, inB); // C now holds two handles: a child of mid and a grandchild
  is(a!.KnHandleClose(mid), rcOk);
  for (const [p, h] of [[b!, inB], [c!, inC], [c!, deep]] as const) assert.is(state(p, h), 'live');
  is(a!.KnHandleRevoke(root), rcOk);
  assert.is(state(a!, root), 'gone', 'KnHandleRevoke closes the handle');
  for (const [p, h] of [[b!, inB], [c!, inC], [c!, deep]] as const) assert.is(state(p, h), 'revoked', `${p.name}`);
});

// ---- revoke --------------------------------------------------------------------------------

test('KnHandleRevoke reaches every descendant of the handle and nothing else: ancestors, siblings and other resources stay usable', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const { procs: [a, b, c], link } = await trio(kernel);
  const root = userObject(a!, ALL);
  const left = copyOf(a!, root, OCAP_RIGHTS_SAME), right = copyOf(a!, root, OCAP_RIGHTS_SAME);
  const l1 = await give(link, a!, b!, left), l2 = await give(link, b!, c!, l1);
  const l3 = copyOf(b!, l1, T | S);
  const r1 = await give(link, a!, b!, right), r2 = await give(link, a!, c!, right);
  const other = userObject(a!, ALL);
  const o1 = await give(link, a!, b!, other);
  is(a!.KnHandleRevoke(left), rcOk);
  assert.equal([state(a!, left), state(b!, l1), state(c!, l2), state(b!, l3)], ['gone', 'revoked', 'revoked', 'revoked']);
  assert.equal([state(a!, root), state(a!, right), state(b!, r1), state(c!, r2), state(b!, o1)], ['live', 'live', 'live', 'live', 'live']);
  // a revoked handle cannot be revoked again, nor revoke its (no longer existing) subtree
  is(b!.KnHandleRevoke(l1), rcHandleRevoked);
  is(b!.KnHandleRevokeEx(l1, false), rcHandleRevoked);
  await endAll(kernel, base);
});

test('KnHandleRevokeSubtree revokes exactly the subtree one badge\'s transfer started, wherever it went', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const { procs: [a, b, c], link } = await trio(kernel);
  const root = userObject(a!, ALL);
  const n = notice(a!);
  const b1 = badge(a!, n, 1), b2 = badge(a!, n, 2);
  const viaB1 = await give(link, a!, b!, root, OCAP_RIGHTS_SAME, b1);
  const passed = await give(link, b!, c!, viaB1);
  const copied = copyOf(b!, viaB1, OCAP_RIGHTS_SAME);
  const viaB2 = await give(link, a!, c!, root, OCAP_RIGHTS_SAME, b2);
  const plain = await give(link, a!, b!, root);
  const copyB1 = copyOf(a!, root, OCAP_RIGHTS_SAME, b1); // a copy under b1 is in b1's subtree too
  is(a!.KnHandleRevokeSubtree(root, b1), rcOk);
  assert.equal([state(b!, viaB1), state(c!, passed), state(b!, copied), state(a!, copyB1)], ['revoked', 'revoked', 'revoked', 'revoked']);
  assert.equal([state(a!, root), state(c!, viaB2), state(b!, plain)], ['live', 'live', 'live']);
  // the same badge again reaches nothing more; the other badge only its own
  is(a!.KnHandleRevokeSubtree(root, b1), rcOk);
  assert.is(state(c!, viaB2), 'live');
  is(a!.KnHandleRevokeSubtree(root, b2), rcOk);
  assert.equal([state(c!, viaB2), state(b!, plain)], ['revoked', 'live']);
  // revoking under a badge from another handle of the same resource reaches nothing
  const viaB1again = await give(link, a!, c!, root, OCAP_RIGHTS_SAME, b1);
  const sibling = copyOf(a!, root, OCAP_RIGHTS_SAME);
  is(a!.KnHandleRevokeSubtree(sibling, b1), rcOk);
  assert.is(state(c!, viaB1again), 'live', 'the subtree hangs below root, not below its sibling');
  await endAll(kernel, base);
});

test('after the handle a badge\'s transfer made is closed, KnHandleRevokeSubtree still reaches the handles made from it, and dereferences still give the badge\'s context', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const { procs: [a, b, c], link } = await trio(kernel);
  const root = userObject(a!, ALL, 'the resource');
  const n = notice(a!);
  const bdg = badge(a!, n, 9, 'the badge');
  const first = await give(link, a!, b!, root, OCAP_RIGHTS_SAME, bdg);
  const copy = copyOf(b!, first, OCAP_RIGHTS_SAME);
  const further = await give(link, b!, c!, copy);
  is(b!.KnHandleClose(first), rcOk);
  assert.equal(drain(a!, n), [], 'the subtree is not empty: no EVENT_BADGE_CLOSED');
  const back = await sendInRequest(c!, link(c!, a!).ch, a!, link(c!, a!).sh, [nk_handle_desc(further)]);
  const out: { badge?: unknown } = {};
  a!.nk_get_badge_op(back.got[0]!, 0, out);
  assert.is(out.badge, 'the badge');
  is(a!.KnHandleRevokeSubtree(root, bdg), rcOk);
  assert.equal([state(b!, copy), state(c!, further), state(a!, root)], ['revoked', 'revoked', 'live']);
  assert.equal(drain(a!, n), [{ eventId: 9, eventMask: EVENT_BADGE_CLOSED }]);
  await endAll(kernel, base);
});

test('a handle passed on under another badge is reached by KnHandleRevoke from above, and by the subtree of the badge it travelled with', async () => {
  const kernel = await newKernel();
  const { procs: [a, b, c], link } = await trio(kernel);
  const root = userObject(a!, ALL);
  const na = notice(a!), nb = notice(b!);
  const ba = badge(a!, na, 1), bb = badge(b!, nb, 2);
  const inB = await give(link, a!, b!, root, OCAP_RIGHTS_SAME, ba);
  const inC = await give(link, b!, c!, inB, OCAP_RIGHTS_SAME, bb);
  const inC2 = await give(link, b!, c!, inB, OCAP_RIGHTS_SAME, bb);
  // B's badge: only what B passed on under it
  is(b!.KnHandleRevokeSubtree(inB, bb), rcOk);
  assert.equal([state(c!, inC), state(c!, inC2), state(b!, inB)], ['revoked', 'revoked', 'live']);
  assert.equal(drain(b!, nb), [{ eventId: 2, eventMask: EVENT_BADGE_CLOSED }]);
  const again = await give(link, b!, c!, inB, OCAP_RIGHTS_SAME, bb);
  // A's badge: B's handle and everything below it, B's nested subtree included
  is(a!.KnHandleRevokeSubtree(root, ba), rcOk);
  assert.equal([state(b!, inB), state(c!, again)], ['revoked', 'revoked']);
  assert.equal(drain(a!, na), [{ eventId: 1, eventMask: EVENT_BADGE_CLOSED }]);
  assert.equal(drain(b!, nb), [{ eventId: 2, eventMask: EVENT_BADGE_CLOSED }], 'B\'s badge emptied again');
});

test('a chain of 20,000 copies is revoked and closed without recursion', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const a = kernel.createProcess('A');
  const root = userObject(a, ALL);
  const chain = [root];
  for (let i = 0; i < 20000; i++) chain.push(copyOf(a, chain[i]!, OCAP_RIGHTS_SAME));
  is(a.KnHandleClose(chain[10000]!), rcOk, 'a close in the middle lifts one child');
  is(a.KnHandleRevokeEx(chain[1]!, false), rcOk);
  assert.is(state(a, chain[20000]!), 'revoked');
  assert.is(state(a, chain[1]!), 'live');
  assert.is(kernel.stats().revokedHandles, 19998);
  await endAll(kernel, base);
});

// ---- revoked handles -------------------------------------------------------------------------

test('a revoked handle fails every call that takes it with rcHandleRevoked, stays in its table, and closes with rcOk once', async () => {
  const kernel = await newKernel();
  const { procs: [a, b], link } = await trio(kernel, ['A', 'B']);
  const root = userObject(a!, ALL);
  const h = await give(link, a!, b!, root);
  const n = notice(b!);
  const mine = userObject(b!, ALL);
  const bb = badge(b!, n, 1);
  const before = kernel.stats();
  is(a!.KnHandleRevokeEx(root, false), rcOk);
  const after = kernel.stats();
  assert.is(after.revokedHandles, before.revokedHandles + 1);
  assert.is(after.handles, before.handles - 1, 'a revoked entry no longer counts as a live handle');
  const out: Record<string, unknown> = {};
  const calls: [string, () => number][] = [
    ['KnHandleGetSidByHandle', () => b!.KnHandleGetSidByHandle(h, out)],
    ['KnHandleCopy', () => b!.KnHandleCopy(h, OCAP_RIGHTS_SAME, INVALID_HANDLE, out)],
    ['KnHandleCopy under a badge', () => b!.KnHandleCopy(h, S, bb, out)],
    ['KnHandleRevoke', () => b!.KnHandleRevoke(h)],
    ['KnHandleRevokeEx', () => b!.KnHandleRevokeEx(h, false)],
    ['KnHandleRevokeSubtree', () => b!.KnHandleRevokeSubtree(h, bb)],
    ['KnNoticeSubscribeToObject', () => b!.KnNoticeSubscribeToObject(n, h, EVENT_OBJECT_DESTROYED, 1)],
    ['KnNoticeSetObjectEvent', () => b!.KnNoticeSetObjectEvent(h, OBJECT_EVENT_USER(0))],
    ['KnNoticeUnsubscribeFromObject', () => b!.KnNoticeUnsubscribeFromObject(n, h)],
  ];
  for (const [fn, call] of calls) is(call(), rcHandleRevoked, fn);
  assert.is(out.outHandle, INVALID_HANDLE, 'a refused copy writes INVALID_HANDLE');
  // in a descriptor, in a request and in a response; the other handles in the message are not transferred
  const stats = kernel.stats();
  is((await sendInRequest(b!, link(b!, a!).ch, a!, link(b!, a!).sh, [nk_handle_desc(mine), nk_handle_desc(h)])).rc, rcHandleRevoked);
  const res = await sendInResponse(b!, link(a!, b!).sh, a!, link(a!, b!).ch, [nk_handle_desc(h)]);
  is(res.rc, rcHandleRevoked);
  is(res.callRc, rcHandleRevoked);
  sameStats(kernel, stats);
  is(b!.KnHandleClose(h), rcOk, 'a revoked handle closes');
  is(b!.KnHandleClose(h), rcInvalidArgument, 'once');
  is(sidOf(b!, h).rc, rcInvalidArgument);
  assert.is(kernel.stats().revokedHandles, before.revokedHandles);
});

test('a revoked client IPC handle, callable and listener fail Call, Recv and Reply with rcHandleRevoked', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const { procs: [s, x], link } = await trio(kernel, ['S', 'X']);
  const conn: { listener?: Handle; client?: Handle } = {};
  is(s!.KnHandleConnect(INVALID_HANDLE, conn), rcOk);
  const callableOut: { handle?: Handle } = {};
  is(s!.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL | T | C, null, conn.listener!, 1, callableOut), rcOk);
  const client = await give(link, s!, x!, conn.client!);
  const callable = await give(link, s!, x!, callableOut.handle!);
  const listener = await give(link, s!, x!, conn.listener!);
  // all three work before the revocation: X calls itself through S's channel
  const call = x!.CallAsync(client, capsMsg([]).hdr, capsIn().hdr);
  const rin = capsIn();
  is(await x!.RecvAsync(listener, rin.hdr), rcOk);
  const rep = capsMsg([]);
  rep.hdr.threadId = rin.hdr.threadId;
  is(x!.Reply(listener, rep.hdr), rcOk);
  is(await call, rcOk);
  // a call received before the revocation can still be answered by S... but not through X's revoked listener
  const pending = x!.CallAsync(callable, capsMsg([]).hdr, capsIn().hdr);
  const rin2 = capsIn();
  is(await x!.RecvAsync(listener, rin2.hdr), rcOk);
  is(s!.KnHandleRevokeEx(conn.client!, false), rcOk);
  is(s!.KnHandleRevokeEx(callableOut.handle!, false), rcOk);
  is(s!.KnHandleRevokeEx(conn.listener!, false), rcOk);
  const sync = syncObject(x!);
  is(await x!.CallAsync(client, capsMsg([]).hdr, capsIn().hdr), rcHandleRevoked, 'CallAsync on a revoked client handle');
  is(x!.CallEx(client, capsMsg([]).hdr, capsIn().hdr, 0, sync), rcHandleRevoked, 'CallEx (checked before it could block)');
  is(await x!.CallAsync(callable, capsMsg([]).hdr, capsIn().hdr), rcHandleRevoked, 'CallAsync on a revoked callable');
  is(await x!.RecvAsync(listener, capsIn().hdr), rcHandleRevoked, 'RecvAsync on a revoked listener');
  is(x!.RecvEx(listener, capsIn().hdr, 0, sync), rcHandleRevoked, 'RecvEx');
  rep.hdr.threadId = rin2.hdr.threadId;
  is(x!.Reply(listener, rep.hdr), rcHandleRevoked, 'Reply through a revoked listener');
  is(s!.Reply(conn.listener!, rep.hdr), rcOk, 'S answers through its own listener');
  is(await pending, rcOk);
  for (const h of [client, callable, listener]) is(x!.KnHandleClose(h), rcOk);
  await endAll(kernel, base);
});

test('an IPC sync object handle can be neither copied nor transferred, so it is never revoked: KnIpcSetInterrupt keeps working', async () => {
  const kernel = await newKernel();
  const { procs: [a, b], link } = await trio(kernel, ['A', 'B']);
  const sync = syncObject(a!);
  const out: { outHandle?: Handle } = {};
  is(a!.KnHandleCopy(sync, OCAP_RIGHTS_SAME, INVALID_HANDLE, out), rcNoCapability);
  is((await sendInRequest(a!, link(a!, b!).ch, b!, link(a!, b!).sh, [nk_handle_desc(sync)])).rc, rcSecurityDisallow);
  is(a!.KnHandleRevokeEx(sync, false), rcOk, 'it has no descendants to revoke');
  is(a!.KnIpcSetInterrupt(sync), rcOk);
  is(a!.KnIpcClearInterrupt(sync), rcOk);
  is(a!.KnHandleRevoke(sync), rcOk, 'KnHandleRevoke closes it');
  is(a!.KnIpcSetInterrupt(sync), rcInvalidArgument);
});

test('revoking a listener ends a Recv waiting on it through the revoked handle; revoking a client end ends its calls not yet received', async () => {
  const kernel = await newKernel();
  const { procs: [s, x], link } = await trio(kernel, ['S', 'X']);
  const conn: { listener?: Handle; client?: Handle } = {};
  is(s!.KnHandleConnect(INVALID_HANDLE, conn), rcOk);
  const listener = await give(link, s!, x!, conn.listener!);
  const client = await give(link, s!, x!, conn.client!);
  const waiting = x!.RecvAsync(listener, capsIn().hdr);
  const ownIn = capsIn();
  const ownWait = s!.RecvAsync(conn.listener!, ownIn.hdr);
  is(s!.KnHandleRevokeEx(conn.listener!, false), rcOk);
  is(await waiting, rcHandleRevoked, 'X no longer receives through the revoked handle');
  // S's own Recv, through its own handle, goes on: it receives the next call
  const sCall = s!.CallAsync(conn.client!, capsMsg([]).hdr, capsIn().hdr);
  is(await ownWait, rcOk);
  const rep = capsMsg([]);
  rep.hdr.threadId = ownIn.hdr.threadId;
  is(s!.Reply(conn.listener!, rep.hdr), rcOk);
  is(await sCall, rcOk);
  const queued = x!.CallAsync(client, capsMsg([]).hdr, capsIn().hdr);
  is(s!.KnHandleRevokeEx(conn.client!, false), rcOk);
  is(await queued, rcHandleRevoked, 'a queued call through the revoked handle is withdrawn');
  is(await s!.RecvExAsync(conn.listener!, capsIn().hdr, 0, INVALID_HANDLE), rcTimeout, 'the server never sees it');
});

test('a resource ends when its last handle anywhere is closed or revoked; its subscribers hear EVENT_OBJECT_DESTROYED once', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const { procs: [a, b, c], link } = await trio(kernel);
  const root = userObject(a!, ALL);
  const n = notice(a!);
  is(a!.KnNoticeSubscribeToObject(n, root, EVENT_OBJECT_DESTROYED, 5), rcOk);
  const mid = copyOf(a!, root, OCAP_RIGHTS_SAME);
  const inB = await give(link, a!, b!, mid);
  const inC = await give(link, b!, c!, inB);
  is(a!.KnHandleClose(root), rcOk);
  assert.equal(drain(a!, n), [], 'handles remain');
  is(b!.KnHandleClose(inB), rcOk);
  assert.equal(drain(a!, n), []);
  const users = kernel.stats().userObjects;
  is(a!.KnHandleRevoke(mid), rcOk, 'revokes C\'s handle, closes A\'s: nothing live is left');
  assert.equal(drain(a!, n), [{ eventId: 5, eventMask: EVENT_OBJECT_DESTROYED }]);
  assert.is(kernel.stats().userObjects, users - 1, 'the object is gone while C still holds a revoked entry');
  assert.is(state(c!, inC), 'revoked');
  is(c!.KnHandleClose(inC), rcOk);
  assert.equal(drain(a!, n), [], 'once');
  await endAll(kernel, base);
});

// ---- counts ------------------------------------------------------------------------------------

test('one process holds 10,000 handles; after transferring some and closing all, the counts are back', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const [a, b] = [kernel.createProcess('A'), kernel.createProcess('B')];
  kernel.connect(a, b, 'ab');
  const ch = a.ServiceLocatorConnect('ab'), sh = b.ServiceLocatorRegister('ab');
  const start = kernel.stats();
  const hs: Handle[] = [];
  for (let i = 0; i < 5000; i++) hs.push(userObject(a, T | S | C, i));
  for (let i = 0; i < 5000; i++) hs.push(copyOf(a, hs[i]!, T | S));
  assert.is(kernel.stats().handles, start.handles + 10000);
  assert.is(new Set(hs).size, 10000, 'distinct values');
  const inB: Handle[] = [];
  for (let i = 0; i < 640; i += 64) {
    const r = await sendInRequest(a, ch, b, sh, hs.slice(i, i + 64).map((h) => nk_handle_desc(h, S)));
    is(r.rc, rcOk);
    inB.push(...r.got.map((d) => d.handle));
  }
  for (let i = 0; i < 640; i++) assert.is(sid(b, inB[i]!), sid(a, hs[i]!));
  is(a.KnHandleRevokeEx(hs[0]!, false), rcOk);
  for (const h of hs) is(a.KnHandleClose(h), rcOk);
  assert.is(kernel.stats().userObjects, start.userObjects + 639, 'B keeps 639 objects alive');
  for (const h of inB) is(b.KnHandleClose(h), rcOk);
  sameStats(kernel, start, 'after closing all:');
  await endAll(kernel, base);
});

test('after any mix of handle calls, ending every process brings the counts back to a fresh kernel\'s', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const { procs: [a, b, c], link } = await trio(kernel);
  const n = notice(a!);
  const bdg = badge(a!, n, 1, { a: 1 });
  const root = userObject(a!, ALL, { r: 1 });
  is(a!.KnNoticeSubscribeToObject(n, root, EVENT_OBJECT_DESTROYED, 2), rcOk);
  is(a!.KnNoticeSubscribeToObject(n, a!.KosTaskGetHandle(a!.KosTaskGetSelf()), 0x10000, 3), rcOk);
  const inB = await give(link, a!, b!, root, OCAP_RIGHTS_SAME, bdg);
  await give(link, b!, c!, inB);
  const conn: { listener?: Handle; client?: Handle } = {};
  is(b!.KnHandleConnect(INVALID_HANDLE, conn), rcOk);
  const callable: { handle?: Handle } = {};
  is(b!.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL | T, 'cb', conn.listener!, 0, callable), rcOk);
  await give(link, b!, c!, callable.handle!);
  const pendingCall = c!.CallAsync(link(c!, a!).ch, capsMsg([]).hdr, capsIn().hdr);
  const pendingRecv = b!.RecvAsync(conn.listener!, capsIn().hdr);
  const waiting = a!.KnNoticeGetEventAsync(notice(a!), INFINITE_TIMEOUT, 4, [], {});
  is(a!.KnHandleRevokeEx(root, false), rcOk);
  syncObject(c!);
  for (const p of [a!, b!, c!]) await kernel.terminate(p);
  is(await pendingCall, rcNotConnected);
  is(await pendingRecv, rcNotConnected);
  is(await waiting, rcNotConnected);
  sameStats(kernel, base);
});

test.run();
