// Which call a Reply reaches. Recv reports a token in msgIn.threadId that names the received
// call; a Reply carrying it reaches that call and no other, and threadId 0 answers the oldest
// call received. A call whose caller stopped waiting is never answered in place of a later one
// (docs/semantics.md §5).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel, rcOk, rcNotConnected, rcTimeout, rcInvalidArgument, INVALID_HANDLE } from 'kos-ipc';
import { outMsg, inMsg, valueOf, is, fixture, shutdownAll, type Msg, newKernel } from './helpers.js';
import { pair } from './pair.js';

test.after.each(shutdownAll);

/** A response carrying `value`, addressed to the call `to` received (0: the oldest). */
function answer(value: number, to: Msg | 0): Msg {
  const m = outMsg(value);
  m.hdr.threadId = to === 0 ? 0 : to.hdr.threadId;
  return m;
}

test('a server may receive several calls before replying, and Reply with threadId 0 answers the oldest', async () => {
  const { server, client, sh, ch } = await pair();
  const replies = [inMsg(), inMsg(), inMsg()];
  const calls = replies.map((r, i) => client.CallAsync(ch, outMsg(10 + i).hdr, r.hdr));
  const got = [inMsg(), inMsg(), inMsg()];
  for (const g of got) is(await server.RecvAsync(sh, g.hdr), rcOk);
  assert.equal(got.map(valueOf), [10, 11, 12]);
  assert.is(new Set(got.map((g) => g.hdr.threadId)).size, 3, 'each received call has its own threadId');
  for (let i = 0; i < 3; i++) is(server.Reply(sh, outMsg(100 + i).hdr), rcOk);
  for (const c of calls) is(await c, rcOk);
  assert.equal(replies.map(valueOf), [100, 101, 102]);
});

test('Reply with a threadId answers that call, whatever its place in the queue', async () => {
  const { server, client, sh, ch } = await pair();
  const r1 = inMsg(), r2 = inMsg();
  const c1 = client.CallAsync(ch, outMsg(1).hdr, r1.hdr);
  const c2 = client.CallAsync(ch, outMsg(2).hdr, r2.hdr);
  const g1 = inMsg(), g2 = inMsg();
  is(await server.RecvAsync(sh, g1.hdr), rcOk);
  is(await server.RecvAsync(sh, g2.hdr), rcOk);
  is(server.Reply(sh, answer(20, g2).hdr), rcOk);
  is(await c2, rcOk);
  assert.is(valueOf(r2), 20);
  is(server.Reply(sh, answer(10, g1).hdr), rcOk);
  is(await c1, rcOk);
  assert.is(valueOf(r1), 10);
});

test('two calls made one after the other on one client thread get different threadIds', async () => {
  const { server, client, sh, ch } = await pair();
  const c1 = client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr);
  const g1 = inMsg();
  is(await server.RecvAsync(sh, g1.hdr), rcOk);
  is(server.Reply(sh, answer(2, g1).hdr), rcOk);
  is(await c1, rcOk);
  const c2 = client.CallAsync(ch, outMsg(3).hdr, inMsg().hdr);
  const g2 = inMsg();
  is(await server.RecvAsync(sh, g2.hdr), rcOk);
  assert.is(g2.hdr.sender, g1.hdr.sender);
  assert.ok(g2.hdr.threadId !== g1.hdr.threadId, 'the token names the call, not the thread');
  is(server.Reply(sh, answer(4, g1).hdr), rcInvalidArgument, 'the first call was answered already');
  is(server.Reply(sh, answer(5, g2).hdr), rcOk);
  is(await c2, rcOk);
});

test('a late Reply to a call that timed out never reaches the same thread\'s next call (one realm)', async () => {
  const { server, client, sh, ch } = await pair();
  const ga = inMsg();
  const a = client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, 30, INVALID_HANDLE);
  is(await server.RecvAsync(sh, ga.hdr), rcOk);
  is(await a, rcTimeout);
  const rb = inMsg();
  const b = client.CallAsync(ch, outMsg(2).hdr, rb.hdr);
  const gb = inMsg();
  is(await server.RecvAsync(sh, gb.hdr), rcOk);
  assert.is(gb.hdr.sender, ga.hdr.sender);
  is(server.Reply(sh, answer(20, gb).hdr), rcOk, 'the answer to B reaches B');
  is(await b, rcOk);
  assert.is(valueOf(rb), 20);
  is(server.Reply(sh, answer(10, ga).hdr), rcNotConnected, 'the late answer to A finds its caller gone');
});

test('with threadId 0 a call that timed out stays first in line, so a late answer reaches it, not the next call', async () => {
  const { server, client, sh, ch } = await pair();
  const a = client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, 30, INVALID_HANDLE);
  const rb = inMsg();
  const b = client.CallAsync(ch, outMsg(2).hdr, rb.hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  is(await a, rcTimeout);
  is(server.Reply(sh, answer(10, 0).hdr), rcNotConnected, 'the oldest call, A, has no caller any more');
  is(server.Reply(sh, answer(20, 0).hdr), rcOk);
  is(await b, rcOk);
  assert.is(valueOf(rb), 20);
});

test('a call the server never answers does not stand in the way of the thread\'s later calls (one realm)', async () => {
  const { server, client, sh, ch } = await pair();
  const a = client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, 30, INVALID_HANDLE);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  is(await a, rcTimeout);
  for (let k = 2; k <= 4; k++) {
    const r = inMsg();
    const call = client.CallAsync(ch, outMsg(k).hdr, r.hdr);
    const g = inMsg();
    is(await server.RecvAsync(sh, g.hdr), rcOk);
    is(server.Reply(sh, answer(k * 10, g).hdr), rcOk);
    is(await call, rcOk);
    assert.is(valueOf(r), k * 10);
  }
});

/**
 * Serves a worker client running late_reply_caller: receives its first call (which times out
 * unanswered) and answers each later one by its threadId; with `answerFirstLate`, answers the
 * first call after the second, which must find its caller gone.
 */
async function serveLate(kernel: Kernel, later: number, answerFirstLate: boolean): Promise<void> {
  const server = kernel.createProcess('Server', { endpoints: { main: 'Echo' } });
  kernel.connect('Client', server, 'echo');
  const client = await kernel.spawn('Client', fixture('late_reply_caller'), { args: ['40', String(later)] });
  const sh = server.ServiceLocatorRegister('echo'); // the channel exists once both ends do
  const first = inMsg();
  is(await server.RecvAsync(sh, first.hdr), rcOk);
  for (let k = 0; k < later; k++) {
    const g = inMsg();
    is(await server.RecvAsync(sh, g.hdr), rcOk);
    is(server.Reply(sh, answer(valueOf(g) * 10, g).hdr), rcOk);
    if (k === 0 && answerFirstLate) is(server.Reply(sh, answer(999, first).hdr), rcNotConnected);
  }
  const exit = await client.exited;
  assert.is(exit.code, 0, String(exit.error));
}

test('a late Reply to a call that timed out never reaches the next call of a worker client', async () => {
  await serveLate(await newKernel(), 1, true);
});

test('a call the server never answers does not stand in the way of a worker client\'s later calls', async () => {
  await serveLate(await newKernel(), 3, false);
});

test.run();
