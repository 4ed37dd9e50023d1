/**
 * Emitting a component (CDL) or a process class (EDL) (nk-gen-c's names, docs/sources.md): the
 * RIID constants (`X_<endpoint path>_iid`, `X_iidMax`, `X_iidOffset`, `X_<instance path>_iidOffset`,
 * `X_securityIidMax`), the class holding its parts (`X_component` / `X_entity`: a server object
 * per endpoint, a component per instance), its `_init` and `_dispatch`, request and response
 * classes and arena/handle constants sized for any method of the tree, and for an EDL
 * `X_entity_options`, the ProcessOptions that declare its endpoints and interfaces to the kernel.
 */
import { flatEndpoints } from './resolve.js';
import { modulePath, type ModuleCtx } from './emit_ctx.js';
import { partsClass } from './emit_build.js';
import { aggregate, interfaceSizes, unionClasses } from './emit_methods.js';
import { cname, type ComponentModel } from './model.js';
import { RESERVED_NAMES } from './resolve_package.js';
import { fail } from './errors.js';
import { edlProcessOptions } from './process_options.js';
import * as rt from './runtime.js';

type Dispatch = (...a: unknown[]) => number;

export function emitComponent(ctx: ModuleCtx, c: ComponentModel): void {
  const X = cname(c.name);
  const K = c.kind === 'cdl' ? 'component' : 'entity';
  const cls = ctx.claim(`${X}_${K}`, c.pos, `the ${K} class`);
  const constant = (name: string, value: number, doc?: string): void => {
    ctx.claim(name, c.pos, 'a constant');
    ctx.add('consts', { kind: 'const', name, type: 'number', value: String(value), exported: true, ...(doc ? { doc } : {}) });
    ctx.build((env) => env.set(name, value, true));
  };
  const flat = flatEndpoints(ctx.model, c);
  for (const e of flat) constant(`${X}_${e.path.replace(/\./g, '_')}_iid`, e.riid, `The RIID of endpoint ${e.path} (${e.iface}).`);
  constant(`${X}_iidMax`, c.iidMax, 'The number of endpoints of the tree.');
  constant(`${X}_iidOffset`, 0);
  const offsets = (comp: ComponentModel, prefix: string, base: number): void => {
    for (const i of comp.components) {
      constant(`${X}_${prefix}${i.name}_iidOffset`, base + i.iidOffset, `The first RIID of instance ${prefix.replace(/_/g, '.')}${i.name}.`);
      offsets(ctx.model.components.get(i.component)!, `${prefix}${i.name}_`, base + i.iidOffset);
    }
  };
  offsets(c, '', 0);
  constant(`${X}_securityIidMax`, c.securityIidMax, 'The number of security interfaces of the tree.');

  const ifaces = [...new Set(flat.map((e) => e.iface))];
  const sizes = aggregate(ifaces.map((i) => interfaceSizes(ctx.types, ctx.model.packages.get(i)!)));
  constant(`${cls}_req_arena_size`, sizes.arena[0]);
  constant(`${cls}_res_arena_size`, sizes.arena[1]);
  constant(`${cls}_req_handles`, sizes.handles[0]);
  constant(`${cls}_res_handles`, sizes.handles[1]);
  constant(`${cls}_err_handles`, sizes.handles[2]);
  unionClasses(ctx, cls, c.pos, sizes, `${c.kind === 'cdl' ? 'component' : 'process class'} ${c.name}`);

  const parts = [...c.endpoints.map((e) => ({ name: e.name, type: ctx.ref(e.iface, cname(e.iface), 'type') })),
    ...c.components.map((i) => ({ name: i.name, type: ctx.refFrom(modulePath(i.component, 'cdl'), `${cname(i.component)}_component`, 'type') }))];
  for (const p of parts) if (RESERVED_NAMES.has(p.name)) fail(c.pos, `"${p.name}" is reserved by kos-ipc's generated classes; rename it`);
  ctx.add('classes', { kind: 'class', name: cls, doc: `${c.kind === 'cdl' ? 'Component' : 'Process class'} ${c.name}: its parts; ${cls}_init sets them.`,
    members: parts.map((p) => ({ kind: 'field', name: p.name, type: `${p.type} | null`, value: 'null', readonly: false })) });
  const names = parts.map((p) => p.name);
  const init = ctx.claim(`${cls}_init`, c.pos, 'the init function');
  ctx.add('api', { kind: 'function', name: init, ret: 'void', doc: `Gives ${cls} its server objects and component instances, in declaration order.`,
    params: [{ name: 'self', type: cls }, ...parts],
    body: [`rt.initParts('${init}', ${cls}, self, ${JSON.stringify(names).replace(/"/g, '\'')}, [${names.join(', ')}]);`] });

  const table = `${cls}_table`;
  const rows = [
    ...c.endpoints.map((e) => ({ text: `{ endpoint: '${e.name}', iid: ${e.iid}, dispatch: ${ctx.ref(e.iface, `${cname(e.iface)}_interface_dispatch`, 'value')} }`,
      build: (get: (n: string) => Dispatch) => ({ endpoint: e.name, iid: e.iid, dispatch: get(`${cname(e.iface)}_interface_dispatch`) }) })),
    ...c.components.map((i) => {
      const sub = ctx.model.components.get(i.component)!;
      const fn = ctx.refFrom(modulePath(i.component, 'cdl'), `${cname(i.component)}_component_dispatch`, 'value');
      return { text: `{ instance: '${i.name}', offset: ${i.iidOffset}, iidMax: ${sub.iidMax}, dispatch: ${fn} }`,
        build: (get: (n: string) => Dispatch) => ({ instance: i.name, offset: i.iidOffset, iidMax: sub.iidMax, dispatch: get(fn) }) };
    }),
  ];
  ctx.add('tables', { kind: 'const', name: table, type: 'rt.NkComponentEntry[]', exported: false,
    value: rows.length ? `[\n${rows.map((r) => `  ${r.text},`).join('\n')}\n]` : '[]' });
  const dispatch = ctx.claim(`${cls}_dispatch`, c.pos, 'the dispatcher');
  const msg = [{ name: 'req', type: 'Uint8Array' }, { name: 'reqArena', type: 'rt.NkArena | null' }, { name: 'res', type: 'Uint8Array' },
    { name: 'resArena', type: 'rt.NkArena | null' }];
  if (K === 'component') {
    ctx.add('api', { kind: 'function', name: dispatch, ret: 'rt.nk_err_t', doc: 'Routes a request by its RIID (minus iidOffset) to an endpoint or an instance.',
      params: [{ name: 'self', type: cls }, { name: 'iidOffset', type: 'number' }, ...msg],
      body: [`return rt.componentDispatch('${dispatch}', ${table}, self, iidOffset, req, reqArena, res, resArena);`] });
  } else {
    ctx.add('api', { kind: 'function', name: dispatch, ret: 'rt.nk_err_t', doc: 'Routes a request by its RIID to an endpoint or an instance.',
      params: [{ name: 'self', type: cls }, ...msg],
      body: [`return rt.entityDispatch('${dispatch}', ${table}, ${c.iidMax}, self, req, reqArena, res, resArena);`] });
  }
  ctx.build((env) => {
    const C = partsClass(cls, names);
    env.set(cls, C, true);
    env.set(init, (self: object, ...a: unknown[]) => rt.initParts(init, C, self, names, a), true);
    const entries = rows.map((r) => r.build((n) => env.get<Dispatch>(n))) as unknown as rt.NkComponentEntry[];
    env.set(table, entries, false);
    env.set(dispatch, K === 'component'
      ? (self: object, off: number, req: Uint8Array, ra: rt.NkArena | null, res: Uint8Array, rsa: rt.NkArena | null) => rt.componentDispatch(dispatch, entries, self, off, req, ra, res, rsa)
      : (self: object, req: Uint8Array, ra: rt.NkArena | null, res: Uint8Array, rsa: rt.NkArena | null) => rt.entityDispatch(dispatch, entries, c.iidMax, self, req, ra, res, rsa), true);
  });

  if (c.kind === 'edl') {
    const name = ctx.claim(`${cls}_options`, c.pos, 'the process options');
    const opts = edlProcessOptions(ctx.model, c);
    const ifaceRefs = Object.keys(opts.interfaces).map((i) => `    '${i}': ${ctx.ref(i, `${cname(i)}_interface`, 'value')},`);
    const eps = opts.endpoints.map((e) => `    { name: '${e.name}', interface: '${e.interface}' },`);
    ctx.add('api', { kind: 'const', name, type: 'rt.NkProcessOptions', exported: true,
      doc: `The endpoints (in RIID order) and interfaces of ${c.name}, as kernel.createProcess, spawn and init take them.`,
      value: `{\n  endpoints: [\n${eps.join('\n')}\n  ],\n  interfaces: {\n${ifaceRefs.join('\n')}\n  },\n}` });
    ctx.build((env) => env.set(name, {
      endpoints: opts.endpoints, interfaces: Object.fromEntries(Object.keys(opts.interfaces).map((i) => [i, env.get(`${cname(i)}_interface`)])),
    }, true));
  }
}
