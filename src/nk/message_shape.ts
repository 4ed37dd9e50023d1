/**
 * Message shapes: where the nk_ptr_t descriptors of a constant part sit and what each may
 * point to. A server declares them (kernel.createProcess `interfaces`, kernel.declareInterface)
 * and the kernel then checks every request and response of those methods before anything is
 * copied (docs/message-format.md section 5). `checkMessageShape` applies the same rules here and
 * says which one a message breaks, so a rejected Call can be explained.
 *
 * Shapes are usually computed from IDL types by nk/idl_layout.ts; they can also be written by
 * hand for messages laid out by hand.
 */
import { SHAPE_MAX_DESC, MAX_MESSAGE } from '../abi.js';
import { NK_MESSAGE_FIELDS, NK_MSG_TYPE_ERR, NK_MSG_TYPE_REQ, NK_PTR_FIELDS } from './message_layout.js';
import { NK_MESSAGE_SIZE, NK_PTR_SIZE } from './types.js';
import { NkArena } from './arena.js';

/** One nk_ptr_t of a constant part and the arena segment it may name. */
export interface DescriptorShape {
  /** Offset of the nk_ptr_t in the constant part: a multiple of 4, at least 24. */
  field: number;
  /** Bytes per element: 1 for string<N> and bytes<N>, sizeof(T) for sequence<T,N>. */
  unit: number;
  /** Alignment of the segment's offset in the arena: 1, 2, 4 or 8 (T's largest primitive). */
  align: number;
  /** Largest segment in bytes (N + 1 for string<N>, N for bytes<N>, N * sizeof(T) for sequence<T,N>). */
  max: number;
  /** string<N>: a segment that is not empty must end with a zero byte. */
  string?: boolean;
  /** Name of the parameter, for messages (`txId`, `points`, `point.label`). */
  name?: string;
}

/** The shape of one message: its constant part's size field range and its descriptors. */
export interface MessageShape {
  /** Smallest accepted size field: the end of the last parameter. At least 24. */
  minSize: number;
  /** Largest accepted size field: sizeof the struct (rounded up to 8). */
  maxSize: number;
  /** At most MAX_SHAPE_DESCRIPTORS, not sharing bytes, each inside [0, minSize). */
  descriptors: DescriptorShape[];
}

/** The three messages of a method. A missing one is not declared: header checks only. */
export interface MethodShapes {
  request?: MessageShape;
  response?: MessageShape;
  error?: MessageShape;
}

/** Which message of a method: a request, a response with results, or with error parameters. */
export type MessageKind = 'request' | 'response' | 'error';

/** Descriptors one message shape may list (the kernel's shape records hold SHAPE_MAX_DESC). */
export const MAX_SHAPE_DESCRIPTORS: number = SHAPE_MAX_DESC;

/** Largest message (constant part + used arena) the kernel carries: 4 MiB. */
export const NK_MAX_MESSAGE: number = MAX_MESSAGE;

/** The rule a message breaks, in the order the kernel checks them. */
export type ShapeRule = 'type' | 'size' | 'max' | 'bounds' | 'align' | 'unit' | 'string' | 'overlap';

/** The outcome of checkMessageShape. */
export type ShapeCheck =
  | { ok: true }
  | { ok: false; rule: ShapeRule; descriptor?: number; reason: string };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}

function isUint(v: unknown, max = 0xffffffff): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

/**
 * Throws a RangeError naming `where` and the first problem when `shape` is not a shape the
 * kernel accepts; returns it otherwise.
 */
export function validateMessageShape(shape: MessageShape, where = 'shape'): MessageShape {
  if (!shape || typeof shape !== 'object' || !Array.isArray(shape.descriptors)) {
    throw new TypeError(`${where} must be { minSize, maxSize, descriptors: [...] }, got ${describe(shape)}`);
  }
  const { minSize, maxSize, descriptors } = shape;
  if (!isUint(minSize, NK_MAX_MESSAGE) || minSize < NK_MESSAGE_SIZE || !isUint(maxSize, NK_MAX_MESSAGE) || maxSize < minSize) {
    throw new RangeError(`${where}: need ${NK_MESSAGE_SIZE} <= minSize <= maxSize <= ${NK_MAX_MESSAGE}, got minSize ${String(minSize)}, maxSize ${String(maxSize)}`);
  }
  if (descriptors.length > MAX_SHAPE_DESCRIPTORS) {
    throw new RangeError(`${where}: ${descriptors.length} descriptors, the kernel checks at most ${MAX_SHAPE_DESCRIPTORS} per message; ` +
      'leave this method undeclared or split its variable-size parameters');
  }
  descriptors.forEach((d, i) => {
    const at = `${where}.descriptors[${i}]${d?.name ? ` (${d.name})` : ''}`;
    if (!d || typeof d !== 'object') throw new TypeError(`${at} must be an object, got ${describe(d)}`);
    if (!isUint(d.field) || d.field < NK_MESSAGE_SIZE || d.field % 4 !== 0 || d.field + NK_PTR_SIZE > minSize) {
      throw new RangeError(`${at}: field must be a multiple of 4 from ${NK_MESSAGE_SIZE} with field + 8 <= minSize (${minSize}), got ${String(d.field)}`);
    }
    if (![1, 2, 4, 8].includes(d.align)) throw new RangeError(`${at}: align must be 1, 2, 4 or 8, got ${String(d.align)}`);
    if (!isUint(d.unit, 0xffffff) || d.unit === 0 || d.unit % d.align !== 0) {
      throw new RangeError(`${at}: unit must be a positive multiple of align (${d.align}) below 2^24, got ${String(d.unit)}`);
    }
    if (!isUint(d.max, NK_MAX_MESSAGE) || d.max % d.unit !== 0) {
      throw new RangeError(`${at}: max must be a multiple of unit (${d.unit}) up to ${NK_MAX_MESSAGE}, got ${String(d.max)}`);
    }
    for (let j = 0; j < i; j++) {
      const o = descriptors[j]!;
      if (d.field < o.field + NK_PTR_SIZE && o.field < d.field + NK_PTR_SIZE) {
        throw new RangeError(`${at}: its nk_ptr_t at ${d.field} shares bytes with descriptors[${j}] at ${o.field}`);
      }
    }
  });
  return shape;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function fail(rule: ShapeRule, reason: string, descriptor?: number): ShapeCheck {
  return descriptor === undefined ? { ok: false, rule, reason } : { ok: false, rule, descriptor, reason };
}

/**
 * Checks a message against a shape with the kernel's rules and in its order: type, size field
 * range, then for each descriptor its maximum, its bounds inside the used arena, alignment,
 * whole elements and (strings) the terminating zero, then overlap. `arena` is the sender's
 * arena (its used part travels) or the number of used bytes with their contents unknown (the
 * string rule is then skipped). The header checks every message gets (size field against the
 * buffer, ncaps, 4 MiB) are not repeated here.
 */
export function checkMessageShape(
  shape: MessageShape, kind: MessageKind, constPart: Uint8Array, arena: NkArena | number | null,
): ShapeCheck {
  if (!(constPart instanceof Uint8Array) || constPart.byteLength < NK_MESSAGE_SIZE) {
    throw new TypeError(`checkMessageShape: constPart must be a Uint8Array of at least ${NK_MESSAGE_SIZE} bytes, got ${describe(constPart)}`);
  }
  const used = arena instanceof NkArena ? arena.used : arena ?? 0;
  const bytes = arena instanceof NkArena ? arena.buffer : null;
  const type = u32(constPart, NK_MESSAGE_FIELDS.type.offset);
  const want = kind === 'error' ? NK_MSG_TYPE_ERR : NK_MSG_TYPE_REQ;
  if (type !== want) return fail('type', `the header's type is ${type}, a ${kind} has type ${want}`);
  const size = u32(constPart, NK_MESSAGE_FIELDS.size.offset);
  if (size < shape.minSize || size > shape.maxSize) {
    return fail('size', `the header's size is ${size}, the ${kind} takes ${shape.minSize} to ${shape.maxSize}`);
  }
  if (size > constPart.byteLength) {
    return fail('size', `the header's size is ${size}, more than the ${constPart.byteLength}-byte constant part`);
  }
  const segs: [number, number][] = [];
  for (let i = 0; i < shape.descriptors.length; i++) {
    const d = shape.descriptors[i]!;
    const name = `descriptor ${d.name ?? i} at ${d.field}`;
    const off = u32(constPart, d.field + NK_PTR_FIELDS.offset.offset);
    const sz = u32(constPart, d.field + NK_PTR_FIELDS.size.offset);
    if (sz > d.max) return fail('max', `${name}: size ${sz} exceeds its maximum ${d.max}`, i);
    if (off > used || sz > used - off) {
      return fail('bounds', `${name}: [${off}, ${off} + ${sz}) is not inside the ${used} used arena bytes`, i);
    }
    if (off % d.align !== 0) return fail('align', `${name}: offset ${off} is not a multiple of ${d.align}`, i);
    if (sz % d.unit !== 0) return fail('unit', `${name}: size ${sz} is not a whole number of ${d.unit}-byte elements`, i);
    if (d.string && sz !== 0 && bytes !== null && bytes[off + sz - 1] !== 0) {
      return fail('string', `${name}: the string's last byte is not zero`, i);
    }
    segs.push([off, sz]);
  }
  for (let i = 1; i < segs.length; i++) {
    for (let j = 0; j < i; j++) {
      const [oi, si] = segs[i]!, [oj, sj] = segs[j]!;
      if (si !== 0 && sj !== 0 && oi < oj + sj && oj < oi + si) {
        return fail('overlap', `descriptors ${j} and ${i}: segments [${oj}, ${oj + sj}) and [${oi}, ${oi + si}) overlap`, i);
      }
    }
  }
  return { ok: true };
}
