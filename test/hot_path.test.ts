// The hot path's mechanics (issue 13): three calls into the core per round trip, the status read
// from the thread's record, an Async Call that polls for an early answer from a worker, and
// staging that goes back to the kernel heap after a large message.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel, rcOk } from 'kos-ipc';
import { outMsg, inMsg, valueOf, setValue, rejects, newKernel, shutdownAll, fixture, is, abi } from './helpers.js';
import { pair } from './pair.js';

test.after.each(shutdownAll);

/** The realm's count of calls into the core (Core.crossings, a debug counter). */
const crossings = (k: Kernel): number => (k as unknown as { core: { crossings: number } }).core.crossings;

/** `n` CallAsync/RecvAsync/Reply round trips of value + 1 between p's client and server. */
async function roundTrips(p: Awaited<ReturnType<typeof pair>>, n: number, arenaBytes = 0): Promise<void> {
  const req = outMsg(0, arenaBytes > 0 ? { arena: new Uint8Array(arenaBytes).fill(7) } : {});
  const res = inMsg(32);
  const sin = inMsg(32, arenaBytes), sout = outMsg(0);
  let serving = true;
  const served = (async () => {
    while (serving) {
      if (await p.server.RecvAsync(p.sh, sin.hdr) !== rcOk) return;
      setValue(sout, valueOf(sin) + 1);
      sout.hdr.threadId = sin.hdr.threadId;
      is(p.server.Reply(p.sh, sout.hdr), rcOk);
    }
  })();
  for (let i = 0; i < n; i++) {
    setValue(req, i);
    is(await p.client.CallAsync(p.ch, req.hdr, res.hdr), rcOk);
    assert.is(valueOf(res), i + 1);
  }
  serving = false;
  setValue(req, n);
  is(await p.client.CallAsync(p.ch, req.hdr, res.hdr), rcOk);
  await served;
}

test('a round trip in one realm makes three calls into the core: k_call, k_reply, k_recv', async () => {
  const p = await pair();
  await roundTrips(p, 10);
  const before = crossings(p.kernel);
  await roundTrips(p, 100);
  // 101 round trips: the server's first RecvAsync, then per round trip k_call and k_reply, and
  // the next RecvAsync but after the last one
  assert.is(crossings(p.kernel) - before, 3 * 101);
});

test('k_finish is not needed after a completed wait: the next call starts from the completed state', async () => {
  const p = await pair();
  await roundTrips(p, 3);
  // the core would refuse a syscall of a thread it thinks busy (ST_BAD_ARG): none was refused
  await roundTrips(p, 3);
  assert.ok(abi.layout.T_STATUS[0] < abi.layout.T_HOST_END[0] && abi.layout.T_TID[0] < abi.layout.T_HOST_END[0],
    'the status and the Tid are in the host-visible part of the record');
});

test('Kernel.create refuses an asyncSpin that is not a number of polls or a boolean', async () => {
  await rejects(() => Kernel.create({ asyncSpin: -1 }), /asyncSpin must be a number of polls \(an integer from 0\) or a boolean, got -1/);
  await rejects(() => Kernel.create({ asyncSpin: 2.5 }), /asyncSpin must be a number of polls/);
  await rejects(() => Kernel.create({ asyncSpin: 'many' as unknown as number }), /asyncSpin must be a number of polls/);
});

for (const asyncSpin of [0, 1_000_000]) {
  test(`the Node main thread's CallAsync to a server worker answers every call right with asyncSpin ${asyncSpin}`, async () => {
    const kernel = await newKernel({ asyncSpin });
    const client = kernel.createProcess('Client');
    kernel.connect('Client', 'Server', 'echo');
    await kernel.spawn('Server', fixture('echo_server'));
    const h = client.ServiceLocatorConnect('echo');
    const req = outMsg(0), res = inMsg(32);
    for (let i = 1; i <= 300; i++) {
      setValue(req, i);
      is(await client.CallAsync(h, req.hdr, res.hdr), rcOk);
      assert.is(valueOf(res), i + 1);
    }
  });
}

test('a staging buffer above 16 KiB goes back to the kernel heap after the call, and the heap reuses it', async () => {
  const p = await pair();
  await roundTrips(p, 1, 64 * 1024);
  await roundTrips(p, 1, 100);
  const first = p.kernel.memory();
  // each thread keeps at most STAGE_KEEP (16 KiB) between calls
  assert.ok(first.stagingBytes <= 2 * abi.limits.STAGE_KEEP[0], `staging held after a 64 KiB call: ${first.stagingBytes}`);
  await roundTrips(p, 20, 64 * 1024);
  await roundTrips(p, 20, 100);
  const later = p.kernel.memory();
  assert.ok(later.stagingBytes <= 2 * abi.limits.STAGE_KEEP[0], `staging held: ${later.stagingBytes}`);
  assert.is(later.heapBytes, first.heapBytes, 'forty more calls of sizes seen before took no new heap memory');
});

test.run();
