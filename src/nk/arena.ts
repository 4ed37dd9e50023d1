/**
 * `nk/arena.h`: the arena of an IPC message, where variable-size parameters (string<N>, bytes<N>,
 * sequence<T,N>) live, and the nk_ptr_t descriptors that point into it from the constant part.
 *
 * The C macros take the element type as their first argument (`nk_arena_store(nk_uint32_t, ...)`);
 * here a typed-array constructor stands for it (`nk_arena_store(Uint32Array, ...)`).
 *
 * Layout rules (docs/sources.md: the ipc_arena page; descriptor layout in message_layout.ts):
 * - The arena is `buffer[0 .. used)`: one or more segments, each an array of one element type.
 *   Only the used part travels in a message.
 * - A segment of T starts at the first multiple of T.BYTES_PER_ELEMENT at or after `used`
 *   (offsets are relative to the arena start). The padding bytes skipped are zeroed, so the used
 *   part never carries stale bytes. A sequence of structs is stored with the typed array of the
 *   struct's largest primitive (its alignment) and count = elements * sizeof(struct) / BPE.
 * - The arena's buffer must start at a multiple of 8 bytes in its ArrayBuffer (NK_ARENA_ALIGN,
 *   the largest primitive): nk_arena_init throws a RangeError otherwise. Offsets are checked
 *   relative to the arena start (that is all the kernel and the peer can see); the 8-byte start
 *   makes every aligned offset aligned in memory too, so segments are viewed in place, never copied.
 * - Zero-length segments: storing or allocating 0 elements always succeeds, writes the descriptor
 *   {offset 0, size 0} and leaves `used` unchanged. A descriptor of size 0 is valid when its
 *   offset is aligned and at most `used` (the same rule as any other), and nk_arena_get returns an
 *   empty view for it, not null: an empty sequence is data, not a malformed message.
 * - nk_arena_get returns null for any descriptor that does not name a whole, aligned segment
 *   inside `buffer[0 .. used)`: offset or end past `used` (checked without u32 overflow), offset
 *   misaligned for T, size not a multiple of T.BYTES_PER_ELEMENT.
 */
import { describe } from '../describe.js';
import { NK_EINVAL, NK_ENOMEM, NK_EOK, NK_PTR_SIZE, type nk_err_t } from './types.js';
import { NK_PTR_ALIGN, NK_PTR_FIELDS } from './message_layout.js';

/** The typed arrays an arena segment can be viewed as (one per C primitive type). */
export type NkTypedArray =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array
  | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/** A typed-array constructor standing for the C element type T (Uint8Array for nk_uint8_t, ...). */
export interface NkElementType<A extends NkTypedArray = NkTypedArray> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): A;
  readonly BYTES_PER_ELEMENT: number;
}

/** Required alignment of an arena buffer's byteOffset: the size of the largest primitive. */
export const NK_ARENA_ALIGN = 8;

const TypedArray: unknown = Object.getPrototypeOf(Uint8Array);
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');


/** An arena: a byte buffer and the length of its used part. Create with nk_arena_init. */
export class NkArena {
  /** The arena's memory; `capacity` bytes, starting 8-aligned in its ArrayBuffer. */
  readonly buffer: Uint8Array;
  #used = 0;

  /** Wrap `buffer` (see nk_arena_init for the requirements). */
  constructor(buffer: Uint8Array) {
    if (!(buffer instanceof Uint8Array)) {
      throw new TypeError(`nk_arena_init: buffer must be a Uint8Array, got ${describe(buffer)}`);
    }
    if (buffer.byteOffset % NK_ARENA_ALIGN !== 0) {
      throw new RangeError(
        `nk_arena_init: buffer.byteOffset must be a multiple of ${NK_ARENA_ALIGN} so that ` +
          `segments can be viewed in place as any typed array, got ${buffer.byteOffset}; ` +
          `use new Uint8Array(n), process.alloc(n), or a subarray starting at a multiple of 8`,
      );
    }
    this.buffer = buffer;
  }

  /** Bytes in use: `buffer[0 .. used)` holds the segments (set by the kernel on receive). */
  get used(): number {
    return this.#used;
  }

  set used(value: number) {
    // length, not byteLength: the same for a Uint8Array, and a cheaper getter
    if (!Number.isInteger(value) || value < 0 || value > this.buffer.length) {
      throw new RangeError(
        `NkArena.used must be an integer from 0 to the capacity ${this.buffer.byteLength}, ` +
          `got ${typeof value === 'number' ? value : describe(value)}`,
      );
    }
    this.#used = value;
  }

  /** Size of the arena in bytes. */
  get capacity(): number {
    return this.buffer.length;
  }
}

function checkArena(fn: string, arena: unknown): asserts arena is NkArena {
  if (!(arena instanceof NkArena)) {
    throw new TypeError(
      `${fn}: arena must be an NkArena (create one with nk_arena_init(buffer)), got ${describe(arena)}`,
    );
  }
}

function checkType(fn: string, T: unknown): number {
  if (typeof T !== 'function' || !(T.prototype instanceof (TypedArray as typeof Uint8Array))) {
    throw new TypeError(
      `${fn}: T must be a typed-array constructor standing for the element type, ` +
        `such as Uint8Array or Uint32Array, got ${describe(T)}`,
    );
  }
  return (T as unknown as NkElementType).BYTES_PER_ELEMENT;
}

function checkPtrField(fn: string, constPart: unknown, fieldOffset: unknown): asserts constPart is Uint8Array {
  if (!(constPart instanceof Uint8Array)) {
    throw new TypeError(`${fn}: constPart must be a Uint8Array, got ${describe(constPart)}`);
  }
  const end = constPart.byteLength - NK_PTR_SIZE;
  if (typeof fieldOffset !== 'number' || !Number.isInteger(fieldOffset) || fieldOffset < 0 || fieldOffset > end) {
    throw new RangeError(
      `${fn}: fieldOffset must be an integer from 0 to ${end} (the 8-byte nk_ptr_t must lie ` +
        `inside the ${constPart.byteLength}-byte constPart), got ${describe(fieldOffset)}`,
    );
  }
  if (fieldOffset % NK_PTR_ALIGN !== 0) {
    throw new RangeError(
      `${fn}: fieldOffset must be a multiple of ${NK_PTR_ALIGN} (nk_ptr_t is 4-aligned in ` +
        `generated structs), got ${fieldOffset}; check the field's offset`,
    );
  }
}

function readU32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function writeU32(b: Uint8Array, at: number, value: number): void {
  b[at] = value;
  b[at + 1] = value >>> 8;
  b[at + 2] = value >>> 16;
  b[at + 3] = value >>> 24;
}

function writePtr(constPart: Uint8Array, fieldOffset: number, offset: number, size: number): void {
  writeU32(constPart, fieldOffset + NK_PTR_FIELDS.offset.offset, offset);
  writeU32(constPart, fieldOffset + NK_PTR_FIELDS.size.offset, size);
}

/** Start of a new segment of `bytes` bytes aligned to `align`, or -1 when it does not fit. */
function place(arena: NkArena, align: number, bytes: number): number {
  const start = Math.ceil(arena.used / align) * align;
  return start <= arena.capacity && bytes <= arena.capacity - start ? start : -1;
}

/** Make [used, start + bytes) the new tail of the used part, zeroing the alignment padding. */
function commit(arena: NkArena, start: number, bytes: number): void {
  arena.buffer.fill(0, arena.used, start);
  arena.used = start + bytes;
}

/** Validated segment bytes named by the descriptor at constPart[fieldOffset], or null. */
function segment(arena: NkArena, constPart: Uint8Array, fieldOffset: number, bpe: number): [number, number] | null {
  const offset = readU32(constPart, fieldOffset + NK_PTR_FIELDS.offset.offset);
  const size = readU32(constPart, fieldOffset + NK_PTR_FIELDS.size.offset);
  const used = arena.used;
  if (offset > used || size > used - offset) return null;
  if (offset % bpe !== 0 || size % bpe !== 0) return null;
  return [offset, size];
}

/** Create an arena over `buffer` (byteOffset a multiple of 8), empty. */
export function nk_arena_init(buffer: Uint8Array): NkArena {
  return new NkArena(buffer);
}

/** Drop all segments: the arena becomes empty (its bytes are left as they are). */
export function nk_arena_reset(arena: NkArena): void {
  checkArena('nk_arena_reset', arena);
  arena.used = 0;
}

/** Bytes of the arena in use (the part a message carries). */
export function nk_arena_used(arena: NkArena): number {
  checkArena('nk_arena_used', arena);
  return arena.used;
}

/** Size of the arena in bytes. */
export function nk_arena_capacity(arena: NkArena): number {
  checkArena('nk_arena_capacity', arena);
  return arena.capacity;
}

/**
 * Store `src.length` elements of T in a new segment and write its nk_ptr_t at
 * constPart[fieldOffset .. +8]. Returns 0 (NK_EOK), or NK_ENOMEM when it does not fit, in which
 * case neither the arena nor the descriptor changes.
 */
export function nk_arena_store(
  T: NkElementType,
  arena: NkArena,
  constPart: Uint8Array,
  fieldOffset: number,
  src: ArrayLike<number> | ArrayLike<bigint>,
): nk_err_t {
  const fn = 'nk_arena_store';
  const bpe = checkType(fn, T);
  checkArena(fn, arena);
  checkPtrField(fn, constPart, fieldOffset);
  const count = (src as { length?: unknown } | null)?.length;
  if (typeof src === 'string' || typeof src !== 'object' || typeof count !== 'number' ||
      !Number.isInteger(count) || count < 0 || src instanceof DataView) {
    throw new TypeError(
      `${fn}: src must be an array or typed array of elements` +
        `${typeof src === 'string' ? ' (store a string with nk_arena_store_string)' : ''}, got ${describe(src)}`,
    );
  }
  if (count === 0) {
    writePtr(constPart, fieldOffset, 0, 0);
    return NK_EOK;
  }
  const bytes = count * bpe;
  const start = place(arena, bpe, bytes);
  if (start < 0) return NK_ENOMEM;
  const view = new T(arena.buffer.buffer, arena.buffer.byteOffset + start, count);
  try {
    (view as unknown as { set(a: unknown): void }).set(src);
  } catch (e) {
    throw new TypeError(`${fn}: the elements of src cannot be stored in a ${T.name}: ${(e as Error).message}`);
  }
  commit(arena, start, bytes);
  writePtr(constPart, fieldOffset, start, bytes);
  return NK_EOK;
}

/**
 * Reserve a segment of `count` elements of T, zero it, write its nk_ptr_t at
 * constPart[fieldOffset .. +8] and return a T view of it to fill in place; null (and no change)
 * when it does not fit.
 */
export function nk_arena_alloc<A extends NkTypedArray>(
  T: NkElementType<A>,
  arena: NkArena,
  constPart: Uint8Array,
  fieldOffset: number,
  count: number,
): A | null {
  const fn = 'nk_arena_alloc';
  const bpe = checkType(fn, T);
  checkArena(fn, arena);
  checkPtrField(fn, constPart, fieldOffset);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw new RangeError(`${fn}: count must be a non-negative integer number of elements, got ${describe(count)}`);
  }
  if (count === 0) {
    writePtr(constPart, fieldOffset, 0, 0);
    return new T(arena.buffer.buffer, arena.buffer.byteOffset, 0);
  }
  const bytes = count * bpe;
  const start = place(arena, bpe, bytes);
  if (start < 0) return null;
  commit(arena, start, bytes);
  arena.buffer.fill(0, start, start + bytes);
  writePtr(constPart, fieldOffset, start, bytes);
  return new T(arena.buffer.buffer, arena.buffer.byteOffset + start, count);
}

/**
 * A T view (in place, size / T.BYTES_PER_ELEMENT elements) of the segment that the nk_ptr_t at
 * constPart[fieldOffset .. +8] names, or null when the descriptor is invalid (see the rules at
 * the top of this file).
 */
export function nk_arena_get<A extends NkTypedArray>(
  T: NkElementType<A>,
  arena: NkArena,
  constPart: Uint8Array,
  fieldOffset: number,
): A | null {
  const fn = 'nk_arena_get';
  const bpe = checkType(fn, T);
  checkArena(fn, arena);
  checkPtrField(fn, constPart, fieldOffset);
  const seg = segment(arena, constPart, fieldOffset, bpe);
  if (seg === null) return null;
  return new T(arena.buffer.buffer, arena.buffer.byteOffset + seg[0], seg[1] / bpe);
}

/**
 * Store `s` as UTF-8 plus a terminating zero (a string<maxLen> takes up to maxLen + 1 bytes) and
 * write its nk_ptr_t. Returns 0; NK_EINVAL when the bytes exceed maxLen + 1 or `s` contains
 * U+0000 (a reader would cut it there); NK_ENOMEM when it does not fit. Nothing changes on failure.
 */
export function nk_arena_store_string(
  arena: NkArena,
  constPart: Uint8Array,
  fieldOffset: number,
  s: string,
  maxLen?: number,
): nk_err_t {
  const fn = 'nk_arena_store_string';
  checkArena(fn, arena);
  checkPtrField(fn, constPart, fieldOffset);
  if (typeof s !== 'string') {
    throw new TypeError(`${fn}: s must be a string, got ${describe(s)}`);
  }
  if (maxLen !== undefined && (typeof maxLen !== 'number' || !Number.isInteger(maxLen) || maxLen < 0)) {
    throw new RangeError(`${fn}: maxLen must be the N of string<N> (an integer >= 0) or omitted, got ${describe(maxLen)}`);
  }
  const utf8 = encoder.encode(s);
  if (utf8.includes(0)) return NK_EINVAL;
  const bytes = utf8.length + 1;
  if (maxLen !== undefined && bytes > maxLen + 1) return NK_EINVAL;
  const start = place(arena, 1, bytes);
  if (start < 0) return NK_ENOMEM;
  arena.buffer.set(utf8, start);
  arena.buffer[start + utf8.length] = 0;
  commit(arena, start, bytes);
  writePtr(constPart, fieldOffset, start, bytes);
  return NK_EOK;
}

/**
 * The string that the nk_ptr_t at constPart[fieldOffset .. +8] names: UTF-8 up to the first zero
 * byte (invalid sequences decode to U+FFFD). Null when the descriptor is invalid or the segment
 * has no terminating zero.
 */
export function nk_arena_get_string(arena: NkArena, constPart: Uint8Array, fieldOffset: number): string | null {
  const fn = 'nk_arena_get_string';
  checkArena(fn, arena);
  checkPtrField(fn, constPart, fieldOffset);
  const seg = segment(arena, constPart, fieldOffset, 1);
  if (seg === null) return null;
  const bytes = arena.buffer.subarray(seg[0], seg[0] + seg[1]);
  const end = bytes.indexOf(0);
  if (end < 0) return null;
  const text = bytes.subarray(0, end);
  // TextDecoder refuses views of a SharedArrayBuffer in browsers: decode a private copy then.
  return decoder.decode(text.buffer instanceof ArrayBuffer ? text : text.slice());
}
