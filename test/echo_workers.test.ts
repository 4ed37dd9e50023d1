import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel, rcOk, INVALID_HANDLE } from 'kos-ipc';
import { outMsg, inMsg, valueOf, fixture, newKernel, shutdownAll, sleep } from './helpers.js';

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

test('an in-realm RecvAsync started before any worker exists is answered by a worker client spawned later', async () => {
  const kernel = await newKernel();
  const server = kernel.createProcess('Server');
  // an in-realm client's channel makes the server's endpoint exist before the worker does
  kernel.connect(kernel.createProcess('Other'), server, 'echo');
  kernel.connect('Client', server, 'echo');
  const sh = server.ServiceLocatorRegister('echo');
  // the wait is armed while the realm is alone: no worker can complete it yet
  const req = inMsg();
  const waiting = server.RecvAsync(sh, req.hdr);
  const client = await kernel.spawn('Client', fixture('echo_client'), { args: ['0', '3'] });
  for (let n = 0; n < 3; n++) {
    const got = await Promise.race([n === 0 ? waiting : server.RecvAsync(sh, req.hdr), sleep(10000).then(() => 'no request in 10 s')]);
    assert.is(got, rcOk, `request ${n}`);
    const answer = outMsg(valueOf(req) + 1);
    assert.is(server.Reply(sh, answer.hdr), rcOk);
  }
  assert.equal(await client.exited, { code: 0 });
  await kernel.shutdown();
});

test('a worker whose module only awaits RecvAsync stays alive until its calls come, then ends with code 0', async () => {
  const kernel = await newKernel();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'Server', 'echo');
  const server = await kernel.spawn('Server', fixture('async_server'), { args: ['2'] });
  await sleep(300); // the worker's event loop holds nothing but the wait
  assert.not.ok(server.hasEnded, 'the worker ended while its RecvAsync waited');
  const ch = main.ServiceLocatorConnect('echo');
  for (const v of [7, 8]) {
    const reply = inMsg();
    assert.is(await main.CallExAsync(ch, outMsg(v).hdr, reply.hdr, 5000, INVALID_HANDLE), rcOk);
    assert.is(valueOf(reply), v + 1);
  }
  assert.equal(await server.exited, { code: 0 });
  await kernel.shutdown();
});

test.run();
