/**
 * Emitting a package's interface (nk-gen-c's names and layouts, docs/sources.md): per method the `_mid`, the request,
 * response and error classes over their constant parts at nk-gen-c's offsets, the arena-size,
 * per-field `_size` and `_handles` constants, and its table entry; then the interface type and
 * its `ops`, the `P_M`/`P_MAsync` functions, the proxy (`P_proxy`, `P_proxy_init`), the
 * dispatcher (`P_interface_dispatch`), the `P_req`/`P_res` classes sized for any method, and
 * `P_interface`, the description kernel.createProcess({ interfaces }) declares.
 */
import { idlMethodLayout, type IdlInterface, type IdlTypes, type MessageLayout } from '../nk/idl_layout.js';
import type { Member } from './code.js';
import { defineFields, defineResponse, messageClass, proxyClass } from './emit_build.js';
import { elementType, typeTree, type CodecRef, type ModuleCtx } from './emit_ctx.js';
import { accessors } from './emit_types.js';
import { fail } from './errors.js';
import { cname, type MethodModel, type PackageModel } from './model.js';
import { toIdlMethod } from './resolve.js';
import { interfaceDescription } from './process_options.js';
import * as rt from './runtime.js';

const ARGS = 'self, req, reqArena, res, resArena';

/** The constructor of a message class of `size` bytes with a default arena of `arena` bytes. */
function ctor(name: string, size: number, arena: number): Member {
  const a = arena > 0 ? `arena_ === undefined ? rt.nk_arena_init(new Uint8Array(${arena})) : arena_` : 'arena_ ?? null';
  return { kind: 'ctor', params: [{ name: 'base_', type: 'Uint8Array', optional: true }, { name: 'arena_', type: 'rt.NkArena | null', optional: true }],
    body: [`super('${name}', ${size}, base_, ${a});`] };
}

function sizeMember(name: string, size: number): Member {
  return { kind: 'static', name: 'size', type: 'number', value: String(size), doc: `sizeof(${name}): the bytes to allocate.` };
}

/** A message class: the header, then `layout`'s fields. */
function messageDecl(ctx: ModuleCtx, name: string, size: number, arena: number, layout: MessageLayout, doc: string,
  extra: Member[] = []): [string, CodecRef, number][] {
  const { members, codecs } = accessors(ctx, name, layout.fields.map((f) => ({ name: f.name, type: f.type, offset: f.offset })), false);
  ctx.add('classes', { kind: 'class', name, extends: 'rt.NkMessage', doc, members: [sizeMember(name, size), ctor(name, size, arena), ...extra, ...members] });
  return codecs;
}

/** nk-gen-c's per-field `_size` constants: element capacities of strings, bytes, sequences and arrays. */
function fieldSizes(ctx: ModuleCtx, prefix: string, type: string, out: [string, number][]): void {
  const t = ctx.underlying(type);
  const d = ctx.types[t];
  if (d && typeof d === 'object') {
    const fields = ('union' in d && Object.keys(d).length === 1 && typeof d.union === 'object' ? d.union : d) as Record<string, string>;
    for (const [n, ft] of Object.entries(fields)) fieldSizes(ctx, `${prefix}_${n}`, ft, out);
    return;
  }
  const tree = typeTree(t);
  const n = tree.args.find((a): a is number => typeof a === 'number');
  if (n === undefined) return;
  out.push([`${prefix}_size`, tree.name === 'string' ? n + 1 : n]);
  const el = elementType(t);
  if (el !== null) fieldSizes(ctx, `${prefix}_elem`, el, out);
}

function constant(ctx: ModuleCtx, name: string, value: number, pos: MethodModel['pos'], doc?: string): void {
  ctx.claim(name, pos, 'a constant');
  ctx.add('consts', { kind: 'const', name, type: 'number', value: String(value), exported: true, ...(doc ? { doc } : {}) });
  ctx.build((env) => env.set(name, value, true));
}

interface Sizes { req: number; res: number; arena: [number, number]; handles: [number, number, number] }

function method(ctx: ModuleCtx, P: string, m: MethodModel): Sizes {
  const M = `${P}_${m.name}`;
  const l = idlMethodLayout(toIdlMethod(m), ctx.types, m.mid, `method ${m.name}:`);
  const resArena = Math.max(l.response.arenaSize, l.error.arenaSize);
  constant(ctx, `${M}_mid`, m.mid, m.pos, `The method id (MID) of ${m.name}.`);
  for (const [kind, params] of [['req', m.in], ['res', m.out], ['err', m.error]] as const) {
    const out: [string, number][] = [];
    for (const p of params) fieldSizes(ctx, `${M}_${kind}_${p.name}`, p.type, out);
    for (const [n, v] of out) constant(ctx, n, v, m.pos);
  }
  constant(ctx, `${M}_req_arena_size`, l.request.arenaSize, m.pos);
  constant(ctx, `${M}_res_arena_size`, resArena, m.pos);
  constant(ctx, `${M}_req_handles`, l.request.handles, m.pos);
  constant(ctx, `${M}_res_handles`, l.response.handles, m.pos);
  constant(ctx, `${M}_err_handles`, l.error.handles, m.pos);

  const names = (k: string): string => ctx.claim(`${M}_${k}`, m.pos, `the ${k} class of ${m.name}`);
  const [req, res, err] = [names('req'), names('res'), names('err')];
  const reqCodecs = messageDecl(ctx, req, l.request.size, l.request.arenaSize, l.request, `The request of ${m.name}: ${l.request.size} bytes.`);
  const errCodecs = messageDecl(ctx, err, l.error.size, l.error.arenaSize, l.error, `The error parameters of ${m.name}: ${l.error.size} bytes.`);
  const resCodecs = messageDecl(ctx, res, l.responseBufferSize, resArena, l.response,
    `The response of ${m.name}: results (res_) or, when nk_msg_check_err, error parameters (err_); ${l.responseBufferSize} bytes.`, [
      { kind: 'get', name: 'res_', type: res, body: ['return this;'], doc: 'The results (this message, read as results).' },
      { kind: 'get', name: 'err_', type: err, body: [`return new ${err}(this.base_, this.arena_);`], doc: 'The same bytes read as error parameters.' },
    ]);
  ctx.build((env) => {
    for (const [name, size, arena, codecs] of [[req, l.request.size, l.request.arenaSize, reqCodecs], [err, l.error.size, l.error.arenaSize, errCodecs],
      [res, l.responseBufferSize, resArena, resCodecs]] as const) {
      const C = messageClass(name, size, arena);
      defineFields(C, name, codecs.map(([n, c, off]) => [n, c.build(env), off] as const));
      env.set(name, C, true);
    }
    defineResponse(env.get(res), env.get(err));
  });

  const first = l.error.fields[0];
  const firstIsInt = first !== undefined && ctx.underlying(first.type) in rt.INTEGERS;
  if (!ctx.extended && first !== undefined && !firstIsInt) {
    fail(m.error[0]!.pos, `the first error parameter of ${m.name} (${first.type} ${first.name}) must be an integer for the older error ` +
      'convention, which writes NK_ELOGIC_GET(rc) there; make it an integer, or generate with --extended-errors');
  }
  const logic = firstIsInt ? ctx.codec(first.type) : null;
  const table = `${M}_method`;
  const info = (Req: string, Res: string, lg: string): string => `{ fn: '${M}', name: '${m.name}', mid: ${m.mid}, Req: ${Req}, Res: ${Res}, ` +
    `reqSize: ${l.request.size}, reqHandles: ${l.request.handles}, resSize: ${l.response.size}, resHandles: ${l.response.handles}, ` +
    `errSize: ${l.error.size}, errHandles: ${l.error.handles}, logic: ${lg} }`;
  ctx.add('tables', { kind: 'const', name: table, type: 'rt.NkMethodInfo', exported: false,
    value: `rt.method(${info(req, res, logic ? `[${logic.expr}, ${first!.offset}]` : 'null')})` });
  ctx.build((env) => env.set(table, rt.method({
    fn: M, name: m.name, mid: m.mid, Req: env.get(req), Res: env.get(res), reqSize: l.request.size, reqHandles: l.request.handles,
    resSize: l.response.size, resHandles: l.response.handles, errSize: l.error.size, errHandles: l.error.handles,
    logic: logic ? [logic.build(env), first!.offset] : null,
  }), false));
  return { req: l.request.size, res: l.responseBufferSize, arena: [l.request.arenaSize, resArena],
    handles: [l.request.handles, l.response.handles, l.error.handles] };
}

/** The largest of each size over `all` (0 when empty). */
export function aggregate(all: Sizes[]): Sizes {
  const max = (f: (s: Sizes) => number): number => Math.max(0, ...all.map(f));
  return { req: max((s) => s.req), res: max((s) => s.res), arena: [max((s) => s.arena[0]), max((s) => s.arena[1])],
    handles: [max((s) => s.handles[0]), max((s) => s.handles[1]), max((s) => s.handles[2])] };
}

/** The sizes of an interface's messages, without emitting anything. */
export function interfaceSizes(types: IdlTypes, p: PackageModel): Sizes {
  return aggregate(p.methods!.map((m) => {
    const l = idlMethodLayout(toIdlMethod(m), types, m.mid);
    return { req: l.request.size, res: l.responseBufferSize, arena: [l.request.arenaSize, Math.max(l.response.arenaSize, l.error.arenaSize)],
      handles: [l.request.handles, l.response.handles, l.error.handles] };
  }));
}

export function emitInterface(ctx: ModuleCtx, p: PackageModel): Sizes | null {
  if (!p.methods) return null;
  const P = cname(p.name);
  const agg = aggregate(p.methods.map((m) => method(ctx, P, m)));
  const pos = p.methods[0]?.pos ?? { file: p.file, line: 1, column: 1 };
  constant(ctx, `${P}_mid_max`, p.methods.length, pos, 'The number of methods.');
  constant(ctx, `${P}_req_arena_size`, agg.arena[0], pos);
  constant(ctx, `${P}_res_arena_size`, agg.arena[1], pos);
  constant(ctx, `${P}_arena_size`, Math.max(...agg.arena), pos);
  constant(ctx, `${P}_req_handles`, agg.handles[0], pos);
  constant(ctx, `${P}_res_handles`, agg.handles[1], pos);
  constant(ctx, `${P}_err_handles`, agg.handles[2], pos);
  unionClasses(ctx, P, pos, agg, `interface ${p.name}`);
  api(ctx, P, p, pos);
  return agg;
}

/** `X_req` and `X_res`: constant parts (and arenas) big enough for any message of X. */
export function unionClasses(ctx: ModuleCtx, X: string, pos: MethodModel['pos'], s: Sizes, what: string): void {
  for (const [k, size, arena] of [['req', Math.max(s.req, 24), s.arena[0]], ['res', Math.max(s.res, 24), s.arena[1]]] as const) {
    const name = ctx.claim(`${X}_${k}`, pos, `the ${k} class of ${what}`);
    ctx.add('classes', { kind: 'class', name, extends: 'rt.NkMessage', members: [sizeMember(name, size), ctor(name, size, arena)],
      doc: `A ${k === 'req' ? 'request' : 'response'} buffer for any method of ${what}: ${size} bytes, arena ${arena}.` });
    ctx.build((env) => env.set(name, messageClass(name, size, arena), true));
  }
}

export type { Sizes };

function api(ctx: ModuleCtx, P: string, p: PackageModel, pos: MethodModel['pos']): void {
  const methods = p.methods!;
  const claim = (n: string, what: string): string => ctx.claim(n, pos, what);
  const ops = claim(`${P}_ops`, 'the ops type');
  const sig = (m: MethodModel, ret: string): string =>
    `(self: ${P}, req: ${P}_${m.name}_req, reqArena: rt.NkArena | null, res: ${P}_${m.name}_res, resArena: rt.NkArena | null): ${ret};`;
  ctx.add('api', { kind: 'interface', name: ops, doc: `The methods of interface ${p.name}: a server object implements them, a proxy forwards them.`,
    members: methods.flatMap((m) => [`${m.name}${sig(m, 'rt.nk_err_t')}`, `${m.name}Async?${sig(m, 'Promise<rt.nk_err_t>')}`]) });
  ctx.add('api', { kind: 'interface', name: claim(P, 'the interface type'), members: [`readonly ops: ${ops};`],
    doc: `Interface ${p.name} (C: struct ${P}): a server object, or a proxy's base.` });
  const params = (m: MethodModel): { name: string; type: string }[] => [{ name: 'self', type: P }, { name: 'req', type: `${P}_${m.name}_req` },
    { name: 'reqArena', type: 'rt.NkArena | null | undefined' }, { name: 'res', type: `${P}_${m.name}_res` }, { name: 'resArena', type: 'rt.NkArena | null | undefined' }];
  for (const m of methods) {
    const f = claim(`${P}_${m.name}`, `the function of ${m.name}`), fa = claim(`${P}_${m.name}Async`, `the function of ${m.name}`);
    ctx.add('api', { kind: 'function', name: f, params: params(m), ret: 'rt.nk_err_t', body: [`return rt.callOp('${f}', '${m.name}', ${ARGS});`],
      doc: `Calls self.ops.${m.name} (through a proxy: a blocking call). An undefined arena is the message's own.` });
    ctx.add('api', { kind: 'function', name: fa, params: params(m), ret: 'Promise<rt.nk_err_t>', body: [`return rt.callOpAsync('${fa}', '${m.name}', ${ARGS});`],
      doc: `${f} without blocking the thread: self.ops.${m.name}Async, or self.ops.${m.name}.` });
    ctx.build((env) => {
      env.set(f, (...a: Parameters<typeof rt.callOp> extends [string, string, ...infer R] ? R : never) => rt.callOp(f, m.name, ...a), true);
      env.set(fa, (...a: Parameters<typeof rt.callOpAsync> extends [string, string, ...infer R] ? R : never) => rt.callOpAsync(fa, m.name, ...a), true);
    });
  }
  const table = `${P}_methods`;
  ctx.add('tables', { kind: 'const', name: table, type: 'rt.NkMethodInfo[]', exported: false, value: `[${methods.map((m) => `${P}_${m.name}_method`).join(', ')}]` });
  ctx.build((env) => env.set(table, methods.map((m) => env.get(`${P}_${m.name}_method`)), false));

  const proxyOps = `${P}_proxy_ops`, proxy = claim(`${P}_proxy`, 'the proxy class'), init = claim(`${P}_proxy_init`, 'proxy_init');
  const lines = methods.flatMap((m) => [
    `  ${m.name}: (${ARGS}) => rt.proxyCall(self, ${P}_${m.name}_method, req, reqArena, res, resArena),`,
    `  ${m.name}Async: (${ARGS}) => rt.proxyCallAsync(self, ${P}_${m.name}_method, req, reqArena, res, resArena),`]);
  ctx.add('api', { kind: 'const', name: proxyOps, type: ops, exported: false, value: `{\n${lines.join('\n')}\n}` });
  ctx.add('api', { kind: 'class', name: proxy, extends: 'rt.NkProxy', implements: P, doc: `The client side of interface ${p.name}; ${init} binds it.`,
    members: [{ kind: 'field', name: 'ops', type: ops, value: proxyOps, readonly: true },
      { kind: 'get', name: 'base', type: P, body: ['return this;'], doc: `The interface to call ${P}_<method> on (C: &proxy.base).` }] });
  ctx.add('api', { kind: 'function', name: init, ret: 'void', doc: 'Binds the proxy to a transport (transport.base) and the RIID of the server\'s endpoint.',
    params: [{ name: 'proxy', type: proxy }, { name: 'transport', type: 'rt.nk_transport' }, { name: 'iid', type: 'rt.nk_iid_t' }],
    body: [`rt.proxyInit('${init}', ${proxy}, proxy, transport, iid);`] });
  const dispatch = claim(`${P}_interface_dispatch`, 'the interface dispatcher');
  ctx.add('api', { kind: 'function', name: dispatch, ret: 'rt.nk_err_t',
    doc: `Runs the method a request for endpoint \`iid\` names on server object \`impl\` (${ctx.extended ? 'extended errors' : 'NK_ELOGIC errors'}).`,
    params: [{ name: 'impl', type: P }, { name: 'iid', type: 'rt.nk_iid_t' }, { name: 'req', type: 'Uint8Array' }, { name: 'reqArena', type: 'rt.NkArena | null' },
      { name: 'res', type: 'Uint8Array' }, { name: 'resArena', type: 'rt.NkArena | null' }],
    body: [`return rt.interfaceDispatch('${dispatch}', ${table}, ${ctx.extended}, impl, iid, req, reqArena, res, resArena);`] });
  const description = claim(`${P}_interface`, 'the interface description');
  const value: IdlInterface = interfaceDescription(ctx.model, p);
  ctx.add('api', { kind: 'const', name: description, type: 'rt.IdlInterface', exported: true, value: JSON.stringify(value, null, 2).replace(/"/g, '\''),
    doc: `Interface ${p.name} as kernel.createProcess({ interfaces }) takes it: the kernel then checks its messages.` });
  ctx.build((env) => {
    type Rest = Parameters<typeof rt.proxyCall> extends [unknown, unknown, ...infer R] ? R : never;
    const o: Record<string, unknown> = {};
    for (const m of methods) {
      o[m.name] = (self: rt.NkInterface, ...a: Rest) => rt.proxyCall(self, env.get(`${P}_${m.name}_method`), ...a);
      o[`${m.name}Async`] = (self: rt.NkInterface, ...a: Rest) => rt.proxyCallAsync(self, env.get(`${P}_${m.name}_method`), ...a);
    }
    const C = proxyClass(proxy, o);
    env.set(proxy, C, true);
    env.set(init, (px: rt.NkProxy, t: rt.nk_transport, iid: number) => rt.proxyInit(init, C, px, t, iid), true);
    env.set(dispatch, (impl: rt.NkInterface, iid: number, req: Uint8Array, reqArena: rt.NkArena | null, res: Uint8Array, resArena: rt.NkArena | null) =>
      rt.interfaceDispatch(dispatch, env.get(table), ctx.extended, impl, iid, req, reqArena, res, resArena), true);
    env.set(description, JSON.parse(JSON.stringify(value)), true);
  });
}
