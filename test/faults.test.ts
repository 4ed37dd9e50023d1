import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel, rcOk, rcNotConnected, rcTimeout, rcInvalidArgument, retcodeName, INVALID_HANDLE } from 'kos-ipc';
import { outMsg, inMsg, fixture, rejects, is, newKernel, shutdownAll } from './helpers.js';
import { pair } from './pair.js';

test.after.each(shutdownAll);

test('a worker that throws while serving ends its process and its caller gets rcNotConnected', async () => {
  const kernel = await newKernel();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'Server', 'echo');
  const server = await kernel.spawn('Server', fixture('throwing_server'));
  const rc = await main.CallAsync(main.ServiceLocatorConnect('echo'), outMsg(1).hdr, inMsg().hdr);
  is(rc, rcNotConnected);
  const exit = await server.exited;
  assert.is(exit.code, 1);
  assert.match(String(exit.error), /server failed while serving/);
  assert.is(kernel.process('Server'), undefined);
  await kernel.shutdown();
});

test('shutdown with calls in flight settles them and ends every worker', async () => {
  const kernel = await newKernel();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'Server', 'echo');
  kernel.connect('Caller', 'Server', 'echo');
  const server = await kernel.spawn('Server', fixture('silent_server'));
  const caller = await kernel.spawn('Caller', fixture('blocking_caller'));
  const ch = main.ServiceLocatorConnect('echo');
  const inflight = [main.CallAsync(ch, outMsg(1).hdr, inMsg().hdr), main.CallAsync(ch, outMsg(2).hdr, inMsg().hdr)];
  await new Promise((r) => setTimeout(r, 30));
  await kernel.shutdown();
  for (const p of inflight) is(await p, rcNotConnected);
  assert.ok(server.hasEnded && caller.hasEnded && main.hasEnded);
  await server.exited;
  await caller.exited;
  await rejects(() => kernel.createProcess('Again'), /createProcess: the kernel is shut down/);
});

test('a blocked worker client returns rcNotConnected when the server process is terminated', async () => {
  const kernel = await newKernel();
  kernel.connect('Caller', 'Server', 'echo');
  const server = kernel.createProcess('Server');
  const caller = await kernel.spawn('Caller', fixture('blocking_caller'));
  const sh = server.ServiceLocatorRegister('echo');
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk, 'the worker is now waiting for its reply');
  await kernel.terminate(server);
  assert.equal(await caller.exited, { code: 3 }, 'its Call returned rcNotConnected');
  await kernel.shutdown();
});

test('calls on a process that has ended throw an error naming the process', async () => {
  const { kernel, client, ch } = await pair();
  await kernel.terminate(client);
  await rejects(() => client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr), /CallAsync: process "Client" has ended/);
  await rejects(() => client.ServiceLocatorConnect('echo'), /process "Client" has ended/);
  await kernel.shutdown();
});

test('a blocking call to a server on the same thread throws at once and tells to use the Async form', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  await rejects(() => client.Call(ch, outMsg(1).hdr, inMsg().hdr), /Call: the server behind handle \d+ runs on this same thread.*use CallAsync/);
  await rejects(() => server.Recv(sh, inMsg().hdr), /Recv: every client of handle \d+ runs on this same thread.*use RecvAsync/);
  // nothing was queued by the refused calls
  const call = client.CallAsync(ch, outMsg(5).hdr, inMsg().hdr);
  const got = inMsg();
  is(await server.RecvAsync(sh, got.hdr), rcOk);
  is(server.Reply(sh, outMsg(6).hdr), rcOk);
  is(await call, rcOk);
  await kernel.shutdown();
});

test('methods of a spawned process cannot be called from the realm that spawned it', async () => {
  const kernel = await newKernel();
  kernel.connect('Caller', 'Server', 'echo');
  kernel.createProcess('Server');
  const caller = await kernel.spawn('Caller', fixture('blocking_caller'));
  await rejects(() => caller.ServiceLocatorConnect('echo'), /process "Caller" runs in a worker/);
  await kernel.shutdown();
});

test('wrong argument types throw a TypeError naming the call and the argument', async () => {
  const { kernel, client, ch } = await pair();
  await rejects(() => client.CallAsync('7' as unknown as number, outMsg(1).hdr, inMsg().hdr), /CallAsync: handle must be a handle \(an integer from 0 to 0xFFFFFFFF, or INVALID_HANDLE\), got string "7"/);
  await rejects(() => client.CallAsync(ch, {} as never, inMsg().hdr), /CallAsync: msgOut must be an SMsgHdr, got Object/);
  await rejects(() => client.ServiceLocatorConnect(5 as unknown as string), /ServiceLocatorConnect: the name must be a string/);
  await rejects(() => kernel.connect('Client', '', 'x'), /connect: server must be a non-empty string/);
  await rejects(() => kernel.createProcess('Client'), /a process named "Client" already exists/);
  await rejects(() => client.alloc(-1), /alloc: size must be an integer/);
  await kernel.shutdown();
});

test('a server waiting in Recv keeps waiting when its only client process ends', async () => {
  const { kernel, server, client, sh } = await pair();
  const recv = server.RecvExAsync(sh, inMsg().hdr, 40, INVALID_HANDLE);
  await kernel.terminate(client);
  is(await recv, rcTimeout, 'not woken by the client ending: it timed out');
  await kernel.shutdown();
});

test('a Reply to a call whose client process ended returns rcNotConnected and the server goes on', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  void client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  await kernel.terminate(client);
  is(server.Reply(sh, outMsg(2).hdr), rcNotConnected);
  is(server.Reply(sh, outMsg(2).hdr), rcInvalidArgument, 'the abandoned call was consumed');
  await kernel.shutdown();
});

test('a worker client that exits by itself ends its process and frees its name', async () => {
  const kernel = await newKernel();
  kernel.connect('Client', 'Server', 'echo');
  const [, c] = await Promise.all([
    kernel.spawn('Server', fixture('echo_server')), kernel.spawn('Client', fixture('echo_client'), { args: ['0', '10'] }),
  ]);
  assert.equal(await c.exited, { code: 0 });
  assert.is(kernel.process('Client'), undefined);
  kernel.connect('Client', 'Server', 'echo');
  const again = await kernel.spawn('Client', fixture('echo_client'), { args: ['0', '10'] });
  assert.equal(await again.exited, { code: 0 }, 'the same name can run again');
  await kernel.shutdown();
});

test.run();
