import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  NK_ARENA_ALIGN,
  NkArena,
  nk_arena_alloc,
  nk_arena_capacity,
  nk_arena_get,
  nk_arena_get_string,
  nk_arena_init,
  nk_arena_reset,
  nk_arena_store,
  nk_arena_store_string,
  nk_arena_used,
} from 'kos-ipc/nk/arena';
import { NK_EINVAL, NK_ENOMEM, NK_EOK } from 'kos-ipc/nk/types';
import { nk_msg_set_method_id, nk_req_reset } from 'kos-ipc/services/rtl/nk_msg';

const u32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const header = (size: number, iid: number, mid: number): number[] =>
  [...u32(size), ...u32(0), iid & 0xff, iid >>> 8, mid & 0xff, mid >>> 8, ...new Array(12).fill(0)];
const ptr = (offset: number, size: number): number[] => [...u32(offset), ...u32(size)];
const bytesOf = (b: Uint8Array, from = 0, to = b.length): number[] => Array.from(b.subarray(from, to));

/** A constant part of `size` bytes whose descriptor at 24 is {offset, size}. */
function withPtr(offset: number, size: number): Uint8Array {
  const c = new Uint8Array(32);
  c.set(ptr(offset, size), 24);
  return c;
}

/** An arena of `capacity` bytes with `used` bytes in use. */
function arenaUsing(capacity: number, used: number): NkArena {
  const a = nk_arena_init(new Uint8Array(capacity));
  a.used = used;
  return a;
}

test('nk_arena_init makes an empty arena whose capacity is the buffer length', () => {
  const a = nk_arena_init(new Uint8Array(40));
  assert.ok(a instanceof NkArena);
  assert.is(nk_arena_used(a), 0);
  assert.is(nk_arena_capacity(a), 40);
  assert.is(a.capacity, 40);
});

test('nk_arena_init rejects a buffer that does not start 8-aligned in its ArrayBuffer', () => {
  assert.is(NK_ARENA_ALIGN, 8);
  const backing = new Uint8Array(64);
  assert.throws(() => nk_arena_init(backing.subarray(4)), (e: Error) =>
    e instanceof RangeError && /nk_arena_init: buffer.byteOffset must be a multiple of 8 .*got 4/.test(e.message));
  assert.throws(() => nk_arena_init(new ArrayBuffer(8) as unknown as Uint8Array), (e: Error) =>
    e instanceof TypeError && /nk_arena_init: buffer must be a Uint8Array, got ArrayBuffer/.test(e.message));
});

test('an arena over a subarray counts offsets from the subarray start', () => {
  const backing = new Uint8Array(32).fill(0xaa);
  const a = nk_arena_init(backing.subarray(8));
  const c = new Uint8Array(32);
  assert.is(nk_arena_store(Uint16Array, a, c, 24, [0x0102]), 0);
  assert.equal(bytesOf(c, 24), ptr(0, 2));
  assert.equal(bytesOf(backing, 7, 11), [0xaa, 0x02, 0x01, 0xaa]);
  assert.equal(Array.from(nk_arena_get(Uint16Array, a, c, 24)!), [0x0102]);
});

test('nk_arena_store writes the elements and a descriptor of offset and size in bytes', () => {
  const a = nk_arena_init(new Uint8Array(16));
  const c = new Uint8Array(32);
  assert.is(nk_arena_store(Uint32Array, a, c, 24, [1, 0x01020304]), NK_EOK);
  assert.equal(bytesOf(c, 24), ptr(0, 8));
  assert.equal(bytesOf(a.buffer, 0, 8), [1, 0, 0, 0, 4, 3, 2, 1]);
  assert.is(nk_arena_used(a), 8);
});

test('nk_arena_store aligns a segment to its element size and zeroes the padding', () => {
  const a = nk_arena_init(new Uint8Array(16).fill(0xaa));
  const c = new Uint8Array(40);
  assert.is(nk_arena_store(Uint8Array, a, c, 24, [7, 8, 9]), 0);
  assert.is(nk_arena_store(Uint32Array, a, c, 32, new Uint32Array([0xdeadbeef])), 0);
  assert.equal(bytesOf(c, 32), ptr(4, 4));
  assert.equal(bytesOf(a.buffer, 0, 8), [7, 8, 9, 0, 0xef, 0xbe, 0xad, 0xde]);
  assert.is(a.used, 8);
});

test('a 64-bit segment starts at the next multiple of 8', () => {
  const a = nk_arena_init(new Uint8Array(24));
  const c = new Uint8Array(40);
  nk_arena_store(Uint8Array, a, c, 24, [1]);
  assert.is(nk_arena_store(BigUint64Array, a, c, 32, [0x0102030405060708n]), 0);
  assert.equal(bytesOf(c, 32), ptr(8, 8));
  assert.equal(nk_arena_get(BigUint64Array, a, c, 32)![0], 0x0102030405060708n);
});

test('nk_arena_store returns non-zero and changes nothing when the segment does not fit', () => {
  const a = nk_arena_init(new Uint8Array(8));
  const c = new Uint8Array(32).fill(0x11);
  nk_arena_store(Uint8Array, a, c, 24, [1]);
  c.fill(0x11, 24);
  assert.is(nk_arena_store(Uint32Array, a, c, 24, [1, 2]), NK_ENOMEM); // aligned to 4, needs 4..12
  assert.is(a.used, 1);
  assert.equal(bytesOf(c, 24), new Array(8).fill(0x11));
  assert.is(nk_arena_store(Uint32Array, a, c, 24, [1]), 0); // 4..8 fits exactly
  assert.is(a.used, 8);
});

test('storing zero elements writes the descriptor {0, 0} and uses nothing, even in a full arena', () => {
  const a = nk_arena_init(new Uint8Array(0));
  const c = new Uint8Array(32).fill(0x22);
  assert.is(nk_arena_store(Uint32Array, a, c, 24, []), 0);
  assert.equal(bytesOf(c, 24), ptr(0, 0));
  assert.is(a.used, 0);
  const empty = nk_arena_alloc(Float64Array, a, c, 24, 0);
  assert.ok(empty instanceof Float64Array);
  assert.is(empty!.length, 0);
});

test('nk_arena_get returns an empty view, not null, for a zero-length descriptor inside the used part', () => {
  const a = arenaUsing(16, 8);
  assert.is(nk_arena_get(Uint8Array, a, withPtr(0, 0), 24)!.length, 0);
  assert.is(nk_arena_get(Uint32Array, a, withPtr(8, 0), 24)!.length, 0);
});

test('nk_arena_store throws a TypeError for a string, a DataView or a non-typed-array T', () => {
  const a = nk_arena_init(new Uint8Array(16));
  const c = new Uint8Array(32);
  assert.throws(() => nk_arena_store(Uint8Array, a, c, 24, 'abc' as unknown as number[]), (e: Error) =>
    e instanceof TypeError && /nk_arena_store: src must be .*nk_arena_store_string.*got string/.test(e.message));
  assert.throws(() => nk_arena_store(Uint8Array, a, c, 24, new DataView(new ArrayBuffer(4)) as unknown as number[]), /got DataView/);
  assert.throws(() => nk_arena_store(DataView as never, a, c, 24, [1]), (e: Error) =>
    e instanceof TypeError && /nk_arena_store: T must be a typed-array constructor .*got function DataView/.test(e.message));
  assert.throws(() => nk_arena_store(Uint8Array, {} as NkArena, c, 24, [1]), /nk_arena_store: arena must be an NkArena .*got Object/);
  assert.is(a.used, 0);
});

test('nk_arena_store throws a TypeError and uses nothing when numbers go into a BigInt array', () => {
  const a = nk_arena_init(new Uint8Array(16));
  const c = new Uint8Array(32);
  assert.throws(() => nk_arena_store(BigInt64Array, a, c, 24, [1, 2]), (e: Error) =>
    e instanceof TypeError && /cannot be stored in a BigInt64Array/.test(e.message));
  assert.is(a.used, 0);
  assert.equal(bytesOf(c, 24), ptr(0, 0));
});

test('nk_arena_alloc returns a zeroed view in place that the arena then carries', () => {
  const a = nk_arena_init(new Uint8Array(16).fill(0xff));
  const c = new Uint8Array(32);
  const v = nk_arena_alloc(Uint16Array, a, c, 24, 3);
  assert.ok(v instanceof Uint16Array);
  assert.equal(Array.from(v!), [0, 0, 0]);
  v![1] = 0xabcd;
  assert.equal(bytesOf(a.buffer, 0, 6), [0, 0, 0xcd, 0xab, 0, 0]);
  assert.equal(bytesOf(c, 24), ptr(0, 6));
  assert.is(a.used, 6);
});

test('nk_arena_alloc returns null and changes nothing when the segment does not fit', () => {
  const a = nk_arena_init(new Uint8Array(16));
  const c = new Uint8Array(32);
  assert.is(nk_arena_alloc(Uint32Array, a, c, 24, 5), null);
  assert.is(nk_arena_alloc(Uint8Array, a, c, 24, 2 ** 40), null);
  assert.is(a.used, 0);
  assert.equal(bytesOf(c, 24), ptr(0, 0));
  assert.throws(() => nk_arena_alloc(Uint8Array, a, c, 24, -1), (e: Error) =>
    e instanceof RangeError && /nk_arena_alloc: count must be a non-negative integer .*got number -1/.test(e.message));
});

test('nk_arena_get returns a view in place with size / BYTES_PER_ELEMENT elements', () => {
  const a = nk_arena_init(new Uint8Array(16));
  const c = new Uint8Array(32);
  nk_arena_store(Uint16Array, a, c, 24, [10, 20, 30, 40]);
  const v = nk_arena_get(Uint16Array, a, c, 24)!;
  assert.is(v.length, 4);
  assert.is(v.buffer, a.buffer.buffer);
  v[0] = 99;
  assert.is(a.buffer[0], 99);
  assert.is(nk_arena_get(Uint32Array, a, c, 24)!.length, 2);
});

test('nk_arena_get accepts a descriptor that ends exactly at the used part', () => {
  assert.is(nk_arena_get(Uint32Array, arenaUsing(16, 12), withPtr(4, 8), 24)!.length, 2);
});

test('nk_arena_get returns null for a descriptor that ends past the used part', () => {
  assert.is(nk_arena_get(Uint8Array, arenaUsing(16, 12), withPtr(4, 9), 24), null);
  assert.is(nk_arena_get(Uint8Array, arenaUsing(16, 0), withPtr(0, 1), 24), null);
});

test('nk_arena_get returns null for a descriptor that starts past the used part, even with size 0', () => {
  assert.is(nk_arena_get(Uint8Array, arenaUsing(16, 8), withPtr(9, 0), 24), null);
});

test('nk_arena_get returns null for an offset misaligned for the element type', () => {
  const a = arenaUsing(16, 16);
  assert.is(nk_arena_get(Uint32Array, a, withPtr(2, 4), 24), null);
  assert.is(nk_arena_get(Float64Array, a, withPtr(4, 8), 24), null);
  assert.ok(nk_arena_get(Uint16Array, a, withPtr(2, 4), 24) !== null);
});

test('nk_arena_get returns null for a size that is not a whole number of elements', () => {
  assert.is(nk_arena_get(Uint32Array, arenaUsing(16, 16), withPtr(0, 6), 24), null);
});

test('nk_arena_get returns null for a size that overflows u32 when added to the offset', () => {
  // 8 + 0xFFFFFFFC wraps to 4 in u32 arithmetic, which a naive check would accept.
  assert.is(nk_arena_get(Uint8Array, arenaUsing(16, 16), withPtr(8, 0xfffffffc), 24), null);
  assert.is(nk_arena_get(Uint8Array, arenaUsing(16, 16), withPtr(0xfffffff8, 0x10), 24), null);
});

test('the descriptor functions reject a field outside the constant part or misaligned', () => {
  const a = nk_arena_init(new Uint8Array(8));
  const c = new Uint8Array(32);
  assert.throws(() => nk_arena_get(Uint8Array, a, c, 28), (e: Error) =>
    e instanceof RangeError && /nk_arena_get: fieldOffset must be an integer from 0 to 24 .*got number 28/.test(e.message));
  assert.throws(() => nk_arena_store(Uint8Array, a, c, 22, [1]), /nk_arena_store: fieldOffset must be a multiple of 4 .*got 22/);
  assert.throws(() => nk_arena_alloc(Uint8Array, a, c, -4, 1), /nk_arena_alloc: fieldOffset/);
  assert.throws(() => nk_arena_get_string(a, [] as unknown as Uint8Array, 24), (e: Error) =>
    e instanceof TypeError && /nk_arena_get_string: constPart must be a Uint8Array, got Array/.test(e.message));
  assert.is(a.used, 0);
});

test('nk_arena_reset empties the arena and used rejects values outside the capacity', () => {
  const a = nk_arena_init(new Uint8Array(8));
  nk_arena_store(Uint8Array, a, new Uint8Array(32), 24, [1, 2, 3]);
  nk_arena_reset(a);
  assert.is(nk_arena_used(a), 0);
  assert.throws(() => { a.used = 9; }, (e: Error) => e instanceof RangeError && /NkArena.used .*capacity 8, got 9/.test(e.message));
  assert.throws(() => { a.used = 1.5; }, RangeError);
  assert.is(a.used, 0);
});

test('nk_arena_store_string stores UTF-8 and a terminating zero', () => {
  const a = nk_arena_init(new Uint8Array(16));
  const c = new Uint8Array(32);
  assert.is(nk_arena_store_string(a, c, 24, 'h\u00e9\u20ac'), 0);
  assert.equal(bytesOf(a.buffer, 0, 7), [0x68, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0]);
  assert.equal(bytesOf(c, 24), ptr(0, 7));
  assert.is(nk_arena_get_string(a, c, 24), 'h\u00e9\u20ac');
});

test('a string<N> takes up to N + 1 bytes and one byte more is rejected', () => {
  const a = nk_arena_init(new Uint8Array(32));
  const c = new Uint8Array(32);
  assert.is(nk_arena_store_string(a, c, 24, 'abcd', 4), 0);
  assert.is(a.used, 5);
  assert.is(nk_arena_store_string(a, c, 24, 'abcde', 4), NK_EINVAL);
  assert.is(nk_arena_store_string(a, c, 24, '\u00e9\u00e9\u00e9', 5), NK_EINVAL); // 6 UTF-8 bytes + 0
  assert.is(a.used, 5);
  assert.equal(bytesOf(c, 24), ptr(0, 5));
});

test('nk_arena_store_string rejects a string with U+0000 and one that does not fit the arena', () => {
  const a = nk_arena_init(new Uint8Array(4));
  const c = new Uint8Array(32);
  assert.is(nk_arena_store_string(a, c, 24, 'a\u0000b'), NK_EINVAL);
  assert.is(nk_arena_store_string(a, c, 24, 'abcd'), NK_ENOMEM);
  assert.is(nk_arena_store_string(a, c, 24, 'abc'), 0);
  assert.is(nk_arena_store_string(a, c, 24, ''), NK_ENOMEM);
  assert.throws(() => nk_arena_store_string(a, c, 24, 5 as unknown as string), /nk_arena_store_string: s must be a string, got number 5/);
  assert.throws(() => nk_arena_store_string(a, c, 24, 'x', -1), /nk_arena_store_string: maxLen/);
});

test('nk_arena_get_string returns null when the segment has no terminating zero', () => {
  const a = arenaUsing(8, 8);
  a.buffer.set([0x61, 0x62, 0x63]);
  assert.is(nk_arena_get_string(a, withPtr(0, 3), 24), null);
  assert.is(nk_arena_get_string(a, withPtr(0, 0), 24), null);
  a.buffer[2] = 0;
  assert.is(nk_arena_get_string(a, withPtr(0, 3), 24), 'ab');
});

test('nk_arena_get_string stops at the first zero and returns null for a bad descriptor', () => {
  const a = arenaUsing(8, 6);
  a.buffer.set([0x61, 0, 0x62, 0x63, 0, 0]);
  assert.is(nk_arena_get_string(a, withPtr(0, 5), 24), 'a');
  assert.is(nk_arena_get_string(a, withPtr(2, 8), 24), null);
});

test('nk_arena_get_string reads an arena in shared memory', () => {
  const a = nk_arena_init(new Uint8Array(new SharedArrayBuffer(16)));
  const c = new Uint8Array(32);
  nk_arena_store_string(a, c, 24, 'shared');
  assert.is(nk_arena_get_string(a, c, 24), 'shared');
});

test('golden: a string<256> request is a 32-byte constant part and the used arena bytes', () => {
  const req = new Uint8Array(32);
  const arena = nk_arena_init(new Uint8Array(257));
  nk_req_reset(req);
  nk_msg_set_method_id(req, 0, 0);
  assert.is(nk_arena_store_string(arena, req, 24, 'hello', 256), 0);
  assert.equal(Array.from(req), [...header(32, 0, 0), ...ptr(0, 6)]);
  assert.equal(bytesOf(arena.buffer, 0, arena.used), [0x68, 0x65, 0x6c, 0x6c, 0x6f, 0]);
});

test('golden: a request with two strings and a scalar points into one arena', () => {
  // Build(in string<48> txId, in UInt32 amountCents, in string<8> currency): txId at 24,
  // amountCents at 32, currency at 36; 44 bytes, 48 with the struct's 8-byte alignment.
  const req = new Uint8Array(48);
  const arena = nk_arena_init(new Uint8Array(49 + 9));
  nk_req_reset(req);
  nk_msg_set_method_id(req, 0, 1);
  assert.is(nk_arena_store_string(arena, req, 24, 'TX-0001', 48), 0);
  new DataView(req.buffer).setUint32(32, 12345, true);
  assert.is(nk_arena_store_string(arena, req, 36, 'EUR', 8), 0);
  assert.equal(Array.from(req), [
    ...header(48, 0, 1), ...ptr(0, 8), 0x39, 0x30, 0, 0, ...ptr(8, 4), 0, 0, 0, 0,
  ]);
  assert.equal(bytesOf(arena.buffer, 0, arena.used), [
    0x54, 0x58, 0x2d, 0x30, 0x30, 0x30, 0x31, 0, 0x45, 0x55, 0x52, 0,
  ]);
});

test('golden: a sequence of structs is one segment aligned to the struct and sized in bytes', () => {
  // Draw(in string<16> label, in sequence<Point, 4> points); struct Point { UInt32 x; UInt16 y;
  // UInt8 flags; } is 8 bytes, align 4, so it is stored as Uint32Array words.
  const req = new Uint8Array(40);
  const arena = nk_arena_init(new Uint8Array(17 + 4 * 8).fill(0xaa));
  nk_req_reset(req);
  nk_msg_set_method_id(req, 2, 3);
  assert.is(nk_arena_store_string(arena, req, 24, 'ab', 16), 0);
  const points = nk_arena_alloc(Uint32Array, arena, req, 32, (2 * 8) / Uint32Array.BYTES_PER_ELEMENT)!;
  const view = new DataView(points.buffer, points.byteOffset, points.byteLength);
  [[1, 2, 3], [0x11223344, 0x5566, 0x77]].forEach(([x, y, flags], i) => {
    view.setUint32(i * 8, x!, true);
    view.setUint16(i * 8 + 4, y!, true);
    view.setUint8(i * 8 + 6, flags!);
  });
  assert.equal(Array.from(req), [...header(40, 2, 3), ...ptr(0, 3), ...ptr(4, 16)]);
  assert.equal(bytesOf(arena.buffer, 0, arena.used), [
    0x61, 0x62, 0, 0, /* label, padding */
    1, 0, 0, 0, 2, 0, 3, 0, /* points[0] */
    0x44, 0x33, 0x22, 0x11, 0x66, 0x55, 0x77, 0, /* points[1] */
  ]);
});

test('a receiver reads what a sender stored after the used part is copied into its own arena', () => {
  const req = new Uint8Array(40);
  const out = nk_arena_init(new Uint8Array(32));
  nk_req_reset(req);
  nk_arena_store_string(out, req, 24, 'ping');
  nk_arena_store(Int16Array, out, req, 32, [-1, 2, -3]);
  // What the kernel does on delivery: constant part and the used part of the arena.
  const inReq = req.slice();
  const inArena = nk_arena_init(new Uint8Array(new SharedArrayBuffer(64)));
  inArena.buffer.set(out.buffer.subarray(0, out.used));
  inArena.used = out.used;
  assert.is(nk_arena_get_string(inArena, inReq, 24), 'ping');
  assert.equal(Array.from(nk_arena_get(Int16Array, inArena, inReq, 32)!), [-1, 2, -3]);
  inArena.used = out.used - 1;
  assert.is(nk_arena_get(Int16Array, inArena, inReq, 32), null);
});

test.run();
