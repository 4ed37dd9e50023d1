// IPC sync objects (ipc_api.h) and the windows in which they interrupt CallEx and RecvEx.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Kernel, rcOk, rcIpcInterrupt, rcInvalidArgument, rcInvalidOperation, rcTimeout, retcodeName,
  INVALID_HANDLE, INFINITE_TIMEOUT,
} from 'kos-ipc';
import { outMsg, inMsg, valueOf, fixture, sleep, is, newKernel, shutdownAll, syncObject } from './helpers.js';
import { pair } from './pair.js';

test.after.each(shutdownAll);
const INF = INFINITE_TIMEOUT;

test('KnIpcCreateSyncObject writes out.syncHandle, a handle that KnIpcSetInterrupt, KnIpcClearInterrupt and KnHandleClose accept', async () => {
  const { kernel, client } = await pair();
  const out: { syncHandle?: number } = {};
  is(client.KnIpcCreateSyncObject(out), rcOk);
  const s = out.syncHandle!;
  assert.ok(s !== INVALID_HANDLE);
  is(client.KnIpcSetInterrupt(s), rcOk);
  is(client.KnIpcClearInterrupt(s), rcOk);
  is(client.KnHandleClose(s), rcOk);
  is(client.KnIpcSetInterrupt(s), rcInvalidArgument, 'a closed sync handle is refused');
  is(client.KnIpcClearInterrupt(0x4242), rcInvalidArgument, 'so is a made-up one');
  await kernel.shutdown();
});

test('a sync handle is refused by another process and by calls that need another kind', async () => {
  const { kernel, server, client, ch } = await pair();
  const s = syncObject(client);
  is(server.KnIpcSetInterrupt(s), rcInvalidArgument, "a sync handle means nothing in another process");
  is(client.KnIpcSetInterrupt(ch), rcInvalidOperation);
  is(await server.RecvExAsync(s, inMsg().hdr, 0, INVALID_HANDLE), rcInvalidArgument);
  await kernel.shutdown();
});

test('setting the interrupt ends a CallEx the server has not received with rcIpcInterrupt', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const s = syncObject(client);
  const call = client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, INF, s);
  is(client.KnIpcSetInterrupt(s), rcOk);
  is(await call, rcIpcInterrupt);
  is(await server.RecvExAsync(sh, inMsg().hdr, 0, INVALID_HANDLE), rcTimeout, 'the server never sees it');
  await kernel.shutdown();
});

test('a CallEx the server already received is not interrupted and gets its reply', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const s = syncObject(client);
  const reply = inMsg();
  const call = client.CallExAsync(ch, outMsg(1).hdr, reply.hdr, INF, s);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  is(client.KnIpcSetInterrupt(s), rcOk);
  await sleep(5);
  is(server.Reply(sh, outMsg(2).hdr), rcOk);
  is(await call, rcOk);
  assert.is(valueOf(reply), 2);
  await kernel.shutdown();
});

test('a received CallEx still times out under a set interrupt', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const s = syncObject(client);
  const call = client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, 20, s);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  is(client.KnIpcSetInterrupt(s), rcOk);
  is(await call, rcTimeout);
  await kernel.shutdown();
});

test('setting the interrupt ends a RecvEx waiting for a request with rcIpcInterrupt', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const s = syncObject(server);
  const recv = server.RecvExAsync(sh, inMsg().hdr, INF, s);
  is(server.KnIpcSetInterrupt(s), rcOk);
  is(await recv, rcIpcInterrupt);
  is(server.KnIpcClearInterrupt(s), rcOk);
  const call = client.CallAsync(ch, outMsg(3).hdr, inMsg().hdr);
  const got = inMsg();
  is(await server.RecvExAsync(sh, got.hdr, INF, s), rcOk, 'after clearing, RecvEx waits and receives');
  assert.is(valueOf(got), 3);
  is(server.Reply(sh, outMsg(4).hdr), rcOk);
  is(await call, rcOk);
  await kernel.shutdown();
});

test('only calls that name the sync object are interrupted', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const a = syncObject(client), b = syncObject(client);
  const viaA = client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, INF, a);
  const viaB = client.CallExAsync(ch, outMsg(2).hdr, inMsg().hdr, INF, b);
  const plain = client.CallAsync(ch, outMsg(3).hdr, inMsg().hdr);
  is(client.KnIpcSetInterrupt(a), rcOk);
  is(await viaA, rcIpcInterrupt);
  const seen: number[] = [];
  for (let k = 0; k < 2; k++) {
    const g = inMsg();
    is(await server.RecvAsync(sh, g.hdr), rcOk);
    seen.push(valueOf(g));
    is(server.Reply(sh, outMsg(0).hdr), rcOk);
  }
  assert.equal(seen, [2, 3]);
  is(await viaB, rcOk);
  is(await plain, rcOk);
  await kernel.shutdown();
});

test('setting the interrupt wakes every waiting call of the process that names it', async () => {
  const kernel = await newKernel();
  const p = kernel.createProcess('P'), other = kernel.createProcess('Other'), server = kernel.createProcess('Server');
  kernel.connect(p, server, 'out');
  kernel.connect(other, p, 'in');
  const s = syncObject(p);
  const calls = [1, 2, 3].map((v) => p.CallExAsync(p.ServiceLocatorConnect('out'), outMsg(v).hdr, inMsg().hdr, INF, s));
  const recv = p.RecvExAsync(p.ServiceLocatorRegister('in'), inMsg().hdr, INF, s);
  is(p.KnIpcSetInterrupt(s), rcOk);
  for (const c of calls) is(await c, rcIpcInterrupt);
  is(await recv, rcIpcInterrupt);
  await kernel.shutdown();
});

test('a CallEx or RecvEx started while the interrupt is set returns rcIpcInterrupt at once', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const cs = syncObject(client), ss = syncObject(server);
  is(client.KnIpcSetInterrupt(cs), rcOk);
  is(server.KnIpcSetInterrupt(ss), rcOk);
  is(await client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, INF, cs), rcIpcInterrupt);
  is(await client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, INF, cs), rcIpcInterrupt, 'and again: it stays set');
  is(await server.RecvExAsync(sh, inMsg().hdr, INF, ss), rcIpcInterrupt);
  is(await server.RecvExAsync(sh, inMsg().hdr, 0, INVALID_HANDLE), rcTimeout, 'the interrupted calls queued nothing');
  await kernel.shutdown();
});

test('an autoclear sync object interrupts once and then lets calls wait again', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const s = syncObject(client, true);
  const first = client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, INF, s);
  is(client.KnIpcSetInterrupt(s), rcOk);
  is(await first, rcIpcInterrupt);
  const second = client.CallExAsync(ch, outMsg(2).hdr, inMsg().hdr, INF, s);
  const g = inMsg();
  is(await server.RecvAsync(sh, g.hdr), rcOk, 'the object cleared itself: the second call waits');
  assert.is(valueOf(g), 2);
  is(server.Reply(sh, outMsg(0).hdr), rcOk);
  is(await second, rcOk);
  // set with nobody waiting: the next call is interrupted at once, the one after waits
  is(client.KnIpcSetInterrupt(s), rcOk);
  is(await client.CallExAsync(ch, outMsg(3).hdr, inMsg().hdr, INF, s), rcIpcInterrupt);
  is(await client.CallExAsync(ch, outMsg(4).hdr, inMsg().hdr, 10, s), rcTimeout);
  await kernel.shutdown();
});

test('closing a sync object leaves the calls that named it waiting normally', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const s = syncObject(client);
  const call = client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, INF, s);
  is(client.KnHandleClose(s), rcOk);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  is(server.Reply(sh, outMsg(2).hdr), rcOk);
  is(await call, rcOk);
  await kernel.shutdown();
});

test('a worker thread blocked in CallEx is interrupted by its process from another thread', async () => {
  const kernel = await newKernel();
  const p = kernel.createProcess('P');
  kernel.createProcess('Server');
  kernel.connect(p, 'Server', 'out');
  const s = syncObject(p);
  const t = await kernel.spawnThread(p, fixture('sync_waiter'), ['call', 'out', String(s), 'inf']);
  await sleep(50);
  is(p.KnIpcSetInterrupt(s), rcOk);
  assert.equal(await t.exited, { code: 5 });
  await kernel.shutdown();
});

test('a worker thread blocked in RecvEx is interrupted by its process from another thread', async () => {
  const kernel = await newKernel();
  const p = kernel.createProcess('P');
  kernel.createProcess('Client');
  kernel.connect('Client', p, 'in');
  const s = syncObject(p);
  const t = await kernel.spawnThread(p, fixture('sync_waiter'), ['recv', 'in', String(s), 'inf']);
  await sleep(50);
  is(p.KnIpcSetInterrupt(s), rcOk);
  assert.equal(await t.exited, { code: 5 });
  await kernel.shutdown();
});

test('a blocking RecvEx in a worker thread times out with rcTimeout', async () => {
  const kernel = await newKernel();
  const p = kernel.createProcess('P');
  kernel.createProcess('Client');
  kernel.connect('Client', p, 'in');
  const t = await kernel.spawnThread(p, fixture('sync_waiter'), ['recv', 'in', String(INVALID_HANDLE), '30']);
  assert.equal(await t.exited, { code: 7 });
  await kernel.shutdown();
});

test.run();
