// Random and mutated messages, shared by the message property test (fast-check picks the
// mutations) and the bad-input stress figure (a seeded generator picks them): an interface with
// strings, sequences and bytes, a builder of valid messages of any of its layouts, and the
// mutations that break them (header fields, sizes, ncaps, descriptors, arena bytes, `used`).
import {
  nk_req_reset, nk_err_reset, nk_msg_set_method_id, nk_arena_init, nk_arena_alloc, idlMethodLayout,
  checkMessageShape, rcInvalidArgument, rcBufferTooLarge, NK_MAX_MESSAGE,
  type NkArena, type IdlInterface, type IdlMethod, type MessageLayout, type Retcode,
} from 'kos-ipc';
import { abi } from './helpers.js';

export const IFACE: IdlInterface = {
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
export type Layout = Pick<MessageLayout, 'minSize' | 'maxSize' | 'size' | 'arenaSize' | 'descriptors'>;
export interface Method { request: Layout; response: Layout; error: Layout }
export const LAYOUTS: Method[] = IFACE.methods.map((m, mid) => idlMethodLayout(m as IdlMethod, IFACE.types, mid));
const BY_ALIGN = { 1: Uint8Array, 2: Uint16Array, 4: Uint32Array, 8: BigUint64Array } as const;

/** A small deterministic generator (xorshift32) of numbers in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 0x100000000; };
}

export interface Built { c: Uint8Array; arena: NkArena }

/** A valid message of `layout`: random scalars and padding, random segments stored in random order. */
export function build(layout: Layout, mid: number, error: boolean, seed: number): Built {
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

export type Mutation =
  | { k: 'size' | 'type' | 'ncaps' | 'iid' | 'mid'; v: number | string }
  | { k: 'offset' | 'length'; i: number; v: number | string }
  | { k: 'arenaByte' | 'constByte'; at: number; v: number }
  | { k: 'used'; v: number }
  | { k: 'nudge'; i: number; v: number }    // offset + v and size - v: still inside, maybe misaligned
  | { k: 'alias'; i: number; j: number };   // descriptor i names descriptor j's segment

/** The symbolic values a `size` mutation may take (or any number). */
export const SIZE_SYMBOLS = ['min-1', 'min', 'max', 'max+1', 'bound', 'bound+1', '0', '23', 'u32max'] as const;
/** The symbolic values an `offset` or `length` mutation may take (or any number). */
export const DESCRIPTOR_SYMBOLS = ['0', 'used', 'used+1', '+1', '-1', 'max', 'max+1', 'u32max', 'u32max-7', '2^31', 'other', 'rest', 'rest+1'] as const;

const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
const U32MAX = 0xffffffff;

/** Applies `list` to message `m` of `layout`, in order. */
export function mutate(m: Built, layout: Layout, list: Mutation[]): void {
  const c = dv(m.c);
  for (const x of list) {
    const descs = layout.descriptors;
    if (x.k === 'size') {
      const sym: Record<string, number> = {
        'min-1': layout.minSize - 1, min: layout.minSize, max: layout.maxSize, 'max+1': layout.maxSize + 1,
        bound: m.c.length, 'bound+1': m.c.length + 1, 0: 0, 23: 23, u32max: U32MAX,
      };
      c.setUint32(0, (typeof x.v === 'string' ? sym[x.v]! : x.v) >>> 0, true);
    } else if (x.k === 'type') c.setUint32(4, (x.v as number) >>> 0, true);
    else if (x.k === 'iid') c.setUint16(8, x.v as number, true);
    else if (x.k === 'mid') c.setUint16(10, x.v as number, true);
    else if (x.k === 'ncaps') c.setUint32(12, (x.v as number) >>> 0, true);
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

/**
 * One random mutation drawn with `rnd` (numbers in [0, 1)), with the weights the property test
 * gives fast-check: descriptors most often, then header fields and arena bytes.
 */
export function randomMutation(rnd: () => number): Mutation {
  const int = (n: number): number => Math.floor(rnd() * n);
  const nat = (): number => (int(4) === 0 ? int(0x100000000) : int(64));
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const w = int(28);
  if (w < 1) return { k: 'size', v: int(3) === 0 ? nat() : pick(SIZE_SYMBOLS) };
  if (w < 2) return { k: 'type', v: int(3) === 0 ? nat() : int(3) };
  if (w < 3) return { k: 'ncaps', v: pick([0, 1, U32MAX]) };
  if (w < 4) return { k: 'iid', v: pick([0, 1, 0xffff]) };
  if (w < 5) return { k: 'mid', v: int(8) };
  if (w < 17) return { k: w < 11 ? 'offset' : 'length', i: int(16), v: int(3) === 0 ? nat() : pick(DESCRIPTOR_SYMBOLS) };
  if (w < 19) return { k: 'arenaByte', at: nat(), v: int(256) };
  if (w < 20) return { k: 'constByte', at: nat(), v: int(256) };
  if (w < 22) return { k: 'used', v: nat() };
  if (w < 25) return { k: 'nudge', i: int(16), v: pick([1, 2, 4, 8]) };
  return { k: 'alias', i: int(16), j: int(16) };
}

// ---- the oracle ----------------------------------------------------------------------------

/**
 * What the kernel must answer: 'ok' (delivered) or the Retcode of the rule broken first, and
 * that rule's name.
 */
export function expected(m: Built, methods: Method[] | null, reply: boolean): [Retcode | 'ok', string] {
  const c = dv(m.c);
  const size = c.getUint32(0, true);
  if (size < 24 || size > m.c.length) return [rcInvalidArgument, 'header size'];
  if (size + m.arena.used > NK_MAX_MESSAGE) return [rcBufferTooLarge, 'over 4 MiB'];
  const ncaps = c.getUint32(12, true);
  if (ncaps > abi.limits.MAX_NCAPS![0] || 24 + 16 * ncaps > size) return [rcInvalidArgument, 'ncaps'];
  const verdict = shapeVerdict(m, methods, reply);
  // the descriptors of a random message name no handle of its sender
  if (verdict[0] === 'ok' && ncaps !== 0) return [rcInvalidArgument, 'handles'];
  return verdict;
}

/** The verdict of the declared shape (after the header checks). */
function shapeVerdict(m: Built, methods: Method[] | null, reply: boolean): [Retcode | 'ok', string] {
  const typed = methods !== null;
  const c = dv(m.c);
  const type = c.getUint32(4, true);
  if (!typed || c.getUint16(8, true) !== 0) return ['ok', typed ? 'undeclared riid' : 'no shapes'];
  const layout = methods[c.getUint16(10, true)];
  if (!layout) return ['ok', 'undeclared mid'];
  const kind = !reply ? 'request' : (type & 1) !== 0 ? 'error' : 'response';
  if (reply && type > 1) return [rcInvalidArgument, 'type'];
  const r = checkMessageShape(layout[kind], kind, m.c, m.arena);
  return r.ok ? ['ok', 'valid'] : [rcInvalidArgument, r.rule];
}
