import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel } from 'kos-ipc';
import { fixture, newKernel, shutdownAll } from './helpers.js';

test.after.each(shutdownAll);

// Each client checks every answer is its own request + 1, in order: a lost, duplicated, swapped
// or reordered message makes that client's worker throw, which its exit code reports.
test('8 client workers x 1000 calls against one server lose, duplicate and reorder nothing', async () => {
  const kernel = await newKernel();
  const names = Array.from({ length: 8 }, (_, i) => `Client${i + 1}`);
  for (const n of names) kernel.connect(n, 'Server', 'echo');
  const [, ...clients] = await Promise.all([
    kernel.spawn('Server', fixture('echo_server')),
    ...names.map((n, i) => kernel.spawn(n, fixture('echo_client'), { args: [String(i + 1), '1000'] })),
  ]);
  const exits = await Promise.all(clients.map((c) => c.exited));
  exits.forEach((e, i) => assert.equal(e, { code: 0 }, `${names[i]}: ${String(e.error)}`));
  await kernel.shutdown();
});

test.run();
