/**
 * The layout nk-gen-c gives IDL types (docs/sources.md: generated struct layouts), computed at run time:
 * offsets and sizes of the parameters of a request, response or error struct, where its nk_ptr_t
 * descriptors sit, and the message shapes the kernel checks. A help for building messages by
 * hand (`idlMessageLayout({ value: 'string<256>' }).fields[0].offset` is 24) and the source of the
 * shapes that kernel.createProcess({ interfaces }) declares.
 *
 * Types are written as in IDL: `UInt8`..`UInt64`, `SInt8`..`SInt64`, `string<N>`, `bytes<N>`,
 * `sequence<T, N>`, `array<T, N>`, `Handle`, and names from `types`: a string there is a typedef
 * (`Bool: 'UInt8'`), an object a struct whose fields are in insertion order, and
 * `{ union: { member: type, ... } }` a union.
 *
 * Layout rules:
 * - A primitive is its own size and alignment. string<N>, bytes<N> and sequence<T,N> are an
 *   nk_ptr_t (8 bytes, align 4) in the struct and a segment in the arena: string<N> up to N + 1
 *   bytes (the terminating zero), bytes<N> up to N, sequence<T,N> up to N * sizeof(T), aligned
 *   to T's alignment. array<T,N> is N elements of T in place.
 * - A struct places each field at the next multiple of its alignment; its alignment is its
 *   largest field's, its size is rounded up to that.
 * - A union is a u32 tag (the index of the member that holds the value, in declaration order)
 *   at 0, then every member at the same offset, the tag's size rounded up to the largest member
 *   alignment; its alignment is max(4, the members'), its size rounded up to that (kos-ipc's
 *   layout: nk-gen-c's is not public). Descriptors inside a union depend on the tag, so the
 *   kernel does not check them: they are listed in `nested`.
 * - Handle is an nk_handle_desc_t (16 bytes, align 8: handle, rights, badge, flags, each a u32;
 *   docs/message-format.md section 1.1), allowed only as a method parameter, directly or through a
 *   typedef: a message's handles are the first `ncaps` fields after the header.
 * - A message is a struct whose first member is the 24-byte nk_message header (align 8), then its
 *   Handle parameters in order, then the other parameters in order: `size` is sizeof the struct (a
 *   multiple of 8), `minSize` the end of the last parameter. The kernel accepts a header size
 *   field from minSize to size.
 */
import { NK_HANDLE_DESC_SIZE, NK_MESSAGE_SIZE, NK_PTR_SIZE } from './types.js';
import {
  MAX_SHAPE_DESCRIPTORS, validateMessageShape, type DescriptorShape, type MessageShape, type MethodShapes,
} from './message_shape.js';

/** A union type: its members in order (the tag is the member's index). */
export interface IdlUnion { union: Record<string, string> }
/** Named types of an interface: a string is a typedef, an object a struct (fields in order) or a union. */
export type IdlTypes = Record<string, string | Record<string, string> | IdlUnion>;
/** Parameters in order: name -> IDL type. */
export type IdlParams = Record<string, string>;

/** A method by its IDL parameters. */
export interface IdlMethod {
  name: string;
  in?: IdlParams;
  out?: IdlParams;
  error?: IdlParams;
}

/** A method whose message shapes are given directly (messages laid out by hand). */
export interface RawMethod {
  name: string;
  shapes: MethodShapes;
}

/** An interface: its methods in declaration order (the MID is the index). */
export interface IdlInterface {
  types?: IdlTypes;
  methods: (IdlMethod | RawMethod)[];
}

/** Size and alignment of a type, and the descriptors it holds. */
export interface TypeLayout {
  size: number;
  align: number;
  /** nk_ptr_t descriptors in place, offsets relative to the type's start. */
  descriptors: DescriptorShape[];
  /** Descriptors inside arena segments (a sequence of strings, ...): the kernel does not check them. */
  nested: string[];
  /** Most arena bytes the type's segments may take (alignment padding included). */
  arena: number;
  /** Alignment the first of those segments needs (1 when there are none). */
  arenaAlign: number;
}

/** One parameter of a message. */
export interface FieldLayout {
  name: string;
  type: string;
  offset: number;
  size: number;
  align: number;
}

/** The layout of one message struct. */
export interface MessageLayout extends MessageShape {
  /** sizeof the struct: what to allocate and give nk_req_reset / nk_err_reset. */
  size: number;
  /** The parameters in layout order: the Handle parameters first, then the others. */
  fields: FieldLayout[];
  /** Handle parameters: nk_handle_desc_t fields at 24, 40, ... (the message's ncaps). */
  handles: number;
  /** Arena bytes enough for every segment at its maximum, stored in field order. */
  arenaSize: number;
  /** Descriptor paths inside arena segments, not checked by the kernel (use nk_arena_get). */
  nested: string[];
}

/** The members of a struct: offsets relative to its start. */
export interface StructLayout {
  size: number;
  align: number;
  fields: FieldLayout[];
}

/** The members of a union: the u32 tag at 0, every member at `dataOffset`. */
export interface UnionLayout {
  size: number;
  align: number;
  dataOffset: number;
  members: FieldLayout[];
}

/** The three messages of a method. */
export interface MethodLayout {
  name: string;
  mid: number;
  request: MessageLayout;
  response: MessageLayout;
  error: MessageLayout;
  /** A receive buffer for the response: the larger of response and error. */
  responseBufferSize: number;
}

const PRIMITIVES: Record<string, number> = {
  UInt8: 1, UInt16: 2, UInt32: 4, UInt64: 8, SInt8: 1, SInt16: 2, SInt32: 4, SInt64: 8,
};

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

interface TypeNode { name: string; args: (TypeNode | number)[] }

/** Parses `sequence<Point, 4>` into a tree; throws a TypeError naming `where` otherwise. */
function parse(text: string, where: string): TypeNode {
  let i = 0;
  const bad = (what: string): never => {
    throw new TypeError(`${where}: cannot read the IDL type "${text}": ${what} at character ${i}`);
  };
  const space = (): void => { while (i < text.length && /\s/.test(text[i]!)) i++; };
  const node = (): TypeNode => {
    space();
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (!m) bad('expected a type name');
    i += m![0].length;
    space();
    const args: (TypeNode | number)[] = [];
    if (text[i] === '<') {
      i++;
      for (;;) {
        space();
        const num = /^(0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)/.exec(text.slice(i));
        if (num) {
          args.push(Number(num[0]));
          i += num[0].length;
        } else {
          args.push(node());
        }
        space();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '>') { i++; break; }
        bad('expected "," or ">"');
      }
    }
    return { name: m![0], args };
  };
  if (typeof text !== 'string') throw new TypeError(`${where}: an IDL type must be a string, got ${typeof text}`);
  const t = node();
  space();
  if (i !== text.length) bad('unexpected text');
  return t;
}

function bound(t: TypeNode, where: string, count: number): number[] {
  const nums = t.args.filter((a): a is number => typeof a === 'number');
  if (t.args.length !== count || nums.length !== 1 || !(nums[0]! >= 0) || nums[0]! > NK_MAX) {
    throw new TypeError(`${where}: ${t.name} takes ${count === 1 ? 'one bound: ' + t.name + '<N>' : 'a type and a bound: ' + t.name + '<T, N>'} with N up to ${NK_MAX}`);
  }
  return nums;
}

const NK_MAX = 4 << 20;

function pointer(max: number, unit: number, align: number, string: boolean, nested: string[], arena: number): TypeLayout {
  const d: DescriptorShape = { field: 0, unit, align, max };
  if (string) d.string = true;
  return { size: NK_PTR_SIZE, align: 4, descriptors: [d], nested, arena, arenaAlign: align };
}

function layoutOf(t: TypeNode, types: IdlTypes, where: string, seen: string[]): TypeLayout {
  const prim = PRIMITIVES[t.name];
  if (prim !== undefined && t.args.length === 0) {
    return { size: prim, align: prim, descriptors: [], nested: [], arena: 0, arenaAlign: 1 };
  }
  switch (t.name) {
    case 'string': {
      const [n] = bound(t, where, 1);
      return pointer(n! + 1, 1, 1, true, [], n! + 1);
    }
    case 'bytes': {
      const [n] = bound(t, where, 1);
      return pointer(n!, 1, 1, false, [], n!);
    }
    case 'sequence':
    case 'array': {
      const [n] = bound(t, where, 2);
      const e = t.args.find((a): a is TypeNode => typeof a !== 'number');
      if (!e) throw new TypeError(`${where}: ${t.name} takes a type and a bound: ${t.name}<T, N>`);
      const el = layoutOf(e, types, where, seen);
      // each element's own segments follow the sequence's, each copy aligned (an upper bound)
      const inner = el.arena === 0 ? 0 : n! * alignUp(el.arena, el.arenaAlign);
      if (t.name === 'sequence') {
        const nested = el.descriptors.map((d) => `[]${d.name ? `.${d.name}` : ''}`).concat(el.nested.map((p) => `[]${p}`));
        const all = alignUp(n! * el.size, Math.max(el.arenaAlign, 1)) + inner;
        return pointer(n! * el.size, el.size, el.align, false, nested, el.arena === 0 ? n! * el.size : all);
      }
      const count = n! * el.descriptors.length;
      if (count > MAX_SHAPE_DESCRIPTORS) {
        throw new RangeError(`${where}: ${t.name}<…, ${n}> holds ${count} nk_ptr_t descriptors in place; the kernel checks ` +
          `at most ${MAX_SHAPE_DESCRIPTORS} per message: use a sequence, or declare the method's shapes by hand`);
      }
      const descriptors: DescriptorShape[] = [];
      for (let k = 0; k < n! && el.descriptors.length > 0; k++) {
        for (const d of el.descriptors) {
          descriptors.push({ ...d, field: d.field + k * el.size, name: `[${k}]${d.name ? '.' + d.name : ''}` });
        }
      }
      const nested = el.nested.map((p) => `[]${p}`);
      return { size: n! * el.size, align: el.align, descriptors, nested, arena: inner, arenaAlign: el.arenaAlign };
    }
    case 'Handle':
      if (t.args.length !== 0) throw new TypeError(`${where}: Handle takes no arguments`);
      throw new TypeError(`${where}: Handle is allowed only as a method parameter (directly or through a typedef), ` +
        'not inside a struct, union, array or sequence: kos-ipc places a message\'s handles first (docs/gen.md)');
    default:
      break;
  }
  const def = Object.prototype.hasOwnProperty.call(types, t.name) ? types[t.name] : undefined;
  if (def === undefined || t.args.length !== 0) {
    throw new TypeError(`${where}: unknown IDL type "${t.name}"; use UInt8..UInt64, SInt8..SInt64, string<N>, bytes<N>, ` +
      'sequence<T, N>, array<T, N> or a name from `types`');
  }
  if (seen.includes(t.name)) throw new TypeError(`${where}: type "${t.name}" contains itself`);
  const inner = [...seen, t.name];
  if (typeof def === 'string') return layoutOf(parse(def, `${where} (${t.name})`), types, where, inner);
  if (typeof def !== 'object' || def === null) {
    throw new TypeError(`${where}: types.${t.name} must be a type string, a struct { field: type } or { union: { member: type } }, got ${typeof def}`);
  }
  if (isUnion(def)) return unionOf(def.union, types, `${where} (${t.name})`, inner).layout;
  return structOf(def as IdlParams, types, `${where} (${t.name})`, inner, 0).layout;
}

function isUnion(def: object): def is IdlUnion {
  const u = (def as { union?: unknown }).union;
  return Object.keys(def).length === 1 && typeof u === 'object' && u !== null;
}

/** NK_UNION_TAG_SIZE bytes of tag, then the members at one offset; see the rules at the top. */
function unionOf(members: IdlParams, types: IdlTypes, where: string, seen: string[]): { layout: TypeLayout; members: FieldLayout[]; dataOffset: number } {
  const entries = Object.entries(members);
  if (entries.length === 0) throw new TypeError(`${where}: a union needs at least one member`);
  const ls = entries.map(([name, type]) => [name, type, layoutOf(parse(type, `${where}.${name}`), types, `${where}.${name}`, seen)] as const);
  const align = Math.max(NK_UNION_TAG_SIZE, ...ls.map(([, , l]) => l.align));
  const dataOffset = alignUp(NK_UNION_TAG_SIZE, Math.max(...ls.map(([, , l]) => l.align)));
  const size = alignUp(dataOffset + Math.max(...ls.map(([, , l]) => l.size)), align);
  const nested: string[] = [];
  let arena = 0, arenaAlign = 1;
  for (const [name, , l] of ls) {
    for (const d of l.descriptors) nested.push(d.name ? `${name}${d.name.startsWith('[') ? '' : '.'}${d.name}` : name);
    for (const p of l.nested) nested.push(`${name}${p.startsWith('[') ? '' : '.'}${p}`);
    arena = Math.max(arena, l.arena);
    if (l.arena !== 0) arenaAlign = Math.max(arenaAlign, l.arenaAlign);
  }
  const out = ls.map(([name, type, l]) => ({ name, type, offset: dataOffset, size: l.size, align: l.align }));
  return { layout: { size, align, descriptors: [], nested, arena, arenaAlign }, members: out, dataOffset };
}

/** Bytes of a union's tag (a u32: the index of the member that holds the value). */
export const NK_UNION_TAG_SIZE = 4;

/** True when `type` is Handle or a typedef (chain) of it. */
function isHandleType(type: string, types: IdlTypes, where: string): boolean {
  let t = parse(type, where);
  for (let depth = 0; depth < 64; depth++) {
    if (t.name === 'Handle' && t.args.length === 0) return true;
    const def = t.args.length === 0 && Object.prototype.hasOwnProperty.call(types, t.name) ? types[t.name] : undefined;
    if (typeof def !== 'string') return false;
    t = parse(def, `${where} (${t.name})`);
  }
  return false;
}

/** Lays out fields in order from `start`; returns the struct's layout and its fields. */
function structOf(fields: IdlParams, types: IdlTypes, where: string, seen: string[], start: number,
  startAlign = 1): { layout: TypeLayout; fields: FieldLayout[]; end: number } {
  let at = start, align = startAlign, arena = 0, arenaAlign = 1;
  const descriptors: DescriptorShape[] = [], nested: string[] = [], out: FieldLayout[] = [];
  for (const [name, type] of Object.entries(fields)) {
    const l = layoutOf(parse(type, `${where}.${name}`), types, `${where}.${name}`, seen);
    at = alignUp(at, l.align);
    out.push({ name, type, offset: at, size: l.size, align: l.align });
    for (const d of l.descriptors) descriptors.push({ ...d, field: d.field + at, name: d.name ? `${name}${d.name.startsWith('[') ? '' : '.'}${d.name}` : name });
    for (const p of l.nested) nested.push(`${name}${p.startsWith('[') ? '' : '.'}${p}`);
    if (l.arena !== 0) {
      if (arena === 0) arenaAlign = l.arenaAlign;
      arena = alignUp(arena, l.arenaAlign) + l.arena;
    }
    at += l.size;
    align = Math.max(align, l.align);
  }
  return { layout: { size: alignUp(at - start, align), align, descriptors, nested, arena, arenaAlign }, fields: out, end: at };
}

/**
 * The layout of one message (request, response or error) whose parameters are `params`: the
 * nk_message header, then the parameters in order.
 */
export function idlMessageLayout(params: IdlParams = {}, types: IdlTypes = {}, where = 'idlMessageLayout'): MessageLayout {
  if (params === null || typeof params !== 'object') {
    throw new TypeError(`${where}: parameters must be an object { name: 'IDL type' }, got ${params === null ? 'null' : typeof params}`);
  }
  const handles: FieldLayout[] = [];
  const others: IdlParams = {};
  for (const [name, type] of Object.entries(params)) {
    if (isHandleType(type, types, `${where}.${name}`)) {
      handles.push({ name, type, offset: NK_MESSAGE_SIZE + handles.length * NK_HANDLE_DESC_SIZE, size: NK_HANDLE_DESC_SIZE, align: 8 });
    } else {
      others[name] = type;
    }
  }
  const s = structOf(others, types, where, [], NK_MESSAGE_SIZE + handles.length * NK_HANDLE_DESC_SIZE, 8);
  const size = alignUp(s.end, 8);
  const shape: MessageLayout = {
    minSize: s.end, maxSize: size, size, descriptors: s.layout.descriptors, fields: [...handles, ...s.fields],
    handles: handles.length, arenaSize: s.layout.arena, nested: s.layout.nested,
  };
  validateMessageShape(shape, where);
  return shape;
}

/**
 * Request, response and error layouts of a method; `mid` is its index in the interface, `where`
 * prefixes error messages.
 */
export function idlMethodLayout(method: IdlMethod, types: IdlTypes = {}, mid = 0, where = 'idlMethodLayout:'): MethodLayout {
  if (!method || typeof method !== 'object' || typeof method.name !== 'string') {
    throw new TypeError(`${where} a method must be { name, in?, out?, error? }, got ${method === null ? 'null' : typeof method}`);
  }
  const at = `${where} method ${method.name}`;
  const request = idlMessageLayout(method.in, types, `${at} in`);
  const response = idlMessageLayout(method.out, types, `${at} out`);
  const error = idlMessageLayout(method.error, types, `${at} error`);
  return { name: method.name, mid, request, response, error, responseBufferSize: Math.max(response.size, error.size) };
}

/** The layout of an IDL type: size, alignment, descriptors in place, arena bytes. */
export function idlTypeLayout(type: string, types: IdlTypes = {}): TypeLayout {
  return layoutOf(parse(type, 'idlTypeLayout'), types, 'idlTypeLayout', []);
}

/** The members of a struct whose fields are `fields` (in order): offsets from its start. */
export function idlStructLayout(fields: IdlParams, types: IdlTypes = {}, where = 'idlStructLayout'): StructLayout {
  const s = structOf(fields, types, where, [], 0);
  return { size: s.layout.size, align: s.layout.align, fields: s.fields };
}

/** The members of a union whose members are `members` (in order; the tag is the index). */
export function idlUnionLayout(members: IdlParams, types: IdlTypes = {}, where = 'idlUnionLayout'): UnionLayout {
  const u = unionOf(members, types, where, []);
  return { size: u.layout.size, align: u.layout.align, dataOffset: u.dataOffset, members: u.members };
}

function stripped(l: MessageLayout): MessageShape {
  return { minSize: l.minSize, maxSize: l.maxSize, descriptors: l.descriptors };
}

/**
 * The message shapes of every method of an interface, in MID order: from the IDL parameters,
 * or as given by a RawMethod (each checked with validateMessageShape).
 */
export function interfaceShapes(iface: IdlInterface, where = 'interface'): MethodShapes[] {
  if (!iface || typeof iface !== 'object' || !Array.isArray(iface.methods)) {
    throw new TypeError(`${where} must be { types?, methods: [...] }, got ${iface === null ? 'null' : typeof iface}`);
  }
  const types = iface.types ?? {};
  return iface.methods.map((m, mid) => {
    if (m && typeof m === 'object' && 'shapes' in m) {
      const out: MethodShapes = {};
      for (const k of ['request', 'response', 'error'] as const) {
        const s = m.shapes[k];
        if (s !== undefined) out[k] = validateMessageShape(s, `${where} method ${m.name} ${k}`);
      }
      return out;
    }
    const l = idlMethodLayout(m as IdlMethod, types, mid, where);
    return { request: stripped(l.request), response: stripped(l.response), error: stripped(l.error) };
  });
}
