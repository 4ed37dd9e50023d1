// Messages checked as hostile input: a server that declared its interface never receives a
// request whose descriptors break its shape, and a client never receives such a response. A
// rejected request returns rcInvalidArgument and changes nothing: after it, the server's next
// message is the next valid one; a rejected response ends the call it answers, which returns
// rcInvalidArgument too (docs/message-format.md section 5).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Kernel, SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, nk_err_reset, nk_msg_set_method_id,
  nk_message_set_size, nk_message_set_ncaps, nk_arena_init, nk_arena_store, nk_arena_store_string,
  nk_arena_get_string, rcOk, rcInvalidArgument, rcBufferTooLarge, retcodeName,
  MAX_SHAPE_DESCRIPTORS, type NkArena, type Process, type IdlInterface, type Retcode,
} from 'kos-ipc';
import { newKernel, shutdownAll } from './helpers.js';

test.after.each(shutdownAll);

const SHOP: IdlInterface = {
  types: { Point: { x: 'UInt32', y: 'UInt16', flags: 'UInt8' } },
  methods: [
    { name: 'Ping', in: { value: 'UInt32' }, out: { result: 'UInt32' } },
    { name: 'Echo', in: { value: 'string<4>' }, out: { result: 'string<4>' }, error: { code: 'UInt32' } },
    { name: 'Pair', in: { a: 'string<8>', b: 'string<8>' } },
    { name: 'Draw', in: { points: 'sequence<Point, 4>' } },
    { name: 'Wide', shapes: { request: { minSize: 32, maxSize: 32, descriptors: [{ field: 24, unit: 1, align: 1, max: 4 << 20 }] } } },
  ],
};

interface Env { kernel: Kernel; server: Process; client: Process; sh: number; ch: number }

async function env(interfaces: boolean | IdlInterface = true): Promise<Env> {
  const kernel = await newKernel();
  const server = kernel.createProcess('Server', interfaces === false ? { endpoints: { main: 'Shop' } }
    : { endpoints: { main: 'Shop' }, interfaces: { Shop: interfaces === true ? SHOP : interfaces } });
  const client = kernel.createProcess('Client');
  kernel.connect(client, server, 'shop');
  return { kernel, server, client, sh: server.ServiceLocatorRegister('shop'), ch: client.ServiceLocatorConnect('shop') };
}

interface Msg { c: Uint8Array; arena: NkArena; hdr: SMsgHdr }

/** A message to method `mid` of RIID 0: `size` bytes of constant part, an arena of 64 bytes. */
function msg(mid: number, size = 32, build: (c: Uint8Array, a: NkArena) => void = () => {}): Msg {
  const c = new Uint8Array(size);
  const arena = nk_arena_init(new Uint8Array(64));
  nk_req_reset(c);
  nk_msg_set_method_id(c, 0, mid);
  build(c, arena);
  const hdr = new SMsgHdr();
  PackOutMsg(hdr, c, arena);
  return { c, arena, hdr };
}

function inbox(): Msg {
  const m = { c: new Uint8Array(64), arena: nk_arena_init(new Uint8Array(64)), hdr: new SMsgHdr() };
  PackInMsg(m.hdr, m.c, m.arena);
  return m;
}

const setU32 = (c: Uint8Array, at: number, v: number): void => new DataView(c.buffer, c.byteOffset).setUint32(at, v >>> 0, true);
const ping = (v: number): Msg => msg(0, 28, (c) => setU32(c, 24, v));

/** Settles `p`, or reports 'hung' if it has not within 2 s (a guard, not a timing assertion). */
async function settle<T>(p: Promise<T>): Promise<T | 'hung'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<'hung'>((r) => { timer = setTimeout(() => r('hung'), 2000); });
  try { return await Promise.race([p, guard]); } finally { clearTimeout(timer); }
}

/** The request is refused with `rc` while the server waits, which then receives the next valid call. */
async function refused(e: Env, bad: Msg, rc: Retcode = rcInvalidArgument): Promise<void> {
  const got = inbox();
  const recv = e.server.RecvAsync(e.sh, got.hdr);
  const r = await settle(e.client.CallAsync(e.ch, bad.hdr, inbox().hdr));
  assert.is(typeof r === 'number' ? retcodeName(r) : r, retcodeName(rc));
  const reply = inbox();
  const next = e.client.CallAsync(e.ch, ping(4242).hdr, reply.hdr);
  assert.is(await settle(recv), rcOk);
  assert.equal(Array.from(got.c.subarray(0, 28)), Array.from(ping(4242).c), 'the server sees the next valid call');
  assert.is(e.server.Reply(e.sh, msg(0, 32, (c) => setU32(c, 24, 1)).hdr), rcOk);
  assert.is(await settle(next), rcOk);
}

/** The request reaches the server byte for byte; returns what the server received. */
async function delivered(e: Env, m: Msg): Promise<Msg> {
  const got = inbox();
  const recv = e.server.RecvAsync(e.sh, got.hdr);
  const call = e.client.CallAsync(e.ch, m.hdr, inbox().hdr);
  assert.is(await settle(recv), rcOk);
  const size = new DataView(m.c.buffer).getUint32(0, true);
  assert.equal(Array.from(got.c.subarray(0, size)), Array.from(m.c.subarray(0, size)));
  assert.equal(Array.from(got.arena.buffer.subarray(0, got.arena.used)), Array.from(m.arena.buffer.subarray(0, m.arena.used)));
  assert.is(e.server.Reply(e.sh, msg(0, 32).hdr), rcOk);
  assert.is(await settle(call), rcOk);
  return got;
}

function ptrAt(c: Uint8Array, field: number, offset: number, size: number): void {
  setU32(c, field, offset);
  setU32(c, field + 4, size);
}

// ---- requests ----------------------------------------------------------------------------

test('a request that matches its declared shape is delivered byte for byte', async () => {
  const e = await env();
  await delivered(e, msg(2, 40, (c, a) => { nk_arena_store_string(a, c, 24, 'left'); nk_arena_store_string(a, c, 32, 'right'); }));
  await e.kernel.shutdown();
});

test('rejects an arena descriptor that ends past the used arena', async () => {
  const e = await env();
  await refused(e, msg(1, 32, (c, a) => { nk_arena_store_string(a, c, 24, 'ab'); ptrAt(c, 24, 0, 4); }));
  await e.kernel.shutdown();
});

test('rejects an arena descriptor that starts past the used arena, even with size 0', async () => {
  const e = await env();
  await refused(e, msg(1, 32, (c, a) => { nk_arena_store_string(a, c, 24, 'ab'); ptrAt(c, 24, 4, 0); }));
  await e.kernel.shutdown();
});

test('rejects a size that overflows u32 when added to the offset', async () => {
  const e = await env();
  // 0xFFFFFFF8 + 0x10 wraps to 8, inside the 16 used bytes for a check without overflow care
  await refused(e, msg(4, 32, (c, a) => { a.used = 16; ptrAt(c, 24, 0xfffffff8, 0x10); }));
  await refused(e, msg(4, 32, (c, a) => { a.used = 16; ptrAt(c, 24, 8, 0xfffffffc); }));
  await e.kernel.shutdown();
});

test('rejects a segment larger than the declared maximum even when the arena holds it', async () => {
  const e = await env();
  await refused(e, msg(1, 32, (c, a) => nk_arena_store_string(a, c, 24, 'abcde'))); // 6 bytes, string<4> takes 5
  await e.kernel.shutdown();
});

test('rejects a segment misaligned for its element type', async () => {
  const e = await env();
  await refused(e, msg(3, 32, (c, a) => { a.used = 24; ptrAt(c, 24, 2, 16); }));
  await e.kernel.shutdown();
});

test('rejects a size that is not a whole number of elements', async () => {
  const e = await env();
  await refused(e, msg(3, 32, (c, a) => { a.used = 24; ptrAt(c, 24, 0, 12); })); // 1.5 Points
  await e.kernel.shutdown();
});

test('rejects a string whose last byte is not zero', async () => {
  const e = await env();
  await refused(e, msg(1, 32, (c, a) => { nk_arena_store(Uint8Array, a, c, 24, [0x61, 0x62, 0x63]); }));
  await e.kernel.shutdown();
});

test('accepts an empty segment {0, 0} for a string and for a sequence', async () => {
  const e = await env();
  await delivered(e, msg(1, 32, (c) => ptrAt(c, 24, 0, 0)));
  await delivered(e, msg(3, 32, (c, a) => { a.used = 8; ptrAt(c, 24, 8, 0); }));
  await e.kernel.shutdown();
});

test('rejects overlapping descriptors', async () => {
  const e = await env();
  await refused(e, msg(2, 40, (c, a) => { nk_arena_store_string(a, c, 24, 'shared'); ptrAt(c, 32, 2, 5); }));
  await refused(e, msg(2, 40, (c, a) => { nk_arena_store_string(a, c, 24, 'same'); ptrAt(c, 32, 0, 5); }));
  await e.kernel.shutdown();
});

test('an empty segment never overlaps, even at another segment\'s offset', async () => {
  const e = await env();
  await delivered(e, msg(2, 40, (c, a) => { nk_arena_store_string(a, c, 24, 'x'); ptrAt(c, 32, 0, 0); }));
  await e.kernel.shutdown();
});

test('rejects a size field below the end of the last parameter or above sizeof the request', async () => {
  const e = await env();
  await refused(e, msg(0, 28, (c) => nk_message_set_size(c, 26)));
  await refused(e, msg(0, 40, (c) => nk_message_set_size(c, 40)));
  await delivered(e, msg(0, 32)); // 28 to 32 are accepted
  await e.kernel.shutdown();
});

test('rejects a request marked as an error response', async () => {
  const e = await env();
  await refused(e, msg(0, 28, (c) => { nk_err_reset(c); nk_msg_set_method_id(c, 0, 0); }));
  await e.kernel.shutdown();
});

test('header checks come first: a message over 4 MiB is rcBufferTooLarge, descriptors past the constant part rcInvalidArgument', async () => {
  const e = await env();
  const big = msg(4, 32);
  const arena = nk_arena_init(new Uint8Array((4 << 20) - 16));
  arena.used = arena.capacity;
  PackOutMsg(big.hdr, big.c, arena);
  await refused(e, big, rcBufferTooLarge);
  await refused(e, msg(1, 32, (c) => nk_message_set_ncaps(c, 1)), rcInvalidArgument);
  await e.kernel.shutdown();
});

test('a request to a method the server did not declare gets the header checks only', async () => {
  const e = await env();
  const got = await delivered(e, msg(9, 32, (c) => ptrAt(c, 24, 0xfffffff8, 0x10)));
  assert.is(nk_arena_get_string(got.arena, got.c, 24), null, 'the receiver\'s nk_arena_get still refuses it');
  await e.kernel.shutdown();
});

test('a server that declared no interface receives descriptors unchecked', async () => {
  const e = await env(false);
  await delivered(e, msg(1, 32, (c, a) => { nk_arena_store_string(a, c, 24, 'ab'); ptrAt(c, 24, 0, 40); }));
  await e.kernel.shutdown();
});

// ---- responses ---------------------------------------------------------------------------

/** A call to Echo received by the server; returns the client's pending call and its inbox. */
async function echoCall(e: Env): Promise<{ call: Promise<Retcode>; reply: Msg }> {
  const reply = inbox();
  const call = e.client.CallAsync(e.ch, msg(1, 32, (c, a) => nk_arena_store_string(a, c, 24, 'hi')).hdr, reply.hdr);
  assert.is(await e.server.RecvAsync(e.sh, inbox().hdr), rcOk);
  return { call, reply };
}

test('rejects a response whose descriptor ends past its arena, and the waiting call ends with rcInvalidArgument', async () => {
  const e = await env();
  const { call } = await echoCall(e);
  assert.is(e.server.Reply(e.sh, msg(1, 32, (c, a) => { nk_arena_store_string(a, c, 24, 'ok'); ptrAt(c, 24, 0, 4); }).hdr), rcInvalidArgument);
  assert.is(await settle(call), rcInvalidArgument);
  assert.is(e.server.Reply(e.sh, msg(1, 32, (c, a) => nk_arena_store_string(a, c, 24, 'ok')).hdr), rcInvalidArgument, 'no call is left to answer');
  const next = await echoCall(e);
  assert.is(e.server.Reply(e.sh, msg(1, 32, (c, a) => nk_arena_store_string(a, c, 24, 'ok')).hdr), rcOk);
  assert.is(await settle(next.call), rcOk);
  assert.is(nk_arena_get_string(next.reply.arena, next.reply.c, 24), 'ok');
  await e.kernel.shutdown();
});

test('an error response is checked against the error shape, not the results shape', async () => {
  const e = await env();
  const err = (size: number): Msg => msg(1, 32, (c) => { nk_err_reset(c, size); nk_msg_set_method_id(c, 0, 1); setU32(c, 24, 7); });
  const first = await echoCall(e);
  assert.is(e.server.Reply(e.sh, err(24).hdr), rcInvalidArgument, 'the error struct has a UInt32 code: 28 bytes');
  assert.is(await settle(first.call), rcInvalidArgument);
  const second = await echoCall(e);
  assert.is(e.server.Reply(e.sh, err(28).hdr), rcOk, 'bytes 24..28 are a code, not a descriptor');
  assert.is(await settle(second.call), rcOk);
  assert.equal(Array.from(second.reply.c.subarray(0, 4)), [28, 0, 0, 0]);
  await e.kernel.shutdown();
});

test('rejects a response whose type is neither results nor error, ending the call', async () => {
  const e = await env();
  const { call } = await echoCall(e);
  const bad = msg(1, 32, (c, a) => { nk_arena_store_string(a, c, 24, 'ok'); setU32(c, 4, 2); });
  assert.is(e.server.Reply(e.sh, bad.hdr), rcInvalidArgument);
  assert.is(await settle(call), rcInvalidArgument);
  await e.kernel.shutdown();
});

// ---- delivery of queued requests -----------------------------------------------------------

test('a queued request whose size field grows in place after Call is refused on both sides at delivery', async () => {
  const e = await env(false);
  const req = e.client.alloc(32);
  e.server.alloc(32).fill(0x53); // another process's bytes after the request
  nk_req_reset(req);
  const out = new SMsgHdr();
  PackOutMsg(out, req, null);
  const call = e.client.CallAsync(e.ch, out, inbox().hdr);
  nk_message_set_size(req, 256);
  const got = { c: new Uint8Array(256), hdr: new SMsgHdr() };
  PackInMsg(got.hdr, got.c, null);
  assert.is(await settle(e.server.RecvAsync(e.sh, got.hdr)), rcInvalidArgument);
  assert.is(await settle(call), rcInvalidArgument);
  assert.not.ok(got.c.includes(0x53), 'no byte past the request reached the server');
  await refused(e, msg(0, 32, (c) => nk_message_set_size(c, 33))); // the channel still works
  await e.kernel.shutdown();
});

test('a queued request whose descriptor is changed in place after Call is refused at delivery', async () => {
  const e = await env();
  const req = e.client.alloc(32);
  const arena = nk_arena_init(e.client.alloc(16));
  nk_req_reset(req);
  nk_msg_set_method_id(req, 0, 1);
  nk_arena_store_string(arena, req, 24, 'ok');
  const out = new SMsgHdr();
  PackOutMsg(out, req, arena);
  const call = e.client.CallAsync(e.ch, out, inbox().hdr);
  ptrAt(req, 24, 0, 16);
  assert.is(await settle(e.server.RecvAsync(e.sh, inbox().hdr)), rcInvalidArgument);
  assert.is(await settle(call), rcInvalidArgument);
  await e.kernel.shutdown();
});

// ---- declarations ------------------------------------------------------------------------

test('declareInterface by endpoint name or RIID makes the kernel check that endpoint from then on', async () => {
  const e = await env(false);
  const bad = (): Msg => msg(1, 32, (c, a) => { nk_arena_store_string(a, c, 24, 'ab'); ptrAt(c, 24, 0, 40); });
  await delivered(e, bad());
  e.kernel.declareInterface('Server', 'Server.main', SHOP);
  await refused(e, bad());
  const other = await env(false);
  other.kernel.declareInterface(other.server, 0, SHOP);
  await refused(other, bad());
  await e.kernel.shutdown();
  await other.kernel.shutdown();
});

test('declareInterface refuses an unknown endpoint and a second declaration of the same method', async () => {
  const e = await env();
  assert.throws(() => e.kernel.declareInterface(e.server, 'nope', SHOP), /declareInterface: process "Server" has no endpoint "nope" \(its endpoints: main\)/);
  assert.throws(() => e.kernel.declareInterface(e.server, 'main', SHOP), /the request of method 0 of endpoint 0 of "Server" is already declared/);
  assert.throws(() => e.kernel.declareInterface('Nobody', 0, SHOP), /declareInterface: not a live process of this kernel: Nobody/);
  await e.kernel.shutdown();
});

test('createProcess refuses an interface no endpoint names and a bad type, creating nothing', async () => {
  const kernel = await newKernel();
  assert.throws(() => kernel.createProcess('A', { endpoints: { main: 'Shop' }, interfaces: { Shopp: SHOP } }),
    /createProcess: interfaces.Shopp is described but no endpoint has that interface/);
  assert.throws(() => kernel.createProcess('B', { endpoints: { main: 'X' }, interfaces: { X: { methods: [{ name: 'M', in: { v: 'UInt7' } }] } } }),
    /createProcess: interfaces.X method M in.v: unknown IDL type "UInt7"/);
  assert.equal(kernel.processes, []);
  await kernel.shutdown();
});

test('the shapes of an ended process are forgotten: a new process in its slot starts undeclared', async () => {
  const e = await env();
  const index = e.server.index;
  await e.kernel.terminate(e.server);
  const server = e.kernel.createProcess('Server2', { endpoints: { main: 'Shop' } });
  assert.is(server.index, index);
  e.kernel.connect(e.client, server, 'shop2');
  const e2 = { ...e, server, sh: server.ServiceLocatorRegister('shop2'), ch: e.client.ServiceLocatorConnect('shop2') };
  await delivered(e2, msg(1, 32, (c, a) => { nk_arena_store_string(a, c, 24, 'abcdefgh'); }));
  await e.kernel.shutdown();
});

test('the kernel\'s shape table holds 512 shapes and says so when full', async () => {
  const kernel = await newKernel();
  const methods = Array.from({ length: 171 }, (_, i) => ({ name: `M${i}` }));
  assert.throws(() => kernel.createProcess('Big', { endpoints: { main: 'I' }, interfaces: { I: { methods } } }),
    /createProcess: the kernel's shape table is full \(512 message shapes\)/);
  await kernel.shutdown();
});

test('the core takes 14 descriptors per shape and refuses a 15th, as MAX_SHAPE_DESCRIPTORS says', async () => {
  assert.is(MAX_SHAPE_DESCRIPTORS, 14);
  const kernel = await newKernel();
  const descriptors = (n: number): { field: number; unit: number; align: number; max: number }[] =>
    Array.from({ length: n }, (_, i) => ({ field: 24 + i * 8, unit: 1, align: 1, max: 8 }));
  const raw = (n: number): IdlInterface => ({ methods: [{ name: 'M', shapes: { request: { minSize: 24 + n * 8, maxSize: 24 + n * 8, descriptors: descriptors(n) } } }] });
  kernel.createProcess('Fourteen', { endpoints: { main: 'I' }, interfaces: { I: raw(14) } });
  assert.throws(() => kernel.createProcess('Fifteen', { endpoints: { main: 'I' }, interfaces: { I: raw(15) } }),
    /more than 14 descriptors|at most 14/);
  await kernel.shutdown();
});

test.run();
