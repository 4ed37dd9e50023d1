// Property: random and mutated messages (random headers, descriptors past the end, huge sizes,
// u32 overflow, misalignment, overlap, missing string terminators, truncated arenas) sent
// through the public API, CallAsync and Reply, to a server that declared its interface and to
// one that did not, never crash and never hang; each one is either refused with exactly the
// code the rules of docs/message-format.md give or delivered byte for byte. A refused request
// leaves the kernel's tables as they were (their digest, k_digest) and the server's next message
// is the next valid one; a refused response ends the call it answers with the same code.
// Fixed seed; KOS_PROPERTY_RUNS=n runs n cases instead of the default.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  Kernel, SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, nk_err_reset, nk_msg_set_method_id,
  nk_arena_init, nk_arena_alloc, checkMessageShape, idlMethodLayout, rcOk, rcInvalidArgument,
  rcBufferTooLarge, rcUnimplemented, retcodeName, NK_MAX_MESSAGE,
  type NkArena, type Process, type IdlInterface, type IdlMethod, type MessageLayout, type Retcode,
} from 'kos-ipc';
import { admin, newKernel, shutdownAll } from './helpers.js';

test.after.each(shutdownAll);

const RUNS = Number(process.env.KOS_PROPERTY_RUNS ?? 300);

const IFACE: IdlInterface = {
  types: { Point: { x: 'UInt32', y: 'UInt16', flags: 'UInt8' } },
  methods: [
    { name: 'Ping', in: { value: 'UInt32' }, out: { result: 'UInt32' } },
    { name: 'Echo', in: { value: 'string<4>' }, out: { result: 'string<4>' }, error: { code: 'UInt32' } },
    { name: 'Pair', in: { a: 'string<8>', b: 'string<8>' }, out: { joined: 'string<17>' } },
    { name: 'Draw', in: { label: 'string<6>', points: 'sequence<Point, 4>' }, out: { count: 'UInt32' }, error: { why: 'string<8>' } },
    { name: 'Mixed', in: { a: 'UInt8', words: 'sequence<UInt64, 3>', raw: 'bytes<5>', shorts: 'sequence<UInt16, 6>' },
      out: { words: 'sequence<UInt64, 3>' } },
  ],
};
/** What the builder needs of a message: its shape, a buffer size and an arena size. */
type Layout = Pick<MessageLayout, 'minSize' | 'maxSize' | 'size' | 'arenaSize' | 'descriptors'>;
interface Method { request: Layout; response: Layout; error: Layout }
const LAYOUTS: Method[] = IFACE.methods.map((m, mid) => idlMethodLayout(m as IdlMethod, IFACE.types, mid));
const BY_ALIGN = { 1: Uint8Array, 2: Uint16Array, 4: Uint32Array, 8: BigUint64Array } as const;
const INBOX_C = 256, INBOX_A = 1024;

// ---- building messages ---------------------------------------------------------------------

/** A small deterministic generator, seeded by fast-check, for the bytes of a message. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 0x100000000; };
}

interface Built { c: Uint8Array; arena: NkArena }

/** A valid message of `layout`: random scalars and padding, random segments stored in random order. */
function build(layout: Layout, mid: number, error: boolean, seed: number): Built {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const c = new Uint8Array(layout.size + int(9));
  for (let i = 24; i < c.length; i++) c[i] = int(256);
  const sizeField = layout.minSize + int(layout.maxSize - layout.minSize + 1);
  if (error) nk_err_reset(c, sizeField); else nk_req_reset(c, sizeField);
  nk_msg_set_method_id(c, 0, mid);
  const arena = nk_arena_init(new Uint8Array(layout.arenaSize + 8 * layout.descriptors.length + int(32)).fill(0xee));
  const junk = new Uint8Array(32);
  const order = layout.descriptors.map((d) => ({ d, key: rnd() })).sort((a, b) => a.key - b.key);
  for (const { d } of order) {
    if (int(3) === 0) nk_arena_alloc(Uint8Array, arena, junk, 24, 1 + int(7)); // bytes no descriptor names
    const count = int(d.max / d.unit + 1);
    const bytes = count * d.unit;
    const T = BY_ALIGN[d.align as 1 | 2 | 4 | 8];
    const view = nk_arena_alloc(T as typeof Uint8Array, arena, c, d.field, bytes / d.align)!;
    const u8 = new Uint8Array(view.buffer, view.byteOffset, bytes);
    for (let i = 0; i < bytes; i++) u8[i] = d.string ? (i === bytes - 1 ? 0 : 1 + int(255)) : int(256);
  }
  return { c, arena };
}

// ---- mutations -----------------------------------------------------------------------------

type Mutation =
  | { k: 'size' | 'type' | 'ncaps' | 'iid' | 'mid'; v: number | string }
  | { k: 'offset' | 'length'; i: number; v: number | string }
  | { k: 'arenaByte' | 'constByte'; at: number; v: number }
  | { k: 'used'; v: number }
  | { k: 'nudge'; i: number; v: number }    // offset + v and size - v: still inside, maybe misaligned
  | { k: 'alias'; i: number; j: number };   // descriptor i names descriptor j's segment

const symbolic = fc.oneof(
  fc.constantFrom('0', 'used', 'used+1', '+1', '-1', 'max', 'max+1', 'u32max', 'u32max-7', '2^31', 'other', 'rest', 'rest+1'),
  fc.nat(),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ k: fc.constant('size' as const), v: fc.oneof(fc.constantFrom('min-1', 'min', 'max', 'max+1', 'bound', 'bound+1', '0', '23', 'u32max'), fc.nat()) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('type' as const), v: fc.oneof(fc.constantFrom(0, 1, 2), fc.nat()) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('ncaps' as const), v: fc.constantFrom(0, 1, 0xffffffff) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('iid' as const), v: fc.constantFrom(0, 1, 0xffff) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('mid' as const), v: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('offset' as const), i: fc.nat(), v: symbolic }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('length' as const), i: fc.nat(), v: symbolic }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('arenaByte' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('constByte' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('used' as const), v: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('nudge' as const), i: fc.nat(), v: fc.constantFrom(1, 2, 4, 8) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('alias' as const), i: fc.nat(), j: fc.nat() }) },
);

const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
const U32MAX = 0xffffffff;

function mutate(m: Built, layout: Layout, list: Mutation[]): void {
  const c = dv(m.c);
  for (const x of list) {
    const descs = layout.descriptors;
    if (x.k === 'size') {
      const sym: Record<string, number> = {
        'min-1': layout.minSize - 1, min: layout.minSize, max: layout.maxSize, 'max+1': layout.maxSize + 1,
        bound: m.c.length, 'bound+1': m.c.length + 1, 0: 0, 23: 23, u32max: U32MAX,
      };
      c.setUint32(0, typeof x.v === 'string' ? sym[x.v]! : x.v, true);
    } else if (x.k === 'type') c.setUint32(4, x.v as number, true);
    else if (x.k === 'iid') c.setUint16(8, x.v as number, true);
    else if (x.k === 'mid') c.setUint16(10, x.v as number, true);
    else if (x.k === 'ncaps') c.setUint32(12, x.v as number, true);
    else if (x.k === 'offset' || x.k === 'length') {
      if (descs.length === 0) continue;
      const d = descs[x.i % descs.length]!;
      const other = descs[(x.i + 1) % descs.length]!;
      const off = c.getUint32(d.field, true), len = c.getUint32(d.field + 4, true), used = m.arena.used;
      const mine = x.k === 'offset' ? off : len;
      const sym: Record<string, number> = {
        0: 0, used, 'used+1': used + 1, '+1': mine + 1, '-1': mine - 1, max: d.max, 'max+1': d.max + 1,
        u32max: U32MAX, 'u32max-7': U32MAX - 7, '2^31': 0x80000000,
        other: c.getUint32(other.field + (x.k === 'offset' ? 0 : 4), true), rest: used - off, 'rest+1': used - off + 1,
      };
      c.setUint32(d.field + (x.k === 'offset' ? 0 : 4), (typeof x.v === 'string' ? sym[x.v]! : x.v) >>> 0, true);
    } else if (x.k === 'arenaByte') {
      if (m.arena.capacity > 0) m.arena.buffer[x.at % m.arena.capacity] = x.v;
    } else if (x.k === 'constByte') m.c[x.at % m.c.length] = x.v;
    else if (x.k === 'used') m.arena.used = x.v % (m.arena.capacity + 1);
    else if (x.k === 'nudge' && descs.length > 0) {
      const d = descs[x.i % descs.length]!;
      c.setUint32(d.field, (c.getUint32(d.field, true) + x.v) >>> 0, true);
      c.setUint32(d.field + 4, (c.getUint32(d.field + 4, true) - x.v) >>> 0, true);
    } else if (x.k === 'alias' && descs.length > 0) {
      const d = descs[x.i % descs.length]!, e = descs[x.j % descs.length]!;
      c.setUint32(d.field, c.getUint32(e.field, true), true);
      c.setUint32(d.field + 4, c.getUint32(e.field + 4, true), true);
    }
  }
}

// ---- the oracle ----------------------------------------------------------------------------

/** Refusals seen, by the rule broken first. */
const rules = new Map<string, number>();

/**
 * What the kernel must answer: 'ok' (delivered) or the Retcode of the rule broken first, and
 * that rule's name.
 */
function expected(m: Built, methods: Method[] | null, reply: boolean): [Retcode | 'ok', string] {
  const typed = methods !== null;
  const c = dv(m.c);
  const size = c.getUint32(0, true), type = c.getUint32(4, true);
  if (size < 24 || size > m.c.length) return [rcInvalidArgument, 'header size'];
  if (size + m.arena.used > NK_MAX_MESSAGE) return [rcBufferTooLarge, 'over 4 MiB'];
  if (c.getUint32(12, true) !== 0) return [rcUnimplemented, 'ncaps'];
  if (!typed || c.getUint16(8, true) !== 0) return ['ok', typed ? 'undeclared riid' : 'no shapes'];
  const layout = methods[c.getUint16(10, true)];
  if (!layout) return ['ok', 'undeclared mid'];
  const kind = !reply ? 'request' : (type & 1) !== 0 ? 'error' : 'response';
  if (reply && type > 1) return [rcInvalidArgument, 'type'];
  const r = checkMessageShape(layout[kind], kind, m.c, m.arena);
  return r.ok ? ['ok', 'valid'] : [rcInvalidArgument, r.rule];
}

function tally(label: string, reason: string): void {
  const k = `${label}: ${reason}`;
  rules.set(k, (rules.get(k) ?? 0) + 1);
}

// ---- the system under test -----------------------------------------------------------------

interface Sys { kernel: Kernel; server: Process; client: Process; sh: number; ch: number; methods: Method[] | null; label: string }

/** The kernel's digest of its tables (k_digest), to compare before and after a refused call. */
function tables(s: Sys): number {
  return admin(s.kernel, 'k_digest').r[0]!;
}

function sameTables(a: number, b: number, what: string): void {
  if (a !== b) assert.unreachable(`${what} changed the kernel's tables (digest 0x${a.toString(16)} -> 0x${b.toString(16)})`);
}

function out(m: Built): SMsgHdr {
  const h = new SMsgHdr();
  PackOutMsg(h, m.c, m.arena);
  return h;
}

interface Box { c: Uint8Array; arena: NkArena; hdr: SMsgHdr }
function inbox(): Box {
  const b = { c: new Uint8Array(INBOX_C).fill(0xcc), arena: nk_arena_init(new Uint8Array(INBOX_A).fill(0xcc)), hdr: new SMsgHdr() };
  PackInMsg(b.hdr, b.c, b.arena);
  return b;
}

async function settle<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} hung`)), 5000); });
  try { return await Promise.race([p, guard]); } finally { clearTimeout(timer); }
}

/** Exactly the bytes that travel arrived, and nothing past them was written. */
function arrived(got: Box, m: Built, what: string): void {
  const size = dv(m.c).getUint32(0, true);
  assert.equal(Array.from(got.c.subarray(0, size)), Array.from(m.c.subarray(0, size)), `${what}: constant part`);
  assert.ok(got.c.subarray(size).every((b) => b === 0xcc), `${what}: nothing past the constant part's size`);
  assert.is(got.arena.used, m.arena.used, `${what}: arena bytes`);
  assert.equal(Array.from(got.arena.buffer.subarray(0, m.arena.used)), Array.from(m.arena.buffer.subarray(0, m.arena.used)), `${what}: arena`);
}

// Probes: a Ping to method 100, which no server declares, so every server takes it.
const ping = (): Built => build(LAYOUTS[0]!.request, 100, false, 7);
const pong = (): Built => build(LAYOUTS[0]!.response, 100, false, 8);

/** A kernel whose server declared `iface` (or nothing), and the layouts the oracle checks against. */
async function system(label: string, iface: IdlInterface | null, methods: Method[] | null): Promise<Sys> {
  const kernel = await newKernel();
  const server = kernel.createProcess('Server', iface ? { endpoints: { main: 'Shop' }, interfaces: { Shop: iface } } : { endpoints: { main: 'Shop' } });
  const client = kernel.createProcess('Client');
  kernel.connect(client, server, 'shop');
  const s = { kernel, server, client, sh: server.ServiceLocatorRegister('shop'), ch: client.ServiceLocatorConnect('shop'), methods, label };
  // Grow both threads' staging buffers once (a refused message is staged too), so that later
  // messages need no new kernel memory and a refused one can leave the tables exactly as they were.
  const big = { c: new Uint8Array(1024), arena: nk_arena_init(new Uint8Array(4096)) };
  nk_req_reset(big.c);
  dv(big.c).setUint32(12, 1, true); // ncaps 1: staged whole, then refused
  big.arena.used = 4096;
  const wide = new SMsgHdr();
  PackInMsg(wide, new Uint8Array(1024), nk_arena_init(new Uint8Array(4096)));
  assert.is(await client.CallAsync(s.ch, out(big), wide), rcUnimplemented);
  const recv = server.RecvAsync(s.sh, wide);
  const call = client.CallAsync(s.ch, out(ping()), inbox().hdr);
  assert.is(await recv, rcOk);
  assert.is(server.Reply(s.sh, out(big)), rcUnimplemented);
  assert.is(await call, rcUnimplemented, 'a refused response ends the call it answers');
  return s;
}

const counts = { requests: 0, requestsRefused: 0, responses: 0, responsesRefused: 0 };

/** One random request, and if it is delivered, one random response. */
async function exchange(s: Sys, req: Built, res: Built | null): Promise<void> {
  counts.requests++;
  const [want, why] = expected(req, s.methods, false);
  tally(s.label, `request ${why}`);
  const got = inbox();
  const recv = s.server.RecvAsync(s.sh, got.hdr);
  const before = tables(s);
  const reply = inbox();
  const call = s.client.CallAsync(s.ch, out(req), reply.hdr);
  if (want !== 'ok') {
    counts.requestsRefused++;
    const rc = await settle(call, 'a refused Call');
    assert.is(retcodeName(rc), retcodeName(want), 'the request is refused with the code of the first rule it breaks');
    sameTables(before, tables(s), 'a refused request');
    const probe = s.client.CallAsync(s.ch, out(ping()), inbox().hdr);
    assert.is(await settle(recv, 'Recv after a refused request'), rcOk);
    arrived(got, ping(), 'the next valid request');
    assert.is(s.server.Reply(s.sh, out(pong())), rcOk);
    assert.is(await settle(probe, 'the probe call'), rcOk);
    return;
  }
  assert.is(await settle(recv, 'Recv of a valid request'), rcOk);
  arrived(got, req, 'the request');
  const answer = res ?? pong();
  counts.responses++;
  const [wantReply, whyReply] = expected(answer, s.methods, true);
  tally(s.label, `response ${whyReply}`);
  const rc = s.server.Reply(s.sh, out(answer));
  if (wantReply !== 'ok') {
    counts.responsesRefused++;
    assert.is(retcodeName(rc), retcodeName(wantReply), 'the response is refused with the code of the first rule it breaks');
    const ended = await settle(call, 'the call a refused response ends');
    assert.is(retcodeName(ended), retcodeName(wantReply), 'the waiting call ends with the same code');
    assert.is(retcodeName(s.server.Reply(s.sh, out(pong()))), 'rcInvalidArgument', 'no call is left to answer');
    return;
  }
  assert.is(retcodeName(rc), 'rcOk');
  assert.is(await settle(call, 'a call answered'), rcOk);
  arrived(reply, answer, 'the response');
}

const message = (methods: number): fc.Arbitrary<MessageSpec> => fc.record({
  mid: fc.integer({ min: 0, max: methods - 1 }),
  error: fc.boolean(),
  seed: fc.integer(),
  mutations: fc.array(mutation, { maxLength: 3 }),
});
type MessageSpec = { mid: number; error: boolean; seed: number; mutations: Mutation[] };

function make(methods: Method[], spec: MessageSpec, reply: boolean): Built {
  const l = methods[spec.mid]!;
  const layout = !reply ? l.request : spec.error ? l.error : l.response;
  const m = build(layout, spec.mid, reply && spec.error, spec.seed);
  mutate(m, layout, spec.mutations);
  return m;
}

const exchanges = (methods: number): fc.Arbitrary<[MessageSpec, MessageSpec][]> =>
  fc.array(fc.tuple(message(methods), message(methods)), { minLength: 1, maxLength: 6 });

for (const typed of [true, false]) {
  test(`random and mutated messages to a server ${typed ? 'that declared its interface' : 'without declared shapes'} are refused exactly or delivered intact`, async () => {
    await fc.assert(fc.asyncProperty(exchanges(LAYOUTS.length), async (pairs) => {
      const s = await system(typed ? 'declared' : 'plain', typed ? IFACE : null, typed ? LAYOUTS : null);
      try {
        for (const [rq, rs] of pairs) await exchange(s, make(LAYOUTS, rq, false), make(LAYOUTS, rs, true));
      } finally {
        await s.kernel.shutdown();
      }
    }), { seed: typed ? 42 : 43, numRuns: RUNS });
  });
}

// Random shapes: up to 14 descriptors of any alignment, unit, maximum and string flag, at
// random distances, declared raw; the kernel must agree with checkMessageShape on each message.
const descriptorArb = fc.record({
  align: fc.constantFrom(1, 2, 4, 8), mult: fc.integer({ min: 1, max: 3 }), count: fc.integer({ min: 0, max: 5 }),
  string: fc.boolean(), gap: fc.constantFrom(0, 0, 4, 8),
});
const shapeArb = fc.record({ descriptors: fc.array(descriptorArb, { maxLength: 14 }), tail: fc.nat(9), slack: fc.nat(12) });

function shapeOf(r: { descriptors: { align: number; mult: number; count: number; string: boolean; gap: number }[]; tail: number; slack: number }): Layout {
  let at = 24, arena = 0;
  const descriptors = r.descriptors.map((d) => {
    at += d.gap;
    const unit = d.align * d.mult;
    const out = { field: at, unit, align: d.align, max: unit * d.count, ...(d.string ? { string: true } : {}) };
    at += 8;
    arena += out.max + 8;
    return out;
  });
  const minSize = at + r.tail, maxSize = minSize + r.slack;
  return { minSize, maxSize, size: maxSize, arenaSize: arena, descriptors };
}

const strip = (l: Layout) => ({ minSize: l.minSize, maxSize: l.maxSize, descriptors: l.descriptors });

test('random shapes declared raw: the kernel and checkMessageShape agree on every random message', async () => {
  const method = fc.tuple(shapeArb, shapeArb, shapeArb).map(([a, b, c]) => ({ request: shapeOf(a), response: shapeOf(b), error: shapeOf(c) }));
  await fc.assert(fc.asyncProperty(fc.array(method, { minLength: 1, maxLength: 3 }), fc.array(fc.tuple(message(3), message(3)), { minLength: 1, maxLength: 6 }),
    async (methods, pairs) => {
      const iface: IdlInterface = {
        methods: methods.map((m, i) => ({ name: `M${i}`, shapes: { request: strip(m.request), response: strip(m.response), error: strip(m.error) } })),
      };
      const s = await system('random shapes', iface, methods);
      try {
        for (const [rq, rs] of pairs) {
          const q = { ...rq, mid: rq.mid % methods.length }, r = { ...rs, mid: rs.mid % methods.length };
          await exchange(s, make(methods, q, false), make(methods, r, true));
        }
      } finally {
        await s.kernel.shutdown();
      }
    }), { seed: 44, numRuns: RUNS });
});

test.after(() => {
  console.log(`property_messages: ${counts.requests} random requests (${counts.requestsRefused} refused), ` +
    `${counts.responses} random responses (${counts.responsesRefused} refused)`);
  console.log([...rules].sort().map(([k, n]) => `  ${k}: ${n}`).join('\n'));
});

test.run();
