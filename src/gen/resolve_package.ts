/**
 * Resolving one parsed .idl file against the packages it imports (already resolved): names to
 * qualified names, constants to values, types to canonical IDL type strings, and the rules of
 * the language checked with the position of the offending text:
 *
 * - a name is declared once per package; a declared name hides the same name of an import;
 *   an unqualified name found in two imports is ambiguous (qualify it: `pkg.Name`);
 * - constants are integers of an integer type (or a typedef of one) and fit it;
 * - bounds are integers from 1 to 4194304 (4 MiB, the largest message);
 * - `Handle` only as a method parameter, directly or through a typedef (docs/gen.md);
 * - no struct or union contains itself, through any chain of fields, arrays or sequences;
 * - method names have no `_`, parameters come in, then out, then error, each name once per
 *   direction, and (kos-ipc) no field, member or parameter takes a name the generated classes use.
 */
import type { Expr, FieldDecl, IdlDecl, IdlFile, TypeExpr } from './ast.js';
import { evaluate, INT_RANGES } from './const_eval.js';
import { fail, type SourcePos } from './errors.js';
import type { ConstModel, MethodModel, PackageModel, ParamModel, TypeModel } from './model.js';

const PRIMITIVES = new Set(['UInt8', 'UInt16', 'UInt32', 'UInt64', 'SInt8', 'SInt16', 'SInt32', 'SInt64']);
const NK_MAX = 4 << 20;
const TYPE_HINT = 'declare it, import its package, or use UInt8..UInt64, SInt8..SInt64, Handle, string<N>, bytes<N>, ' +
  'sequence<T, N> or array<T, N>';
/** Member names of the generated classes that IDL names may not take. */
export const RESERVED_NAMES = new Set(['base_', 'arena_', 'offset_', 'dv_', 'res_', 'err_', 'tag_', 'constructor', '__proto__', 'prototype']);

type Where = 'param' | 'field' | 'member' | 'element' | 'typedef' | 'const';

interface Entry { decl: IdlDecl; state: 'new' | 'busy' | 'done' }

/** What a package needs of another to refer to its names. */
interface Visible { name: string; types: Map<string, TypeModel>; consts: Map<string, ConstModel> }

export function resolvePackage(f: IdlFile, imports: PackageModel[]): PackageModel {
  const pkg = f.package.name;
  const local = new Map<string, Entry>();
  for (const d of f.decls) {
    if (PRIMITIVES.has(d.name) || d.name === 'Handle') fail(d.pos, `"${d.name}" is a built-in type and cannot be declared again`);
    const prev = local.get(d.name);
    if (prev) fail(d.pos, `"${d.name}" is already declared at line ${prev.decl.pos.line}`);
    local.set(d.name, { decl: d, state: 'new' });
  }
  const types = new Map<string, TypeModel>();
  const consts = new Map<string, ConstModel>();
  /** Every type by qualified name: the imports' and, as they resolve, this package's. */
  const byQName = new Map<string, TypeModel>(imports.flatMap((p) => p.types.map((t) => [t.qname, t] as const)));
  const visible: Visible[] = imports.map((p) => ({
    name: p.name, types: new Map(p.types.map((t) => [t.name, t])), consts: new Map(p.consts.map((c) => [c.name, c])),
  }));

  /** Finds `name` (maybe qualified) as a type or a constant; the local package first. */
  function find(name: string, pos: SourcePos, kind: 'type' | 'constant'): { local: Entry } | { found: TypeModel | ConstModel } {
    const dot = name.lastIndexOf('.');
    const bare = dot < 0 ? name : name.slice(dot + 1);
    const scope = dot < 0 ? null : name.slice(0, dot);
    if (scope === null || scope === pkg) {
      const e = local.get(bare);
      if (e) return { local: e };
      if (scope === pkg) fail(pos, `package ${pkg} declares no ${kind} "${bare}"`);
    }
    const hits: (TypeModel | ConstModel)[] = [];
    for (const v of visible) {
      if (scope !== null && scope !== v.name) continue;
      const hit = kind === 'type' ? v.types.get(bare) : v.consts.get(bare);
      if (hit) hits.push(hit);
    }
    if (scope !== null && !visible.some((v) => v.name === scope)) {
      fail(pos, `"${scope}" is not this package nor an imported one: add "import ${scope}"`);
    }
    if (hits.length === 0) {
      const other = visible.some((v) => (scope === null || scope === v.name) && (kind === 'type' ? v.consts : v.types).has(bare));
      if (other) fail(pos, `"${name}" is a ${kind === 'type' ? 'constant' : 'type'}, not a ${kind}`);
      fail(pos, kind === 'type' ? `unknown type "${name}": ${TYPE_HINT}` : `unknown constant "${name}"`);
    }
    if (hits.length > 1) {
      fail(pos, `"${name}" is declared in ${hits.map((h) => h.qname.slice(0, -bare.length - 1)).join(' and ')}: qualify it`);
    }
    return { found: hits[0]! };
  }

  function constValue(name: string, pos: SourcePos): bigint {
    const r = find(name, pos, 'constant');
    if ('found' in r) {
      if (!('value' in r.found)) fail(pos, `"${name}" is a type, not a constant`);
      return r.found.value;
    }
    if (r.local.decl.kind !== 'const') fail(pos, `"${name}" is a ${r.local.decl.kind}, not a constant`);
    return resolveLocal(r.local, pos) as unknown as bigint;
  }

  function bound(e: Expr, pos: SourcePos, what: string): number {
    const v = evaluate(e, constValue);
    if (v < 1n || v > BigInt(NK_MAX)) fail(pos, `the bound of ${what} must be from 1 to ${NK_MAX}, got ${v}`);
    return Number(v);
  }

  function typeOf(t: TypeExpr, where: Where): string {
    switch (t.kind) {
      case 'string': case 'bytes':
        return `${t.kind}<${bound(t.bound, t.pos, `${t.kind}<N>`)}>`;
      case 'sequence': case 'array': {
        const elem = typeOf(t.elem, 'element');
        return `${t.kind}<${elem}, ${bound(t.bound, t.pos, `${t.kind}<T, N>`)}>`;
      }
      default: break;
    }
    let type: string;
    if (PRIMITIVES.has(t.name) || t.name === 'Handle') {
      type = t.name;
    } else {
      const r = find(t.name, t.pos, 'type');
      if ('found' in r) {
        if (!('kind' in r.found)) fail(t.pos, `"${t.name}" is a constant, not a type`);
        type = r.found.qname;
      } else {
        if (r.local.decl.kind === 'const') fail(t.pos, `"${t.name}" is a constant, not a type`);
        resolveLocal(r.local, t.pos);
        type = `${pkg}.${r.local.decl.name}`;
      }
    }
    if (where !== 'param' && where !== 'typedef' && underlying(type) === 'Handle') {
      fail(t.pos, `Handle is allowed only as a method parameter (directly or through a typedef), not as ${where === 'element' ? 'an array or sequence element' : `a struct or union ${where}`}: ` +
        'kos-ipc places a message\'s handles first (docs/gen.md)');
    }
    return type;
  }

  /** The type a typedef chain ends at (the type itself when it is not a typedef). */
  function underlying(type: string): string {
    let t = type;
    for (let m = byQName.get(t); m?.kind === 'typedef'; m = byQName.get(t)) t = m.type!;
    return t;
  }

  function fieldsOf(list: FieldDecl[], owner: string, where: 'field' | 'member', pos: SourcePos): { name: string; type: string }[] {
    if (list.length === 0) fail(pos, `${owner} has no ${where}s`);
    const seen = new Set<string>();
    return list.map((x) => {
      if (seen.has(x.name)) fail(x.pos, `${owner} has two ${where}s named "${x.name}"`);
      if (RESERVED_NAMES.has(x.name)) fail(x.pos, `"${x.name}" is reserved by kos-ipc's generated classes; rename the ${where}`);
      seen.add(x.name);
      return { name: x.name, type: typeOf(x.type, where) };
    });
  }

  function resolveLocal(e: Entry, usePos: SourcePos): TypeModel | bigint {
    const d = e.decl;
    if (e.state === 'busy') fail(usePos, `"${d.name}" is defined in terms of itself`);
    if (e.state === 'done') return d.kind === 'const' ? consts.get(d.name)!.value : types.get(d.name)!;
    e.state = 'busy';
    const qname = `${pkg}.${d.name}`;
    if (d.kind === 'const') {
      const type = typeOf(d.type, 'const');
      if (!(underlying(type) in INT_RANGES)) {
        fail(d.type.pos, `a constant must have an integer type (UInt8..UInt64, SInt8..SInt64 or a typedef of one), got ${type}`);
      }
      const value = evaluate(d.value, constValue);
      const [lo, hi] = INT_RANGES[PRIMITIVES.has(type) ? type : underlying(type)]!;
      if (value < lo || value > hi) fail(d.pos, `${d.name} = ${value} does not fit ${d.type.kind === 'named' ? d.type.name : type} (${lo}..${hi})`);
      consts.set(d.name, { name: d.name, qname, type, value, pos: d.pos });
      e.state = 'done';
      return value;
    }
    let m: TypeModel;
    if (d.kind === 'typedef') {
      m = { kind: 'typedef', name: d.name, qname, type: typeOf(d.type, 'typedef'), pos: d.pos };
    } else if (d.kind === 'struct') {
      m = { kind: 'struct', name: d.name, qname, fields: fieldsOf(d.fields, `struct ${d.name}`, 'field', d.pos), pos: d.pos };
    } else {
      m = { kind: 'union', name: d.name, qname, fields: fieldsOf(d.members, `union ${d.name}`, 'member', d.pos), pos: d.pos };
    }
    types.set(d.name, m);
    byQName.set(qname, m);
    e.state = 'done';
    return m;
  }

  for (const e of local.values()) resolveLocal(e, e.decl.pos);
  const methods = f.methods ? resolveMethods(f, typeOf) : null;
  return {
    kind: 'idl', name: pkg, file: f.file, imports: imports.map((p) => p.name),
    consts: f.decls.filter((d) => d.kind === 'const').map((d) => consts.get(d.name)!),
    types: f.decls.filter((d) => d.kind !== 'const').map((d) => types.get(d.name)!),
    methods,
  };
}

const ORDER = { in: 0, out: 1, error: 2 } as const;

function resolveMethods(f: IdlFile, typeOf: (t: TypeExpr, where: Where) => string): MethodModel[] {
  const names = new Map<string, number>();
  return f.methods!.map((m, mid) => {
    if (m.name.includes('_')) fail(m.pos, `method names may not contain "_" (${m.name}): nk-gen-c joins names with it`);
    if (names.has(m.name)) fail(m.pos, `method ${m.name} is already declared at line ${names.get(m.name)}`);
    names.set(m.name, m.pos.line);
    const out: MethodModel = { name: m.name, mid, in: [], out: [], error: [], pos: m.pos };
    let last: keyof typeof ORDER = 'in';
    for (const p of m.params) {
      if (ORDER[p.dir] < ORDER[last]) {
        fail(p.pos, `the ${p.dir} parameter ${p.name} comes after an ${last} parameter: the order is in, then out, then error`);
      }
      last = p.dir;
      const list: ParamModel[] = out[p.dir];
      if (list.some((q) => q.name === p.name)) fail(p.pos, `method ${m.name} has two ${p.dir} parameters named "${p.name}"`);
      if (RESERVED_NAMES.has(p.name)) fail(p.pos, `"${p.name}" is reserved by kos-ipc's generated classes; rename the parameter`);
      list.push({ name: p.name, type: typeOf(p.type, 'param'), pos: p.pos });
    }
    return out;
  });
}
