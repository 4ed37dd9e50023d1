// notice_api.h and task.h: every event fires once (a user object destroyed, a badge's subtree
// closed, a process ended), notifications for one entry id merge, user events only through
// KnNoticeSetObjectEvent, unsubscribing, KnNoticeDropAndWake waking blocked and Async waiters,
// timeouts, and the task handle a process cannot close.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  rcOk, rcInvalidArgument, rcInvalidOperation, rcNoCapability, rcTimeout, rcAbort, rcNotConnected,
  rcResourceNotFound, rcSecurityDisallow, OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID, OCAP_HANDLE_COPY, OCAP_HANDLE_SET_EVENT,
  OCAP_HANDLE_GET_EVENT, OCAP_RIGHTS_SAME, OCAP_TASK_SELF, EVENT_OBJECT_DESTROYED, EVENT_BADGE_CLOSED,
  EVENT_TASK_COMPLETED, EVENT_USER_MASK, OBJECT_EVENT_USER, OBJECT_EVENT_SPEC, INFINITE_TIMEOUT, INVALID_HANDLE,
  nk_handle_desc, type Process, type Handle, type EventDesc,
} from 'kos-ipc';
import { is, newKernel, shutdownAll, fixture, sleep } from './helpers.js';
import {
  userObject, notice, badge, copyOf, sid, drain, sameStats, sendInRequest, trio, serverOp,
} from './caps_helpers.js';
import { OP_TASK, OP_EXIT } from './fixtures/caps_ops.js';

test.after.each(shutdownAll);

const T = OCAP_HANDLE_TRANSFER, S = OCAP_HANDLE_GET_SID, C = OCAP_HANDLE_COPY;
const SET = OCAP_HANDLE_SET_EVENT, GET = OCAP_HANDLE_GET_EVENT;
const ALL = T | S | C | SET | GET;
const U0 = OBJECT_EVENT_USER(0), U1 = OBJECT_EVENT_USER(1), U7 = OBJECT_EVENT_USER(7);

/** Notifications posted by one event to several entries come in no set order: sorted by entry id. */
const byId = (events: EventDesc[]): EventDesc[] => [...events].sort((x, y) => x.eventId - y.eventId);

/** A handle of `from` in `to`, transferred in a request. */
async function give(link: (a: Process, b: Process) => { ch: Handle; sh: Handle }, from: Process, to: Process,
  h: Handle, bdg = 0): Promise<Handle> {
  const r = await sendInRequest(from, link(from, to).ch, to, link(from, to).sh, [nk_handle_desc(h, OCAP_RIGHTS_SAME, bdg)]);
  is(r.rc, rcOk);
  return r.got[0]!.handle;
}

// ---- events fire once ----------------------------------------------------------------------

test('EVENT_OBJECT_DESTROYED reaches every entry subscribed to the resource, in every process, once, when its last handle goes', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const { procs: [a, b], link } = await trio(kernel, ['A', 'B']);
  const h = userObject(a!, ALL);
  const cp = copyOf(a!, h, ALL);
  const n1 = notice(a!), n2 = notice(a!), nb = notice(b!);
  const inB = await give(link, a!, b!, h);
  is(a!.KnNoticeSubscribeToObject(n1, h, EVENT_OBJECT_DESTROYED, 1), rcOk);
  is(a!.KnNoticeSubscribeToObject(n1, h, EVENT_OBJECT_DESTROYED | U0, 2), rcOk);
  is(a!.KnNoticeSubscribeToObject(n2, cp, EVENT_OBJECT_DESTROYED, 3), rcOk);
  is(a!.KnNoticeSubscribeToObject(n2, h, U0, 4), rcOk, 'an entry whose mask lacks the event is not told');
  is(b!.KnNoticeSubscribeToObject(nb, inB, EVENT_OBJECT_DESTROYED, 5), rcOk);
  is(a!.KnHandleClose(h), rcOk);
  is(b!.KnHandleClose(inB), rcOk);
  assert.equal([drain(a!, n1), drain(a!, n2), drain(b!, nb)], [[], [], []], 'A\'s copy lives');
  is(a!.KnHandleClose(cp), rcOk);
  assert.equal(byId(drain(a!, n1)), [{ eventId: 1, eventMask: EVENT_OBJECT_DESTROYED }, { eventId: 2, eventMask: EVENT_OBJECT_DESTROYED }]);
  assert.equal(drain(a!, n2), [{ eventId: 3, eventMask: EVENT_OBJECT_DESTROYED }]);
  assert.equal(drain(b!, nb), [{ eventId: 5, eventMask: EVENT_OBJECT_DESTROYED }], 'B subscribed while it held a handle');
  assert.equal([drain(a!, n1), drain(a!, n2), drain(b!, nb)], [[], [], []], 'once');
  await kernel.terminate(a!);
  await kernel.terminate(b!);
  sameStats(kernel, base);
});

test('EVENT_OBJECT_DESTROYED: one notification per entry id, mask merged, whichever handle goes last', async () => {
  const kernel = await newKernel();
  const { procs: [a, b], link } = await trio(kernel, ['A', 'B']);
  const h = userObject(a!, ALL);
  const cp = copyOf(a!, h, ALL);
  const n1 = notice(a!), n2 = notice(a!);
  is(a!.KnNoticeSubscribeToObject(n1, h, EVENT_OBJECT_DESTROYED, 1), rcOk);
  is(a!.KnNoticeSubscribeToObject(n1, cp, EVENT_OBJECT_DESTROYED | U0, 2), rcOk);
  is(a!.KnNoticeSubscribeToObject(n2, cp, EVENT_OBJECT_DESTROYED, 1), rcOk);
  is(a!.KnNoticeSubscribeToObject(n2, h, EVENT_OBJECT_DESTROYED, 1), rcOk, 'a second entry with the same id: merged');
  is(a!.KnNoticeSubscribeToObject(n2, h, U0, 9), rcOk);
  const inB = await give(link, a!, b!, cp);
  is(a!.KnHandleClose(h), rcOk);
  is(a!.KnHandleClose(cp), rcOk);
  assert.equal(drain(a!, n1), [], 'B still holds a handle');
  is(b!.KnHandleClose(inB), rcOk);
  assert.equal(byId(drain(a!, n1)), [{ eventId: 1, eventMask: EVENT_OBJECT_DESTROYED }, { eventId: 2, eventMask: EVENT_OBJECT_DESTROYED }]);
  assert.equal(drain(a!, n2), [{ eventId: 1, eventMask: EVENT_OBJECT_DESTROYED }]);
  assert.equal([drain(a!, n1), drain(a!, n2)], [[], []], 'once');
  assert.is(kernel.stats().subscriptions, 0, 'the entries of an ended resource are removed');
});

test('EVENT_BADGE_CLOSED fires once when every handle of the badge\'s subtree is closed or revoked; EVENT_OBJECT_DESTROYED when the badge itself ends', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const { procs: [a, b, c], link } = await trio(kernel);
  const h = userObject(a!, ALL);
  const n = notice(a!);
  const bdg = badge(a!, n, 7);
  const inB = await give(link, a!, b!, h, bdg);
  const inC = await give(link, b!, c!, inB);
  const cp = copyOf(c!, inC, S);
  const plain = await give(link, a!, c!, h); // outside the subtree
  is(b!.KnHandleClose(inB), rcOk);
  is(c!.KnHandleClose(inC), rcOk);
  assert.equal(drain(a!, n), [], 'one handle of the subtree is left');
  is(a!.KnHandleRevokeSubtree(h, bdg), rcOk, 'reaches C\'s copy (its ancestors were closed)');
  assert.equal(drain(a!, n), [{ eventId: 7, eventMask: EVENT_BADGE_CLOSED }]);
  is(c!.KnHandleClose(cp), rcOk, 'closing the revoked entry');
  is(c!.KnHandleClose(plain), rcOk);
  assert.equal(drain(a!, n), [], 'once');
  const badges = kernel.stats().badges;
  is(a!.KnHandleClose(bdg), rcOk);
  assert.equal(drain(a!, n), [{ eventId: 7, eventMask: EVENT_OBJECT_DESTROYED }]);
  assert.is(kernel.stats().badges, badges - 1);
  await kernel.terminate(a!); await kernel.terminate(b!); await kernel.terminate(c!);
  sameStats(kernel, base);
});

test('a badge whose handle is closed first lives while its subtree does; both events then come as one notification', async () => {
  const kernel = await newKernel();
  const { procs: [a, b], link } = await trio(kernel, ['A', 'B']);
  const h = userObject(a!, ALL);
  const n = notice(a!);
  const bdg = badge(a!, n, 3, { who: 'B' });
  const inB = await give(link, a!, b!, h, bdg);
  is(a!.KnHandleClose(bdg), rcOk);
  assert.equal(drain(a!, n), []);
  assert.is(kernel.stats().badges, 1, 'the badge lives on for its subtree');
  const back = await sendInRequest(b!, link(b!, a!).ch, a!, link(b!, a!).sh, [nk_handle_desc(inB)]);
  const out: { badge?: unknown } = {};
  a!.nk_get_badge_op(back.got[0]!, 0, out);
  assert.equal(out.badge, { who: 'B' }, 'its context is still readable by dereference');
  is(b!.KnHandleClose(inB), rcOk);
  assert.equal(drain(a!, n), [{ eventId: 3, eventMask: EVENT_BADGE_CLOSED | EVENT_OBJECT_DESTROYED }]);
  assert.is(kernel.stats().badges, 0);
});

test('a badge used again after its subtree emptied reports EVENT_BADGE_CLOSED again when it empties again', async () => {
  const kernel = await newKernel();
  const { procs: [a, b], link } = await trio(kernel, ['A', 'B']);
  const h = userObject(a!, ALL);
  const n = notice(a!);
  const bdg = badge(a!, n, 4);
  for (let round = 0; round < 3; round++) {
    const inB = await give(link, a!, b!, h, bdg);
    assert.equal(drain(a!, n), []);
    is(b!.KnHandleClose(inB), rcOk);
    assert.equal(drain(a!, n), [{ eventId: 4, eventMask: EVENT_BADGE_CLOSED }], `round ${round}`);
  }
  // a copy under the badge counts in its subtree too
  const cp = copyOf(a!, h, S, bdg);
  is(a!.KnHandleClose(cp), rcOk);
  assert.equal(drain(a!, n), [{ eventId: 4, eventMask: EVENT_BADGE_CLOSED }]);
});

test('a handle passed on under another badge counts in that badge\'s subtree only: the outer badge closes when its own handles are gone', async () => {
  const kernel = await newKernel();
  const { procs: [a, b, c], link } = await trio(kernel);
  const h = userObject(a!, ALL);
  const na = notice(a!), nb = notice(b!);
  const ba = badge(a!, na, 1), bb = badge(b!, nb, 2);
  const inB = await give(link, a!, b!, h, ba);
  const inC = await give(link, b!, c!, inB, bb);
  is(b!.KnHandleClose(inB), rcOk);
  assert.equal(drain(a!, na), [{ eventId: 1, eventMask: EVENT_BADGE_CLOSED }], 'A\'s badge: B\'s handle was its last');
  assert.equal(drain(b!, nb), [], 'B\'s badge still has C\'s handle');
  is(a!.KnHandleRevokeSubtree(h, ba), rcOk);
  assert.equal(sid(c!, inC) > 0, true, 'C\'s handle, made under B\'s badge, is not in A\'s subtree any more');
  is(a!.KnHandleRevokeEx(h, false), rcOk);
  assert.equal(drain(b!, nb), [{ eventId: 2, eventMask: EVENT_BADGE_CLOSED }], 'revoking from above reaches it');
});

test('EVENT_TASK_COMPLETED reaches the holders of a process\'s task handle once when kernel.terminate ends it, and later subscribers at once', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const { procs: [a, b], link } = await trio(kernel, ['A', 'B']);
  const self = a!.KosTaskGetHandle(a!.KosTaskGetSelf());
  assert.is(self, a!.KosTaskGetHandle(a!.KosTaskGetSelf()), 'the same handle each time');
  const inB = await give(link, a!, b!, self);
  assert.is(sid(b!, inB), sid(a!, self), 'the task\'s SID');
  const n = notice(b!);
  is(b!.KnNoticeSubscribeToObject(n, inB, EVENT_TASK_COMPLETED | EVENT_OBJECT_DESTROYED, 11), rcOk);
  assert.equal(drain(b!, n), []);
  await kernel.terminate(a!);
  assert.equal(drain(b!, n), [{ eventId: 11, eventMask: EVENT_TASK_COMPLETED }], 'the task object lives while B holds it');
  const n2 = notice(b!);
  is(b!.KnNoticeSubscribeToObject(n2, inB, EVENT_TASK_COMPLETED, 12), rcOk);
  assert.equal(drain(b!, n2), [{ eventId: 12, eventMask: EVENT_TASK_COMPLETED }], 'a completed task is told to a late subscriber');
  assert.equal(drain(b!, n), [], 'once');
  is(b!.KnHandleClose(inB), rcOk);
  assert.equal(drain(b!, n), [{ eventId: 11, eventMask: EVENT_OBJECT_DESTROYED }]);
  assert.equal(drain(b!, n2), [], 'n2 asked for EVENT_TASK_COMPLETED only');
  await kernel.terminate(b!);
  sameStats(kernel, base);
});

test('EVENT_TASK_COMPLETED when a worker process returns, and when one is terminated', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'W1', 'w1');
  kernel.connect(main, 'W2', 'w2');
  const [w1, w2] = await Promise.all([
    kernel.spawn('W1', fixture('caps_server'), { args: ['w1'] }), kernel.spawn('W2', fixture('caps_server'), { args: ['w2'] }),
  ]);
  const n = notice(main);
  for (const [name, evId] of [['w1', 1], ['w2', 2]] as const) {
    const r = await serverOp(main, main.ServiceLocatorConnect(name), OP_TASK);
    is(r.rc, rcOk);
    is(main.KnNoticeSubscribeToObject(n, r.desc!.handle, EVENT_TASK_COMPLETED, evId), rcOk);
  }
  is((await serverOp(main, main.ServiceLocatorConnect('w1'), OP_EXIT)).rc, rcOk);
  assert.equal(await w1.exited, { code: 0 });
  const events: EventDesc[] = [];
  const out: { count?: number } = {};
  is(await main.KnNoticeGetEventAsync(n, INFINITE_TIMEOUT, 8, events, out), rcOk);
  assert.equal(events.slice(0, out.count), [{ eventId: 1, eventMask: EVENT_TASK_COMPLETED }]);
  await kernel.terminate(w2);
  assert.equal(drain(main, n), [{ eventId: 2, eventMask: EVENT_TASK_COMPLETED }]);
  assert.equal(drain(main, n), []);
  await kernel.terminate(main);
  sameStats(kernel, base);
});

test('a process cannot close or revoke-and-close its own task handle (rcInvalidOperation); a copy of it closes', async () => {
  const kernel = await newKernel();
  const a = kernel.createProcess('A');
  const self = a.KosTaskGetHandle(a.KosTaskGetSelf());
  is(a.KnHandleClose(self), rcInvalidOperation);
  is(a.KnHandleRevoke(self), rcInvalidOperation);
  is(a.KnHandleRevokeEx(self, true), rcInvalidOperation);
  const cp = copyOf(a, self, OCAP_RIGHTS_SAME);
  is(a.KnHandleRevokeEx(self, false), rcOk, 'revoking its descendants is allowed');
  is(a.KnHandleClose(cp), rcOk);
  assert.is(sid(a, self) > 0, true);
  const out: { sid?: number } = {};
  is(a.KnHandleGetSidByHandle(self, out), rcOk);
  // the task handle's rights are OCAP_TASK_SELF
  const n = notice(a);
  is(a.KnNoticeSubscribeToObject(n, self, EVENT_TASK_COMPLETED, 1), rcOk, 'OCAP_HANDLE_GET_EVENT');
  is(a.KnNoticeSetObjectEvent(self, U0), rcInvalidOperation, 'a task is no user object');
  const copyOut: { outHandle?: Handle } = {};
  is(a.KnHandleCopy(self, OCAP_TASK_SELF | SET, INVALID_HANDLE, copyOut), rcNoCapability);
  const b = kernel.createProcess('B');
  assert.is(a.KosTaskGetHandle(b.KosTaskGetSelf()), INVALID_HANDLE, 'another process\'s task object');
});

// ---- user events ---------------------------------------------------------------------------

test('KnNoticeSetObjectEvent posts user bits only, to the entries that asked for them; notifications for one entry id merge', async () => {
  const kernel = await newKernel();
  const a = kernel.createProcess('A');
  const h = userObject(a, ALL), other = userObject(a, ALL);
  const n = notice(a);
  is(a.KnNoticeSubscribeToObject(n, h, U0 | U1, 1), rcOk);
  is(a.KnNoticeSubscribeToObject(n, h, U7, 2), rcOk);
  is(a.KnNoticeSubscribeToObject(n, other, U0, 3), rcOk);
  is(a.KnNoticeSetObjectEvent(h, U0), rcOk);
  is(a.KnNoticeSetObjectEvent(h, U1), rcOk);
  is(a.KnNoticeSetObjectEvent(h, U0), rcOk);
  is(a.KnNoticeSetObjectEvent(other, U0), rcOk);
  is(a.KnNoticeSetObjectEvent(h, U7 | U0), rcOk); // bit 31 set by `|`: a negative number, taken as its 32 bits
  assert.equal(drain(a, n), [
    { eventId: 1, eventMask: U0 | U1 }, { eventId: 3, eventMask: U0 }, { eventId: 2, eventMask: U7 },
  ], 'one notification per entry id, in order of the first event, masks ORed; U7 went to entry 2 only');
  for (const mask of [EVENT_OBJECT_DESTROYED, EVENT_BADGE_CLOSED, EVENT_TASK_COMPLETED, OBJECT_EVENT_SPEC(0), U0 | 1, 0]) {
    is(a.KnNoticeSetObjectEvent(h, mask), rcInvalidArgument, `mask 0x${mask.toString(16)}`);
  }
  assert.equal(drain(a, n), [], 'nothing posted by a refused call');
  assert.is(EVENT_USER_MASK, [0, 1, 2, 3, 4, 5, 6, 7].reduce((m, i) => m | OBJECT_EVENT_USER(i), 0) >>> 0);
  is(a.KnNoticeSetObjectEvent(copyOf(a, h, ALL & ~SET), U0), rcNoCapability, 'needs OCAP_HANDLE_SET_EVENT');
  is(a.KnNoticeSetObjectEvent(n, U0), rcInvalidOperation, 'a notice is no user object');
});

test('an event signalled through another process\'s handle reaches the maker\'s entries: the entry is on the resource', async () => {
  const kernel = await newKernel();
  const { procs: [a, b], link } = await trio(kernel, ['A', 'B']);
  const h = userObject(a!, ALL);
  const n = notice(a!);
  is(a!.KnNoticeSubscribeToObject(n, h, U1, 1), rcOk);
  const inB = await give(link, a!, b!, h);
  is(b!.KnNoticeSetObjectEvent(inB, U1), rcOk);
  assert.equal(drain(a!, n), [{ eventId: 1, eventMask: U1 }]);
});

test('unsubscribing by entry id or by resource removes exactly those entries; none to remove is rcResourceNotFound', async () => {
  const kernel = await newKernel();
  const a = kernel.createProcess('A');
  const h1 = userObject(a, ALL), h2 = userObject(a, ALL);
  const n = notice(a);
  is(a.KnNoticeSubscribeToObject(n, h1, U0, 1), rcOk);
  is(a.KnNoticeSubscribeToObject(n, h2, U0, 1), rcOk);
  is(a.KnNoticeSubscribeToObject(n, h2, U1, 2), rcOk);
  assert.is(kernel.stats().subscriptions, 3);
  is(a.KnNoticeUnsubscribeFromObject(n, copyOf(a, h2, S)), rcOk, 'any handle of the resource names it');
  assert.is(kernel.stats().subscriptions, 1);
  is(a.KnNoticeSetObjectEvent(h2, U0 | U1), rcOk);
  assert.equal(drain(a, n), []);
  is(a.KnNoticeUnsubscribeFromObject(n, h2), rcResourceNotFound);
  is(a.KnNoticeUnsubscribeFromEvent(n, 1), rcOk);
  is(a.KnNoticeUnsubscribeFromEvent(n, 1), rcResourceNotFound);
  is(a.KnNoticeSetObjectEvent(h1, U0), rcOk);
  assert.equal(drain(a, n), []);
  assert.is(kernel.stats().subscriptions, 0);
  // pending notifications stay after unsubscribing
  is(a.KnNoticeSubscribeToObject(n, h1, U0, 5), rcOk);
  is(a.KnNoticeSetObjectEvent(h1, U0), rcOk);
  is(a.KnNoticeUnsubscribeFromEvent(n, 5), rcOk);
  assert.equal(drain(a, n), [{ eventId: 5, eventMask: U0 }]);
});

// ---- waiting -------------------------------------------------------------------------------

test('a blocking KnNoticeGetEvent with INFINITE_TIMEOUT throws when no worker runs, since nothing could post; pending notifications still come back', async () => {
  const kernel = await newKernel();
  const a = kernel.createProcess('A');
  const n = notice(a), h = userObject(a, ALL);
  const events: EventDesc[] = [], out: { count?: number } = {};
  assert.throws(() => a.KnNoticeGetEvent(n, INFINITE_TIMEOUT, 4, events, out),
    /^KnNoticeGetEvent: no worker runs beside this thread, so nothing could post a notification while it waits without a time limit; use KnNoticeGetEventAsync, or a timeout$/);
  is(a.KnNoticeSubscribeToObject(n, h, U0, 5), rcOk);
  is(a.KnNoticeSetObjectEvent(h, U0), rcOk);
  is(a.KnNoticeGetEvent(n, INFINITE_TIMEOUT, 4, events, out), rcOk);
  assert.equal([out.count, events[0]], [1, { eventId: 5, eventMask: U0 }]);
  is(a.KnNoticeGetEvent(n, 0, 4, events, out), rcTimeout, 'the throw left no waiter behind');
});

test('KnNoticeGetEvent: msec 0 never waits, a timeout gives rcTimeout with count 0, INFINITE_TIMEOUT waits for the event', async () => {
  const kernel = await newKernel();
  const a = kernel.createProcess('A');
  const h = userObject(a, ALL);
  const n = notice(a);
  is(a.KnNoticeSubscribeToObject(n, h, U0, 1), rcOk);
  const events: EventDesc[] = [];
  const out: { count?: number } = { count: 99 };
  is(a.KnNoticeGetEvent(n, 0, 4, events, out), rcTimeout);
  assert.is(out.count, 0);
  is(a.KnNoticeGetEvent(n, 20, 4, events, out), rcTimeout, 'the blocking form on the main thread');
  assert.is(out.count, 0);
  is(await a.KnNoticeGetEventAsync(n, 20, 4, events, out), rcTimeout);
  assert.is(out.count, 0);
  const zero = a.KnNoticeGetEventAsync(n, 0, 4, events, out);
  is(a.KnNoticeSetObjectEvent(h, U0), rcOk);
  is(await zero, rcTimeout, 'msec 0 answered before the event was posted');
  assert.equal(drain(a, n), [{ eventId: 1, eventMask: U0 }], 'the event waits for the next call');
  const waiting = a.KnNoticeGetEventAsync(n, INFINITE_TIMEOUT, 4, events, out);
  await sleep(20);
  is(a.KnNoticeSetObjectEvent(h, U0), rcOk);
  is(await waiting, rcOk);
  assert.equal(events.slice(0, out.count), [{ eventId: 1, eventMask: U0 }]);
  assert.is(kernel.stats().events, 0);
});

test('KnNoticeGetEvent takes at most countMax notifications, oldest first', async () => {
  const kernel = await newKernel();
  const a = kernel.createProcess('A');
  const h = userObject(a, ALL);
  const n = notice(a);
  for (let i = 0; i < 6; i++) is(a.KnNoticeSubscribeToObject(n, h, U0, 100 + i), rcOk);
  is(a.KnNoticeSetObjectEvent(h, U0), rcOk);
  const events: EventDesc[] = [];
  const out: { count?: number } = {};
  is(a.KnNoticeGetEvent(n, 0, 4, events, out), rcOk);
  assert.is(out.count, 4);
  const ids = events.slice(0, 4).map((e) => e.eventId).sort();
  is(a.KnNoticeGetEvent(n, 0, 4, events, out), rcOk);
  assert.is(out.count, 2);
  assert.equal([...ids, ...events.slice(0, 2).map((e) => e.eventId)].sort(), [100, 101, 102, 103, 104, 105]);
});

test('a KnNoticeGetEvent blocked in a worker thread is woken by an event and by KnNoticeDropAndWake (rcAbort), and times out', async () => {
  const kernel = await newKernel();
  const p = kernel.createProcess('P');
  const h = userObject(p, ALL);
  const n = notice(p);
  is(p.KnNoticeSubscribeToObject(n, h, U1, 42), rcOk);
  let t = await kernel.spawnThread(p, fixture('notice_waiter'), [String(n), 'inf', '42', String(U1)]);
  await sleep(30);
  is(p.KnNoticeSetObjectEvent(h, U1), rcOk);
  assert.equal(await t.exited, { code: 0 }, 'woken with the one notification');
  t = await kernel.spawnThread(p, fixture('notice_waiter'), [String(n), 'inf', '0', '0']);
  const asyncWaiter = p.KnNoticeGetEventAsync(n, INFINITE_TIMEOUT, 4, [], {});
  await sleep(30);
  is(p.KnNoticeDropAndWake(n, false), rcOk);
  assert.equal(await t.exited, { code: 1 }, 'rcAbort with count 0');
  is(await asyncWaiter, rcAbort);
  t = await kernel.spawnThread(p, fixture('notice_waiter'), [String(n), '30', '0', '0']);
  assert.equal(await t.exited, { code: 2 }, 'rcTimeout with count 0');
  // the drop removed the entry: new events do not reach n, until it subscribes again (not forbidden)
  is(p.KnNoticeSetObjectEvent(h, U1), rcOk);
  assert.equal(drain(p, n), []);
  is(p.KnNoticeSubscribeToObject(n, h, U1, 43), rcOk);
  is(p.KnNoticeSetObjectEvent(h, U1), rcOk);
  assert.equal(drain(p, n), [{ eventId: 43, eventMask: U1 }]);
});

test('KnNoticeDropAndWake drops pending notifications and entries; with forbid, new entries are refused (rcInvalidOperation)', async () => {
  const kernel = await newKernel();
  const a = kernel.createProcess('A');
  const h = userObject(a, ALL);
  const n = notice(a);
  is(a.KnNoticeSubscribeToObject(n, h, U0, 1), rcOk);
  is(a.KnNoticeSetObjectEvent(h, U0), rcOk);
  assert.equal([kernel.stats().events, kernel.stats().subscriptions], [1, 1]);
  is(a.KnNoticeDropAndWake(n, true), rcOk);
  assert.equal([kernel.stats().events, kernel.stats().subscriptions], [0, 0]);
  is(a.KnNoticeSubscribeToObject(n, h, U0, 2), rcInvalidOperation);
  const b: { handle?: Handle } = {};
  is(a.KnHandleCreateBadge(n, 1, null, b), rcInvalidOperation, 'no badge can report to it either');
  assert.is(b.handle, INVALID_HANDLE);
  const out: { count?: number } = {};
  is(a.KnNoticeGetEvent(n, 0, 4, [], out), rcTimeout, 'it can still be asked');
  is(a.KnNoticeDropAndWake(n, false), rcOk, 'dropping again is allowed');
  is(a.KnNoticeSubscribeToObject(n, h, U0, 2), rcInvalidOperation, 'forbid stays');
  const other = notice(a);
  is(a.KnNoticeSubscribeToObject(other, h, U0, 2), rcOk, 'other receivers are not affected');
});

test('Async waiters are woken with rcAbort by KnNoticeDropAndWake, and with rcNotConnected when the receiver is closed', async () => {
  const kernel = await newKernel();
  const a = kernel.createProcess('A');
  const n = notice(a);
  const w = [a.KnNoticeGetEventAsync(n, INFINITE_TIMEOUT, 4, [], {}), a.KnNoticeGetEventAsync(n, 10000, 1, [], {})];
  is(a.KnNoticeDropAndWake(n, false), rcOk);
  assert.equal(await Promise.all(w), [rcAbort, rcAbort]);
  const closing = a.KnNoticeGetEventAsync(n, INFINITE_TIMEOUT, 4, [], {});
  is(a.KnHandleClose(n), rcOk);
  is(await closing, rcNotConnected);
  assert.is(kernel.stats().notices, 0);
});

test('a KnNoticeGetEventAsync pending when kernel.terminate ends its in-realm process settles with rcNotConnected, like CallAsync', async () => {
  const kernel = await newKernel();
  const a = kernel.createProcess('A');
  const n = notice(a);
  const pending = a.KnNoticeGetEventAsync(n, INFINITE_TIMEOUT, 4, [], {});
  await kernel.terminate(a);
  is(await pending, rcNotConnected);
  assert.throws(() => a.KnNoticeGetEvent(n, 0, 1, [], {}), /KnNoticeGetEvent: process "A" has ended/);
});

test('a notice receiver and a badge cannot be transferred (no OCAP_HANDLE_TRANSFER): rcSecurityDisallow', async () => {
  const kernel = await newKernel();
  const { procs: [a, b], link } = await trio(kernel, ['A', 'B']);
  const n = notice(a!);
  const bdg = badge(a!, n, 1);
  for (const h of [n, bdg]) {
    is((await sendInRequest(a!, link(a!, b!).ch, b!, link(a!, b!).sh, [nk_handle_desc(h)])).rc, rcSecurityDisallow);
    const out: { outHandle?: Handle } = {};
    is(a!.KnHandleCopy(h, OCAP_RIGHTS_SAME, INVALID_HANDLE, out), rcNoCapability, 'nor copied');
  }
});

test.run();
