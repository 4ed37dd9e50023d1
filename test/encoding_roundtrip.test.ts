// Golden messages (the byte layouts of test/arena.test.ts and test/nk_msg.test.ts) sent through
// Call/Recv/Reply in one realm, to a server that declared its interface: every byte that
// arrives on either side is asserted. Copy one of these to test your own encoding.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Kernel, SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, nk_err_reset, nk_msg_set_method_id,
  nk_msg_check_err, nk_arena_init, nk_arena_store_string, nk_arena_get_string, nk_arena_alloc,
  nk_arena_get, rcOk, idlMethodLayout, type NkArena, type Process, type IdlInterface,
} from 'kos-ipc';
import { newKernel, shutdownAll } from './helpers.js';

test.after.each(shutdownAll);

const u32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const u16 = (v: number): number[] => [v & 0xff, v >>> 8];
/** An nk_message header: size, type, iid, mid, ncaps 0, self 0, reserved 0. */
const header = (size: number, iid: number, mid: number, type = 0): number[] =>
  [...u32(size), ...u32(type), ...u16(iid), ...u16(mid), ...u32(0), ...u32(0), ...u32(0)];
const ptr = (offset: number, size: number): number[] => [...u32(offset), ...u32(size)];
const ascii = (s: string): number[] => [...s].map((ch) => ch.charCodeAt(0));

const SHOP: IdlInterface = {
  types: { Point: { x: 'UInt32', y: 'UInt16', flags: 'UInt8' } },
  methods: [
    { name: 'Ping', in: { value: 'UInt32' }, out: { result: 'UInt32' } },
    { name: 'Echo', in: { value: 'string<256>' }, out: { result: 'string<256>' } },
    { name: 'Build', in: { txId: 'string<48>', amountCents: 'UInt32', currency: 'string<8>' },
      out: { id: 'string<64>' }, error: { status: 'UInt16' } },
    { name: 'Draw', in: { label: 'string<16>', points: 'sequence<Point, 4>' }, out: { count: 'UInt32' } },
  ],
};

interface Sent { c: Uint8Array; arena?: NkArena }
interface Got { c: Uint8Array; arena: NkArena; hdr: SMsgHdr }

/** A Shop server and a client on channel "shop"; the server's endpoint `main` is RIID 0. */
async function shop(): Promise<{ kernel: Kernel; server: Process; client: Process; sh: number; ch: number }> {
  const kernel = await newKernel();
  const server = kernel.createProcess('Server', { endpoints: { main: 'Shop' }, interfaces: { Shop: SHOP } });
  const client = kernel.createProcess('Client');
  kernel.connect(client, server, 'shop');
  return { kernel, server, client, sh: server.ServiceLocatorRegister('shop'), ch: client.ServiceLocatorConnect('shop') };
}

/** Receive buffers pre-filled with 0xCC, so that bytes not written stay visible. */
function buffers(c: number, a: number): Got {
  const got = { c: new Uint8Array(c).fill(0xcc), arena: nk_arena_init(new Uint8Array(a).fill(0xcc)), hdr: new SMsgHdr() };
  PackInMsg(got.hdr, got.c, got.arena);
  return got;
}

/** One Call: the server receives, `answer` builds the response, the client receives it. */
async function roundTrip(request: Sent, answer: (got: Got) => Sent): Promise<{ atServer: Got; atClient: Got }> {
  const { kernel, server, client, sh, ch } = await shop();
  const out = new SMsgHdr();
  PackOutMsg(out, request.c, request.arena ?? null);
  const atClient = buffers(64, 512);
  const call = client.CallAsync(ch, out, atClient.hdr);
  const atServer = buffers(64, 512);
  assert.is(await server.RecvAsync(sh, atServer.hdr), rcOk);
  const response = answer(atServer);
  const rh = new SMsgHdr();
  PackOutMsg(rh, response.c, response.arena ?? null);
  assert.is(server.Reply(sh, rh), rcOk);
  assert.is(await call, rcOk);
  await kernel.shutdown();
  return { atServer, atClient };
}

const head = (g: Got, n: number): number[] => Array.from(g.c.subarray(0, n));
const used = (g: Got): number[] => Array.from(g.arena.buffer.subarray(0, g.arena.used));

test('a 28-byte Ping request and its 32-byte UInt32 result arrive byte for byte', async () => {
  const req = new Uint8Array(28);
  nk_req_reset(req);
  nk_msg_set_method_id(req, 0, 0);
  new DataView(req.buffer).setUint32(24, 777, true);
  const { atServer, atClient } = await roundTrip({ c: req }, (got) => {
    const res = new Uint8Array(32);
    nk_req_reset(res);
    nk_msg_set_method_id(res, 0, 0);
    new DataView(res.buffer).setUint32(24, new DataView(got.c.buffer).getUint32(24, true) + 1, true);
    return { c: res };
  });
  assert.equal(head(atServer, 28), [...header(28, 0, 0), ...u32(777)]);
  assert.equal(Array.from(atServer.c.subarray(28, 32)), [0xcc, 0xcc, 0xcc, 0xcc]); // only 28 bytes travel
  assert.is(atServer.arena.used, 0);
  assert.equal(head(atClient, 32), [...header(32, 0, 0), ...u32(778), 0, 0, 0, 0]);
  assert.is(atClient.arena.used, 0);
});

test('a string<256> request carries a 32-byte constant part and only the used arena bytes', async () => {
  const req = new Uint8Array(32);
  const arena = nk_arena_init(new Uint8Array(257));
  nk_req_reset(req);
  nk_msg_set_method_id(req, 0, 1);
  assert.is(nk_arena_store_string(arena, req, 24, 'hello', 256), 0);
  const { atServer, atClient } = await roundTrip({ c: req, arena }, (got) => {
    const res = new Uint8Array(32);
    const ra = nk_arena_init(new Uint8Array(257));
    nk_req_reset(res);
    nk_msg_set_method_id(res, 0, 1);
    nk_arena_store_string(ra, res, 24, `${nk_arena_get_string(got.arena, got.c, 24)}!`, 256);
    return { c: res, arena: ra };
  });
  assert.equal(head(atServer, 32), [...header(32, 0, 1), ...ptr(0, 6)]);
  assert.equal(used(atServer), [...ascii('hello'), 0]);
  assert.is(atServer.arena.buffer[6], 0xcc);
  assert.equal(head(atClient, 32), [...header(32, 0, 1), ...ptr(0, 7)]);
  assert.equal(used(atClient), [...ascii('hello!'), 0]);
});

test('a request with two strings and a scalar arrives whole and an error response carries its status', async () => {
  const build = idlMethodLayout(SHOP.methods[2] as never, SHOP.types, 2);
  assert.equal(build.request.fields.map((f) => f.offset), [24, 32, 36]);
  const req = new Uint8Array(build.request.size);
  const arena = nk_arena_init(new Uint8Array(build.request.arenaSize));
  nk_req_reset(req);
  nk_msg_set_method_id(req, 0, 2);
  assert.is(nk_arena_store_string(arena, req, 24, 'TX-0001', 48), 0);
  new DataView(req.buffer).setUint32(32, 12345, true);
  assert.is(nk_arena_store_string(arena, req, 36, 'EUR', 8), 0);
  const { atServer, atClient } = await roundTrip({ c: req, arena }, () => {
    const err = new Uint8Array(build.error.size);
    nk_err_reset(err, 26);
    nk_msg_set_method_id(err, 0, 2);
    new DataView(err.buffer).setUint16(24, 0xbeef, true);
    return { c: err };
  });
  assert.equal(head(atServer, 48), [
    ...header(48, 0, 2), ...ptr(0, 8), ...u32(12345), ...ptr(8, 4), 0, 0, 0, 0,
  ]);
  assert.equal(used(atServer), [...ascii('TX-0001'), 0, ...ascii('EUR'), 0]);
  assert.equal(head(atClient, 28), [...header(26, 0, 2, 1), 0xef, 0xbe, 0xcc, 0xcc]);
  assert.ok(nk_msg_check_err(atClient.c));
  assert.is(atClient.arena.used, 0);
});

test('a sequence of structs arrives as one aligned segment the server reads in place', async () => {
  const req = new Uint8Array(40);
  const arena = nk_arena_init(new Uint8Array(17 + 4 * 8).fill(0xaa));
  nk_req_reset(req);
  nk_msg_set_method_id(req, 0, 3);
  assert.is(nk_arena_store_string(arena, req, 24, 'ab', 16), 0);
  const points = nk_arena_alloc(Uint32Array, arena, req, 32, 4)!;
  const pv = new DataView(points.buffer, points.byteOffset, points.byteLength);
  [[1, 2, 3], [0x11223344, 0x5566, 0x77]].forEach(([x, y, flags], i) => {
    pv.setUint32(i * 8, x!, true);
    pv.setUint16(i * 8 + 4, y!, true);
    pv.setUint8(i * 8 + 6, flags!);
  });
  const { atServer, atClient } = await roundTrip({ c: req, arena }, (got) => {
    const res = new Uint8Array(32);
    nk_req_reset(res);
    nk_msg_set_method_id(res, 0, 3);
    new DataView(res.buffer).setUint32(24, nk_arena_get(Uint32Array, got.arena, got.c, 32)!.length / 2, true);
    return { c: res };
  });
  assert.equal(head(atServer, 40), [...header(40, 0, 3), ...ptr(0, 3), ...ptr(4, 16)]);
  assert.equal(used(atServer), [
    0x61, 0x62, 0, 0, /* label, padding */
    1, 0, 0, 0, 2, 0, 3, 0, /* points[0] */
    0x44, 0x33, 0x22, 0x11, 0x66, 0x55, 0x77, 0, /* points[1] */
  ]);
  assert.equal(head(atClient, 32), [...header(32, 0, 3), ...u32(2), 0, 0, 0, 0]);
});

test('buffers from process.alloc travel in place with the same bytes as copied ones', async () => {
  const { kernel, server, client, sh, ch } = await shop();
  const req = client.alloc(32);
  const arena = nk_arena_init(client.alloc(64));
  nk_req_reset(req);
  nk_msg_set_method_id(req, 0, 1);
  nk_arena_store_string(arena, req, 24, 'zero copy', 256);
  const out = new SMsgHdr();
  PackOutMsg(out, req, arena);
  const res = new SMsgHdr();
  PackInMsg(res, client.alloc(32), nk_arena_init(client.alloc(64)));
  const call = client.CallAsync(ch, out, res);
  const got = new SMsgHdr();
  const gotC = server.alloc(32), gotA = nk_arena_init(server.alloc(64));
  PackInMsg(got, gotC, gotA);
  assert.is(await server.RecvAsync(sh, got), rcOk);
  assert.equal(Array.from(gotC), [...header(32, 0, 1), ...ptr(0, 10)]);
  assert.equal(Array.from(gotA.buffer.subarray(0, gotA.used)), [...ascii('zero copy'), 0]);
  const back = new SMsgHdr();
  PackOutMsg(back, gotC, gotA);
  assert.is(server.Reply(sh, back), rcOk);
  assert.is(await call, rcOk);
  assert.is(nk_arena_get_string(res.arena!, res.constPart!, 24), 'zero copy');
  await kernel.shutdown();
});

test.run();
