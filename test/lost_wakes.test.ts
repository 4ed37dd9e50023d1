// A worker can be stopped after it ended other threads' calls under the kernel lock but before
// it sent all their wakes (the core sends them after it releases the lock). Once the worker has
// stopped, the kernel wakes every thread whose call has ended, so none sleeps on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rcOk, rcNotConnected, retcodeName } from 'kos-ipc';
import { outMsg, inMsg, fixture, newKernel, shutdownAll } from './helpers.js';
import { guard } from './stress/guard.js';

test.after.each(shutdownAll);

test('a worker stopped while it sends the wakes of the calls it ended leaves none of those callers asleep', async () => {
  const kernel = await newKernel();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'Server', 'c');
  kernel.connect(main, 'Server', 'go');
  const server = await kernel.spawn('Server', fixture('stalled_waker'));
  const ch = main.ServiceLocatorConnect('c');
  // two calls queued on the listener the server is about to close: two threads of Main
  const calls = [main.CallAsync(ch, outMsg(1).hdr, inMsg().hdr), main.CallAsync(ch, outMsg(2).hdr, inMsg().hdr)];
  const settled = calls.map((p, i) => p.then((rc) => [i, rc] as const));
  assert.is(await main.CallAsync(main.ServiceLocatorConnect('go'), outMsg(0).hdr, inMsg().hdr), rcOk);
  // the first woken caller shows the server is now inside the wakes, stalled before the next
  const [first, rc] = await guard(Promise.race(settled), 'the first caller', 10000);
  assert.is(retcodeName(rc), retcodeName(rcNotConnected));
  await kernel.terminate(server);
  const other = await guard(calls[1 - first]!, 'the caller whose wake the stopped worker never sent', 10000);
  assert.is(retcodeName(other), retcodeName(rcNotConnected));
});

test.run();
