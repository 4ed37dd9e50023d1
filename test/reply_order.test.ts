import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rcOk, retcodeName } from 'kos-ipc';
import { outMsg, inMsg, valueOf, is } from './helpers.js';
import { pair } from './pair.js';

test('a server may receive several calls before replying, and Reply with threadId 0 answers the oldest', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const replies = [inMsg(), inMsg(), inMsg()];
  const calls = replies.map((r, i) => client.CallAsync(ch, outMsg(10 + i).hdr, r.hdr));
  const got = [inMsg(), inMsg(), inMsg()];
  for (const g of got) is(await server.RecvAsync(sh, g.hdr), rcOk);
  assert.equal(got.map(valueOf), [10, 11, 12]);
  assert.is(new Set(got.map((g) => g.hdr.threadId)).size, 3, 'each concurrent call is its own thread');
  for (let i = 0; i < 3; i++) is(server.Reply(sh, outMsg(100 + i).hdr), rcOk);
  for (const c of calls) is(await c, rcOk);
  assert.equal(replies.map(valueOf), [100, 101, 102]);
  await kernel.shutdown();
});

test('Reply with a threadId answers that caller, whatever its place in the queue', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const r1 = inMsg(), r2 = inMsg();
  const c1 = client.CallAsync(ch, outMsg(1).hdr, r1.hdr);
  const c2 = client.CallAsync(ch, outMsg(2).hdr, r2.hdr);
  const g1 = inMsg(), g2 = inMsg();
  is(await server.RecvAsync(sh, g1.hdr), rcOk);
  is(await server.RecvAsync(sh, g2.hdr), rcOk);
  const toSecond = outMsg(20);
  toSecond.hdr.threadId = g2.hdr.threadId;
  is(server.Reply(sh, toSecond.hdr), rcOk);
  is(await c2, rcOk);
  assert.is(valueOf(r2), 20);
  const toFirst = outMsg(10);
  toFirst.hdr.threadId = g1.hdr.threadId;
  is(server.Reply(sh, toFirst.hdr), rcOk);
  is(await c1, rcOk);
  assert.is(valueOf(r1), 10);
  await kernel.shutdown();
});

test('a client thread that calls again keeps its threadId, and a Reply naming it reaches the current call', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const c1 = client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr);
  const g1 = inMsg();
  is(await server.RecvAsync(sh, g1.hdr), rcOk);
  is(server.Reply(sh, outMsg(2).hdr), rcOk);
  is(await c1, rcOk);
  const c2 = client.CallAsync(ch, outMsg(3).hdr, inMsg().hdr);
  const g2 = inMsg();
  is(await server.RecvAsync(sh, g2.hdr), rcOk);
  assert.is(g2.hdr.threadId, g1.hdr.threadId, 'the client reused its thread');
  const stale = outMsg(4);
  stale.hdr.threadId = g1.hdr.threadId;
  is(server.Reply(sh, stale.hdr), rcOk, 'the same live thread: the reply reaches its current call');
  is(await c2, rcOk);
  await kernel.shutdown();
});

test.run();
