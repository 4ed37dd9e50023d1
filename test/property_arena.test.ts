// Property: any sequence of nk_arena_store / nk_arena_alloc / nk_arena_store_string / nk_arena_get
// / nk_arena_reset on an arena of random capacity keeps every descriptor naming an aligned,
// whole segment inside the used part, keeps the segments of live descriptors apart, and every
// read returns what was last stored through that descriptor. A failed store changes nothing.
// Fixed seed; KOS_PROPERTY_RUNS=n runs n cases instead of the default.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  nk_arena_init, nk_arena_store, nk_arena_alloc, nk_arena_get, nk_arena_reset,
  nk_arena_store_string, nk_arena_get_string, type NkArena, type NkElementType,
} from 'kos-ipc/nk/arena';

const RUNS = Number(process.env.KOS_PROPERTY_RUNS ?? 1000);
const SLOTS = 6; // descriptors at 24, 32, ... 64 in a 72-byte constant part

const TYPES: [NkElementType, boolean][] = [
  [Uint8Array, false], [Int8Array, false], [Uint16Array, false], [Int16Array, false],
  [Uint32Array, false], [Int32Array, false], [Float64Array, false], [BigUint64Array, true], [BigInt64Array, true],
];

type Op =
  | { op: 'store'; slot: number; type: number; values: number[] }
  | { op: 'alloc'; slot: number; type: number; values: number[] }
  | { op: 'string'; slot: number; text: string; max: number | undefined }
  | { op: 'get'; slot: number; type: number }
  | { op: 'reset' };

const slot = fc.integer({ min: 0, max: SLOTS - 1 });
const type = fc.integer({ min: 0, max: TYPES.length - 1 });
const values = fc.array(fc.integer({ min: -128, max: 127 }), { maxLength: 24 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('store' as const), slot, type, values }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('alloc' as const), slot, type, values }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('string' as const), slot, text: fc.string({ maxLength: 20, unit: 'grapheme' }), max: fc.option(fc.nat(24), { nil: undefined }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('get' as const), slot, type }) },
  { weight: 1, arbitrary: fc.constant({ op: 'reset' as const }) },
);

interface Live { type: NkElementType; values: unknown[]; text?: string }

const u32 = (c: Uint8Array, at: number): number => new DataView(c.buffer).getUint32(at, true);
const field = (s: number): number => 24 + s * 8;
/** The elements as given to the arena (BigInt for the 64-bit integer types). */
const raw = (big: boolean, vs: number[]): unknown[] => big ? vs.map(BigInt) : vs;
/** The elements as a T array holds them (wrapped to T's range). */
function held(T: NkElementType, big: boolean, vs: number[]): unknown[] {
  const a = new (T as unknown as { new (n: number): { set(v: unknown[]): void } })(vs.length);
  a.set(raw(big, vs));
  return Array.from(a as unknown as ArrayLike<unknown>);
}

/** The invariants after every operation. */
function check(arena: NkArena, c: Uint8Array, live: Map<number, Live>, usedBefore: number, opName: string): void {
  assert.ok(arena.used <= arena.capacity, `${opName}: used ${arena.used} within capacity ${arena.capacity}`);
  const segs: [number, number, number][] = [];
  for (const [s, l] of live) {
    const off = u32(c, field(s)), size = u32(c, field(s) + 4);
    const bpe = l.type.BYTES_PER_ELEMENT;
    assert.ok(off + size <= arena.used, `${opName}: slot ${s} [${off}, +${size}) inside used ${arena.used}`);
    assert.is(off % bpe, 0, `${opName}: slot ${s} aligned to ${bpe}`);
    assert.is(size % bpe, 0, `${opName}: slot ${s} whole elements`);
    if (l.text !== undefined) assert.is(nk_arena_get_string(arena, c, field(s)), l.text);
    else assert.equal(Array.from(nk_arena_get(l.type, arena, c, field(s)) as ArrayLike<unknown>), l.values);
    if (size > 0) segs.push([off, size, s]);
  }
  for (let i = 0; i < segs.length; i++) {
    for (let j = 0; j < i; j++) {
      const [oi, si] = segs[i]!, [oj, sj] = segs[j]!;
      assert.ok(oi + si <= oj || oj + sj <= oi, `${opName}: live segments of slots ${segs[i]![2]} and ${segs[j]![2]} overlap`);
    }
  }
  if (opName !== 'reset') assert.ok(arena.used >= usedBefore, `${opName}: used never shrinks`);
}

let operations = 0;

test('any sequence of arena operations keeps descriptors inside the arena and reads what was stored', () => {
  fc.assert(fc.property(fc.nat(160), fc.array(opArb, { maxLength: 60, size: 'large' }), (capacity, ops) => {
    const arena = nk_arena_init(new Uint8Array(capacity).fill(0xee));
    const c = new Uint8Array(24 + SLOTS * 8);
    const live = new Map<number, Live>();
    for (const o of ops) {
      operations++;
      const before = arena.used;
      const descBefore = Array.from(c);
      if (o.op === 'store' || o.op === 'alloc') {
        const [T, big] = TYPES[o.type]!;
        const want = held(T, big, o.values);
        let ok: boolean;
        if (o.op === 'store') {
          ok = nk_arena_store(T, arena, c, field(o.slot), raw(big, o.values) as number[]) === 0;
        } else {
          const view = nk_arena_alloc(T, arena, c, field(o.slot), want.length) as unknown as unknown[] | null;
          ok = view !== null;
          if (view) {
            assert.ok(Array.from(view as unknown as ArrayLike<unknown>).every((v) => v === 0 || v === 0n), 'alloc zeroes');
            raw(big, o.values).forEach((v, i) => { view[i] = v; });
          }
        }
        if (ok) live.set(o.slot, { type: T, values: want });
        else {
          assert.is(arena.used, before, `a failed ${o.op} leaves used as it was`);
          assert.equal(Array.from(c), descBefore, `a failed ${o.op} leaves the descriptors as they were`);
          assert.ok(want.length * T.BYTES_PER_ELEMENT > capacity - Math.ceil(before / T.BYTES_PER_ELEMENT) * T.BYTES_PER_ELEMENT,
            `${o.op} of ${want.length} x ${T.BYTES_PER_ELEMENT} bytes fails only when it does not fit after ${before} of ${capacity}`);
        }
      } else if (o.op === 'string') {
        const r = nk_arena_store_string(arena, c, field(o.slot), o.text, o.max);
        if (r === 0) live.set(o.slot, { type: Uint8Array, values: [], text: o.text });
        else {
          assert.is(arena.used, before);
          assert.equal(Array.from(c), descBefore);
        }
      } else if (o.op === 'get') {
        const [T] = TYPES[o.type]!;
        const got = nk_arena_get(T, arena, c, field(o.slot));
        const off = u32(c, field(o.slot)), size = u32(c, field(o.slot) + 4);
        const valid = off + size <= arena.used && off % T.BYTES_PER_ELEMENT === 0 && size % T.BYTES_PER_ELEMENT === 0;
        assert.is(got !== null, valid, `get(${T.name}) of [${off}, +${size}) with used ${arena.used}`);
        if (got) assert.is(got.byteOffset, arena.buffer.byteOffset + off);
      } else {
        nk_arena_reset(arena);
        assert.is(arena.used, 0);
        for (const [s, l] of [...live]) {
          if (u32(c, field(s) + 4) !== 0 || l.text !== undefined) live.delete(s);
        }
      }
      check(arena, c, live, before, o.op);
    }
  }), { seed: 42, numRuns: RUNS });
  console.log(`property_arena: ${RUNS} random arenas, ${operations} operations`);
});

test.run();
