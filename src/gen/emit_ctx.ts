/**
 * What the emitters share while they write one module: its sections of declarations (printed in
 * a fixed order), the names it imports from other generated modules, and, for compileIdl, the
 * build steps that make the same values at run time (run in the order they were added, which
 * is dependency order). Every codec a field needs is made once per module (`$0`, `$1`, ...).
 */
import type { IdlTypes } from '../nk/idl_layout.js';
import { idlTypeLayout } from '../nk/idl_layout.js';
import type { Decl, Import, Module } from './code.js';
import { fail, type SourcePos } from './errors.js';
import { cname, type Model } from './model.js';
import * as rt from './runtime.js';

/** Where a module's declarations go, in print order. */
export type Section = 'consts' | 'types' | 'classes' | 'codecs' | 'tables' | 'api';
const SECTIONS: Section[] = ['consts', 'types', 'classes', 'codecs', 'tables', 'api'];

/** Run-time values by name: this module's, falling back to every module's exports. */
export class Env {
  private readonly local = new Map<string, unknown>();
  constructor(readonly global: Map<string, unknown>) {}
  get<T = unknown>(name: string): T {
    if (this.local.has(name)) return this.local.get(name) as T;
    if (this.global.has(name)) return this.global.get(name) as T;
    throw new Error(`compileIdl: internal: ${name} was used before it was built`);
  }
  set(name: string, value: unknown, exported: boolean): void {
    this.local.set(name, value);
    if (!exported) return;
    if (this.global.has(name)) {
      throw new Error(`compileIdl: two generated modules export ${name}; rename the IDL, CDL or EDL name that makes it twice`);
    }
    this.global.set(name, value);
  }
}

/** The output path of a file's module, without extension: echo/Ping.idl. */
export const modulePath = (name: string, kind: 'idl' | 'cdl' | 'edl'): string => `${name.replace(/\./g, '/')}.${kind}`;

function relative(from: string, to: string): string {
  const a = from.split('/').slice(0, -1), b = to.split('/');
  let k = 0;
  while (k < a.length && k < b.length - 1 && a[k] === b[k]) k++;
  const up = a.length - k;
  return `${up === 0 ? './' : '../'.repeat(up)}${b.slice(k).join('/')}.js`;
}

/** The typed-array class name of an integer type, for TypeScript types. */
const TYPED: Record<string, string> = {
  UInt8: 'Uint8Array', UInt16: 'Uint16Array', UInt32: 'Uint32Array', UInt64: 'BigUint64Array',
  SInt8: 'Int8Array', SInt16: 'Int16Array', SInt32: 'Int32Array', SInt64: 'BigInt64Array',
};

/** A field's codec: how generated code names it, and how compileIdl makes it. */
export interface CodecRef {
  expr: string;
  build: (env: Env) => rt.NkCodec;
}

interface TypeNode { name: string; args: (TypeNode | number)[] }

/** Splits a canonical type string (`sequence<echo.Ping.Point, 4>`) into a tree. */
export function typeTree(t: string): TypeNode {
  let i = 0;
  const node = (): TypeNode => {
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(t.slice(i))!;
    i += m[0].length;
    const args: (TypeNode | number)[] = [];
    if (t[i] === '<') {
      i++;
      for (;;) {
        while (t[i] === ' ') i++;
        const num = /^[0-9]+/.exec(t.slice(i));
        if (num) { args.push(Number(num[0])); i += num[0].length; } else args.push(node());
        if (t[i] === ',') { i++; continue; }
        i++;
        break;
      }
    }
    return { name: m[0], args };
  };
  return node();
}

function printType(n: TypeNode): string {
  return n.args.length === 0 ? n.name : `${n.name}<${n.args.map((a) => (typeof a === 'number' ? String(a) : printType(a))).join(', ')}>`;
}

/** The element type of a sequence or array type, else null. */
export function elementType(t: string): string | null {
  const tree = typeTree(t);
  return (tree.name === 'sequence' || tree.name === 'array') && typeof tree.args[0] === 'object' ? printType(tree.args[0]) : null;
}

export class ModuleCtx {
  readonly sections = new Map<Section, Decl[]>(SECTIONS.map((s) => [s, []]));
  readonly builds: ((env: Env) => void)[] = [];
  private readonly codecs = new Map<string, string>();
  private readonly valueImports = new Map<string, Set<string>>();
  private readonly typeImports = new Map<string, Set<string>>();
  private readonly names = new Map<string, string>();

  constructor(readonly model: Model, readonly path: string, readonly owner: string, readonly source: string,
    readonly extended: boolean, readonly runtime: string) {}

  get types(): IdlTypes {
    return this.model.types;
  }

  add(section: Section, d: Decl): void {
    this.sections.get(section)!.push(d);
  }

  /** Claims an exported name; a second claim is an IdlError at `pos` (two IDL names that meet). */
  claim(name: string, pos: SourcePos, what: string): string {
    const prev = this.names.get(name);
    if (prev !== undefined) fail(pos, `the generated name ${name} (${what}) is already taken by ${prev}; rename one of them`);
    this.names.set(name, what);
    return name;
  }

  build(f: (env: Env) => void): void {
    this.builds.push(f);
  }

  /** The package that declares a qualified type name. */
  private ownerOf(qname: string): string {
    return qname.slice(0, qname.lastIndexOf('.'));
  }

  /** Refers to exported `name` of the module of package `pkg` (imports it when foreign). */
  ref(pkg: string, name: string, kind: 'value' | 'type'): string {
    return this.refFrom(modulePath(pkg, 'idl'), name, kind);
  }

  /** Refers to exported `name` of the module at `module` (imports it when it is another module). */
  refFrom(module: string, name: string, kind: 'value' | 'type'): string {
    if (module !== this.path) {
      const from = relative(this.path, module);
      const map = kind === 'value' ? this.valueImports : this.typeImports;
      if (!map.has(from)) map.set(from, new Set());
      map.get(from)!.add(name);
    }
    return name;
  }

  /** The type a typedef chain ends at. */
  underlying(type: string): string {
    let t = type;
    for (let d = this.types[t]; typeof d === 'string'; d = this.types[t]) t = d;
    return t;
  }

  /** 'struct' | 'union' for a named composite type, else null. */
  composite(type: string): 'struct' | 'union' | null {
    const d = this.types[this.underlying(type)];
    if (!d || typeof d !== 'object') return null;
    return 'union' in d && Object.keys(d).length === 1 && typeof (d as { union: unknown }).union === 'object' ? 'union' : 'struct';
  }

  size(type: string): { size: number; align: number } {
    const l = idlTypeLayout(type, this.types);
    return { size: l.size, align: l.align };
  }

  /** The codec of `type`, making a module-level one for constructed types. */
  codec(type: string): CodecRef {
    const t = this.underlying(type);
    if (t in rt.INTEGERS || t === 'Handle') return { expr: `rt.${t}`, build: () => (rt as unknown as Record<string, rt.NkCodec>)[t]! };
    if (this.composite(t)) {
      const name = this.ref(this.ownerOf(t), `${cname(t)}_codec`, 'value');
      return { expr: name, build: (env) => env.get<rt.NkCodec>(name) };
    }
    const known = this.codecs.get(t);
    if (known) return { expr: known, build: (env) => env.get<rt.NkCodec>(known) };
    const tree = typeTree(t);
    const n = tree.args.find((a): a is number => typeof a === 'number')!;
    let expr: string, make: (env: Env) => rt.NkCodec;
    if (tree.name === 'string' || tree.name === 'bytes') {
      const f = tree.name === 'string' ? rt.string : rt.bytes;
      expr = `rt.${tree.name}(${n})`;
      make = () => f(n) as rt.NkCodec;
    } else {
      const el = this.codec(printType(tree.args[0] as TypeNode));
      const f = tree.name === 'sequence' ? rt.sequence : rt.array;
      expr = `rt.${tree.name}(${el.expr}, ${n})`;
      make = (env) => f(el.build(env), n) as rt.NkCodec;
    }
    const name = `$${this.codecs.size}`;
    this.codecs.set(t, name);
    this.add('codecs', { kind: 'comment', text: t });
    this.add('codecs', { kind: 'const', name, type: '', value: expr, exported: false });
    this.build((env) => env.set(name, make(env), false));
    return { expr: name, build: (env) => env.get<rt.NkCodec>(name) };
  }

  /** The TypeScript types a field of `type` reads as and is written from. */
  tsTypes(type: string): { get: string; set: string } {
    const t = this.underlying(type);
    const paren = (s: string): string => (s.includes('|') || s.includes('&') ? `(${s})` : s);
    if (t in TYPED) return t.endsWith('64') ? { get: 'bigint', set: 'bigint | number' } : { get: 'number', set: 'number' };
    if (t === 'Handle') return { get: 'rt.NkHandleDesc', set: 'Partial<rt.NkHandleDesc> & { handle: number }' };
    const kind = this.composite(t);
    if (kind) {
      const name = cname(t);
      return { get: this.ref(this.ownerOf(t), name, 'type'), set: this.ref(this.ownerOf(t), `${name}_value`, 'type') };
    }
    const tree = typeTree(t);
    if (tree.name === 'string') return { get: 'string | null', set: 'string' };
    if (tree.name === 'bytes') return { get: 'Uint8Array | null', set: 'ArrayLike<number>' };
    const el = printType(tree.args[0] as TypeNode), elU = this.underlying(el);
    const inner = this.tsTypes(el);
    const got = TYPED[elU] ?? `${paren(inner.get)}[]`;
    const set = `ArrayLike<${inner.set}>`;
    return tree.name === 'sequence' ? { get: `${got} | null`, set } : { get: got, set };
  }

  /** The whole module, ready to print. */
  module(): Module {
    const imports: Import[] = [{ what: '* as rt', from: this.runtime, typeOnly: false }];
    const sorted = (m: Map<string, Set<string>>): [string, Set<string>][] => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [from, names] of sorted(this.valueImports)) imports.push({ what: `{ ${[...names].sort().join(', ')} }`, from, typeOnly: false });
    for (const [from, names] of sorted(this.typeImports)) {
      const only = [...names].filter((n) => !this.valueImports.get(from)?.has(n)).sort();
      if (only.length) imports.push({ what: `{ ${only.join(', ')} }`, from, typeOnly: true });
    }
    const decls: Decl[] = [];
    for (const s of SECTIONS) {
      const list = this.sections.get(s)!;
      if (list.length) decls.push({ kind: 'blank' }, ...list);
    }
    return { header: `// Generated by kos-ipc gen from ${this.source}. Do not edit.`, imports, decls };
  }
}
