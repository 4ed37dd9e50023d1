import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Kernel, SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, nk_msg_set_method_id, nk_arena_init,
  nk_arena_store_string, nk_arena_get_string, nk_message_get_iid, nk_message_get_mid, rcOk,
  INVALID_HANDLE, INVALID_RIID,
} from 'kos-ipc';
import { outMsg, inMsg, valueOf, rejects, newKernel, shutdownAll } from './helpers.js';
import { pair } from './pair.js';

test.after.each(shutdownAll);

test('an echo request and its response travel intact between two processes of one realm', async () => {
  const kernel = await newKernel();
  const server = kernel.createProcess('Server', { endpoints: { main: 'Echo' } });
  const client = kernel.createProcess('Client');
  kernel.connect('Client', 'Server', 'server_connection');
  const sh = server.ServiceLocatorRegister('server_connection', null, 0);
  const ch = client.ServiceLocatorConnect('server_connection');
  const riid = client.ServiceLocatorGetRiid(ch, 'Server.main');
  assert.is(riid, 0);

  const req = new Uint8Array(32), reqArena = nk_arena_init(new Uint8Array(300));
  nk_req_reset(req); nk_msg_set_method_id(req, riid, 0);
  assert.is(nk_arena_store_string(reqArena, req, 24, 'Hello from client to server!'), 0);
  const msgReq = new SMsgHdr(); PackOutMsg(msgReq, req, reqArena);
  const res = new Uint8Array(32), resArena = nk_arena_init(new Uint8Array(300));
  const msgRes = new SMsgHdr(); PackInMsg(msgRes, res, resArena);

  const served = (async () => {
    const sreq = new Uint8Array(32), sArena = nk_arena_init(new Uint8Array(300));
    const hin = new SMsgHdr(); PackInMsg(hin, sreq, sArena);
    assert.is(await server.RecvAsync(sh, hin), rcOk);
    assert.is(hin.sender, client.taskId);
    assert.ok(hin.threadId !== 0);
    assert.is(hin.replyHandle, sh);
    assert.is(nk_message_get_iid(sreq), riid);
    assert.is(sArena.used, 29);
    const text = nk_arena_get_string(sArena, sreq, 24);
    const sres = new Uint8Array(32), sresArena = nk_arena_init(new Uint8Array(300));
    nk_req_reset(sres); nk_msg_set_method_id(sres, riid, 0);
    nk_arena_store_string(sresArena, sres, 24, `echo: ${text}`);
    const hout = new SMsgHdr(); PackOutMsg(hout, sres, sresArena);
    assert.is(server.Reply(sh, hout), rcOk);
  })();
  assert.is(await client.CallAsync(ch, msgReq, msgRes), rcOk);
  await served;
  assert.is(nk_arena_get_string(resArena, res, 24), 'echo: Hello from client to server!');
  assert.is(nk_message_get_mid(res), 0);
  await kernel.shutdown();
});

test('a client whose call is queued before the server receives gets its answer', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const reply = inMsg();
  const pending = client.CallAsync(ch, outMsg(41).hdr, reply.hdr);
  const got = inMsg();
  assert.is(await server.RecvAsync(sh, got.hdr), rcOk);
  assert.is(valueOf(got), 41);
  assert.is(server.Reply(sh, outMsg(42).hdr), rcOk);
  assert.is(await pending, rcOk);
  assert.is(valueOf(reply), 42);
  await kernel.shutdown();
});

test('only the used part of the arena travels and the receiver arena records its size', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const arenaBytes = new Uint8Array(1024).fill(0xee);
  const out = outMsg(1, { arena: arenaBytes });
  out.arena!.used = 5;
  arenaBytes.set([1, 2, 3, 4, 5]);
  const got = inMsg(32, 2048);
  got.arena!.buffer.fill(0x77);
  const call = client.CallAsync(ch, out.hdr, inMsg().hdr);
  assert.is(await server.RecvAsync(sh, got.hdr), rcOk);
  assert.is(got.arena!.used, 5);
  assert.equal([...got.arena!.buffer.subarray(0, 6)], [1, 2, 3, 4, 5, 0x77]);
  server.Reply(sh, outMsg(0).hdr);
  assert.is(await call, rcOk);
  await kernel.shutdown();
});

test('buffers from process.alloc are used in place and carry the message', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const reqBuf = client.alloc(32), resBuf = client.alloc(32);
  nk_req_reset(reqBuf);
  reqBuf[24] = 9;
  const o = new SMsgHdr(); PackOutMsg(o, reqBuf, null);
  const i = new SMsgHdr(); PackInMsg(i, resBuf, null);
  const sIn = server.alloc(64);
  const hin = new SMsgHdr(); PackInMsg(hin, sIn, null);
  const call = client.CallAsync(ch, o, i);
  assert.is(await server.RecvAsync(sh, hin), rcOk);
  assert.is(sIn[24], 9);
  const sOut = server.alloc(32); nk_req_reset(sOut); sOut[24] = 10;
  const hout = new SMsgHdr(); PackOutMsg(hout, sOut, null);
  assert.is(server.Reply(sh, hout), rcOk);
  assert.is(await call, rcOk);
  assert.is(resBuf[24], 10);
  assert.is(client.free(reqBuf), rcOk);
  await kernel.shutdown();
});

test('the service locator answers INVALID_HANDLE and INVALID_RIID for unknown names', async () => {
  const kernel = await newKernel();
  const server = kernel.createProcess('Server', { endpoints: { main: 'Echo', extra: 'Other' } });
  const client = kernel.createProcess('Client');
  kernel.connect(client, server, 'echo');
  assert.is(client.ServiceLocatorConnect('nope'), INVALID_HANDLE);
  assert.is(server.ServiceLocatorRegister('nope'), INVALID_HANDLE);
  assert.is(client.ServiceLocatorRegister('echo'), INVALID_HANDLE, 'the client has no server end');
  const ch = client.ServiceLocatorConnect('echo');
  assert.is(client.ServiceLocatorGetRiid(ch, 'extra'), 1);
  assert.is(client.ServiceLocatorGetRiid(ch, 'Server.extra'), 1);
  assert.is(client.ServiceLocatorGetRiid(ch, 'Server.nope'), INVALID_RIID);
  assert.is(client.ServiceLocatorGetRiid(12345, 'main'), INVALID_RIID);
  await kernel.shutdown();
});

test('a closed IPC handle cannot be obtained again from the service locator', async () => {
  const kernel = await newKernel();
  kernel.createProcess('Server');
  const client = kernel.createProcess('Client');
  kernel.connect('Client', 'Server', 'echo');
  const ch = client.ServiceLocatorConnect('echo');
  assert.is(client.ServiceLocatorConnect('echo'), ch);
  assert.is(client.KnHandleClose(ch), rcOk);
  assert.is(client.ServiceLocatorConnect('echo'), INVALID_HANDLE);
  await kernel.shutdown();
});

test('a channel declared before its processes exist appears when both are created', async () => {
  const kernel = await newKernel();
  kernel.connect('Client', 'Server', 'later');
  const client = kernel.createProcess('Client');
  assert.is(client.ServiceLocatorConnect('later'), INVALID_HANDLE);
  const server = kernel.createProcess('Server');
  assert.ok(client.ServiceLocatorConnect('later') !== INVALID_HANDLE);
  assert.ok(server.ServiceLocatorRegister('later') !== INVALID_HANDLE);
  await kernel.shutdown();
});

test('several clients connected under one id share one listener handle on the server', async () => {
  const kernel = await newKernel();
  const server = kernel.createProcess('Server');
  const a = kernel.createProcess('A'), b = kernel.createProcess('B');
  kernel.connect(a, server, 'svc');
  kernel.connect(b, server, 'svc');
  const sh = server.ServiceLocatorRegister('svc');
  const pa = a.CallAsync(a.ServiceLocatorConnect('svc'), outMsg(1).hdr, inMsg().hdr);
  const pb = b.CallAsync(b.ServiceLocatorConnect('svc'), outMsg(2).hdr, inMsg().hdr);
  const senders: number[] = [];
  for (let k = 0; k < 2; k++) {
    const m = inMsg();
    assert.is(await server.RecvAsync(sh, m.hdr), rcOk);
    senders.push(m.hdr.sender);
    assert.is(server.Reply(sh, outMsg(0).hdr), rcOk);
  }
  assert.equal(senders, [a.taskId, b.taskId]);
  assert.is(await pa, rcOk);
  assert.is(await pb, rcOk);
  await kernel.shutdown();
});

test('init builds the processes, channels and endpoints of an init.yaml description', async () => {
  const kernel = await newKernel();
  const procs = await kernel.init(`
entities:
- name: Client
  connections:
  - target: Server
    id: server_connection
- name: Server
  endpoints:
    main: Echo
`);
  const ch = procs.Client!.ServiceLocatorConnect('server_connection');
  assert.ok(ch !== INVALID_HANDLE);
  assert.is(procs.Client!.ServiceLocatorGetRiid(ch, 'Server.main'), 0);
  assert.ok(procs.Server!.ServiceLocatorRegister('server_connection') !== INVALID_HANDLE);
  await kernel.shutdown();
});

test('init rejects a description that connects to an undeclared entity', async () => {
  const kernel = await newKernel();
  await rejects(() => kernel.init({ entities: [{ name: 'A', connections: [{ target: 'B', id: 'x' }] }] }),
    /connects to "B", which is not declared/);
  await kernel.shutdown();
});

test.run();
