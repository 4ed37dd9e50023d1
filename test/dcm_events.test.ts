// DCM: notifications through a notice receiver, DcmInterruptBlockingCall, DcmInit/DcmFini and
// what a process's end releases (seed 003, "Interrupting blocking function calls", "Using
// notifications", "Deleting a DCM connection"). In-realm processes: a concurrent Async call is
// another thread of the process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  rcOk, retcodeName, rcIpcInterrupt, rcResourceNotFound, rcNotConnected, rcInvalidArgument, rcTimeout,
  INVALID_HANDLE, INFINITE_TIMEOUT, EVENT_OBJECT_DESTROYED, DCM_PUBLICATION_CHANGED, DCM_CLIENT_CONNECTED,
  DCM_BLOCKING_CALL_INTERRUPTED, DCM_CLIENT_RELEASED_BY_SERVER, DCM_EVENT_ID, DCM_CONNECTION, type Process,
  type EventDesc, type Kernel,
} from 'kos-ipc';
import { shutdownAll, is, sleep, newKernel } from './helpers.js';
import { dcmSystem, taskHandle, publish, subscribe, drain, callable } from './dcm_helpers.js';

test.after.each(shutdownAll);

function notice(p: Process): number {
  const n: { notice?: number } = {};
  is(p.KnNoticeCreate(n), rcOk);
  return n.notice!;
}

/** The events `n` holds within `msec`: [eventId, eventMask] pairs. */
async function events(p: Process, n: number, msec = 0): Promise<[number, number][]> {
  const ev: EventDesc[] = [];
  const out: { count?: number } = {};
  const rc = await p.KnNoticeGetEventAsync(n, msec, 16, ev, out);
  // rcTimeout: none came; any other code is a failure, not "no events"
  assert.ok(rc === rcOk || rc === rcTimeout, `KnNoticeGetEventAsync returned ${retcodeName(rc)}`);
  return rc === rcOk ? ev.slice(0, out.count).map((e) => [e.eventId, e.eventMask]) : [];
}

/** Keeps trying DcmInterruptBlockingCallAsync until a call is waiting on `h` to interrupt. */
async function interruptWhenWaiting(p: Process, h: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const rc = await p.DcmInterruptBlockingCallAsync(h);
    if (rc === rcOk) return;
    is(rc, rcResourceNotFound, 'nothing waits yet');
    await sleep(2);
  }
  assert.unreachable('no call came to wait');
}

async function requestOf(c: Process, serverHandle: number, endpoint = 'e'): Promise<number> {
  const conn: { outConnectionId?: number } = {};
  is(await c.DcmCreateConnectionAsync('Echo', endpoint, serverHandle, taskHandle(c), conn), rcOk);
  return conn.outConnectionId!;
}

async function serverHandleOf(c: Process): Promise<number> {
  return (await drain(c, await subscribe(c)))[0]!.server;
}

test('DcmInterruptBlockingCall from another thread ends a waiting DcmListen, DcmReadPubQueue and DcmConnect with rcIpcInterrupt', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const pub = await publish(s, 'e');
  const listening = s.DcmListenAsync(pub, INFINITE_TIMEOUT, {});
  await interruptWhenWaiting(s, pub);
  is(await listening, rcIpcInterrupt, 'DcmListen');
  const sub = await subscribe(c);
  await drain(c, sub);
  const reading = c.DcmReadPubQueueAsync(sub, INFINITE_TIMEOUT, {});
  await interruptWhenWaiting(c, sub);
  is(await reading, rcIpcInterrupt, 'DcmReadPubQueue');
  const conn = await requestOf(c, await serverHandleOf(c));
  const connecting = c.DcmConnectAsync(conn, 60000, {});
  await interruptWhenWaiting(c, conn);
  is(await connecting, rcIpcInterrupt, 'DcmConnect');
  const req: { outConnectionId?: number } = {};
  is(await s.DcmListenAsync(pub, 0, req), rcOk, 'the interrupted wait changed nothing: the request is there');
});

test('DcmInterruptBlockingCall with nothing waiting returns rcResourceNotFound and changes nothing', async () => {
  const { p } = await dcmSystem('Server');
  const pub = await publish(p.Server!, 'e');
  is(await p.Server!.DcmInterruptBlockingCallAsync(pub), rcResourceNotFound);
  is(await p.Server!.DcmListenAsync(pub, 10, {}), rcTimeout, 'a later wait is not interrupted');
});

test('each DCM event reaches a notice receiver with DCM_EVENT_ID', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const sn = notice(s), cn = notice(c);
  const sub = await subscribe(c);
  is(await c.DcmSubscribeToEventsAsync(sub, cn, DCM_PUBLICATION_CHANGED), rcOk);
  const pub = await publish(s, 'e');
  assert.equal(await events(c, cn, 1000), [[DCM_EVENT_ID, DCM_PUBLICATION_CHANGED]], 'DCM_PUBLICATION_CHANGED');
  is(await s.DcmSubscribeToEventsAsync(pub, sn, DCM_CLIENT_CONNECTED | DCM_BLOCKING_CALL_INTERRUPTED), rcOk);
  const conn = await requestOf(c, (await drain(c, sub))[0]!.server);
  assert.equal(await events(s, sn, 1000), [[DCM_EVENT_ID, DCM_CLIENT_CONNECTED]], 'DCM_CLIENT_CONNECTED');
  const req: { outConnectionId?: number } = {};
  is(await s.DcmListenAsync(pub, 0, req), rcOk);
  const listening = s.DcmListenAsync(pub, INFINITE_TIMEOUT, {});
  await interruptWhenWaiting(s, pub);
  is(await listening, rcIpcInterrupt);
  assert.equal(await events(s, sn, 1000), [[DCM_EVENT_ID, DCM_BLOCKING_CALL_INTERRUPTED]], 'DCM_BLOCKING_CALL_INTERRUPTED');
  is(await c.DcmSubscribeToEventsAsync(conn, cn, DCM_CLIENT_RELEASED_BY_SERVER), rcOk);
  is(await s.DcmAcceptAsync(req.outConnectionId!, callable(s).callable, INVALID_HANDLE), rcOk);
  assert.equal(await events(c, cn, 1000), [[DCM_EVENT_ID, DCM_CLIENT_RELEASED_BY_SERVER]], 'DCM_CLIENT_RELEASED_BY_SERVER (accepted)');
});

test('DCM_CLIENT_RELEASED_BY_SERVER also tells of a refusal', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!, cn = notice(c);
  const pub = await publish(s, 'e');
  const conn = await requestOf(c, await serverHandleOf(c));
  is(await c.DcmSubscribeToEventsAsync(conn, cn, DCM_CLIENT_RELEASED_BY_SERVER), rcOk);
  const req: { outConnectionId?: number } = {};
  is(await s.DcmListenAsync(pub, 0, req), rcOk);
  is(await s.DcmCloseHandleAsync(req.outConnectionId!), rcOk);
  assert.equal(await events(c, cn, 1000), [[DCM_EVENT_ID, DCM_CLIENT_RELEASED_BY_SERVER]]);
  is(await c.DcmConnectAsync(conn, 0, {}), rcNotConnected);
});

test('subscribing to events of a handle whose event already holds signals it at once (a queue already filled)', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const c = p.Client!, cn = notice(c);
  await publish(p.Server!, 'e');
  const sub = await subscribe(c);
  is(await c.DcmSubscribeToEventsAsync(sub, cn, DCM_PUBLICATION_CHANGED | DCM_CLIENT_RELEASED_BY_SERVER), rcOk);
  assert.equal(await events(c, cn), [[DCM_EVENT_ID, DCM_PUBLICATION_CHANGED]]);
});

test('DcmUnsubscribeFromEvents stops the events; a second one finds nothing (rcResourceNotFound)', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const c = p.Client!, cn = notice(c);
  const sub = await subscribe(c);
  is(await c.DcmSubscribeToEventsAsync(sub, cn, DCM_PUBLICATION_CHANGED), rcOk);
  is(c.DcmUnsubscribeFromEvents(sub, cn), rcOk);
  is(c.DcmUnsubscribeFromEvents(sub, cn), rcResourceNotFound);
  await publish(p.Server!, 'e');
  assert.equal(await events(c, cn, 20), []);
});

test('DcmSubscribeToEvents refuses a mask with no DCM flag or another bit, and a handle that is not a DCM handle', async () => {
  const { p } = await dcmSystem('Client');
  const c = p.Client!, cn = notice(c);
  const sub = await subscribe(c);
  is(await c.DcmSubscribeToEventsAsync(sub, cn, 0), rcInvalidArgument);
  is(await c.DcmSubscribeToEventsAsync(sub, cn, DCM_PUBLICATION_CHANGED | 1), rcInvalidArgument);
  const o: { handle?: number } = {};
  is(c.KnHandleCreateUserObject(0x10000, 0x1 | 0x8, null, o), rcOk);
  is(await c.DcmSubscribeToEventsAsync(o.handle!, cn, DCM_PUBLICATION_CHANGED), rcInvalidArgument);
  is(c.KnNoticeUnsubscribeFromObject(cn, o.handle!), rcResourceNotFound, 'the refused subscription was removed');
});

test('closing a DCM handle ends the entries receivers had for it; EVENT_OBJECT_DESTROYED reaches those that asked for it', async () => {
  const { kernel, p } = await dcmSystem('Client');
  const c = p.Client!, cn = notice(c);
  const sub = await subscribe(c), other = await subscribe(c);
  const before = kernel.stats().subscriptions;
  is(await c.DcmSubscribeToEventsAsync(sub, cn, DCM_PUBLICATION_CHANGED), rcOk);
  is(c.KnNoticeSubscribeToObject(cn, other, EVENT_OBJECT_DESTROYED, 9), rcOk);
  assert.is(kernel.stats().subscriptions, before + 2);
  is(await c.DcmCloseHandleAsync(sub), rcOk);
  is(await c.DcmCloseHandleAsync(other), rcOk);
  assert.is(kernel.stats().subscriptions, before);
  assert.equal(await events(c, cn), [[9, EVENT_OBJECT_DESTROYED]]);
});

function settled(kernel: Kernel): Record<string, number> {
  const { threads: _, ...rest } = kernel.stats();
  return rest;
}

test('DcmFini leaves no DCM handle behind: kernel.stats() returns to what it was before DcmInit', async () => {
  const kernel = await newKernel();
  const s = kernel.createProcess('Server'), c = kernel.createProcess('Client');
  kernel.connect(s, DCM_CONNECTION, DCM_CONNECTION);
  kernel.connect(c, DCM_CONNECTION, DCM_CONNECTION);
  const base = settled(kernel);
  is(await s.DcmInitAsync(), rcOk);
  is(await c.DcmInitAsync(), rcOk);
  const pub = await publish(s, 'e');
  const sub = await subscribe(c);
  const o = { outServerHandle: INVALID_HANDLE };
  is(await c.DcmReadPubQueueAsync(sub, 0, o), rcOk);
  const conn = await requestOf(c, o.outServerHandle);
  const waiting = s.DcmListenAsync(pub, 0, {});
  is(await waiting, rcOk);
  is(c.KnHandleClose(o.outServerHandle), rcOk);
  assert.not.equal(settled(kernel), base);
  await c.DcmFiniAsync();
  is(await c.DcmConnectAsync(conn, 0, {}), rcInvalidArgument, 'the connection handle was closed');
  await s.DcmFiniAsync();
  assert.equal(settled(kernel), base);
  is(await c.DcmSetSubscriptionAsync('Echo', null, null, INVALID_HANDLE, {}), rcNotConnected, 'DCM calls need DcmInit again');
  is(await c.DcmInitAsync(), rcOk, 'the channel to DCM is still there');
});

test('DcmFini of a server unpublishes its endpoints and ends its waiting DcmListen with rcNotConnected', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const sub = await subscribe(c);
  const pub = await publish(s, 'e');
  const listening = s.DcmListenAsync(pub, INFINITE_TIMEOUT, {});
  await sleep(5);
  await s.DcmFiniAsync();
  is(await listening, rcNotConnected);
  assert.equal((await drain(c, sub)).map((n) => n.status), [1, 2]);
});

test('a client that ends releases everything it had: stats return to the baseline', async () => {
  const kernel = await newKernel();
  const s = kernel.createProcess('Server');
  kernel.connect(s, DCM_CONNECTION, DCM_CONNECTION);
  const base = settled(kernel);
  const c = kernel.createProcess('Client');
  kernel.connect(c, DCM_CONNECTION, DCM_CONNECTION);
  is(await s.DcmInitAsync(), rcOk);
  is(await c.DcmInitAsync(), rcOk);
  const pub = await publish(s, 'e');
  const conn = await requestOf(c, await serverHandleOf(c));
  void c.DcmConnectAsync(conn, INFINITE_TIMEOUT, {});
  await kernel.terminate(c);
  is(await s.DcmListenAsync(pub, 50, {}), rcTimeout, 'its request was withdrawn');
  await s.DcmFiniAsync();
  await sleep(20);
  const now = settled(kernel);
  // the client's channel to DCM is gone with it; the rest is as before
  assert.equal({ ...now, channels: 0 }, { ...base, channels: 0 });
});

test('DcmInit without a channel to DCM returns rcNotConnected, and so does every call when DCM has ended', async () => {
  const kernel = await newKernel();
  const lone = kernel.createProcess('Lone');
  is(await lone.DcmInitAsync(), rcNotConnected);
  is(await lone.DcmSetSubscriptionAsync('Echo', null, null, INVALID_HANDLE, {}), rcNotConnected);
  await lone.DcmFiniAsync(); // no connection: nothing to do
  const c = kernel.createProcess('Client');
  kernel.connect(c, DCM_CONNECTION, DCM_CONNECTION);
  is(await c.DcmInitAsync(), rcOk);
  await kernel.terminate(kernel.process(DCM_CONNECTION)!);
  is(await c.DcmSetSubscriptionAsync('Echo', null, null, INVALID_HANDLE, {}), rcNotConnected);
});

test('kernel.init: connections to kl.core.DCM need no entity; an entity kl.core.DCM without a module is the built-in DCM', async () => {
  const kernel = await newKernel();
  const ps = await kernel.init({
    entities: [
      { name: 'Server', connections: [{ target: DCM_CONNECTION, id: DCM_CONNECTION }] },
      { name: DCM_CONNECTION },
    ],
  });
  assert.is(ps[DCM_CONNECTION], kernel.process(DCM_CONNECTION));
  is(await ps.Server!.DcmInitAsync(), rcOk);
  const k2 = await newKernel();
  const q = await k2.init({ entities: [{ name: 'Client', connections: [{ target: DCM_CONNECTION, id: DCM_CONNECTION }] }] });
  is(await q.Client!.DcmInitAsync(), rcOk);
});

test('DCM\'s deadlines hold while a process of its realm floods it with calls that complete at once', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const pub = await publish(p.Server!, 'e');
  const sub = await subscribe(p.Client!, 'Nothing');
  let ended: number | undefined;
  const t0 = Date.now();
  void p.Server!.DcmListenAsync(pub, 20, {}).then((rc) => { ended = rc; });
  while (Date.now() - t0 < 1000 && ended === undefined) is(await p.Client!.DcmReadPubQueueAsync(sub, 0, {}), rcTimeout);
  assert.is(ended, rcTimeout, 'the 20 ms DcmListen timed out during the flood');
});

test.run();
