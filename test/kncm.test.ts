// cm_api.h: the kernel's connection manager (seed 004; docs/dcm.md, "The kernel's connection
// manager"). In-realm processes use the Async forms; the blocking forms run in workers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  rcOk, rcTimeout, rcNotConnected, rcResourceNotFound, rcInvalidArgument, rcInvalidOperation,
  INFINITE_TIMEOUT, INVALID_HANDLE, INVALID_RIID, type Process, type Kernel,
} from 'kos-ipc';
import { outMsg, inMsg, valueOf, fixture, newKernel, shutdownAll, is, rejects, sleep } from './helpers.js';

test.after.each(shutdownAll);

type Conn = { handle?: number; rsid?: number };
type Who = { client?: string; service?: string };

async function pair(): Promise<{ kernel: Kernel; server: Process; client: Process }> {
  const kernel = await newKernel();
  return { kernel, server: kernel.createProcess('Server'), client: kernel.createProcess('Client') };
}

/** One echo through client handle `ch` and server listener `lh` (in-realm, Async). */
async function echo(client: Process, server: Process, ch: number, lh: number, v: number): Promise<void> {
  const reply = inMsg();
  const call = client.CallAsync(ch, outMsg(v).hdr, reply.hdr);
  const got = inMsg();
  is(await server.RecvAsync(lh, got.hdr), rcOk);
  const res = outMsg(valueOf(got) + 1);
  res.hdr.threadId = got.hdr.threadId;
  is(server.Reply(lh, res.hdr), rcOk);
  is(await call, rcOk);
  assert.is(valueOf(reply), v + 1);
}

/** A request from `client` accepted by `server` on a new listener: both handles. */
async function connected(client: Process, server: Process, service = 'echo.main'): Promise<{ ch: number; lh: number; rsid: number }> {
  const conn: Conn = {};
  const pending = client.KnCmConnectAsync(server.name, service, INFINITE_TIMEOUT, conn);
  const who: Who = {};
  is(await server.KnCmListenAsync(null, INFINITE_TIMEOUT, who), rcOk);
  const acc: { handle?: number } = {};
  is(server.KnCmAccept(who.client!, who.service!, 3, INVALID_HANDLE, acc), rcOk);
  is(await pending, rcOk);
  return { ch: conn.handle!, lh: acc.handle!, rsid: conn.rsid! };
}

test('KnCmConnect to a process that does not exist returns rcResourceNotFound', async () => {
  const { client } = await pair();
  const conn: Conn = {};
  is(await client.KnCmConnectAsync('Nobody', 'echo.main', 100, conn), rcResourceNotFound);
  assert.equal(conn, { handle: INVALID_HANDLE, rsid: INVALID_RIID });
});

test('KnCmConnect with msecs 0 returns rcTimeout at once and leaves no request behind', async () => {
  const { client, server } = await pair();
  is(await client.KnCmConnectAsync('Server', 'echo.main', 0, {}), rcTimeout);
  is(await server.KnCmListenAsync(null, 0, {}), rcTimeout);
});

test('KnCmConnect returns rcTimeout when the server neither accepts nor drops in time, and its request is gone', async () => {
  const { client, server } = await pair();
  const who: Who = {};
  const seen = server.KnCmListenAsync(null, INFINITE_TIMEOUT, who);
  is(await client.KnCmConnectAsync('Server', 'echo.main', 30, {}), rcTimeout);
  is(await seen, rcOk, 'the server saw the request while it waited');
  is(await server.KnCmListenAsync(null, 0, {}), rcTimeout);
  is(server.KnCmAccept('Client', 'echo.main', 0, INVALID_HANDLE, {}), rcResourceNotFound);
});

test('KnCmListen reports the client and the service, and the same request until it is accepted', async () => {
  const { client, server } = await pair();
  const conn: Conn = {};
  const pending = client.KnCmConnectAsync('Server', 'echo.main', INFINITE_TIMEOUT, conn);
  const a: Who = {}, b: Who = {};
  is(await server.KnCmListenAsync(null, 100, a), rcOk);
  is(await server.KnCmListenAsync(null, 100, b), rcOk);
  assert.equal(a, { client: 'Client', service: 'echo.main' });
  assert.equal(b, a);
  const acc: { handle?: number } = {};
  is(server.KnCmAccept('Client', 'echo.main', 9, INVALID_HANDLE, acc), rcOk);
  is(await pending, rcOk);
  is(await server.KnCmListenAsync(null, 0, {}), rcTimeout, 'the accepted request is no longer waiting');
});

test('a KnCmListen waiting before the request arrives is woken by it', async () => {
  const { client, server } = await pair();
  const who: Who = {};
  const listening = server.KnCmListenAsync(null, INFINITE_TIMEOUT, who);
  await sleep(10);
  const pending = client.KnCmConnectAsync('Server', 'svc', INFINITE_TIMEOUT, {});
  is(await listening, rcOk);
  assert.equal(who, { client: 'Client', service: 'svc' });
  is(server.KnCmDrop('Client', 'svc'), rcOk);
  is(await pending, rcNotConnected);
});

test('KnCmListen times out with rcTimeout when no request comes', async () => {
  const { server } = await pair();
  const who: Who = {};
  is(await server.KnCmListenAsync(null, 20, who), rcTimeout);
  assert.equal(who, { client: '', service: '' });
});

test('KnCmAccept gives the client a client IPC handle and the rsid, and the server a new listener; they exchange calls', async () => {
  const { client, server, kernel } = await pair();
  const before = kernel.stats();
  const { ch, lh, rsid } = await connected(client, server);
  assert.is(rsid, 3);
  const now = kernel.stats();
  assert.is(now.channels, before.channels + 1);
  assert.is(now.listeners, before.listeners + 1);
  await echo(client, server, ch, lh, 41);
  await echo(client, server, ch, lh, 7);
});

test('KnCmAccept onto an existing listener returns that listener, which then serves both clients', async () => {
  const kernel = await newKernel();
  const server = kernel.createProcess('Server');
  const c1 = kernel.createProcess('C1'), c2 = kernel.createProcess('C2');
  const first = await connected(c1, server);
  const conn: Conn = {};
  const pending = c2.KnCmConnectAsync('Server', 'echo.main', INFINITE_TIMEOUT, conn);
  const who: Who = {};
  is(await server.KnCmListenAsync(null, INFINITE_TIMEOUT, who), rcOk);
  const acc: { handle?: number } = {};
  is(server.KnCmAccept(who.client!, who.service!, 5, first.lh, acc), rcOk);
  assert.is(acc.handle, first.lh);
  is(await pending, rcOk);
  assert.is(conn.rsid, 5);
  await echo(c1, server, first.ch, first.lh, 1);
  await echo(c2, server, conn.handle!, first.lh, 2);
});

test('KnCmAccept checks the listener handle: a bad one gives rcInvalidArgument, a channel rcInvalidOperation, and the request stays', async () => {
  const { client, server } = await pair();
  const pending = client.KnCmConnectAsync('Server', 'echo.main', INFINITE_TIMEOUT, {});
  is(await server.KnCmListenAsync(null, INFINITE_TIMEOUT, {}), rcOk);
  is(server.KnCmAccept('Client', 'echo.main', 0, 0x12345678, {}), rcInvalidArgument);
  const made: { listener?: number; client?: number } = {};
  is(server.KnHandleConnect(INVALID_HANDLE, made), rcOk);
  is(server.KnCmAccept('Client', 'echo.main', 0, made.client!, {}), rcInvalidOperation);
  is(server.KnCmAccept('Client', 'echo.main', 0, made.listener!, {}), rcOk);
  is(await pending, rcOk);
});

test('KnCmDrop refuses the request: KnCmConnect returns rcNotConnected; a second KnCmDrop finds nothing', async () => {
  const { client, server } = await pair();
  const conn: Conn = {};
  const pending = client.KnCmConnectAsync('Server', 'echo.main', INFINITE_TIMEOUT, conn);
  is(await server.KnCmListenAsync(null, INFINITE_TIMEOUT, {}), rcOk);
  is(server.KnCmDrop('Client', 'echo.main'), rcOk);
  is(await pending, rcNotConnected);
  assert.is(conn.handle, INVALID_HANDLE);
  is(server.KnCmDrop('Client', 'echo.main'), rcResourceNotFound);
});

test('KnCmAccept and KnCmDrop match the client and the service exactly', async () => {
  const { client, server } = await pair();
  const pending = client.KnCmConnectAsync('Server', 'a.b', INFINITE_TIMEOUT, {});
  is(await server.KnCmListenAsync(null, INFINITE_TIMEOUT, {}), rcOk);
  is(server.KnCmAccept('Client', 'a.c', 0, INVALID_HANDLE, {}), rcResourceNotFound);
  is(server.KnCmDrop('Other', 'a.b'), rcResourceNotFound);
  is(server.KnCmDrop('Client', 'a.b'), rcOk);
  is(await pending, rcNotConnected);
});

test('a client waiting in KnCmConnect gets rcNotConnected when the server ends', async () => {
  const { client, server, kernel } = await pair();
  const pending = client.KnCmConnectAsync('Server', 'echo.main', INFINITE_TIMEOUT, {});
  await sleep(5);
  await kernel.terminate(server);
  is(await pending, rcNotConnected);
  is(await client.KnCmConnectAsync('Server', 'echo.main', 10, {}), rcResourceNotFound, 'an ended server is not found');
});

test('a request whose client ends is withdrawn', async () => {
  const { client, server, kernel } = await pair();
  void client.KnCmConnectAsync('Server', 'echo.main', INFINITE_TIMEOUT, {});
  is(await server.KnCmListenAsync(null, INFINITE_TIMEOUT, {}), rcOk);
  await kernel.terminate(client);
  is(await server.KnCmListenAsync(null, 0, {}), rcTimeout);
  is(server.KnCmAccept('Client', 'echo.main', 0, INVALID_HANDLE, {}), rcResourceNotFound);
});

/** kernel.stats() without `threads` (a process keeps its thread records for reuse). */
function objects(kernel: Kernel): Record<string, number> {
  const { threads: _, ...rest } = kernel.stats();
  return rest;
}

test('closing both ends removes the channel, and the same pair may connect again', async () => {
  const { client, server, kernel } = await pair();
  const before = objects(kernel);
  const one = await connected(client, server);
  is(client.KnHandleClose(one.ch), rcOk);
  is(server.KnHandleClose(one.lh), rcOk);
  assert.equal(objects(kernel), before);
  const two = await connected(client, server);
  await echo(client, server, two.ch, two.lh, 100);
  is(client.KnHandleClose(two.ch), rcOk);
  is(server.KnHandleClose(two.lh), rcOk);
  assert.equal(objects(kernel), before);
});

test('a process may connect to itself', async () => {
  const kernel = await newKernel();
  const p = kernel.createProcess('Self');
  const { ch, lh } = await connected(p, p);
  await echo(p, p, ch, lh, 5);
});

test('names that cannot be names give rcInvalidArgument; arguments of the wrong type throw', async () => {
  const { client, server } = await pair();
  is(await client.KnCmConnectAsync('', 'svc', 10, {}), rcInvalidArgument);
  is(await client.KnCmConnectAsync('Server', 'x'.repeat(49), 10, {}), rcInvalidArgument);
  is(server.KnCmAccept('', 'svc', 0, INVALID_HANDLE, {}), rcInvalidArgument);
  is(server.KnCmDrop('Client', ''), rcInvalidArgument);
  await rejects(() => client.KnCmConnectAsync(5 as unknown as string, 'svc', 10, {}), /KnCmConnectAsync: server must be a string, got number 5/);
  await rejects(() => client.KnCmConnectAsync('Server', 'svc', -1, {}), /KnCmConnectAsync: msecs must be milliseconds/);
  await rejects(() => server.KnCmListenAsync('x' as unknown as null, 10, null as unknown as Who), /KnCmListenAsync: out must be an object/);
  await rejects(() => server.KnCmListenAsync(7 as unknown as null, 10, {}), /KnCmListenAsync: filter is not used: pass null/);
  await rejects(() => server.KnCmAccept('Client', 'svc', -3, INVALID_HANDLE, {}), /KnCmAccept: rsid must be an integer/);
});

test('a blocking KnCmConnect to a server on the same thread throws, naming the Async form', async () => {
  const { client } = await pair();
  await rejects(() => client.KnCmConnect('Server', 'echo.main', INFINITE_TIMEOUT, {}), /KnCmConnect: the server runs on this same thread.*use KnCmConnectAsync/);
});

test('the blocking forms in workers: a server accepts three clients one after another and echoes each', async () => {
  const kernel = await newKernel();
  const server = await kernel.spawn('Server', fixture('kncm_peer'), { args: ['server', '3'] });
  const clients = await Promise.all([1, 2, 3].map((i) => kernel.spawn(`C${i}`, fixture('kncm_peer'), { args: ['client', 'Server', 'echo.main', String(i * 10)] })));
  for (const c of clients) assert.equal(await c.exited, { code: 0 });
  assert.equal(await server.exited, { code: 0 });
});

test('an in-realm server accepts a worker client that waits in the blocking KnCmConnect', async () => {
  const kernel = await newKernel();
  const server = kernel.createProcess('Server');
  const client = await kernel.spawn('Client', fixture('kncm_peer'), { args: ['client', 'Server', 'svc', '5'] });
  const who: Who = {};
  is(await server.KnCmListenAsync(null, INFINITE_TIMEOUT, who), rcOk);
  const acc: { handle?: number } = {};
  is(server.KnCmAccept(who.client!, who.service!, 0, INVALID_HANDLE, acc), rcOk);
  const got = inMsg();
  is(await server.RecvAsync(acc.handle!, got.hdr), rcOk);
  const res = outMsg(valueOf(got) + 1);
  res.hdr.threadId = got.hdr.threadId;
  is(server.Reply(acc.handle!, res.hdr), rcOk);
  assert.equal(await client.exited, { code: 0 });
});

test('a blocking KnCmListen in a worker returns rcTimeout after its msecs', async () => {
  const kernel = await newKernel();
  const w = await kernel.spawn('Server', fixture('kncm_peer'), { args: ['listen', '30'] });
  assert.equal(await w.exited, { code: 7 });
});

test('a worker client dropped by an in-realm server returns rcNotConnected', async () => {
  const kernel = await newKernel();
  const server = kernel.createProcess('Server');
  const client = await kernel.spawn('Client', fixture('kncm_peer'), { args: ['client', 'Server', 'svc', '5'] });
  const who: Who = {};
  is(await server.KnCmListenAsync(null, INFINITE_TIMEOUT, who), rcOk);
  is(server.KnCmDrop(who.client!, who.service!), rcOk);
  assert.equal(await client.exited, { code: 3 });
});

test.run();
