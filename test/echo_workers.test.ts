import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel, rcOk } from 'kos-ipc';
import { outMsg, inMsg, valueOf, fixture, newKernel, shutdownAll } from './helpers.js';

test.after.each(shutdownAll);

test('a client worker and a server worker exchange 1000 echoes with blocking calls', async () => {
  const kernel = await newKernel();
  kernel.connect('Client', 'Server', 'echo');
  const [server, client] = await Promise.all([
    kernel.spawn('Server', fixture('echo_server')), kernel.spawn('Client', fixture('echo_client'), { args: ['0', '1000'] }),
  ]);
  const exit = await client.exited;
  assert.equal(exit, { code: 0 }, String(exit.error));
  await kernel.shutdown();
  assert.ok(server.hasEnded);
});

test('the same echo works with spinning disabled (pure Atomics.wait)', async () => {
  const kernel = await newKernel({ spin: 0 });
  kernel.connect('Client', 'Server', 'echo');
  const [, client] = await Promise.all([
    kernel.spawn('Server', fixture('echo_server')), kernel.spawn('Client', fixture('echo_client'), { args: ['0', '300'] }),
  ]);
  const exit = await client.exited;
  assert.equal(exit, { code: 0 }, String(exit.error));
  await kernel.shutdown();
});

test('the main thread calls a worker server with CallAsync and with a blocking Call', async () => {
  const kernel = await newKernel();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'Server', 'echo');
  await kernel.spawn('Server', fixture('echo_server'));
  const ch = main.ServiceLocatorConnect('echo');
  for (let v = 0; v < 50; v++) {
    const reply = inMsg(32, 16);
    assert.is(await main.CallAsync(ch, outMsg(v).hdr, reply.hdr), rcOk);
    assert.is(valueOf(reply), v + 1);
  }
  const reply = inMsg();
  assert.is(main.Call(ch, outMsg(7).hdr, reply.hdr), rcOk, 'the server runs in a worker, so blocking is fine');
  assert.is(valueOf(reply), 8);
  await kernel.shutdown();
});

test('a 64 KiB arena crosses workers intact in both directions', async () => {
  const kernel = await newKernel();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'Server', 'echo');
  await kernel.spawn('Server', fixture('echo_server'));
  const ch = main.ServiceLocatorConnect('echo');
  const data = new Uint8Array(65536);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
  const reply = inMsg(32, 65536);
  assert.is(await main.CallAsync(ch, outMsg(5, { arena: data }).hdr, reply.hdr), rcOk);
  assert.is(reply.arena!.used, 65536);
  assert.equal(reply.arena!.buffer, data);
  await kernel.shutdown();
});

test('the debug build of the core (assertions kept) serves the same echo across workers', async () => {
  const kernel = await newKernel({ debug: true });
  kernel.connect('Client', 'Server', 'echo');
  const [, client] = await Promise.all([
    kernel.spawn('Server', fixture('echo_server')), kernel.spawn('Client', fixture('echo_client'), { args: ['0', '200'] }),
  ]);
  const exit = await client.exited;
  assert.equal(exit, { code: 0 }, String(exit.error));
  await kernel.shutdown();
});

test.run();
