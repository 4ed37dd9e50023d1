// The IDL layout calculator against the sizes and offsets nk-gen-c is known to produce
// (reference/kos-ipc.md sections 3, 15.2 and 15.3).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { idlMessageLayout, idlMethodLayout, idlTypeLayout, idlStructLayout, idlUnionLayout, interfaceShapes } from 'kos-ipc/nk/idl_layout';
import { MAX_SHAPE_DESCRIPTORS } from 'kos-ipc/nk/message_shape';

test('Echo(in string<256> value): the request is 32 bytes, value at 24, arena 257', () => {
  const m = idlMethodLayout({ name: 'Echo', in: { value: 'string<256>' } });
  assert.is(m.request.size, 32);
  assert.is(m.request.fields[0]!.offset, 24);
  assert.is(m.request.arenaSize, 257);
  assert.equal(m.request.descriptors, [{ field: 24, unit: 1, align: 1, max: 257, string: true, name: 'value' }]);
});

test('a method without results or error parameters has 24-byte response and error structs', () => {
  const m = idlMethodLayout({ name: 'Echo', in: { value: 'string<256>' } });
  assert.equal([m.response.size, m.response.minSize, m.error.size, m.error.minSize], [24, 24, 24, 24]);
  assert.is(m.responseBufferSize, 24);
});

test('Ping(in UInt32 value) takes a size field from 28 (the last byte) to 32 (sizeof)', () => {
  const l = idlMessageLayout({ value: 'UInt32' });
  assert.equal([l.minSize, l.maxSize, l.size, l.arenaSize], [28, 32, 32, 0]);
  assert.equal(l.descriptors, []);
});

test('Build: two strings and a scalar at 24, 32 and 36 in 48 bytes, arena 49 + 9 = 58', () => {
  const l = idlMessageLayout({ txId: 'string<48>', amountCents: 'UInt32', currency: 'string<8>', approved: 'UInt8' });
  assert.equal(l.fields.map((f) => [f.name, f.offset]), [['txId', 24], ['amountCents', 32], ['currency', 36], ['approved', 44]]);
  assert.equal([l.minSize, l.size, l.arenaSize], [45, 48, 58]);
  assert.equal(l.descriptors.map((d) => [d.name, d.field, d.max]), [['txId', 24, 49], ['currency', 36, 9]]);
});

test('a struct aligns each field, takes its largest alignment and rounds its size up', () => {
  const types = { Entry: { id: 'UInt64', timestamp: 'UInt64', source: 'UInt32', reason: 'UInt32', msg: 'array<UInt8, 4096>' } };
  const e = idlTypeLayout('Entry', types);
  assert.equal([e.size, e.align], [4120, 8]);
  const p = idlTypeLayout('Point', { Point: { x: 'UInt32', y: 'UInt16', flags: 'UInt8' } });
  assert.equal([p.size, p.align], [8, 4]);
});

test('sequence<Entry, 32> of 4120-byte structs needs 131840 arena bytes aligned to 8', () => {
  const types = { Entry: { id: 'UInt64', timestamp: 'UInt64', source: 'UInt32', reason: 'UInt32', msg: 'array<UInt8, 4096>' } };
  const l = idlMessageLayout({ entry: 'sequence<Entry, 32>' }, types);
  assert.is(l.arenaSize, 131840);
  assert.equal(l.descriptors, [{ field: 24, unit: 4120, align: 8, max: 131840, name: 'entry' }]);
});

test('an error struct with a UInt16 status is 26 bytes of data in a 32-byte struct', () => {
  const l = idlMessageLayout({ status: 'UInt16' });
  assert.equal([l.fields[0]!.offset, l.minSize, l.size], [24, 26, 32]);
});

test('a UInt64 after a UInt8 starts at the next multiple of 8', () => {
  const l = idlMessageLayout({ a: 'UInt8', b: 'SInt64', c: 'bytes<3>' });
  assert.equal(l.fields.map((f) => f.offset), [24, 32, 40]);
  assert.equal([l.minSize, l.size], [48, 48]);
  assert.equal(l.descriptors[0], { field: 40, unit: 1, align: 1, max: 3, name: 'c' });
});

test('descriptors inside a struct parameter are named by their path and placed at absolute offsets', () => {
  const types = { Labeled: { id: 'UInt16', label: 'string<8>' }, Bool: 'UInt8' };
  const l = idlMessageLayout({ ok: 'Bool', item: 'Labeled', tags: 'array<string<4>, 2>' }, types);
  assert.equal(l.fields.map((f) => [f.name, f.offset, f.size]), [['ok', 24, 1], ['item', 28, 12], ['tags', 40, 16]]);
  assert.equal(l.descriptors.map((d) => [d.name, d.field]), [['item.label', 32], ['tags[0]', 40], ['tags[1]', 48]]);
  assert.is(l.arenaSize, 9 + 5 + 5);
});

test('descriptors inside arena segments are listed as nested, not as kernel-checked descriptors', () => {
  const l = idlMessageLayout({ names: 'sequence<string<8>, 3>' });
  assert.equal(l.descriptors, [{ field: 24, unit: 8, align: 4, max: 24, name: 'names' }]);
  assert.equal(l.nested, ['names[]']);
  assert.is(l.arenaSize, 24 + 3 * 9);
});

test('an array holding more descriptors than the kernel checks is refused with the count', () => {
  assert.throws(() => idlMessageLayout({ many: 'array<string<4>, 15>' }), (e: Error) =>
    e instanceof RangeError && /holds 15 nk_ptr_t descriptors .*at most 14/.test(e.message));
  assert.is(MAX_SHAPE_DESCRIPTORS, 14);
  const fifteen = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`s${i}`, 'string<1>']));
  assert.throws(() => idlMessageLayout(fifteen), /15 descriptors, the kernel checks at most 14/);
});

test('unknown types, Handle inside a struct and malformed type strings are refused with the parameter named', () => {
  assert.throws(() => idlMessageLayout({ p: 'Pair' }, { Pair: { a: 'UInt8', h: 'Handle' } }), (e: Error) =>
    e instanceof TypeError && /\.p \(Pair\)\.h: Handle is allowed only as a method parameter/.test(e.message));
  assert.throws(() => idlMessageLayout({ hs: 'sequence<Handle, 2>' }), /\.hs: Handle is allowed only as a method parameter/);
  assert.throws(() => idlMessageLayout({ u: 'U' }, { U: { union: { h: 'H' } }, H: 'Handle' }), /\.u \(U\)\.h: Handle is allowed only/);
  assert.throws(() => idlMessageLayout({ v: 'UInt24' }), /\.v: unknown IDL type "UInt24"/);
  assert.throws(() => idlMessageLayout({ v: 'string<' }), /\.v: cannot read the IDL type "string<"/);
  assert.throws(() => idlMessageLayout({ v: 'sequence<UInt8>' }), /sequence takes a type and a bound/);
  assert.throws(() => idlTypeLayout('Loop', { Loop: { next: 'Loop' } }), /type "Loop" contains itself/);
});

test('Handle parameters, directly or through a typedef, come first in IDL order at 24, 40, ...', () => {
  const l = idlMessageLayout({ a: 'UInt8', h1: 'Handle', s: 'string<4>', h2: 'MyHandle' }, { MyHandle: 'Handle' });
  assert.equal(l.fields.map((f) => [f.name, f.offset, f.size]), [['h1', 24, 16], ['h2', 40, 16], ['a', 56, 1], ['s', 60, 8]]);
  assert.equal([l.handles, l.minSize, l.size], [2, 68, 72]);
  assert.equal(l.descriptors.map((d) => d.field), [60]);
  assert.is(idlMessageLayout({ v: 'UInt32' }).handles, 0);
});

test('a union is a u32 tag then its members at one offset, aligned to the largest member', () => {
  const types = { U: { union: { small: 'UInt16', big: 'UInt64', text: 'string<7>' } } };
  assert.equal(idlUnionLayout({ small: 'UInt16', big: 'UInt64', text: 'string<7>' }, types),
    { size: 16, align: 8, dataOffset: 8, members: [
      { name: 'small', type: 'UInt16', offset: 8, size: 2, align: 2 },
      { name: 'big', type: 'UInt64', offset: 8, size: 8, align: 8 },
      { name: 'text', type: 'string<7>', offset: 8, size: 8, align: 4 }] });
  const l = idlMessageLayout({ flag: 'UInt8', u: 'U' }, types);
  assert.equal(l.fields.map((f) => [f.name, f.offset, f.size]), [['flag', 24, 1], ['u', 32, 16]]);
  assert.equal(l.descriptors, [], 'a descriptor inside a union depends on the tag: the kernel does not check it');
  assert.equal(l.nested, ['u.text']);
  assert.is(l.arenaSize, 8);
  const small = idlTypeLayout('V', { V: { union: { a: 'UInt8', b: 'UInt16' } } });
  assert.equal([small.size, small.align], [8, 4], 'the tag alone makes the alignment at least 4');
  assert.throws(() => idlTypeLayout('E', { E: { union: {} } }), /a union needs at least one member/);
});

test('idlStructLayout gives a struct\'s member offsets from its start', () => {
  assert.equal(idlStructLayout({ id: 'UInt64', timestamp: 'UInt64', source: 'UInt32', reason: 'UInt32', msg: 'array<UInt8, 4096>' }).fields
    .map((f) => f.offset), [0, 8, 16, 20, 24]);
});

test('bounds may be written in hex and octal as in IDL', () => {
  assert.is(idlMessageLayout({ v: 'bytes<0x10>' }).descriptors[0]!.max, 16);
  assert.is(idlMessageLayout({ v: 'bytes<0o100>' }).descriptors[0]!.max, 64);
});

test('interfaceShapes gives each method its three shapes in MID order, raw shapes as given', () => {
  const raw = { minSize: 32, maxSize: 32, descriptors: [{ field: 24, unit: 2, align: 2, max: 64 }] };
  const shapes = interfaceShapes({ methods: [{ name: 'A', in: { v: 'UInt8' } }, { name: 'B', shapes: { request: raw } }] });
  assert.equal(shapes[0]!.request, { minSize: 25, maxSize: 32, descriptors: [] });
  assert.equal(shapes[0]!.error, { minSize: 24, maxSize: 24, descriptors: [] });
  assert.equal(shapes[1], { request: raw });
});

test('a raw shape the kernel would refuse is refused with the rule it breaks', () => {
  const bad = (d: object): unknown => interfaceShapes({ methods: [{ name: 'M', shapes: { request: { minSize: 40, maxSize: 40, descriptors: [{ field: 24, unit: 1, align: 1, max: 8, ...d }] } } }] });
  assert.throws(() => bad({ field: 22 }), /method M request.descriptors\[0\]: field must be a multiple of 4/);
  assert.throws(() => bad({ field: 36 }), /field \+ 8 <= minSize \(40\)/);
  assert.throws(() => bad({ align: 3 }), /align must be 1, 2, 4 or 8/);
  assert.throws(() => bad({ unit: 6, align: 4 }), /unit must be a positive multiple of align/);
  assert.throws(() => bad({ max: 7, unit: 2, align: 2 }), /max must be a multiple of unit/);
  assert.throws(() => interfaceShapes({ methods: [{ name: 'M', shapes: { request: { minSize: 40, maxSize: 40, descriptors: [
    { field: 24, unit: 1, align: 1, max: 8 }, { field: 28, unit: 1, align: 1, max: 8 }] } } }] }), /shares bytes with descriptors\[0\]/);
});

test.run();
