import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel, rcOk, rcTimeout, rcNotConnected, retcodeName, INVALID_HANDLE, INFINITE_TIMEOUT } from 'kos-ipc';
import { outMsg, inMsg, valueOf, fixture, rejects, is, newKernel, shutdownAll } from './helpers.js';
import { pair } from './pair.js';

test.after.each(shutdownAll);

test('CallExAsync returns rcTimeout when the server never receives, and the call leaves the queue', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  is(await client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, 20, INVALID_HANDLE), rcTimeout);
  is(await server.RecvExAsync(sh, inMsg().hdr, 0, INVALID_HANDLE), rcTimeout, 'nothing is left to receive');
  await kernel.shutdown();
});

test('RecvExAsync returns rcTimeout when no request comes, and mdelay 0 polls', async () => {
  const { kernel, server, sh } = await pair();
  is(await server.RecvExAsync(sh, inMsg().hdr, 15, INVALID_HANDLE), rcTimeout);
  is(await server.RecvExAsync(sh, inMsg().hdr, 0, INVALID_HANDLE), rcTimeout);
  await kernel.shutdown();
});

test('a RecvEx that timed out leaves the listener usable for the next call', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  is(await server.RecvExAsync(sh, inMsg().hdr, 5, INVALID_HANDLE), rcTimeout);
  const reply = inMsg();
  const call = client.CallAsync(ch, outMsg(4).hdr, reply.hdr);
  const got = inMsg();
  is(await server.RecvExAsync(sh, got.hdr, INFINITE_TIMEOUT, INVALID_HANDLE), rcOk);
  assert.is(valueOf(got), 4);
  is(server.Reply(sh, outMsg(5).hdr), rcOk);
  is(await call, rcOk);
  assert.is(valueOf(reply), 5);
  await kernel.shutdown();
});

test('a late Reply to a timed-out call fails with rcNotConnected and never reaches the next call', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const first = client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, 20, INVALID_HANDLE);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk, 'the server received the first call');
  is(await first, rcTimeout, 'the client stopped waiting');
  const reply = inMsg();
  const second = client.CallAsync(ch, outMsg(2).hdr, reply.hdr);
  is(server.Reply(sh, outMsg(100).hdr), rcNotConnected, 'the late reply is refused');
  const got = inMsg();
  is(await server.RecvAsync(sh, got.hdr), rcOk);
  assert.is(valueOf(got), 2);
  is(server.Reply(sh, outMsg(200).hdr), rcOk);
  is(await second, rcOk);
  assert.is(valueOf(reply), 200, 'the second call got its own answer, not the late one');
  await kernel.shutdown();
});

test('a blocking CallEx times out with rcTimeout while a worker server holds the request', async () => {
  const kernel = await newKernel();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'Server', 'echo');
  await kernel.spawn('Server', fixture('silent_server'));
  const ch = main.ServiceLocatorConnect('echo');
  is(main.CallEx(ch, outMsg(1).hdr, inMsg().hdr, 50, INVALID_HANDLE), rcTimeout);
  await kernel.shutdown();
});

test('CallEx rejects an mdelay that is not a millisecond count', async () => {
  const { kernel, client, ch } = await pair();
  await rejects(() => client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, -1, INVALID_HANDLE), /CallExAsync: mdelay must be/);
  await rejects(() => client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, 1.5, INVALID_HANDLE), /mdelay must be/);
  await kernel.shutdown();
});

test.run();
