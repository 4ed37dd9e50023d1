// DCM, publications and subscriptions (seed 003, server step 2, client steps 2-3): in-realm
// processes with the Async forms.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  rcOk, rcTimeout, rcAlreadyExists, rcInvalidArgument, rcNoCapability, rcSecurityDisallow, rcNotConnected,
  INVALID_HANDLE, HANDLE_TYPE_USER_FIRST, OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID, DCM_PUBLISHED,
  DCM_UNPUBLISHED, type Process,
} from 'kos-ipc';
import { shutdownAll, is, sleep } from './helpers.js';
import { dcmSystem, taskHandle, publish, subscribe, drain } from './dcm_helpers.js';

test.after.each(shutdownAll);

const sid = (p: Process, h: number): number => {
  const o: { sid?: number } = {};
  is(p.KnHandleGetSidByHandle(h, o), rcOk);
  return o.sid!;
};

/** A user object that identifies a server (OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_SID, as the seed asks). */
function identity(p: Process, rights = OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_SID): number {
  const o: { handle?: number } = {};
  is(p.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, rights, null, o), rcOk);
  return o.handle!;
}

test('a subscription starts with the endpoints already published, each with its server handle, server name and endpoint name', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  await publish(p.Server!, 'Server.echo');
  await publish(p.Server!, 'Server.echo2');
  const sub = await subscribe(p.Client!);
  const notes = await drain(p.Client!, sub);
  assert.equal(notes.map((n) => [n.status, n.serverName, n.endpoint]),
    [[DCM_PUBLISHED, 'Server', 'Server.echo'], [DCM_PUBLISHED, 'Server', 'Server.echo2']]);
  for (const n of notes) assert.is(sid(p.Client!, n.server), sid(p.Server!, taskHandle(p.Server!)), 'a descendant of the task handle');
});

test('several endpoints published with the same and with different server handles; the server handle may be closed afterwards', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const a = identity(p.Server!), b = identity(p.Server!);
  await publish(p.Server!, 'one', 'Echo', a);
  await publish(p.Server!, 'two', 'Echo', a);
  await publish(p.Server!, 'three', 'Echo', b);
  const sa = sid(p.Server!, a), sb = sid(p.Server!, b);
  is(p.Server!.KnHandleClose(a), rcOk);
  is(p.Server!.KnHandleClose(b), rcOk);
  const notes = await drain(p.Client!, await subscribe(p.Client!));
  assert.equal(notes.map((n) => [n.endpoint, sid(p.Client!, n.server)]), [['one', sa], ['two', sa], ['three', sb]]);
});

test('a subscription sees publications made after it, then their unpublishing when the publication handle is closed', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const sub = await subscribe(p.Client!);
  assert.equal(await drain(p.Client!, sub), []);
  const pub = await publish(p.Server!, 'Server.echo');
  is(await p.Server!.DcmCloseHandleAsync(pub), rcOk);
  const notes = await drain(p.Client!, sub);
  assert.equal(notes.map((n) => [n.status, n.endpoint, n.serverName]),
    [[DCM_PUBLISHED, 'Server.echo', 'Server'], [DCM_UNPUBLISHED, 'Server.echo', 'Server']]);
  assert.is(sid(p.Client!, notes[1]!.server), sid(p.Server!, taskHandle(p.Server!)), 'the unpublished notice names the server too');
});

test('a server that ends unpublishes every endpoint it published', async () => {
  const { kernel, p } = await dcmSystem('Server', 'Client');
  await publish(p.Server!, 'a');
  await publish(p.Server!, 'b');
  const sub = await subscribe(p.Client!);
  assert.is((await drain(p.Client!, sub)).length, 2);
  await kernel.terminate(p.Server!);
  const o = { outEndpointName: '', outPubStatus: 0 };
  is(await p.Client!.DcmReadPubQueueAsync(sub, 1000, o), rcOk);
  assert.equal([o.outPubStatus, o.outEndpointName], [DCM_UNPUBLISHED, 'a']);
  const rest = await drain(p.Client!, sub);
  assert.equal(rest.map((n) => [n.status, n.endpoint]), [[DCM_UNPUBLISHED, 'b']]);
  const fresh = await drain(p.Client!, await subscribe(p.Client!));
  assert.equal(fresh, [], 'a new subscription finds nothing published');
});

test('a subscription filters by interface, endpoint name, server name and server handle, each alone and together', async () => {
  const { p } = await dcmSystem('S1', 'S2', 'Client');
  const s1 = p.S1!, s2 = p.S2!, c = p.Client!;
  await publish(s1, 'x', 'Echo');
  await publish(s1, 'y', 'Echo');
  await publish(s1, 'x', 'Other');
  await publish(s2, 'x', 'Echo');
  // a handle of S2's task the client holds: from an unfiltered subscription
  const all = await drain(c, await subscribe(c));
  const s2Handle = all.find((n) => n.serverName === 'S2')!.server;
  const seen = async (name: string | null, server: string | null, handle = INVALID_HANDLE): Promise<string[]> =>
    (await drain(c, await subscribe(c, 'Echo', name, server, handle))).map((n) => `${n.serverName}.${n.endpoint}`);
  assert.equal(all.map((n) => `${n.serverName}.${n.endpoint}`), ['S1.x', 'S1.y', 'S2.x'], 'interface');
  assert.equal(await seen('x', null), ['S1.x', 'S2.x'], 'endpoint name');
  assert.equal(await seen(null, 'S1'), ['S1.x', 'S1.y'], 'server name');
  assert.equal(await seen(null, null, s2Handle), ['S2.x'], 'server handle');
  assert.equal(await seen('x', 'S1'), ['S1.x'], 'endpoint and server name');
  assert.equal(await seen('x', 'S2', s2Handle), ['S2.x'], 'all three');
  assert.equal(await seen('y', null, s2Handle), [], 'all three, nothing matches');
  assert.equal(await seen('x', 'S1', s2Handle), [], 'a server name and a handle of another server');
});

test('DcmReadPubQueue waits for a publication, returns rcTimeout when none comes, and at once with msec 0', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const sub = await subscribe(p.Client!);
  is(await p.Client!.DcmReadPubQueueAsync(sub, 0, {}), rcTimeout);
  is(await p.Client!.DcmReadPubQueueAsync(sub, 20, {}), rcTimeout);
  const o = { outEndpointName: '', outPubStatus: 0 };
  const waiting = p.Client!.DcmReadPubQueueAsync(sub, 5000, o);
  await sleep(5);
  await publish(p.Server!, 'late');
  is(await waiting, rcOk);
  assert.equal(o, { outEndpointName: 'late', outPubStatus: DCM_PUBLISHED });
});

test('the optional outputs of DcmReadPubQueue are written only when the out object has them', async () => {
  const { kernel, p } = await dcmSystem('Server', 'Client');
  await publish(p.Server!, 'e');
  const sub = await subscribe(p.Client!);
  const before = kernel.stats().handles;
  const o: Record<string, unknown> = {};
  is(await p.Client!.DcmReadPubQueueAsync(sub, 0, o), rcOk);
  assert.equal(o, { outPubStatus: DCM_PUBLISHED });
  assert.is(kernel.stats().handles, before, 'no server handle was made for the client');
});

test('publishing the same endpoint twice for one server gives rcAlreadyExists; another server may publish that name', async () => {
  const { p } = await dcmSystem('S1', 'S2');
  await publish(p.S1!, 'e');
  is(await p.S1!.DcmPublishEndpointAsync('e', 'Echo', taskHandle(p.S1!), {}), rcAlreadyExists);
  await publish(p.S2!, 'e');
});

test('a server handle needs OCAP_HANDLE_GET_SID (rcNoCapability) and OCAP_HANDLE_TRANSFER (rcSecurityDisallow)', async () => {
  const { p } = await dcmSystem('Server');
  const out: { outPubHandle?: number } = {};
  is(await p.Server!.DcmPublishEndpointAsync('e', 'Echo', identity(p.Server!, OCAP_HANDLE_TRANSFER), out), rcNoCapability);
  assert.is(out.outPubHandle, INVALID_HANDLE);
  is(await p.Server!.DcmPublishEndpointAsync('e', 'Echo', identity(p.Server!, OCAP_HANDLE_GET_SID), out), rcSecurityDisallow);
  is(await p.Server!.DcmPublishEndpointAsync('e', 'Echo', 0x1234, out), rcInvalidArgument, 'not a handle');
});

test('names must be 1 to 255 bytes without a zero character: rcInvalidArgument otherwise', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const t = taskHandle(p.Server!);
  is(await p.Server!.DcmPublishEndpointAsync('', 'Echo', t, {}), rcInvalidArgument);
  is(await p.Server!.DcmPublishEndpointAsync('e', 'x'.repeat(256), t, {}), rcInvalidArgument);
  is(await p.Server!.DcmPublishEndpointAsync('a\0b', 'Echo', t, {}), rcInvalidArgument);
  await publish(p.Server!, 'x'.repeat(255), 'y'.repeat(255));
  is(await p.Client!.DcmSetSubscriptionAsync('Echo', '', null, INVALID_HANDLE, {}), rcInvalidArgument);
  const notes = await drain(p.Client!, await subscribe(p.Client!, 'y'.repeat(255)));
  assert.is(notes[0]!.endpoint, 'x'.repeat(255));
});

test('a DCM handle argument that names no DCM object gives rcInvalidArgument', async () => {
  const { p } = await dcmSystem('Client');
  const mine = identity(p.Client!);
  is(await p.Client!.DcmReadPubQueueAsync(mine, 0, {}), rcInvalidArgument);
  is(await p.Client!.DcmCloseHandleAsync(mine), rcInvalidArgument);
  is(p.Client!.KnHandleClose(mine), rcOk, 'DcmCloseHandle left the handle open');
  const sub = await subscribe(p.Client!);
  is(await p.Client!.DcmListenAsync(sub, 0, {}), rcInvalidArgument, 'a subscription is not a publication');
});

test('arguments of the wrong type throw TypeErrors naming the call and the argument', async () => {
  const { p } = await dcmSystem('Server');
  const s = p.Server!;
  await assertRejects(() => s.DcmPublishEndpointAsync(5 as unknown as string, 'Echo', 1, {}), /DcmPublishEndpointAsync: endpointName must be a string, got number 5/);
  await assertRejects(() => s.DcmSetSubscriptionAsync('Echo', 3 as unknown as string, null, INVALID_HANDLE, {}), /DcmSetSubscriptionAsync: endpointName must be a string or null/);
  await assertRejects(() => s.DcmReadPubQueueAsync(1, -1, {}), /DcmReadPubQueueAsync: msec must be milliseconds/);
  await assertRejects(() => s.DcmListenAsync(1, 0, null as unknown as object), /DcmListenAsync: out must be an object/);
  assert.throws(() => s.DcmAccept(1.5, 1, INVALID_HANDLE), /DcmAccept: connectionId must be a handle/);
});

async function assertRejects(f: () => Promise<unknown>, re: RegExp): Promise<void> {
  try { await f(); } catch (e) { assert.match((e as Error).message, re); return; }
  assert.unreachable(`expected a rejection matching ${re}`);
}

test('a process that never called DcmInit gets rcNotConnected from DCM', async () => {
  const { kernel } = await dcmSystem();
  const q = kernel.createProcess('Late');
  kernel.connect(q, 'kl.core.DCM', 'kl.core.DCM');
  is(await q.DcmSetSubscriptionAsync('Echo', null, null, INVALID_HANDLE, {}), rcNotConnected);
  is(await q.DcmInitAsync(), rcOk);
  is(await q.DcmInitAsync(), rcOk, 'DcmInit again changes nothing');
  await subscribe(q);
});

test.run();
