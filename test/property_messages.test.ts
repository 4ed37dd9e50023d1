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
  Kernel, SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, nk_arena_init, rcOk, rcInvalidArgument,
  retcodeName, type NkArena, type Process, type IdlInterface,
} from 'kos-ipc';
import { admin, newKernel, shutdownAll } from './helpers.js';
import {
  IFACE, LAYOUTS, SIZE_SYMBOLS, DESCRIPTOR_SYMBOLS, build, mutate, expected, type Built, type Layout, type Method,
  type Mutation,
} from './message_fuzz.js';

test.after.each(shutdownAll);

const RUNS = Number(process.env.KOS_PROPERTY_RUNS ?? 300);

const INBOX_C = 256, INBOX_A = 1024;

// ---- mutations (fast-check picks them; test/message_fuzz.ts applies them) ------------------

const symbolic = fc.oneof(
  fc.constantFrom(...DESCRIPTOR_SYMBOLS),
  fc.nat(),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ k: fc.constant('size' as const), v: fc.oneof(fc.constantFrom(...SIZE_SYMBOLS), fc.nat()) }) },
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

// ---- the oracle ----------------------------------------------------------------------------

/** Refusals seen, by the rule broken first. */
const rules = new Map<string, number>();

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
  dv(big.c).setUint32(12, 1, true); // ncaps 1, a descriptor naming no handle: staged whole, then refused
  big.arena.used = 4096;
  const wide = new SMsgHdr();
  PackInMsg(wide, new Uint8Array(1024), nk_arena_init(new Uint8Array(4096)));
  assert.is(await client.CallAsync(s.ch, out(big), wide), rcInvalidArgument);
  const recv = server.RecvAsync(s.sh, wide);
  const call = client.CallAsync(s.ch, out(ping()), inbox().hdr);
  assert.is(await recv, rcOk);
  assert.is(server.Reply(s.sh, out(big)), rcInvalidArgument);
  assert.is(await call, rcInvalidArgument, 'a refused response ends the call it answers');
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
