/**
 * What a compiled EDL declares to the kernel: the ProcessOptions `endpoints` (RIID order) and
 * `interfaces` that kernel.createProcess, kernel.spawn and kernel.init take, so that the kernel
 * checks every request and response of those interfaces (docs/message-format.md section 6).
 *
 * Endpoint names: a process class's own endpoints by their name (`main`; the kernel also
 * registers `Class.main`), the endpoints of component instances by their instance path
 * (`ping_comp.ping_impl`), as ServiceLocatorGetRiid finds them. Interfaces are keyed by package
 * name (`echo.Ping`), with the named types their methods use.
 */
import type { IdlInterface, IdlTypes } from '../nk/idl_layout.js';
import type { NkProcessOptions } from './rt_rpc.js';
import { flatEndpoints, toIdlMethod } from './resolve.js';
import type { ComponentModel, MethodModel, Model, PackageModel } from './model.js';

const argsOf = (t: string): string[] => {
  const out: string[] = [];
  let depth = 0, start = t.indexOf('<') + 1;
  if (start === 0) return out;
  for (let i = start; i < t.length; i++) {
    const ch = t[i];
    if (ch === '<') depth++;
    else if (ch === '>' && depth-- === 0) { out.push(t.slice(start, i).trim()); break; }
    else if (ch === ',' && depth === 0) { out.push(t.slice(start, i).trim()); start = i + 1; }
  }
  return out;
};

/** The named types `methods` use, with every type they contain, sorted by name. */
export function reachableTypes(types: IdlTypes, methods: MethodModel[]): IdlTypes {
  const out: IdlTypes = {};
  const visit = (type: string): void => {
    const name = type.includes('<') ? type.slice(0, type.indexOf('<')) : type;
    for (const a of argsOf(type)) if (!/^[0-9]+$/.test(a)) visit(a);
    const d = types[name];
    if (d === undefined || name in out) return;
    out[name] = d;
    if (typeof d === 'string') visit(d);
    else for (const ft of Object.values('union' in d && typeof d.union === 'object' ? d.union : d) as string[]) visit(ft);
  };
  for (const m of methods) for (const p of [...m.in, ...m.out, ...m.error]) visit(p.type);
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]!]));
}

/** Package `p`'s interface as kernel.createProcess({ interfaces }) takes it. */
export function interfaceDescription(model: Model, p: PackageModel): IdlInterface {
  return { types: reachableTypes(model.types, p.methods ?? []), methods: (p.methods ?? []).map(toIdlMethod) };
}

/** The ProcessOptions of process class (or component) `c`: its endpoints in RIID order and their interfaces. */
export function edlProcessOptions(model: Model, c: ComponentModel): NkProcessOptions {
  const flat = flatEndpoints(model, c);
  const interfaces: NkProcessOptions['interfaces'] = {};
  for (const e of flat) if (!(e.iface in interfaces)) interfaces[e.iface] = interfaceDescription(model, model.packages.get(e.iface)!);
  return { endpoints: flat.map((e) => ({ name: e.path, interface: e.iface })), interfaces };
}

/** An init description as kernel.init takes it (the fields applyEdl reads and writes). */
export interface EdlInitDescription {
  entities: { name: string; endpoints?: unknown }[];
  interfaces?: Record<string, IdlInterface>;
}

/**
 * Gives the entities of an init description (init.yaml, parsed) the endpoints and interfaces of
 * their compiled EDL, as einit takes them from the EDL: `edls` maps entity names to the
 * generated `X_entity_options` (or compileIdl's processOptions). Returns a new description;
 * throws when an EDL names an entity the description does not have, or an entity already lists
 * endpoints.
 */
export function applyEdl<D extends EdlInitDescription>(description: D, edls: Record<string, NkProcessOptions>): D & { interfaces: Record<string, IdlInterface> } {
  if (!description || !Array.isArray(description.entities)) {
    throw new TypeError('applyEdl: description must be an init description with an `entities` list');
  }
  const names = new Set(description.entities.map((e) => e?.name));
  for (const name of Object.keys(edls)) {
    if (!names.has(name)) throw new Error(`applyEdl: the description has no entity "${name}" (its entities: ${[...names].join(', ')})`);
  }
  const interfaces: Record<string, IdlInterface> = { ...description.interfaces };
  const entities = description.entities.map((e) => {
    const o = Object.prototype.hasOwnProperty.call(edls, e.name) ? edls[e.name] : undefined;
    if (!o) return e;
    if (e.endpoints !== undefined) {
      throw new Error(`applyEdl: entity "${e.name}" already lists endpoints; its EDL gives them, remove them from the description`);
    }
    Object.assign(interfaces, o.interfaces);
    return { ...e, endpoints: o.endpoints };
  });
  return { ...description, entities, interfaces };
}
