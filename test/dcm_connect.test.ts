// DCM, making a channel (seed 003, server steps 3-4, client steps 4-5): listen, accept with a
// callable handle (and a badge), reject, and what closing does. In-realm, Async forms.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  rcOk, rcTimeout, rcNotConnected, rcResourceNotFound, rcInvalidOperation, rcInvalidArgument, rcHandleRevoked,
  rcSecurityDisallow, INVALID_HANDLE, INFINITE_TIMEOUT, EVENT_BADGE_CLOSED, type Process,
} from 'kos-ipc';
import { shutdownAll, is, sleep } from './helpers.js';
import { dcmSystem, taskHandle, publish, subscribe, drain, callable, connectThrough, callThrough } from './dcm_helpers.js';

test.after.each(shutdownAll);

const sid = (p: Process, h: number): number => {
  const o: { sid?: number } = {};
  is(p.KnHandleGetSidByHandle(h, o), rcOk);
  return o.sid!;
};

/** The server handle the client reads from a fresh subscription, for endpoint `name`. */
async function serverHandleOf(client: Process, name: string): Promise<number> {
  const notes = await drain(client, await subscribe(client));
  return notes.find((n) => n.endpoint === name)!.server;
}

test('DcmListen receives only the requests for its publication, with the client\'s identifying handle (a descendant) and name', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const pubA = await publish(s, 'a'), pubB = await publish(s, 'b');
  const sh = await serverHandleOf(c, 'b');
  const conn: { outConnectionId?: number } = {};
  is(await c.DcmCreateConnectionAsync('Echo', 'b', sh, taskHandle(c), conn), rcOk);
  is(await s.DcmListenAsync(pubA, 0, {}), rcTimeout, 'publication a has no request');
  const got = { outClientHandle: INVALID_HANDLE, outClientName: '', outConnectionId: INVALID_HANDLE };
  is(await s.DcmListenAsync(pubB, 0, got), rcOk);
  assert.is(got.outClientName, 'Client');
  assert.is(sid(s, got.outClientHandle), sid(c, taskHandle(c)));
  assert.ok(got.outConnectionId !== INVALID_HANDLE);
  is(await s.DcmListenAsync(pubB, 0, {}), rcTimeout, 'the request was taken');
});

test('a DcmListen waiting for a request is served when a client creates one', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const pub = await publish(p.Server!, 'e');
  const got = { outClientName: '' };
  const waiting = p.Server!.DcmListenAsync(pub, INFINITE_TIMEOUT, got);
  await sleep(5);
  is(await p.Client!.DcmCreateConnectionAsync('Echo', 'e', await serverHandleOf(p.Client!, 'e'), taskHandle(p.Client!), {}), rcOk);
  is(await waiting, rcOk);
  assert.is(got.outClientName, 'Client');
  is(await p.Server!.DcmListenAsync(pub, 20, {}), rcTimeout);
});

test('accept passes a callable handle: the client calls with INVALID_RIID and the server reads its context through base_.self', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const pub = await publish(s, 'Server.echo');
  const { listener, callable: cal } = callable(s, { session: 'A' }, 6);
  const session = await connectThrough(c, s, pub, await serverHandleOf(c, 'Server.echo'), 'Server.echo', cal);
  const r = await callThrough(c, s, session, listener, 41);
  is(r.rc, rcOk);
  assert.equal(r.context, { session: 'A' });
  assert.is(r.iid, 6, 'the request reaches the callable\'s endpoint');
});

test('one callable handle accepts many clients; the server may close it after accepting', async () => {
  const { p } = await dcmSystem('Server', 'C1', 'C2', 'C3');
  const s = p.Server!;
  const pub = await publish(s, 'e');
  const { listener, callable: cal } = callable(s, 'shared');
  const sessions: [Process, number][] = [];
  for (const name of ['C1', 'C2', 'C3']) {
    const c = p[name]!;
    sessions.push([c, await connectThrough(c, s, pub, await serverHandleOf(c, 'e'), 'e', cal)]);
  }
  is(s.KnHandleClose(cal), rcOk);
  for (const [c, h] of sessions) {
    const r = await callThrough(c, s, h, listener, 1);
    is(r.rc, rcOk);
    assert.is(r.context, 'shared');
  }
});

test('a badge given to DcmAccept: the server gets its context per client, revokes one client\'s subtree, and is told when another closes its handle', async () => {
  const { p } = await dcmSystem('Server', 'C1', 'C2');
  const s = p.Server!;
  const pub = await publish(s, 'e');
  const { listener, callable: cal } = callable(s, 'callable');
  const n: { notice?: number } = {};
  is(s.KnNoticeCreate(n), rcOk);
  const b1: { handle?: number } = {}, b2: { handle?: number } = {};
  is(s.KnHandleCreateBadge(n.notice!, 1, 'client-1', b1), rcOk);
  is(s.KnHandleCreateBadge(n.notice!, 2, 'client-2', b2), rcOk);
  const h1 = await connectThrough(p.C1!, s, pub, await serverHandleOf(p.C1!, 'e'), 'e', cal, b1.handle!);
  const h2 = await connectThrough(p.C2!, s, pub, await serverHandleOf(p.C2!, 'e'), 'e', cal, b2.handle!);
  assert.is((await callThrough(p.C1!, s, h1, listener, 1)).context, 'client-1');
  assert.is((await callThrough(p.C2!, s, h2, listener, 1)).context, 'client-2');
  is(s.KnHandleRevokeSubtree(cal, b1.handle!), rcOk);
  is((await callThrough(p.C1!, s, h1, listener, 2)).rc, rcHandleRevoked, 'client 1 is cut off');
  is((await callThrough(p.C2!, s, h2, listener, 2)).rc, rcOk, 'client 2 goes on');
  const events: { eventId: number; eventMask: number }[] = [];
  const count: { count?: number } = {};
  is(await s.KnNoticeGetEventAsync(n.notice!, 0, 8, events, count), rcOk);
  assert.equal(events.slice(0, count.count).map((e) => e.eventId), [1], 'revoking closed badge 1\'s zone');
  assert.ok((events[0]!.eventMask & EVENT_BADGE_CLOSED) !== 0);
  is(p.C2!.KnHandleClose(h2), rcOk);
  is(await s.KnNoticeGetEventAsync(n.notice!, 1000, 8, events, count), rcOk);
  assert.equal(events.slice(0, count.count).map((e) => [e.eventId, (e.eventMask & EVENT_BADGE_CLOSED) !== 0]), [[2, true]]);
});

test('reject: closing the request handle makes DcmConnect return rcNotConnected, also for a DcmConnect already waiting', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const pub = await publish(s, 'e');
  const conn: { outConnectionId?: number } = {};
  is(await c.DcmCreateConnectionAsync('Echo', 'e', await serverHandleOf(c, 'e'), taskHandle(c), conn), rcOk);
  const out: { outSessionHandle?: number } = {};
  const waiting = c.DcmConnectAsync(conn.outConnectionId!, INFINITE_TIMEOUT, out);
  const req: { outConnectionId?: number } = {};
  is(await s.DcmListenAsync(pub, 0, req), rcOk);
  is(await s.DcmCloseHandleAsync(req.outConnectionId!), rcOk);
  assert.is(await waiting, rcNotConnected, 'the very value of rcNotConnected (a signed Retcode)');
  assert.is(out.outSessionHandle, INVALID_HANDLE);
  is(await c.DcmConnectAsync(conn.outConnectionId!, 0, out), rcNotConnected, 'and every later DcmConnect');
});

test('DcmConnect waits for the decision: rcTimeout at msec 0 and after its msec, rcOk once accepted; a second DcmConnect gives rcInvalidOperation', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const pub = await publish(s, 'e');
  const conn: { outConnectionId?: number } = {};
  is(await c.DcmCreateConnectionAsync('Echo', 'e', await serverHandleOf(c, 'e'), taskHandle(c), conn), rcOk);
  is(await c.DcmConnectAsync(conn.outConnectionId!, 0, {}), rcTimeout);
  is(await c.DcmConnectAsync(conn.outConnectionId!, 20, {}), rcTimeout);
  const req: { outConnectionId?: number } = {};
  is(await s.DcmListenAsync(pub, 0, req), rcOk);
  is(await s.DcmAcceptAsync(req.outConnectionId!, callable(s).callable, INVALID_HANDLE), rcOk);
  const out: { outSessionHandle?: number } = {};
  is(await c.DcmConnectAsync(conn.outConnectionId!, 0, out), rcOk);
  assert.ok(out.outSessionHandle !== INVALID_HANDLE);
  is(await c.DcmConnectAsync(conn.outConnectionId!, 0, {}), rcInvalidOperation);
});

test('DcmAccept a second time gives rcInvalidOperation; after the client withdrew its request, rcNotConnected', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const pub = await publish(s, 'e');
  const sh = await serverHandleOf(c, 'e');
  const { callable: cal } = callable(s);
  const first: { outConnectionId?: number } = {};
  is(await c.DcmCreateConnectionAsync('Echo', 'e', sh, taskHandle(c), first), rcOk);
  const req: { outConnectionId?: number } = {};
  is(await s.DcmListenAsync(pub, 0, req), rcOk);
  is(await s.DcmAcceptAsync(req.outConnectionId!, cal, INVALID_HANDLE), rcOk);
  is(await s.DcmAcceptAsync(req.outConnectionId!, cal, INVALID_HANDLE), rcInvalidOperation);
  const second: { outConnectionId?: number } = {};
  is(await c.DcmCreateConnectionAsync('Echo', 'e', sh, taskHandle(c), second), rcOk);
  const req2: { outConnectionId?: number } = {};
  is(await s.DcmListenAsync(pub, 0, req2), rcOk);
  is(await c.DcmCloseHandleAsync(second.outConnectionId!), rcOk);
  is(await s.DcmAcceptAsync(req2.outConnectionId!, cal, INVALID_HANDLE), rcNotConnected);
  is(await s.DcmAcceptAsync(first.outConnectionId!, cal, INVALID_HANDLE), rcInvalidArgument, 'a connection handle of another process is not a request');
});

test('DcmCreateConnection needs a live publication of that interface (and name) by that server: rcResourceNotFound otherwise', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const pub = await publish(s, 'e');
  const sh = await serverHandleOf(c, 'e');
  is(await c.DcmCreateConnectionAsync('Other', 'e', sh, taskHandle(c), {}), rcResourceNotFound);
  is(await c.DcmCreateConnectionAsync('Echo', 'f', sh, taskHandle(c), {}), rcResourceNotFound);
  is(await c.DcmCreateConnectionAsync('Echo', null, sh, taskHandle(c), {}), rcOk, 'any endpoint of the interface');
  is(await s.DcmCloseHandleAsync(pub), rcOk);
  is(await c.DcmCreateConnectionAsync('Echo', 'e', sh, taskHandle(c), {}), rcResourceNotFound);
});

test('requests waiting for a publication are refused when it is unpublished, and when its server ends', async () => {
  const { kernel, p } = await dcmSystem('S1', 'S2', 'Client');
  const c = p.Client!;
  const pub1 = await publish(p.S1!, 'e');
  await publish(p.S2!, 'e');
  const all = await drain(c, await subscribe(c));
  const h1 = all.find((n) => n.serverName === 'S1')!.server, h2 = all.find((n) => n.serverName === 'S2')!.server;
  const a: { outConnectionId?: number } = {}, b: { outConnectionId?: number } = {};
  is(await c.DcmCreateConnectionAsync('Echo', 'e', h1, taskHandle(c), a), rcOk);
  is(await c.DcmCreateConnectionAsync('Echo', 'e', h2, taskHandle(c), b), rcOk);
  const wa = c.DcmConnectAsync(a.outConnectionId!, INFINITE_TIMEOUT, {});
  const wb = c.DcmConnectAsync(b.outConnectionId!, INFINITE_TIMEOUT, {});
  is(await p.S1!.DcmCloseHandleAsync(pub1), rcOk);
  is(await wa, rcNotConnected);
  await kernel.terminate(p.S2!);
  is(await wb, rcNotConnected);
});

test('the dynamic channel is gone when the callable handles and the server IPC handle are closed', async () => {
  const { kernel, p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const pub = await publish(s, 'e');
  const sh = await serverHandleOf(c, 'e');
  const before = kernel.stats();
  const { listener, callable: cal } = callable(s);
  const session = await connectThrough(c, s, pub, sh, 'e', cal);
  is((await callThrough(c, s, session, listener, 3)).rc, rcOk);
  assert.is(kernel.stats().callables, before.callables + 1);
  is(s.KnHandleClose(cal), rcOk);
  is(c.KnHandleClose(session), rcOk);
  assert.is(kernel.stats().callables, before.callables, 'the callable ended with its last handle');
  is(s.KnHandleClose(listener), rcOk);
  const after = kernel.stats();
  assert.equal({ ...after, threads: 0 }, { ...before, threads: 0 });
});

test('a closed server IPC handle disconnects the callable: calls through it return rcNotConnected', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const pub = await publish(s, 'e');
  const { listener, callable: cal } = callable(s);
  const session = await connectThrough(c, s, pub, await serverHandleOf(c, 'e'), 'e', cal);
  is(s.KnHandleClose(listener), rcOk);
  is((await callThrough(c, s, session, listener, 1)).rc, rcNotConnected);
});

test('the security policy applies through a dynamic channel: a denied method through the callable gives rcSecurityDisallow', async () => {
  const { kernel, p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const pub = await publish(s, 'e');
  const { listener, callable: cal } = callable(s, null, 6);
  const session = await connectThrough(c, s, pub, await serverHandleOf(c, 'e'), 'e', cal);
  kernel.setPolicy({ default: 'grant', rules: [{ src: 'Client', dst: 'Server', iid: 6, mid: 2, decision: 'deny' }] });
  is((await callThrough(c, s, session, listener, 1, 1)).rc, rcOk, 'method 1 is granted');
  is((await callThrough(c, s, session, listener, 1, 2)).rc, rcSecurityDisallow, 'method 2 of RIID 6 is denied');
});

test('a blocking Dcm call from a process of the kernel\'s realm throws and names the Async form', async () => {
  const { p } = await dcmSystem('Client');
  assert.throws(() => p.Client!.DcmSetSubscription('Echo', null, null, INVALID_HANDLE, {}),
    /DcmSetSubscription: the server behind handle \d+ runs on this same thread.*use DcmSetSubscriptionAsync/);
});

test.run();
