// Handles in messages: transfer in requests and responses (across workers and in one realm),
// rights that only shrink, hostile descriptors refused with nothing changed, dereference with
// its context, callable handles and their self identity, SIDs and policy rules by SID.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  rcOk, rcInvalidArgument, rcInvalidOperation, rcNoCapability, rcSecurityDisallow, rcHandleRevoked,
  OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID, OCAP_HANDLE_COPY, OCAP_HANDLE_SET_EVENT,
  OCAP_IPC_CALL, OCAP_RIGHTS_SAME, HANDLE_TYPE_USER_FIRST, INVALID_HANDLE, INVALID_RIID, NK_EOK, NK_EPERM,
  NK_ENOENT, NK_TRUE, NK_FALSE, nk_handle_desc, nk_msg_get_self, nk_message_get_iid,
  nk_is_handle_dereferenced, nk_get_handle, nk_get_rights, nk_msg_set_ncaps,
  type Handle,
} from 'kos-ipc';
import { is, newKernel, shutdownAll, fixture } from './helpers.js';
import {
  userObject, notice, badge, copyOf, sidOf, sid, digest, sameStats, capsMsg, capsIn, sendInRequest,
  sendInResponse, channel, trio, serverOp,
} from './caps_helpers.js';
import {
  OP_SID, OP_SEND_BACK, OP_MAKE, OP_DEREF, OP_SELF, OP_CALLABLE, OP_EXIT, OP_SID_OF, textHash,
} from './fixtures/caps_ops.js';

test.after.each(shutdownAll);

const T = OCAP_HANDLE_TRANSFER, S = OCAP_HANDLE_GET_SID, C = OCAP_HANDLE_COPY;

// ---- across workers ------------------------------------------------------------------------

test('a worker receives a handle in a request, reads the same SID with it, and sends it back as the sender\'s own handle', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'Srv', 'caps');
  const srv = await kernel.spawn('Srv', fixture('caps_server'));
  const ch = main.ServiceLocatorConnect('caps');
  const h = userObject(main, T | S);
  const r = await serverOp(main, ch, OP_SID, 0, [nk_handle_desc(h)]);
  is(r.rc, rcOk);
  is(r.r[0]! | 0, rcOk, 'the worker may read the SID: the rights travelled');
  assert.is(r.r[1], sid(main, h), 'one SID in both processes');
  assert.is(r.r[3], NK_FALSE, 'a transfer, not a dereference');
  assert.is.not(r.r[2], h, 'the worker got its own handle value');
  const back = await serverOp(main, ch, OP_SEND_BACK, r.r[2]);
  is(back.rc, rcOk);
  assert.ok(back.desc);
  assert.is(nk_is_handle_dereferenced(back.desc!), NK_TRUE);
  assert.is(nk_get_handle(back.desc!), h, 'the sender gets its own handle back, no new one');
  assert.is(nk_get_rights(back.desc!), T | S);
  is((await serverOp(main, ch, OP_EXIT)).rc, rcOk);
  assert.equal(await srv.exited, { code: 0 });
  await kernel.terminate(main);
  sameStats(kernel, base, 'after both processes ended:');
});

test('a worker sends a handle it made in a response; the receiver uses it and sends it back, and the worker gets its context', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'Srv', 'caps');
  const srv = await kernel.spawn('Srv', fixture('caps_server'));
  const ch = main.ServiceLocatorConnect('caps');
  const made = await serverOp(main, ch, OP_MAKE, T | S | C);
  is(made.rc, rcOk);
  const h = made.desc!.handle;
  assert.is(nk_is_handle_dereferenced(made.desc!), NK_FALSE);
  assert.is(sid(main, h), made.r[1], 'the SID the worker read');
  const narrowed = copyOf(main, h, T | S);
  const d = await serverOp(main, ch, OP_DEREF, 0, [nk_handle_desc(narrowed)]);
  is(d.rc, rcOk);
  assert.equal(d.r, [NK_TRUE, NK_EOK, 4242, T | S], 'dereferenced, the context 4242, the rights of the handle sent');
  const s = await serverOp(main, ch, OP_SID_OF, made.r[2]);
  assert.equal([s.r[0]! | 0, s.r[1]], [rcOk, made.r[1]], 'the worker keeps its own handle');
  is((await serverOp(main, ch, OP_EXIT)).rc, rcOk);
  await srv.exited;
  assert.equal(sidOf(main, h), { rc: rcOk, sid: made.r[1]! }, 'the resource lives on while a handle to it does');
  await kernel.terminate(main);
  sameStats(kernel, base);
});

test('a blocking Call from a worker carries its task handle, which the receiver keeps after the worker ends', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'Srv', 'caps');
  const srv = await kernel.spawn('Srv', fixture('caps_server'));
  const ch = main.ServiceLocatorConnect('caps');
  const r = await serverOp(main, ch, 10 /* OP_TASK */);
  is(r.rc, rcOk);
  const task = r.desc!.handle;
  const first = sid(main, task);
  is((await serverOp(main, ch, OP_EXIT)).rc, rcOk);
  await srv.exited;
  assert.is(sid(main, task), first, 'the task object lives while a handle names it');
  is(main.KnHandleClose(task), rcOk, 'a task handle received from another process may be closed');
  await kernel.terminate(main);
  sameStats(kernel, base);
});

// ---- rights only shrink ----------------------------------------------------------------------

test('a descriptor asking for rights the sender lacks is refused with rcSecurityDisallow and changes nothing', async () => {
  const kernel = await newKernel();
  const [a, b] = [kernel.createProcess('A'), kernel.createProcess('B')];
  const { ch, sh } = channel(kernel, a, b, 'ab');
  const h = userObject(a, T | S);
  is((await sendInRequest(a, ch, b, sh, [nk_handle_desc(h)])).rc, rcOk, 'warm-up: threads and buffers exist');
  const before = digest(kernel), stats = kernel.stats();
  for (const wider of [T | S | C, T | S | OCAP_HANDLE_SET_EVENT, 0xffff, T | 0x100]) {
    is((await sendInRequest(a, ch, b, sh, [nk_handle_desc(h, wider)])).rc, rcSecurityDisallow, `rights 0x${wider.toString(16)}`);
  }
  assert.is(digest(kernel), before, 'the kernel\'s tables are as they were');
  sameStats(kernel, stats);
});

test('rights narrowed on a transfer stay narrowed: OCAP_RIGHTS_SAME passes on the narrowed rights, and asking for more fails', async () => {
  const kernel = await newKernel();
  const { procs: [a, b, c], link } = await trio(kernel);
  const h = userObject(a!, T | S | C);
  const ab = link(a!, b!), bc = link(b!, c!);
  const toB = await sendInRequest(a!, ab.ch, b!, ab.sh, [nk_handle_desc(h, T | C)]);
  is(toB.rc, rcOk);
  const hb = toB.got[0]!.handle;
  assert.is(nk_get_rights(toB.got[0]!), T | C);
  is(sidOf(b!, hb).rc, rcNoCapability, 'no OCAP_HANDLE_GET_SID after the narrowing');
  const toC = await sendInRequest(b!, bc.ch, c!, bc.sh, [nk_handle_desc(hb, OCAP_RIGHTS_SAME)]);
  is(toC.rc, rcOk);
  assert.is(nk_get_rights(toC.got[0]!), T | C, 'OCAP_RIGHTS_SAME gives the sender\'s rights, not the root\'s');
  is(sidOf(c!, toC.got[0]!.handle).rc, rcNoCapability);
  is((await sendInRequest(b!, bc.ch, c!, bc.sh, [nk_handle_desc(hb, T | S)])).rc, rcSecurityDisallow, 'wider than the sender\'s');
  is((await sendInRequest(b!, bc.ch, c!, bc.sh, [nk_handle_desc(hb, T | C | S)])).rc, rcSecurityDisallow);
  // copies only shrink too
  const out: { outHandle?: Handle } = {};
  is(b!.KnHandleCopy(hb, T | C | S, INVALID_HANDLE, out), rcNoCapability, 'KnHandleCopy with a wider mask');
  assert.is(out.outHandle, INVALID_HANDLE);
  const same = copyOf(b!, hb, OCAP_RIGHTS_SAME);
  is(b!.KnHandleCopy(same, T | C | S, INVALID_HANDLE, out), rcNoCapability, 'a copy cannot regain what its source lacked');
  const narrow = copyOf(b!, same, C);
  is(b!.KnHandleCopy(narrow, C | T, INVALID_HANDLE, out), rcNoCapability);
  // the dereference reports the rights of the handle sent, never the receiver's own
  const back = await sendInRequest(c!, link(c!, a!).ch, a!, link(c!, a!).sh, [nk_handle_desc(toC.got[0]!.handle, T)]);
  is(back.rc, rcOk);
  assert.is(nk_get_handle(back.got[0]!), h);
  assert.is(nk_get_rights(back.got[0]!), T, 'the rights sent: narrower than the receiver\'s own handle');
});

test('a handle without OCAP_HANDLE_TRANSFER cannot be sent on, in a request or a response, nor through a copy of it', async () => {
  const kernel = await newKernel();
  const { procs: [a, b, c], link } = await trio(kernel);
  const h = userObject(a!, T | S | C);
  const toB = await sendInRequest(a!, link(a!, b!).ch, b!, link(a!, b!).sh, [nk_handle_desc(h, S | C)]);
  is(toB.rc, rcOk);
  const hb = toB.got[0]!.handle;
  const stats = kernel.stats();
  for (const rights of [OCAP_RIGHTS_SAME, S, 0]) {
    is((await sendInRequest(b!, link(b!, c!).ch, c!, link(b!, c!).sh, [nk_handle_desc(hb, rights)])).rc, rcSecurityDisallow);
  }
  const cp = copyOf(b!, hb, OCAP_RIGHTS_SAME);
  is((await sendInRequest(b!, link(b!, c!).ch, c!, link(b!, c!).sh, [nk_handle_desc(cp)])).rc, rcSecurityDisallow, 'a copy has no more rights');
  const res = await sendInResponse(b!, link(c!, b!).sh, c!, link(c!, b!).ch, [nk_handle_desc(hb)]);
  is(res.rc, rcSecurityDisallow, 'Reply is refused');
  is(res.callRc, rcSecurityDisallow, 'the call it answered ends with the same code');
  is(b!.KnHandleClose(cp), rcOk);
  sameStats(kernel, stats, 'no handle was made in C:');
});

test('a response asking for wider rights is refused, ends the call with rcSecurityDisallow and makes no handle', async () => {
  const kernel = await newKernel();
  const [a, b] = [kernel.createProcess('A'), kernel.createProcess('B')];
  const { ch, sh } = channel(kernel, b, a, 'ba');
  const h = userObject(a, T);
  const stats = kernel.stats();
  const r = await sendInResponse(a, sh, b, ch, [nk_handle_desc(h, T | S)]);
  is(r.rc, rcSecurityDisallow);
  is(r.callRc, rcSecurityDisallow);
  sameStats(kernel, stats);
  const good = await sendInResponse(a, sh, b, ch, [nk_handle_desc(h, T)]);
  is(good.rc, rcOk);
  is(good.callRc, rcOk);
  assert.is(nk_get_rights(good.got[0]!), T);
});

// ---- hostile descriptors ---------------------------------------------------------------------

test('a guessed, closed, revoked, foreign or INVALID_HANDLE value in a descriptor is refused and changes nothing', async () => {
  const kernel = await newKernel();
  const { procs: [a, b, c], link } = await trio(kernel);
  const ab = link(a!, b!);
  const live = userObject(a!, T | S | C);
  const closed = userObject(a!, T | S);
  is(a!.KnHandleClose(closed), rcOk);
  const parent = userObject(a!, T | S | C);
  const revoked = copyOf(a!, parent, T | S);
  is(a!.KnHandleRevokeEx(parent, false), rcOk);
  is(sidOf(a!, revoked).rc, rcHandleRevoked);
  const foreign = userObject(c!, T | S);
  const receivers = userObject(b!, T | S);
  const n = notice(a!);
  const closedBadge = badge(a!, n, 2);
  is(a!.KnHandleClose(closedBadge), rcOk);
  // warm-up: the thread, its staging buffer and the receiver's buffers exist before the digest
  is((await sendInRequest(a!, ab.ch, b!, ab.sh, [nk_handle_desc(live)])).rc, rcOk);
  const before = digest(kernel), stats = kernel.stats();
  const cases: [string, number, number][] = [
    ['a guessed value', 0x12345678, rcInvalidArgument],
    ['a small value', 1, rcInvalidArgument],
    ['a closed handle', closed, rcInvalidArgument],
    ['a revoked handle', revoked, rcHandleRevoked],
    ['another process\'s handle (C)', foreign, rcInvalidArgument],
    ['the receiver\'s own handle', receivers, rcInvalidArgument],
    ['INVALID_HANDLE', INVALID_HANDLE, rcInvalidArgument],
  ];
  for (const [what, v, want] of cases) {
    is((await sendInRequest(a!, ab.ch, b!, ab.sh, [nk_handle_desc(v)])).rc, want, what);
    // with a good handle before or after it: the good one is not transferred either
    is((await sendInRequest(a!, ab.ch, b!, ab.sh, [nk_handle_desc(live), nk_handle_desc(v)])).rc, want, `${what}, second`);
    is((await sendInRequest(a!, ab.ch, b!, ab.sh, [nk_handle_desc(v), nk_handle_desc(live)])).rc, want, `${what}, first`);
  }
  const badges: [string, number, number][] = [
    ['a guessed badge', 0x7777777, rcInvalidArgument],
    ['a closed badge', closedBadge, rcInvalidArgument],
    ['a handle that is no badge', n, rcInvalidOperation],
    ['another process\'s handle as badge', foreign, rcInvalidArgument],
  ];
  for (const [what, bv, want] of badges) {
    is((await sendInRequest(a!, ab.ch, b!, ab.sh, [nk_handle_desc(live, OCAP_RIGHTS_SAME, bv)])).rc, want, what);
  }
  assert.is(digest(kernel), before, 'the kernel\'s tables are as they were');
  sameStats(kernel, stats);
});

test('a descriptor region larger than the constant part, or more than 64 handles, gives rcInvalidArgument and changes nothing', async () => {
  const kernel = await newKernel();
  const [a, b] = [kernel.createProcess('A'), kernel.createProcess('B')];
  const { ch, sh } = channel(kernel, a, b, 'ab');
  const h = userObject(a, T | S);
  const big = capsMsg(Array.from({ length: 64 }, () => nk_handle_desc(h)), 0, 0, 65);
  nk_msg_set_ncaps(big.buf, 65); // descriptor 64 (past nk_msg_set_handle's range) written by hand
  new DataView(big.buf.buffer).setUint32(24 + 16 * 64, h, true);
  new DataView(big.buf.buffer).setUint32(24 + 16 * 64 + 4, OCAP_RIGHTS_SAME, true);
  // warm-up: the staging buffer grows to the largest message before the digest
  is(await a.CallAsync(ch, big.hdr, capsIn().hdr), rcInvalidArgument, '65 descriptors that fit the constant part');
  const before = digest(kernel), stats = kernel.stats();
  const m = capsMsg([nk_handle_desc(h)]); // 24 + 16 + 16 bytes: room for 2 descriptors
  for (const n of [3, 4, 65, 1000, 0xffffffff]) {
    nk_msg_set_ncaps(m.buf, n);
    is(await a.CallAsync(ch, m.hdr, capsIn().hdr), rcInvalidArgument, `ncaps ${n}`);
  }
  is(await a.CallAsync(ch, big.hdr, capsIn().hdr), rcInvalidArgument, 'again');
  assert.is(digest(kernel), before);
  sameStats(kernel, stats);
  // 64 is the limit, not refused
  const r = await sendInRequest(a, ch, b, sh, Array.from({ length: 64 }, () => nk_handle_desc(h)));
  is(r.rc, rcOk);
  assert.is(new Set(r.got.map((d) => d.handle)).size, 64, 'the same handle sent 64 times makes 64 handles');
});

test('a response with ncaps beyond its constant part is refused and ends the call with rcInvalidArgument', async () => {
  const kernel = await newKernel();
  const [a, b] = [kernel.createProcess('A'), kernel.createProcess('B')];
  const { ch, sh } = channel(kernel, b, a, 'ba');
  const h = userObject(a, T);
  const stats = kernel.stats();
  const call = b.CallAsync(ch, capsMsg([]).hdr, capsIn().hdr);
  const rin = capsIn();
  is(await a.RecvAsync(sh, rin.hdr), rcOk);
  const rep = capsMsg([nk_handle_desc(h)]);
  nk_msg_set_ncaps(rep.buf, 9);
  rep.hdr.threadId = rin.hdr.threadId;
  is(a.Reply(sh, rep.hdr), rcInvalidArgument);
  is(await call, rcInvalidArgument);
  sameStats(kernel, stats);
});

// ---- dereference -----------------------------------------------------------------------------

test('a handle sent back to the process that made its resource is dereferenced: its own handle, the rights sent and the context', async () => {
  const kernel = await newKernel();
  const { procs: [a, b, c], link } = await trio(kernel);
  const ctx = { name: 'resource' };
  const h = userObject(a!, T | S | C, ctx);
  const n = notice(a!);
  const bctx = { name: 'badge of B' };
  const bdg = badge(a!, n, 1, bctx);
  const plain = (await sendInRequest(a!, link(a!, b!).ch, b!, link(a!, b!).sh, [nk_handle_desc(h, T | S)])).got[0]!;
  const tagged = (await sendInRequest(a!, link(a!, b!).ch, b!, link(a!, b!).sh, [nk_handle_desc(h, T | S | C, bdg)])).got[0]!;
  assert.is(nk_is_handle_dereferenced(plain), NK_FALSE);
  assert.is(plain.badge, 0, 'a transfer carries no context');
  // B sends both back (in a request), and C passes a grandchild back (in a response)
  const back = await sendInRequest(b!, link(b!, a!).ch, a!, link(b!, a!).sh, [nk_handle_desc(plain.handle, S), nk_handle_desc(tagged.handle)]);
  is(back.rc, rcOk);
  const [dp, dt] = back.got as [ReturnType<typeof nk_handle_desc>, ReturnType<typeof nk_handle_desc>];
  assert.is(nk_is_handle_dereferenced(dp), NK_TRUE);
  assert.is(nk_get_handle(dp), h);
  assert.is(nk_get_rights(dp), S);
  const out: { badge?: unknown } = {};
  assert.is(a!.nk_get_badge_op(dp, S, out), NK_EOK);
  assert.is(out.badge, ctx, 'a plain transfer gives the resource\'s own context, the same object');
  assert.is(a!.nk_get_badge_op(dp, T, out), NK_EPERM, 'the handle sent lacks OCAP_HANDLE_TRANSFER');
  assert.is(out.badge, undefined);
  assert.is(nk_get_handle(dt), h);
  assert.is(nk_get_rights(dt), T | S | C);
  assert.is(a!.nk_get_badge_op(dt, T | S, out), NK_EOK);
  assert.is(out.badge, bctx, 'a transfer under a badge gives the badge\'s context');
  const toC = await sendInRequest(b!, link(b!, c!).ch, c!, link(b!, c!).sh, [nk_handle_desc(tagged.handle, T | S)]);
  const viaC = await sendInResponse(c!, link(a!, c!).sh, a!, link(a!, c!).ch, [nk_handle_desc(toC.got[0]!.handle)]);
  is(viaC.rc, rcOk);
  assert.is(nk_get_handle(viaC.got[0]!), h, 'a grandchild dereferences to the same handle');
  assert.is(a!.nk_get_badge_op(viaC.got[0]!, S, out), NK_EOK);
  assert.is(out.badge, bctx, 'the badge of the transfer that left A');
  // B, which holds an ancestor too, gets its own handle back from C
  const toB = await sendInRequest(c!, link(c!, b!).ch, b!, link(c!, b!).sh, [nk_handle_desc(toC.got[0]!.handle)]);
  assert.is(nk_get_handle(toB.got[0]!), tagged.handle);
  assert.is(nk_is_handle_dereferenced(toB.got[0]!), NK_TRUE);
  assert.is(b!.nk_get_badge_op(toB.got[0]!, 0, out), NK_ENOENT, 'B made neither the resource nor a badge: no context');
});

test('a context object keeps its identity in the realm that made it; a number or a string crosses to another thread of the process', async () => {
  const kernel = await newKernel();
  const p = kernel.createProcess('P'), q = kernel.createProcess('Q');
  const pq = channel(kernel, p, q, 'pq');
  kernel.connect(q, p, 'qp');
  const qp = q.ServiceLocatorConnect('qp');
  const thread = await kernel.spawnThread(p, fixture('caps_server'), ['qp']);
  const byNumber = userObject(p, T | S, 7);
  const ctx = { not: 'shareable' };
  const byObject = userObject(p, T | S, ctx);
  const text = 'a context string, ünïcode';
  const byString = userObject(p, T | S, text);
  const got = await sendInRequest(p, pq.ch, q, pq.sh, [nk_handle_desc(byNumber), nk_handle_desc(byObject), nk_handle_desc(byString)]);
  is(got.rc, rcOk);
  const n = await serverOp(q, qp, OP_DEREF, 0, [nk_handle_desc(got.got[0]!.handle)]);
  assert.equal(n.r6, [NK_TRUE, NK_EOK, 7, T | S, 1, 0], 'the worker thread of P reads the number');
  const str = await serverOp(q, qp, OP_DEREF, 0, [nk_handle_desc(got.got[2]!.handle)]);
  assert.equal(str.r6, [NK_TRUE, NK_EOK, 0xffffffff, T | S, 2, textHash(text)], 'and the string');
  const o = await serverOp(q, qp, OP_DEREF, 0, [nk_handle_desc(got.got[1]!.handle)]);
  assert.equal(o.r6.slice(0, 2), [NK_TRUE, NK_ENOENT], 'an object of the main realm is not readable in the worker');
  // in the realm that made it, the same object comes back
  const back = await sendInRequest(q, channel(kernel, q, p, 'q2p').ch, p, p.ServiceLocatorRegister('q2p'), [nk_handle_desc(got.got[1]!.handle)]);
  const out: { badge?: unknown } = {};
  assert.is(p.nk_get_badge_op(back.got[0]!, 0, out), NK_EOK);
  assert.is(out.badge, ctx, 'identity kept');
  is((await serverOp(q, qp, OP_EXIT)).rc, rcOk);
  await thread.exited;
});

// ---- callable handles --------------------------------------------------------------------

test('a call through a callable handle reaches its endpoint with INVALID_RIID, and the server reads its context from self', async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'Srv', 'caps');
  const srv = await kernel.spawn('Srv', fixture('caps_server'));
  const ch = main.ServiceLocatorConnect('caps');
  const r = await serverOp(main, ch, OP_CALLABLE, 3);
  is(r.rc, rcOk);
  const callable = r.desc!.handle;
  // the request says INVALID_RIID; the callable decides the endpoint
  const m = capsMsg([], OP_SELF, 0, 1);
  new DataView(m.buf.buffer).setUint16(8, INVALID_RIID, true);
  const res = capsIn(2);
  is(await main.CallAsync(callable, m.hdr, res.hdr), rcOk);
  const dv = new DataView(res.buf.buffer);
  assert.equal([0, 1, 2, 3].map((i) => dv.getUint32(40 + 4 * i, true)), [NK_EOK, 77, 3, OCAP_IPC_CALL | T]);
  // a call on the plain channel carries no self: no rights, no context
  const plain = await serverOp(main, ch, OP_SELF);
  assert.equal([plain.r[0], plain.r[3]], [NK_EPERM, 0]);
  is(main.KnHandleClose(callable), rcOk);
  is((await serverOp(main, ch, OP_EXIT)).rc, rcOk);
  await srv.exited;
  await kernel.terminate(main);
  sameStats(kernel, base);
});

test('a callable given under a badge tells the server which client calls: self gives the badge\'s context', async () => {
  const kernel = await newKernel();
  const s = kernel.createProcess('S'), x = kernel.createProcess('X'), y = kernel.createProcess('Y');
  const sx = channel(kernel, x, s, 'xs'), sy = channel(kernel, y, s, 'ys');
  const own: { listener?: Handle } = {};
  is(s.KnHandleCreateListener(own), rcOk);
  const ctx = { service: 'callable' };
  const out: { handle?: Handle } = {};
  is(s.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL | T | C, ctx, own.listener!, 5, out), rcOk);
  const n = notice(s);
  const forX = { client: 'X' }, forY = { client: 'Y' };
  const bx = badge(s, n, 1, forX), by = badge(s, n, 2, forY);
  const cx = (await sendInResponse(s, sx.sh, x, sx.ch, [nk_handle_desc(out.handle!, OCAP_IPC_CALL | T, bx)])).got[0]!.handle;
  const cy = (await sendInResponse(s, sy.sh, y, sy.ch, [nk_handle_desc(out.handle!, OCAP_IPC_CALL, by)])).got[0]!.handle;
  for (const [p, h, want, rights] of [[x, cx, forX, OCAP_IPC_CALL | T], [y, cy, forY, OCAP_IPC_CALL]] as const) {
    const req = capsMsg([]);
    new DataView(req.buf.buffer).setUint16(8, 0x1234, true); // any RIID: the callable's wins
    const call = p.CallAsync(h, req.hdr, capsIn().hdr);
    const rin = capsIn();
    is(await s.RecvAsync(own.listener!, rin.hdr), rcOk);
    assert.is(nk_message_get_iid(rin.buf), 5);
    const self = nk_msg_get_self(rin.buf);
    assert.is(nk_is_handle_dereferenced(self), NK_TRUE);
    assert.is(nk_get_rights(self), rights, 'the rights of the caller\'s callable handle');
    const got: { badge?: unknown } = {};
    assert.is(s.nk_get_badge_op(self, OCAP_IPC_CALL, got), NK_EOK);
    assert.is(got.badge, want, `the badge given with ${p.name}'s callable`);
    const rep = capsMsg([]);
    rep.hdr.threadId = rin.hdr.threadId;
    is(s.Reply(own.listener!, rep.hdr), rcOk);
    is(await call, rcOk);
  }
  // the server's own call through its callable: its context
  const call = s.CallAsync(out.handle!, capsMsg([]).hdr, capsIn().hdr);
  const rin = capsIn();
  is(await s.RecvAsync(own.listener!, rin.hdr), rcOk);
  const got: { badge?: unknown } = {};
  assert.is(s.nk_get_badge_op(nk_msg_get_self(rin.buf), OCAP_IPC_CALL, got), NK_EOK);
  assert.is(got.badge, ctx);
  const rep = capsMsg([]);
  rep.hdr.threadId = rin.hdr.threadId;
  is(s.Reply(own.listener!, rep.hdr), rcOk);
  is(await call, rcOk);
  // X cannot call after S revokes what it gave X; Y still can
  is(s.KnHandleRevokeSubtree(out.handle!, bx), rcOk);
  is(await x.CallAsync(cx, capsMsg([]).hdr, capsIn().hdr), rcHandleRevoked);
  const callY = y.CallAsync(cy, capsMsg([]).hdr, capsIn().hdr);
  const rin2 = capsIn();
  is(await s.RecvAsync(own.listener!, rin2.hdr), rcOk);
  rep.hdr.threadId = rin2.hdr.threadId;
  is(s.Reply(own.listener!, rep.hdr), rcOk);
  is(await callY, rcOk);
});

// ---- SIDs and the policy ----------------------------------------------------------------------

test('SIDs: one per resource, equal across transfers, copies and dereferences, distinct between resources', async () => {
  const kernel = await newKernel();
  const { procs: [a, b, c], link } = await trio(kernel);
  const h1 = userObject(a!, T | S | C), h2 = userObject(a!, T | S | C);
  const s1 = sid(a!, h1), s2 = sid(a!, h2);
  assert.is.not(s1, s2);
  assert.ok(s1 > 0 && s2 > 0);
  const got = await sendInRequest(a!, link(a!, b!).ch, b!, link(a!, b!).sh, [nk_handle_desc(h1), nk_handle_desc(h2)]);
  assert.equal([sid(b!, got.got[0]!.handle), sid(b!, got.got[1]!.handle)], [s1, s2]);
  const cp = copyOf(b!, got.got[0]!.handle, T | S);
  assert.is(sid(b!, cp), s1);
  const inC = await sendInResponse(b!, link(c!, b!).sh, c!, link(c!, b!).ch, [nk_handle_desc(cp)]);
  assert.is(sid(c!, inC.got[0]!.handle), s1);
  is(a!.KnHandleClose(h1), rcOk);
  assert.is(sid(c!, inC.got[0]!.handle), s1, 'the SID outlives the first handle');
  // a new resource never reuses a SID, not even of a resource that ended
  is(a!.KnHandleClose(h2), rcOk);
  is(b!.KnHandleClose(got.got[1]!.handle), rcOk);
  const seen = new Set([s1, s2]);
  for (let i = 0; i < 20; i++) {
    const h = userObject(a!, S);
    const v = sid(a!, h);
    assert.not.ok(seen.has(v), `SID ${v} reused`);
    seen.add(v);
    is(a!.KnHandleClose(h), rcOk);
  }
  // kernel objects have SIDs too: a listener, a client handle, a task
  const conn: { listener?: Handle; client?: Handle } = {};
  is(a!.KnHandleConnect(INVALID_HANDLE, conn), rcOk);
  const t = a!.KosTaskGetHandle(a!.KosTaskGetSelf());
  const more = [sid(a!, conn.listener!), sid(a!, conn.client!), sid(a!, t), sid(b!, b!.KosTaskGetHandle(b!.KosTaskGetSelf()))];
  assert.is(new Set([...more, ...seen]).size, more.length + seen.size);
});

test('a policy rule with a SID denies exactly the messages carrying that resource, in requests and in responses', async () => {
  const kernel = await newKernel();
  const { procs: [a, b, c], link } = await trio(kernel);
  const denied = userObject(a!, T | S | C), allowed = userObject(a!, T | S | C);
  const sd = sid(a!, denied);
  kernel.setPolicy({ default: 'grant', rules: [{ sid: sd, decision: 'deny' }] });
  const ab = link(a!, b!);
  is((await sendInRequest(a!, ab.ch, b!, ab.sh, [nk_handle_desc(allowed)])).rc, rcOk, 'warm-up');
  const before = digest(kernel);
  is((await sendInRequest(a!, ab.ch, b!, ab.sh, [nk_handle_desc(denied)])).rc, rcSecurityDisallow);
  is((await sendInRequest(a!, ab.ch, b!, ab.sh, [nk_handle_desc(allowed), nk_handle_desc(denied)])).rc, rcSecurityDisallow, 'one denied handle among others');
  assert.is(digest(kernel), before, 'a denied request changes nothing');
  is((await sendInRequest(a!, ab.ch, b!, ab.sh, [nk_handle_desc(copyOf(a!, denied, OCAP_RIGHTS_SAME))])).rc, rcSecurityDisallow, 'a copy has the same SID');
  // allow once by a more specific rule first, to pass the resource to B, then deny again
  kernel.setPolicy({ default: 'grant', rules: [{ sid: sd, dst: 'B', decision: 'grant' }, { sid: sd, decision: 'deny' }] });
  const inB = await sendInRequest(a!, ab.ch, b!, ab.sh, [nk_handle_desc(denied)]);
  is(inB.rc, rcOk);
  const bc = link(b!, c!);
  is((await sendInRequest(b!, bc.ch, c!, bc.sh, [nk_handle_desc(inB.got[0]!.handle)])).rc, rcSecurityDisallow, 'B cannot pass it on: the SID is the resource\'s');
  const res = await sendInResponse(b!, link(c!, b!).sh, c!, link(c!, b!).ch, [nk_handle_desc(inB.got[0]!.handle)]);
  is(res.rc, rcSecurityDisallow, 'nor in a response');
  is(res.callRc, rcSecurityDisallow);
  is((await sendInResponse(b!, link(c!, b!).sh, c!, link(c!, b!).ch, [])).rc, rcOk, 'a message without it passes');
});

test.run();
