/**
 * Declaring message shapes in the kernel (assembly/shapes.ts): the `interfaces` option of
 * createProcess/spawn and kernel.declareInterface. The shapes are computed and checked before
 * the process exists (planShapes), then written one record at a time through the admin scratch
 * area (declareShapes). docs/message-format.md section 5 describes what the kernel does with them.
 */
import type { Core } from './core.js';
import { SYS, ADMIN, SCRATCH, ST_OK, ST_EXISTS, ST_QUOTA, ST_DEAD, MAX_SHAPES } from './abi.js';
import { interfaceShapes, type IdlInterface } from './nk/idl_layout.js';
import type { MessageShape, MethodShapes } from './nk/message_shape.js';

/** Interface descriptions by interface name, as endpoints name them (`{ main: 'Echo' }`). */
export type Interfaces = Record<string, IdlInterface>;

/** Shapes to declare: per RIID, the methods' shapes in MID order. */
export type ShapePlan = Map<number, MethodShapes[]>;

const KINDS = [['request', 1], ['response', 2], ['error', 3]] as const;
const DESC_BYTES = 12;

/** Endpoint name -> RIID, in declaration order (the same rule as Kernel's endpoint table). */
export function endpointRiids(endpoints: unknown): Map<string, { riid: number; iface: string | undefined }> {
  const out = new Map<string, { riid: number; iface: string | undefined }>();
  if (!endpoints || typeof endpoints !== 'object') return out;
  const list = Array.isArray(endpoints)
    ? (endpoints as { name: string; interface?: string }[]).map((e) => [e?.name, e?.interface] as const)
    : Object.entries(endpoints as Record<string, string>);
  list.forEach(([name, iface], riid) => out.set(String(name), { riid, iface: typeof iface === 'string' ? iface : undefined }));
  return out;
}

/**
 * The shapes the `interfaces` option declares: every endpoint whose interface is described.
 * Throws (naming `fn`) for a description that cannot be laid out or an interface no endpoint uses.
 */
export function planShapes(fn: string, endpoints: unknown, interfaces: unknown): ShapePlan {
  const plan: ShapePlan = new Map();
  if (interfaces === undefined) return plan;
  if (interfaces === null || typeof interfaces !== 'object' || Array.isArray(interfaces)) {
    throw new TypeError(`${fn}: interfaces must map interface names to { types?, methods: [...] }`);
  }
  const used = new Set<string>();
  for (const [, { riid, iface }] of endpointRiids(endpoints)) {
    if (iface === undefined || !Object.prototype.hasOwnProperty.call(interfaces, iface)) continue;
    used.add(iface);
    plan.set(riid, interfaceShapes((interfaces as Interfaces)[iface]!, `${fn}: interfaces.${iface}`));
  }
  for (const name of Object.keys(interfaces)) {
    if (!used.has(name)) {
      throw new Error(`${fn}: interfaces.${name} is described but no endpoint has that interface; ` +
        `name it in endpoints ({ main: '${name}' })`);
    }
  }
  return plan;
}

function writeRecord(core: Core, at: number, shape: MessageShape): void {
  const u8 = core.u8(at + shape.descriptors.length * DESC_BYTES);
  const dv = new DataView(u8.buffer, u8.byteOffset);
  shape.descriptors.forEach((d, i) => {
    const o = at + i * DESC_BYTES;
    const unit = (d.unit | (Math.log2(d.align) << 24) | (d.string ? 0x80000000 : 0)) >>> 0;
    dv.setUint32(o, d.field, true);
    dv.setUint32(o + 4, unit, true);
    dv.setUint32(o + 8, d.max, true);
  });
}

/** Writes the planned shapes of process `index` into the kernel, one record per admin call. */
export function declareShapes(core: Core, fn: string, procName: string, index: number, plan: ShapePlan): void {
  const at = SCRATCH;
  for (const [riid, methods] of plan) {
    methods.forEach((m, mid) => {
      for (const [kind, code] of KINDS) {
        const shape = m[kind];
        if (!shape) continue;
        writeRecord(core, at, shape);
        const st = core.sys(SYS.k_shape_add, ADMIN, index, riid, mid, code, shape.minSize, shape.maxSize,
          shape.descriptors.length, at);
        if (st === ST_OK) continue;
        const which = `the ${kind} of method ${mid} of endpoint ${riid} of "${procName}"`;
        if (st === ST_EXISTS) throw new Error(`${fn}: ${which} is already declared`);
        if (st === ST_QUOTA) throw new Error(`${fn}: the kernel's shape table is full (${MAX_SHAPES} message shapes)`);
        if (st === ST_DEAD) throw new Error(`${fn}: process "${procName}" has ended`);
        throw new Error(`${fn}: the kernel refused ${which} (status ${st})`);
      }
    });
  }
}

const riidsOf = new WeakMap<object, Map<string, { riid: number; iface: string | undefined }>>();

/** Remembers a process's endpoint names, so declareInterface can take one by name. */
export function rememberEndpoints(proc: object, endpoints: unknown): void {
  riidsOf.set(proc, endpointRiids(endpoints));
}

/**
 * kernel.declareInterface: declares the shapes of endpoint `endpoint` (its name, bare or
 * qualified `Server.main`, or its RIID) of a live process.
 */
export function declareInterface(core: Core, proc: { name: string; index: number }, endpoint: unknown,
  description: unknown): void {
  const fn = 'declareInterface';
  let riid: number | undefined;
  if (typeof endpoint === 'number' && Number.isInteger(endpoint) && endpoint >= 0 && endpoint < 0xffff) {
    riid = endpoint;
  } else if (typeof endpoint === 'string') {
    const names = riidsOf.get(proc);
    const bare = endpoint.startsWith(`${proc.name}.`) ? endpoint.slice(proc.name.length + 1) : endpoint;
    riid = names?.get(bare)?.riid;
    if (riid === undefined) {
      const known = [...(names?.keys() ?? [])].join(', ') || 'none';
      throw new Error(`${fn}: process "${proc.name}" has no endpoint "${endpoint}" (its endpoints: ${known})`);
    }
  } else {
    throw new TypeError(`${fn}: endpoint must be an endpoint name or a RIID (an integer from 0 to 65534), got ${typeof endpoint} ${String(endpoint)}`);
  }
  const shapes = interfaceShapes(description as IdlInterface, `${fn}: description`);
  declareShapes(core, fn, proc.name, proc.index, new Map([[riid, shapes]]));
}
