/**
 * Views over message bytes for the code `kos-ipc gen` writes (and compileIdl builds): a generated
 * request, response, struct or union is an NkView (a buffer, a DataView over it, the offset where
 * it starts and the arena its variable-size fields live in), and every field is read and written
 * by a codec of its IDL type at nk-gen-c's offset. This file has the views and the codecs of the
 * fixed-size types (integers and Handle); rt_codecs.ts has the others.
 *
 * Writes check their value and throw a RangeError (or TypeError) naming the field, the value
 * and what fits, so nothing is silently truncated. Reads never throw for bad bytes: a
 * variable-size field whose descriptor is invalid reads as null.
 */
import { NkArena } from '../nk/arena.js';
import { NK_HANDLE_DESC_FIELDS } from '../nk/message_layout.js';
import { NK_MESSAGE_SIZE, type nk_handle_desc_t } from '../nk/types.js';
import { describe } from '../describe.js';

/** Bytes of a message, struct or union: what every generated class extends. */
export class NkView {
  /** The buffer: the constant part of a message, or the arena buffer for a view inside one. */
  readonly base_: Uint8Array;
  /** A DataView over `base_` (little-endian reads and writes). */
  readonly dv_: DataView;
  /** Where this view starts in `base_` (0 for a message). */
  readonly offset_: number;
  /** The arena of the variable-size fields (null when there is none). */
  arena_: NkArena | null;

  constructor(base_: Uint8Array, offset_: number, arena_: NkArena | null) {
    this.base_ = base_;
    this.dv_ = new DataView(base_.buffer, base_.byteOffset, base_.byteLength);
    this.offset_ = offset_;
    this.arena_ = arena_;
  }
}


/**
 * A generated request, response or error: a constant part of at least `size` bytes (allocated
 * when none is given) whose byteOffset is a multiple of 8, and its arena.
 */
export class NkMessage extends NkView {
  constructor(name: string, size: number, base_?: Uint8Array, arena_: NkArena | null = null) {
    if (base_ === undefined) {
      base_ = new Uint8Array(size);
    } else if (!(base_ instanceof Uint8Array)) {
      throw new TypeError(`${name}: the constant part must be a Uint8Array, got ${describe(base_)}`);
    } else if (base_.byteLength < size || base_.byteOffset % 8 !== 0) {
      throw new RangeError(`${name}: the constant part must be at least ${size} bytes starting at a multiple of 8 ` +
        `(sizeof ${name}), got ${base_.byteLength} bytes at byteOffset ${base_.byteOffset}`);
    }
    if (arena_ !== null && !(arena_ instanceof NkArena)) {
      throw new TypeError(`${name}: the arena must be an NkArena (nk_arena_init) or null, got ${describe(arena_)}`);
    }
    if (size < NK_MESSAGE_SIZE) throw new RangeError(`${name}: a message is at least ${NK_MESSAGE_SIZE} bytes`);
    super(base_, 0, arena_);
  }
}

/** Reads and writes one IDL type at an offset of a view. `In` is what a write accepts. */
export interface NkCodec<T = unknown, In = T> {
  /** The IDL type, for messages (`UInt32`, `string<8>`, `echo.Ping.Point`). */
  readonly idl: string;
  /** What it is: toPlain and tools walk codecs by it. */
  readonly kind: 'int' | 'handle' | 'string' | 'bytes' | 'sequence' | 'array' | 'struct' | 'union';
  /** sequence and array: the element's codec. */
  readonly element?: NkCodec;
  /** struct: [name, codec, offset]; union: [name, codec]. */
  readonly fields?: readonly (readonly [string, NkCodec, number?])[];
  /** True when a refused `put` has changed nothing (it checks everything before writing). */
  readonly atomic?: boolean;
  /** Bytes in place (in the constant part, or in an element of a segment). */
  readonly size: number;
  readonly align: number;
  /** The typed-array constructor of an integer type (sequences and arrays of it are viewed in place). */
  readonly typed?: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayLike<number | bigint>;
  get(v: NkView, at: number): T;
  put(v: NkView, at: number, value: In, where: string): void;
}

type IntKind = 'Uint8' | 'Uint16' | 'Uint32' | 'Int8' | 'Int16' | 'Int32';

function intCodec(idl: string, kind: IntKind, size: number, lo: number, hi: number,
  typed: new (b: ArrayBufferLike, o: number, n: number) => ArrayLike<number>): NkCodec<number> {
  const get = `get${kind}` as const, set = `set${kind}` as const;
  return {
    idl, kind: 'int', size, align: size, typed, atomic: true,
    get: (v, at) => v.dv_[get](at, true),
    put(v, at, value, where) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
        throw new RangeError(`${where}: ${idl} takes an integer from ${lo} to ${hi}, got ${describe(value)}`);
      }
      v.dv_[set](at, value, true);
    },
  };
}

function bigCodec(idl: string, signed: boolean): NkCodec<bigint, bigint | number> {
  const lo = signed ? -(1n << 63n) : 0n, hi = signed ? (1n << 63n) - 1n : (1n << 64n) - 1n;
  return {
    idl, kind: 'int', size: 8, align: 8, typed: signed ? BigInt64Array : BigUint64Array, atomic: true,
    get: signed ? (v, at) => v.dv_.getBigInt64(at, true) : (v, at) => v.dv_.getBigUint64(at, true),
    put(v, at, value, where) {
      const b = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
      if (typeof b !== 'bigint' || b < lo || b > hi) {
        throw new RangeError(`${where}: ${idl} takes a bigint (or a safe integer) from ${lo} to ${hi}, got ${describe(value)}`);
      }
      if (signed) v.dv_.setBigInt64(at, b, true); else v.dv_.setBigUint64(at, b, true);
    },
  };
}

export const UInt8 = intCodec('UInt8', 'Uint8', 1, 0, 0xff, Uint8Array);
export const UInt16 = intCodec('UInt16', 'Uint16', 2, 0, 0xffff, Uint16Array);
export const UInt32 = intCodec('UInt32', 'Uint32', 4, 0, 0xffffffff, Uint32Array);
export const SInt8 = intCodec('SInt8', 'Int8', 1, -0x80, 0x7f, Int8Array);
export const SInt16 = intCodec('SInt16', 'Int16', 2, -0x8000, 0x7fff, Int16Array);
export const SInt32 = intCodec('SInt32', 'Int32', 4, -0x80000000, 0x7fffffff, Int32Array);
export const UInt64 = bigCodec('UInt64', false);
export const SInt64 = bigCodec('SInt64', true);

/** The integer codecs by IDL name. */
export const INTEGERS: Readonly<Record<string, NkCodec<number, number> | NkCodec<bigint, bigint | number>>> = {
  UInt8, UInt16, UInt32, UInt64, SInt8, SInt16, SInt32, SInt64,
};

/** A Handle parameter as a plain object: the four u32 fields of its nk_handle_desc_t. */
export type NkHandleDesc = nk_handle_desc_t;

const HANDLE_FIELDS = Object.entries(NK_HANDLE_DESC_FIELDS) as [keyof NkHandleDesc, { offset: number }][];

/** What a Handle written without rights, badge or flags gets: the sender's rights, no badge. */
const DEFAULTS: Record<keyof NkHandleDesc, number | undefined> = { handle: undefined, rights: 0xffffffff, badge: 0, flags: 0 };

/**
 * Handle: an nk_handle_desc_t (16 bytes, align 8). Reads give a fresh { handle, rights, badge,
 * flags }; writes take one (`handle` required; `rights` defaults to OCAP_RIGHTS_SAME, the
 * sender's own rights, `badge` and `flags` to 0), as nk_handle_desc(handle) makes it.
 */
export const Handle: NkCodec<NkHandleDesc, Partial<NkHandleDesc> & { handle: number }> = {
  idl: 'Handle', kind: 'handle', size: 16, align: 8, atomic: true,
  get(v, at) {
    const dv = v.dv_;
    return { handle: dv.getUint32(at, true), rights: dv.getUint32(at + 4, true), badge: dv.getUint32(at + 8, true), flags: dv.getUint32(at + 12, true) };
  },
  put(v, at, value, where) {
    if (!value || typeof value !== 'object') {
      throw new TypeError(`${where}: a Handle is written as { handle, rights?, badge?, flags? }, got ${describe(value)}`);
    }
    for (const [name] of HANDLE_FIELDS) {
      const x = value[name] ?? DEFAULTS[name];
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffffffff) {
        throw new RangeError(`${where}.${name}: takes an integer from 0 to 4294967295, got ${describe(x)}`);
      }
    }
    for (const [name, f] of HANDLE_FIELDS) v.dv_.setUint32(at + f.offset, value[name] ?? DEFAULTS[name]!, true);
  },
};
