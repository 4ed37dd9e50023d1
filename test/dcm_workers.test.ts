// DCM with the blocking calls, in workers: the whole exchange between a server worker and client
// workers, a refusal, the timeouts of the three waiting calls, and DcmInterruptBlockingCall from
// another thread of the blocked process (kernel.spawnThread).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rcOk, DCM_CONNECTION, INVALID_HANDLE, type Kernel, type Process } from 'kos-ipc';
import { fixture, newKernel, shutdownAll, is, inMsg, outMsg, valueOf } from './helpers.js';
import { publish } from './dcm_helpers.js';

test.after.each(shutdownAll);

function dcm(kernel: Kernel, ...names: string[]): void {
  for (const n of names) kernel.connect(n, DCM_CONNECTION, DCM_CONNECTION);
}

test('a server worker publishes, client workers subscribe, read the queue, connect and call through the callable handle', async () => {
  const kernel = await newKernel();
  dcm(kernel, 'Server', 'C1', 'C2');
  const server = await kernel.spawn('Server', fixture('dcm_server'), { args: ['Server.echo', '2'] });
  const clients = await Promise.all(['C1', 'C2'].map((n, i) => kernel.spawn(n, fixture('dcm_client'), { args: ['Server.echo', String(10 * i)] })));
  for (const c of clients) assert.equal(await c.exited, { code: 0 });
  assert.equal(await server.exited, { code: 0 });
});

test('a server worker refuses a client by name: that client\'s blocking DcmConnect returns rcNotConnected', async () => {
  const kernel = await newKernel();
  dcm(kernel, 'Server', 'Bad', 'Good');
  const server = await kernel.spawn('Server', fixture('dcm_server'), { args: ['e', '2', 'Bad'] });
  const bad = await kernel.spawn('Bad', fixture('dcm_client'), { args: ['e', '1'] });
  assert.equal(await bad.exited, { code: 3 });
  const good = await kernel.spawn('Good', fixture('dcm_client'), { args: ['e', '2'] });
  assert.equal(await good.exited, { code: 0 });
  assert.equal(await server.exited, { code: 0 });
});

/** Spawns the blocker in mode `what`; resolves with its process and the handle it reported. */
async function blocker(kernel: Kernel, what: string, msec: string): Promise<{ w: Process; handle: number }> {
  const reporter = kernel.createProcess('Reporter');
  kernel.connect('Blocker', reporter, 'report');
  dcm(kernel, 'Blocker');
  const w = await kernel.spawn('Blocker', fixture('dcm_blocker'), { args: [what, msec] });
  const got = inMsg();
  is(await reporter.RecvAsync(reporter.ServiceLocatorRegister('report', null, 0), got.hdr), rcOk);
  const res = outMsg(0);
  res.hdr.threadId = got.hdr.threadId;
  is(reporter.Reply(got.hdr.replyHandle, res.hdr), rcOk);
  return { w, handle: valueOf(got) };
}

/** A server in this realm that publishes an Echo endpoint, for the connect cases. */
async function server(kernel: Kernel): Promise<void> {
  const s = kernel.createProcess('Server');
  kernel.connect(s, DCM_CONNECTION, DCM_CONNECTION);
  is(await s.DcmInitAsync(), rcOk);
  await publish(s, 'e');
}

for (const what of ['listen', 'read', 'connect']) {
  const call = { listen: 'DcmListen', read: 'DcmReadPubQueue', connect: 'DcmConnect' }[what];
  test(`another thread of the process ends a blocked ${call} with DcmInterruptBlockingCall (rcIpcInterrupt)`, async () => {
    const kernel = await newKernel();
    if (what === 'connect') await server(kernel);
    const { w, handle } = await blocker(kernel, what, 'inf');
    assert.ok(handle !== INVALID_HANDLE);
    const t = await kernel.spawnThread(w, fixture('dcm_interrupter'), [String(handle)]);
    assert.equal(await w.exited, { code: 5 }, 'the blocked call returned rcIpcInterrupt');
    // the interrupter ends by itself (0), or with its process, which ends as soon as the blocker returns
    assert.not.equal((await t.exited).code, 9);
  });

  test(`a blocking ${call} returns rcTimeout after its msec`, async () => {
    const kernel = await newKernel();
    if (what === 'connect') await server(kernel);
    const { w } = await blocker(kernel, what, '30');
    assert.equal(await w.exited, { code: 7 });
  });
}

test.run();
