// What a process's end does to calls in flight: every pending call of an ended in-realm process
// settles (rcNotConnected), whether it ended by kernel.terminate or kernel.shutdown, with or
// without workers in the kernel; and a channel to an ended server stays "not connected" even
// after a new process takes the ended one's place in the kernel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rcOk, rcNotConnected, type Retcode, type IdlInterface } from 'kos-ipc';
import { outMsg, inMsg, is, fixture, newKernel, shutdownAll } from './helpers.js';
import { pair } from './pair.js';

test.after.each(shutdownAll);

/** Settles `p`, or 'hung' after 2 s (a guard against a hang, not a timing assertion). */
async function settle(p: Promise<Retcode>): Promise<Retcode | 'hung'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<'hung'>((r) => { timer = setTimeout(() => r('hung'), 2000); });
  try { return await Promise.race([p, guard]); } finally { clearTimeout(timer); }
}

test('a pending RecvAsync settles with rcNotConnected when kernel.terminate ends its process (no workers)', async () => {
  const { kernel, server, sh } = await pair();
  const recv = server.RecvAsync(sh, inMsg().hdr);
  await kernel.terminate(server);
  assert.is(await settle(recv), rcNotConnected);
  assert.ok(server.hasEnded);
});

test('a pending CallAsync settles with rcNotConnected when kernel.terminate ends its process (no workers)', async () => {
  const { kernel, client, ch } = await pair();
  const call = client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr);
  await kernel.terminate(client);
  assert.is(await settle(call), rcNotConnected);
});

test('pending Async calls of both sides settle with rcNotConnected on kernel.shutdown (no workers)', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const other = kernel.createProcess('Other', { endpoints: { main: 'Echo' } });
  kernel.connect(client, other, 'other');
  const recv = other.RecvAsync(other.ServiceLocatorRegister('other'), inMsg().hdr);
  const call = client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  await kernel.shutdown();
  assert.is(await settle(recv), rcNotConnected);
  assert.is(await settle(call), rcNotConnected);
});

test('a pending RecvAsync settles on kernel.terminate when the kernel also runs a worker', async () => {
  const { kernel, server, sh } = await pair();
  await kernel.spawn('Idle', fixture('silent_server')); // a worker that never calls
  const recv = server.RecvAsync(sh, inMsg().hdr);
  await kernel.terminate(server);
  assert.is(await settle(recv), rcNotConnected);
});

const SHAPED: IdlInterface = { methods: [{ name: 'Ping', in: { value: 'UInt32' } }] };

test('a Call to an ended server is rcNotConnected even when a new process with shapes takes its place', async () => {
  const { kernel, server, client, ch } = await pair();
  const index = server.index;
  await kernel.terminate(server);
  const next = kernel.createProcess('Next', { endpoints: { main: 'Shaped' }, interfaces: { Shaped: SHAPED } });
  assert.is(next.index, index, 'the new process reuses the ended one\'s place');
  // 32 bytes: not the 28-byte request Ping's shape allows, were it checked
  assert.is(await settle(client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr)), rcNotConnected);
  assert.is(client.ServiceLocatorGetRiid(ch, 'main'), 0xffff, 'and nobody answers for the ended server\'s endpoints');
});

test.run();
