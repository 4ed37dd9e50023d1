/**
 * Emitting a package's constants and named types: `const` values (nk-gen-c's `pkg_X` defines),
 * typedefs (TypeScript aliases), and for each struct and union a view class with an accessor
 * per field at its offset, the type of the plain objects it is written from (`P_S_value`), and
 * its codec (`P_S_codec`), dependencies first. Every declaration has its build step for
 * compileIdl next to it.
 */
import { idlStructLayout, idlUnionLayout } from '../nk/idl_layout.js';
import { ts, type Member } from './code.js';
import { defineFields, defineMembers, viewClass } from './emit_build.js';
import type { CodecRef, ModuleCtx } from './emit_ctx.js';
import { elementType } from './emit_ctx.js';
import { cname, type PackageModel, type TypeModel } from './model.js';
import * as rt from './runtime.js';

const DV: Record<string, string> = {
  UInt8: 'Uint8', UInt16: 'Uint16', UInt32: 'Uint32', UInt64: 'BigUint64', SInt8: 'Int8', SInt16: 'Int16', SInt32: 'Int32', SInt64: 'BigInt64',
};

export interface FieldSpec { name: string; type: string; offset: number }

/**
 * Getter and setter members of `fields` in class `cls`; offsets are from the view's start
 * (`relative`: structs and unions inside a buffer) or absolute (messages). Returns the members
 * and, for compileIdl, the fields with their codecs.
 */
export function accessors(ctx: ModuleCtx, cls: string, fields: FieldSpec[], relative: boolean): { members: Member[]; codecs: [string, CodecRef, number][] } {
  const members: Member[] = [];
  const codecs: [string, CodecRef, number][] = [];
  for (const f of fields) {
    const codec = ctx.codec(f.type);
    const t = ctx.tsTypes(f.type);
    const at = relative ? (f.offset ? `this.offset_ + ${f.offset}` : 'this.offset_') : String(f.offset);
    const where = `'${cls}.${f.name}'`;
    const u = ctx.underlying(f.type);
    const kind = DV[u];
    if (kind) {
      const le = kind.endsWith('8') ? '' : ', true';
      members.push({ kind: 'get', name: f.name, type: t.get, body: [`return this.dv_.get${kind}(${at}${le});`], doc: `${f.type} at ${f.offset}` });
      members.push({ kind: 'set', name: f.name, type: t.set, body: [`${codec.expr}.put(this, ${at}, v, ${where});`] });
    } else if (u === 'Handle') {
      members.push({ kind: 'get', name: f.name, type: t.get, body: [`return rt.Handle.get(this, ${at});`], doc: `Handle (nk_handle_desc_t) at ${f.offset}` });
      members.push({ kind: 'set', name: f.name, type: t.set, body: [`rt.Handle.put(this, ${at}, v, ${where});`] });
    } else {
      members.push({ kind: 'get', name: f.name, type: t.get, body: [`return ${codec.expr}.get(this, ${at})${ts(` as ${t.get}`)};`], doc: `${f.type} at ${f.offset}` });
      members.push({ kind: 'set', name: f.name, type: t.set, body: [`rt.set(this, ${at}, ${codec.expr}, v, ${where});`] });
    }
    codecs.push([f.name, codec, f.offset]);
  }
  return { members, codecs };
}

/** The package's composite types, each after the ones of the package it contains. */
function ordered(ctx: ModuleCtx, p: PackageModel): TypeModel[] {
  const mine = new Map(p.types.filter((t) => t.kind !== 'typedef').map((t) => [t.qname, t]));
  const out: TypeModel[] = [], done = new Set<string>();
  const deps = (type: string, into: Set<string>): void => {
    const u = ctx.underlying(type);
    if (mine.has(u)) { into.add(u); return; }
    const el = elementType(u);
    if (el !== null) deps(el, into);
  };
  const visit = (t: TypeModel): void => {
    if (done.has(t.qname)) return;
    done.add(t.qname);
    const d = new Set<string>();
    for (const f of t.fields!) deps(f.type, d);
    for (const q of d) visit(mine.get(q)!);
    out.push(t);
  };
  for (const t of mine.values()) visit(t);
  return out;
}

export function emitConsts(ctx: ModuleCtx, p: PackageModel): void {
  for (const c of p.consts) {
    const name = ctx.claim(cname(c.qname), c.pos, `const ${c.name}`);
    const big = ctx.underlying(c.type).endsWith('64');
    const value = big ? c.value : Number(c.value);
    ctx.add('consts', { kind: 'const', name, type: big ? 'bigint' : 'number', value: big ? `${c.value}n` : String(c.value), exported: true,
      doc: `const ${c.type} ${c.name} = ${c.value}` });
    ctx.build((env) => env.set(name, value, true));
  }
}

export function emitTypes(ctx: ModuleCtx, p: PackageModel): void {
  for (const t of p.types.filter((x) => x.kind === 'typedef')) {
    const name = ctx.claim(cname(t.qname), t.pos, `typedef ${t.name}`);
    ctx.add('types', { kind: 'type', name, type: ctx.tsTypes(t.type!).get, doc: `typedef ${t.type} ${t.name}` });
  }
  for (const t of ordered(ctx, p)) (t.kind === 'struct' ? struct : union)(ctx, t);
}

/** Claims a struct's or union's class, codec and value-type names, and builds its (empty) class first. */
function begin(ctx: ModuleCtx, t: TypeModel): [name: string, codecName: string, valueName: string] {
  const name = ctx.claim(cname(t.qname), t.pos, `${t.kind} ${t.name}`);
  const codecName = ctx.claim(`${name}_codec`, t.pos, `the codec of ${t.kind} ${t.name}`);
  const valueName = ctx.claim(`${name}_value`, t.pos, `the value type of ${t.kind} ${t.name}`);
  ctx.build((env) => env.set(name, viewClass(name), true));
  return [name, codecName, valueName];
}

const fieldsOf = (t: TypeModel): Record<string, string> => Object.fromEntries(t.fields!.map((f) => [f.name, f.type]));

function struct(ctx: ModuleCtx, t: TypeModel): void {
  const [name, codecName, valueName] = begin(ctx, t);
  const l = idlStructLayout(fieldsOf(t), ctx.types);
  const { members, codecs } = accessors(ctx, name, l.fields, true);
  ctx.add('classes', { kind: 'class', name, extends: 'rt.NkView', members, doc: `struct ${t.qname}: ${l.size} bytes, align ${l.align}.` });
  ctx.add('types', { kind: 'type', name: valueName, type: `{ ${t.fields!.map((f) => `${f.name}: ${ctx.tsTypes(f.type).set}`).join('; ')} } | ${name}`,
    doc: `What a ${name} field is written from: a plain object with every field, or a ${name}.` });
  const list = codecs.map(([n, c, off]) => `['${n}', ${c.expr}, ${off}]`).join(', ');
  ctx.add('codecs', { kind: 'const', name: codecName, type: `rt.NkCodec<${name}, object>`, exported: true,
    value: `rt.struct(${name}, '${t.qname}', ${l.size}, ${l.align}, [${list}])` });
  ctx.build((env) => {
    const C = env.get<rt.ViewClass>(name);
    const fields = codecs.map(([n, c, off]) => [n, c.build(env), off] as const);
    env.set(codecName, rt.struct(C, t.qname, l.size, l.align, fields), true);
    defineFields(C, name, fields);
  });
}

function union(ctx: ModuleCtx, t: TypeModel): void {
  const [name, codecName, valueName] = begin(ctx, t);
  const l = idlUnionLayout(fieldsOf(t), ctx.types);
  const members: Member[] = [{ kind: 'get', name: 'tag_', type: 'number', body: ['return this.dv_.getUint32(this.offset_, true);'],
    doc: `The index of the member that holds the value (${name}_<member>_tag).` }];
  const codecs: [string, CodecRef][] = [];
  t.fields!.forEach((f, index) => {
    const c = ctx.codec(f.type);
    const types = ctx.tsTypes(f.type);
    const tag = ctx.claim(`${name}_${f.name}_tag`, t.pos, `the tag of ${t.name}.${f.name}`);
    ctx.add('consts', { kind: 'const', name: tag, type: 'number', value: String(index), exported: true, doc: `${name}.tag_ when ${f.name} holds the value.` });
    ctx.build((env) => env.set(tag, index, true));
    members.push({ kind: 'get', name: f.name, type: `${types.get} | undefined`, doc: `${f.type} at ${l.dataOffset}, or undefined when another member holds the value`,
      body: [`return ${codecName}.member(this, ${index})${ts(` as ${types.get} | undefined`)};`] });
    members.push({ kind: 'set', name: f.name, type: types.set, body: [`${codecName}.setMember(this, ${index}, v, '${name}.${f.name}');`] });
    codecs.push([f.name, c]);
  });
  ctx.add('classes', { kind: 'class', name, extends: 'rt.NkView', members,
    doc: `union ${t.qname}: a u32 tag, then the member at ${l.dataOffset}; ${l.size} bytes, align ${l.align}.` });
  ctx.add('types', { kind: 'type', name: valueName, doc: `What a ${name} field is written from: one member, or a ${name}.`,
    type: [...t.fields!.map((f) => `{ ${f.name}: ${ctx.tsTypes(f.type).set} }`), name].join(' | ') });
  const list = codecs.map(([n, c]) => `['${n}', ${c.expr}]`).join(', ');
  ctx.add('codecs', { kind: 'const', name: codecName, type: `rt.UnionCodec<${name}>`, exported: true,
    value: `rt.union(${name}, '${t.qname}', ${l.size}, ${l.align}, ${l.dataOffset}, [${list}])` });
  ctx.build((env) => {
    const C = env.get<rt.ViewClass>(name);
    const codec = rt.union(C, t.qname, l.size, l.align, l.dataOffset, codecs.map(([n, c]) => [n, c.build(env)] as const));
    env.set(codecName, codec, true);
    defineMembers(C, name, codec);
  });
}
