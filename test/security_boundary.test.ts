// docs/security.md says the kernel's checks hold against buggy processes, not malicious ones,
// because every spawned worker holds the whole kernel memory. These tests show that limit is
// real, so the page must change if it ever stops being true.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { nk_arena_store_string, nk_arena_get_string, rcOk } from 'kos-ipc';
import { outMsg, inMsg, fixture } from './helpers.js';
import { pair } from './pair.js';

test('a worker with no handle reads and rewrites a request queued between two other processes', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  try {
    const secret = `secret-${randomBytes(6).toString('hex')}`;
    const forged = `forged-${randomBytes(6).toString('hex')}`;
    const req = outMsg(1, { arena: new Uint8Array(64) });
    req.arena!.used = 0;
    assert.is(nk_arena_store_string(req.arena!, req.buf, 24, secret), 0);
    const call = client.CallAsync(ch, req.hdr, inMsg().hdr); // queued: the server has not called Recv

    const report = `kos-ipc-spy-${randomBytes(4).toString('hex')}`;
    const heard = new Promise<number>((resolve) => {
      const channel = new BroadcastChannel(report);
      channel.onmessage = (e) => { channel.close(); resolve((e as MessageEvent<number>).data); };
    });
    const spy = await kernel.spawn('Spy', fixture('memory_spy'), { args: [secret, forged, report] });
    assert.ok(await heard >= 0, 'the spy did not find the queued request in kernel memory');
    assert.is((await spy.exited).code, 0);

    const got = inMsg(32, 64);
    assert.is(await server.RecvAsync(sh, got.hdr), rcOk);
    assert.is(nk_arena_get_string(got.arena!, got.buf, 24), forged);
    assert.is(server.Reply(sh, outMsg(2).hdr), rcOk);
    assert.is(await call, rcOk);
  } finally {
    await kernel.shutdown();
  }
});

test.run();
