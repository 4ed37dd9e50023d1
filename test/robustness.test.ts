// Bad input and exhausted tables: clear errors, and nothing half made.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel, rcOk, rcBusy, rcInvalidArgument, rcOutOfMemory, rcTimeout, retcodeName, INVALID_HANDLE, INVALID_RIID, SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset } from 'kos-ipc';
import { outMsg, inMsg, valueOf, rejects, is, newKernel, shutdownAll } from './helpers.js';
import { pair } from './pair.js';

test.after.each(shutdownAll);

test('a null message header is a TypeError, never a resent request', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const call = client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  is(server.Reply(sh, outMsg(2).hdr), rcOk);
  is(await call, rcOk);
  await rejects(() => client.CallAsync(ch, null as never, inMsg().hdr), /CallAsync: msgOut must be an SMsgHdr, got null/);
  await rejects(() => client.CallAsync(ch, outMsg(1).hdr, null as never), /CallAsync: msgIn must be an SMsgHdr, got null/);
  await rejects(() => server.RecvAsync(sh, null as never), /RecvAsync: msgIn must be an SMsgHdr, got null/);
  await rejects(() => server.Reply(sh, null as never), /Reply: msgOut must be an SMsgHdr, got null/);
  await kernel.shutdown();
});

test('an async mdelay beyond 2^31-1 ms waits instead of timing out at once', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const reply = inMsg();
  const call = client.CallExAsync(ch, outMsg(1).hdr, reply.hdr, 3000000000, INVALID_HANDLE);
  await new Promise((r) => setTimeout(r, 30));
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  is(server.Reply(sh, outMsg(9).hdr), rcOk);
  is(await call, rcOk);
  assert.is(valueOf(reply), 9);
  await kernel.shutdown();
});

test('connect reports a full table and creates nothing for the refused channel', async () => {
  // the tables grow in kernel memory: 2 MiB leave them 1 MiB to grow in
  const kernel = await newKernel({ memoryMiB: 2, maxMemoryMiB: 2 });
  const c = kernel.createProcess('C'), s = kernel.createProcess('S');
  // one exchange first: the threads, staging buffers and reply slots a call needs exist before memory runs out
  kernel.connect(c, s, 'warm');
  const warm = c.CallAsync(c.ServiceLocatorConnect('warm'), outMsg(1).hdr, inMsg().hdr);
  is(await s.RecvAsync(s.ServiceLocatorRegister('warm'), inMsg().hdr), rcOk);
  is(s.Reply(s.ServiceLocatorRegister('warm'), outMsg(2).hdr), rcOk);
  is(await warm, rcOk);
  let made = 0;
  let error = '';
  for (; made < 100000; made++) {
    try { kernel.connect(c, s, `ch${made}`); } catch (e) { error = (e as Error).message; break; }
  }
  assert.match(error, /connect: the kernel's tables are full/);
  assert.ok(made > 100, `made ${made} channels`);
  assert.is(c.ServiceLocatorConnect(`ch${made}`), INVALID_HANDLE);
  assert.is(s.ServiceLocatorRegister(`ch${made}`), INVALID_HANDLE);
  const h = c.ServiceLocatorConnect(`ch${made - 1}`);
  const call = c.CallAsync(h, outMsg(3).hdr, inMsg().hdr);
  is(await s.RecvAsync(s.ServiceLocatorRegister(`ch${made - 1}`), inMsg().hdr), rcOk);
  is(s.Reply(s.ServiceLocatorRegister(`ch${made - 1}`), outMsg(4).hdr), rcOk);
  is(await call, rcOk);
  await kernel.shutdown();
});

test('createProcess that fails leaves no process behind', async () => {
  const kernel = await newKernel();
  await rejects(() => kernel.createProcess('P', { endpoints: { ['x'.repeat(60)]: 'I' } }), /createProcess: .* names have at most 48/);
  assert.is(kernel.process('P'), undefined);
  const p = kernel.createProcess('P');
  assert.ok(p.taskId > 0, 'the name is free again');
  await kernel.shutdown();
});

test('ServiceLocatorGetRiid answers INVALID_RIID for a channel whose server has ended', async () => {
  const { kernel, server, client, ch } = await pair();
  assert.is(client.ServiceLocatorGetRiid(ch, 'main'), 0);
  await kernel.terminate(server);
  kernel.createProcess('Server2', { endpoints: { main: 'Echo' } });
  assert.is(client.ServiceLocatorGetRiid(ch, 'main'), INVALID_RIID);
  await kernel.shutdown();
});

test('free refuses with rcBusy a buffer a call in flight uses in place', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const buf = client.alloc(32);
  nk_req_reset(buf);
  buf[24] = 77;
  const o = new SMsgHdr(); PackOutMsg(o, buf, null);
  const call = client.CallAsync(ch, o, inMsg().hdr);
  is(client.free(buf), rcBusy, 'queued: the request still lives there');
  const got = inMsg();
  is(await server.RecvAsync(sh, got.hdr), rcOk);
  assert.is(got.buf[24], 77);
  is(server.Reply(sh, outMsg(0).hdr), rcOk);
  is(await call, rcOk);
  is(client.free(buf), rcOk, 'free once the call is over');
  const rbuf = server.alloc(64);
  const hin = new SMsgHdr(); PackInMsg(hin, rbuf, null);
  const recv = server.RecvAsync(sh, hin);
  is(server.free(rbuf), rcBusy, 'a Recv waiting to write into it');
  const c2 = client.CallAsync(ch, outMsg(5).hdr, inMsg().hdr);
  is(await recv, rcOk);
  is(server.Reply(sh, outMsg(6).hdr), rcOk);
  is(await c2, rcOk);
  await kernel.shutdown();
});

test('init passes entity args and checks the interfaces it declares', async () => {
  const kernel = await newKernel();
  const procs = await kernel.init({
    entities: [
      { name: 'Client', args: ['--fast'], connections: [{ target: 'Server', id: 'c' }] },
      { name: 'Server', endpoints: { main: 'Echo' } },
    ],
    interfaces: { Echo: { methods: [{ name: 'Echo', in: { value: 'UInt32' }, out: { result: 'UInt32' } }] } },
  });
  assert.equal([...procs.Client!.args], ['--fast']);
  const ch = procs.Client!.ServiceLocatorConnect('c');
  const bad = outMsg(1, { size: 40 });
  is(await procs.Client!.CallAsync(ch, bad.hdr, inMsg().hdr), rcInvalidArgument, 'a request larger than Echo declares');
  await kernel.shutdown();
});

test('a call whose plain buffers do not fit in kernel memory returns rcOutOfMemory and sends nothing', async () => {
  const kernel = await newKernel({ memoryMiB: 2, maxMemoryMiB: 2 });
  const server = kernel.createProcess('Server'), client = kernel.createProcess('Client');
  kernel.connect(client, server, 'echo');
  const ch = client.ServiceLocatorConnect('echo'), sh = server.ServiceLocatorRegister('echo');
  is(await client.CallAsync(ch, outMsg(1, { arena: new Uint8Array(1536 * 1024) }).hdr, inMsg().hdr), rcOutOfMemory);
  is(await server.RecvExAsync(sh, inMsg().hdr, 0, INVALID_HANDLE), rcTimeout, 'nothing was queued');
  const call = client.CallAsync(ch, outMsg(2).hdr, inMsg().hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk, 'a small call still goes through');
  is(server.Reply(sh, outMsg(3).hdr), rcOk);
  is(await call, rcOk);
  await kernel.shutdown();
});


test('process.alloc returns zeros, even from memory another process filled and freed', async () => {
  const kernel = await newKernel();
  const a = kernel.createProcess('Writer'), b = kernel.createProcess('Reader');
  for (const size of [16, 1000, 70000]) {
    const mine = a.alloc(size);
    mine.fill(0xA5);
    is(a.free(mine), rcOk);
    const got = b.alloc(size);
    assert.is(got.length, size);
    assert.ok(got.every((v) => v === 0), `a ${size}-byte buffer holds what the writer left`);
    assert.is(got.byteOffset, mine.byteOffset, 'the block was reused (the check above can fail)');
    is(b.free(got), rcOk);
  }
  await kernel.shutdown();
});

test.run();
