/**
 * Codecs of the variable-size and composite IDL types, for generated code (see rt_view.ts):
 *
 * - string<N>, bytes<N>, sequence<T, N>: an nk_ptr_t in place and a segment in the arena
 *   (nk/arena.ts rules). A read returns null when the arena is missing or the descriptor is
 *   invalid or longer than N allows; strings decode to JS strings, bytes and sequences of
 *   integers are typed-array views of the arena in place, other sequences arrays of values.
 * - array<T, N>: N elements in place; arrays of integers read as typed-array views in place.
 * - struct: its fields at their offsets; reads give a view (the generated class), writes take
 *   any object with the fields (a plain object, or another view).
 * - union: a u32 tag (the member's index) then the member (nk/idl_layout.ts); reads give a view,
 *   writes take an object with exactly one member (`{ small: 3 }`) or another view.
 *
 * A write that fails part way (an element out of range) restores the bytes and the arena it
 * touched (`store`), so a refused write changes nothing.
 */
import { NkArena, nk_arena_alloc, nk_arena_get, nk_arena_store, nk_arena_store_string, type NkElementType } from '../nk/arena.js';
import { NK_EINVAL, NK_EOK } from '../nk/types.js';
import { NkView, UInt32, type NkCodec } from './rt_view.js';
import { describe } from '../describe.js';

const BY_ALIGN: Record<number, NkElementType> = { 1: Uint8Array, 2: Uint16Array, 4: Uint32Array, 8: BigUint64Array };
const encoder = new TextEncoder();

function arenaOf(v: NkView, where: string, idl: string): NkArena {
  if (!(v.arena_ instanceof NkArena)) {
    throw new TypeError(`${where}: ${idl} lives in the arena and this message has none; construct it with an arena ` +
      '(the generated constructor makes one of the method\'s _arena_size when none is given)');
  }
  return v.arena_;
}

function noRoom(where: string, idl: string, bytes: number, a: NkArena): never {
  throw new RangeError(`${where}: ${idl} needs ${bytes} more arena bytes and the arena has ${a.capacity - a.used} free ` +
    `of ${a.capacity}; give the message an arena of the method's _arena_size bytes (and nk_arena_reset it before reuse)`);
}

function lengthOf(value: unknown, where: string, idl: string): number {
  const n = (value as { length?: unknown } | null)?.length;
  if (typeof value === 'string' || typeof value !== 'object' || value === null || typeof n !== 'number' || !Number.isInteger(n)) {
    throw new TypeError(`${where}: ${idl} is written from an array or typed array, got ${describe(value)}`);
  }
  return n;
}

/** The segment [offset, size) the nk_ptr_t at `at` names, if it is whole and aligned, else null. */
function segmentOf(v: NkView, at: number, align: number, unit: number): [number, number] | null {
  const a = v.arena_;
  if (!(a instanceof NkArena)) return null;
  const view = nk_arena_get(BY_ALIGN[align]!, a, v.base_, at);
  if (view === null || view.byteLength % unit !== 0) return null;
  return [view.byteOffset - a.buffer.byteOffset, view.byteLength];
}

const decoder = new TextDecoder('utf-8');

/**
 * The string the nk_ptr_t at `at` names, by nk_arena_get_string's rules (inside the used part,
 * a terminating zero, UTF-8 up to it), and at most `max` bytes long; else null. Short ASCII
 * strings are decoded without TextDecoder.
 */
function readString(v: NkView, at: number, max: number): string | null {
  const a = v.arena_;
  if (!(a instanceof NkArena)) return null;
  const off = v.dv_.getUint32(at, true), size = v.dv_.getUint32(at + 4, true), used = a.used;
  if (off > used || size > used - off || size > max) return null;
  const b = a.buffer;
  let end = off, ascii = true;
  for (const stop = off + size; end < stop && b[end] !== 0; end++) if (b[end]! > 0x7f) ascii = false;
  if (end === off + size) return null;
  if (ascii && end - off <= 64) {
    let s = '', i = off;
    for (; i + 4 <= end; i += 4) s += String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
    for (; i < end; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
  const bytes = b.subarray(off, end);
  // TextDecoder refuses views of a SharedArrayBuffer in browsers: decode a private copy then
  return decoder.decode(bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice());
}

/**
 * Reserves a segment of `bytes` at the tail of the arena, aligned to `align`, and writes its
 * nk_ptr_t at `at`: nk_arena_alloc's rules (padding zeroed, 0 bytes is {0, 0} and uses nothing)
 * without its argument checks and view, for the codecs' hot paths. Returns the segment's
 * offset, or -1 (and no change) when it does not fit.
 */
function reserve(v: NkView, a: NkArena, at: number, bytes: number, align: number): number {
  let start = 0;
  if (bytes > 0) {
    const used = a.used;
    start = align === 1 ? used : Math.ceil(used / align) * align;
    if (start > a.capacity || bytes > a.capacity - start) return -1;
    if (start > used) a.buffer.fill(0, used, start);
    a.used = start + bytes;
  }
  v.dv_.setUint32(at, start, true);
  v.dv_.setUint32(at + 4, bytes, true);
  return start;
}

/** Stores an ASCII string without U+0000 (no encoder needed); false when `s` is not one. */
function storeAscii(v: NkView, a: NkArena, at: number, s: string, n: number, where: string, idl: string): boolean {
  const len = s.length;
  if (len > n) return false;
  const used = a.used, off = v.dv_.getUint32(at, true), size = v.dv_.getUint32(at + 4, true);
  const start = reserve(v, a, at, len + 1, 1);
  if (start < 0) noRoom(where, idl, len + 1, a);
  const b = a.buffer;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c > 0x7f) {
      // not ASCII: undo the reservation, the caller stores it through the encoder
      a.used = used;
      v.dv_.setUint32(at, off, true);
      v.dv_.setUint32(at + 4, size, true);
      return false;
    }
    b[start + i] = c;
  }
  b[start + len] = 0;
  return true;
}

/** string<N>: up to N bytes of UTF-8 and a terminating zero in the arena. */
export function string(n: number): NkCodec<string | null, string> {
  const idl = `string<${n}>`;
  return {
    idl, kind: 'string', size: 8, align: 4, atomic: true,
    get: (v, at) => readString(v, at, n + 1),
    put(v, at, value, where) {
      if (typeof value !== 'string') throw new TypeError(`${where}: ${idl} is written from a string, got ${describe(value)}`);
      const a = arenaOf(v, where, idl);
      if (storeAscii(v, a, at, value, n, where, idl)) return;
      const rc = nk_arena_store_string(a, v.base_, at, value, n);
      if (rc === NK_EOK) return;
      const bytes = encoder.encode(value).length;
      if (rc === NK_EINVAL) {
        throw new RangeError(`${where}: ${idl} holds at most ${n} bytes of UTF-8 without U+0000, got ${bytes} bytes` +
          `${value.includes('\0') ? ' containing U+0000' : ''}`);
      }
      noRoom(where, idl, bytes + 1, a);
    },
  };
}

/** bytes<N>: up to N bytes in the arena; read as a Uint8Array view in place. */
export function bytes(n: number): NkCodec<Uint8Array | null, ArrayLike<number>> {
  const idl = `bytes<${n}>`;
  return {
    idl, kind: 'bytes', size: 8, align: 4, atomic: true,
    get(v, at) {
      const a = v.arena_;
      if (!(a instanceof NkArena)) return null;
      const off = v.dv_.getUint32(at, true), size = v.dv_.getUint32(at + 4, true), used = a.used;
      return off > used || size > used - off || size > n ? null : a.buffer.subarray(off, off + size);
    },
    put(v, at, value, where) {
      const len = lengthOf(value, where, idl);
      if (len > n) throw new RangeError(`${where}: ${idl} holds at most ${n} bytes, got ${len}`);
      if (!(value instanceof Uint8Array)) {
        for (let i = 0; i < len; i++) checkByte(value[i], `${where}[${i}]`);
      }
      const a = arenaOf(v, where, idl);
      const start = reserve(v, a, at, len, 1);
      if (start < 0) noRoom(where, idl, len, a);
      a.buffer.set(value, start);
    },
  };
}

function checkByte(x: unknown, where: string): void {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 255) {
    throw new RangeError(`${where}: a byte is an integer from 0 to 255, got ${describe(x)}`);
  }
}

/** Writes each element of `value` with `el` from `start`, `el.size` apart. */
function putEach(v: NkView, start: number, el: NkCodec, value: ArrayLike<unknown>, len: number, where: string): void {
  for (let i = 0; i < len; i++) el.put(v, start + i * el.size, value[i], `${where}[${i}]`);
}

/** sequence<T, N>: up to N elements of T in one arena segment aligned to T. */
export function sequence<T, In>(el: NkCodec<T, In>, n: number): NkCodec<ArrayLike<T> | null, ArrayLike<In>> {
  const idl = `sequence<${el.idl}, ${n}>`;
  return {
    idl, kind: 'sequence', element: el as NkCodec, size: 8, align: 4,
    get(v, at) {
      const seg = segmentOf(v, at, el.align, el.size);
      if (seg === null || seg[1] / el.size > n) return null;
      const a = v.arena_!;
      const count = seg[1] / el.size;
      if (el.typed) return new el.typed(a.buffer.buffer, a.buffer.byteOffset + seg[0], count) as unknown as ArrayLike<T>;
      const av = new NkView(a.buffer, 0, a);
      return Array.from({ length: count }, (_, i) => el.get(av, seg[0] + i * el.size));
    },
    put(v, at, value, where) {
      const len = lengthOf(value, where, idl);
      if (len > n) throw new RangeError(`${where}: ${idl} holds at most ${n} elements, got ${len}`);
      const a = arenaOf(v, where, idl);
      if (el.typed && value instanceof el.typed) {
        if (nk_arena_store(el.typed as unknown as NkElementType, a, v.base_, at, value as unknown as ArrayLike<number>) !== NK_EOK) {
          noRoom(where, idl, len * el.size, a);
        }
        return;
      }
      const T = BY_ALIGN[el.align]!;
      const seg = nk_arena_alloc(T, a, v.base_, at, (len * el.size) / el.align);
      if (seg === null) noRoom(where, idl, len * el.size, a);
      putEach(new NkView(a.buffer, 0, a), seg.byteOffset - a.buffer.byteOffset, el as NkCodec, value, len, where);
    },
  };
}

/** array<T, N>: exactly N elements of T in place. */
export function array<T, In>(el: NkCodec<T, In>, n: number): NkCodec<ArrayLike<T>, ArrayLike<In>> {
  const idl = `array<${el.idl}, ${n}>`;
  return {
    idl, kind: 'array', element: el as NkCodec, size: n * el.size, align: el.align,
    get(v, at) {
      if (el.typed) return new el.typed(v.base_.buffer, v.base_.byteOffset + at, n) as unknown as ArrayLike<T>;
      return Array.from({ length: n }, (_, i) => el.get(v, at + i * el.size));
    },
    put(v, at, value, where) {
      const len = lengthOf(value, where, idl);
      if (len !== n) throw new RangeError(`${where}: ${idl} takes exactly ${n} elements, got ${len}`);
      if (el.typed && value instanceof el.typed) {
        new Uint8Array(v.base_.buffer, v.base_.byteOffset + at, n * el.size)
          .set(new Uint8Array((value as unknown as Uint8Array).buffer, (value as unknown as Uint8Array).byteOffset, n * el.size));
        return;
      }
      putEach(v, at, el as NkCodec, value, n, where);
    },
  };
}

/** A constructor of generated views: (buffer, offset, arena). */
export type ViewClass<V extends NkView = NkView> = new (base_: Uint8Array, offset_: number, arena_: NkArena | null) => V;

/** A struct: `fields` are [name, codec, offset from the struct's start]. */
export function struct<V extends NkView>(View: ViewClass<V>, idl: string, size: number, align: number,
  fields: readonly (readonly [string, NkCodec, number])[]): NkCodec<V, object> {
  return {
    idl, kind: 'struct', fields, size, align,
    get: (v, at) => new View(v.base_, at, v.arena_),
    put(v, at, value, where) {
      if (!value || typeof value !== 'object') throw new TypeError(`${where}: ${idl} is written from an object with its fields, got ${describe(value)}`);
      for (const [name, codec, off] of fields) codec.put(v, at + off, (value as Record<string, unknown>)[name], `${where}.${name}`);
    },
  };
}

/** A union codec, with what its generated view needs to read and write one member. */
export interface UnionCodec<V extends NkView> extends NkCodec<V, object> {
  readonly dataOffset: number;
  readonly members: readonly (readonly [string, NkCodec])[];
  /** The value of member `index`, or undefined when another member holds the value. */
  member(v: NkView, index: number): unknown;
  /** Makes member `index` hold `value` (the tag, then the value). */
  setMember(v: NkView, index: number, value: unknown, where: string): void;
}

/** A union: a u32 tag, then `members` ([name, codec]) at `dataOffset`. */
export function union<V extends NkView>(View: ViewClass<V>, idl: string, size: number, align: number, dataOffset: number,
  members: readonly (readonly [string, NkCodec])[]): UnionCodec<V> {
  const write = (v: NkView, at: number, index: number, value: unknown, where: string): void => {
    const [name, codec] = members[index]!;
    v.base_.fill(0, at + 4, at + size);
    UInt32.put(v, at, index, `${where}.tag_`);
    codec.put(v, at + dataOffset, value, `${where}.${name}`);
  };
  return {
    idl, kind: 'union', fields: members, size, align, dataOffset, members,
    get: (v, at) => new View(v.base_, at, v.arena_),
    put(v, at, value, where) {
      if (value instanceof NkView) {
        const tag = UInt32.get(value, value.offset_);
        if (tag >= members.length) throw new RangeError(`${where}: the ${idl} given has tag ${tag}, which names no member`);
        write(v, at, tag, members[tag]![1].get(value, value.offset_ + dataOffset), where);
        return;
      }
      const keys = value && typeof value === 'object' ? Object.keys(value) : [];
      const index = keys.length === 1 ? members.findIndex(([n]) => n === keys[0]) : -1;
      if (index < 0) {
        throw new TypeError(`${where}: ${idl} is written from an object with exactly one of ${members.map(([n]) => n).join(', ')}, ` +
          `got ${keys.length ? `{ ${keys.join(', ')} }` : value && typeof value === 'object' ? '{}' : describe(value)}`);
      }
      write(v, at, index, (value as Record<string, unknown>)[keys[0]!], where);
    },
    member(v, index) {
      return UInt32.get(v, v.offset_) === index ? members[index]![1].get(v, v.offset_ + dataOffset) : undefined;
    },
    setMember(v, index, value, where) {
      store(v, v.offset_, size, () => write(v, v.offset_, index, value, where));
    },
  };
}

/**
 * Runs `write`, which writes `size` bytes at `at` of `v` and maybe segments in its arena; if it
 * throws, puts back those bytes and the arena's used length, then rethrows.
 */
export function store(v: NkView, at: number, size: number, write: () => void): void {
  const saved = v.base_.slice(at, at + size);
  const used = v.arena_ instanceof NkArena ? v.arena_.used : 0;
  try {
    write();
  } catch (e) {
    v.base_.set(saved, at);
    if (v.arena_ instanceof NkArena) v.arena_.used = used;
    throw e;
  }
}

/** The write a generated setter makes: `codec.put` that changes nothing when it throws. */
export function set(v: NkView, at: number, codec: NkCodec, value: unknown, where: string): void {
  if (codec.atomic) codec.put(v, at, value, where);
  else store(v, at, codec.size, () => codec.put(v, at, value, where));
}

/**
 * A value read through `codec` as plain data, for logs, JSON and comparisons: structs become
 * objects, unions `{ member: value }`, typed arrays and views arrays; integers, bigints,
 * strings, Handle objects and null stay as they are.
 */
export function toPlain(codec: NkCodec, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (codec.kind) {
    case 'bytes': return Array.from(value as Uint8Array);
    case 'sequence': case 'array': return Array.from(value as ArrayLike<unknown>, (x) => toPlain(codec.element!, x));
    case 'struct':
      return Object.fromEntries(codec.fields!.map(([n, c]) => [n, toPlain(c, (value as Record<string, unknown>)[n])]));
    case 'union': {
      const v = value as NkView;
      const tag = v.dv_.getUint32(v.offset_, true);
      const m = codec.fields![tag];
      return m ? { [m[0]]: toPlain(m[1], (codec as UnionCodec<NkView>).member(v, tag)) } : { tag_: tag };
    }
    default: return value;
  }
}
