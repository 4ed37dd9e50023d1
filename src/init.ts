/**
 * The init.yaml description of a system, as `kernel.init` takes it (an object or YAML text):
 *
 *   entities:
 *   - name: Client
 *     module: ./client.js          # optional: runs the process in a worker
 *     connections:
 *     - target: Server
 *       id: server_connection
 *   - name: Server
 *     module: ./server.js
 *     endpoints:                   # name: interface, in RIID order
 *       main: Echo
 *     args: [--verbose]            # optional: thisProcess().args (EntitySetArgs)
 *   interfaces:                    # optional: message shapes the kernel checks (see Kernel.md)
 *     Echo:
 *       methods:
 *       - { name: Echo, in: { value: string<256> }, out: { result: string<256> } }
 */
import type { Endpoints } from './static_channels.js';
import type { Interfaces } from './shapes.js';
import { DCM_CONNECTION } from './dcm/constants.js';

export interface InitConnection { target: string; id: string }
export interface InitEntity {
  name: string;
  module?: string | URL;
  connections?: InitConnection[];
  endpoints?: Endpoints;
  args?: string[];
}
export interface InitDescription { entities: InitEntity[]; interfaces?: Interfaces }

export interface ParsedEntity {
  name: string; module?: string | URL; connections: InitConnection[]; endpoints?: Endpoints; args?: string[];
}

function fail(what: string): never {
  throw new TypeError(`init: ${what}`);
}

/** Validates a description; YAML text is parsed with the `yaml` package, loaded only then. */
export async function parseInit(description: InitDescription | string): Promise<{ entities: ParsedEntity[]; interfaces?: Interfaces }> {
  let d: unknown = description;
  if (typeof d === 'string') {
    const { parse } = await import('yaml');
    try { d = parse(d); } catch (e) { fail(`the description is not valid YAML: ${(e as Error).message}`); }
  }
  if (!d || typeof d !== 'object' || !Array.isArray((d as InitDescription).entities)) {
    fail('the description must have an `entities` list');
  }
  const seen = new Set<string>();
  const entities = (d as InitDescription).entities.map((e, i): ParsedEntity => {
    if (!e || typeof e !== 'object') fail(`entities[${i}] must be an object`);
    if (typeof e.name !== 'string' || !e.name) fail(`entities[${i}].name must be a non-empty string`);
    if (seen.has(e.name)) fail(`entity "${e.name}" is declared twice`);
    seen.add(e.name);
    if (e.module !== undefined && typeof e.module !== 'string' && !(e.module instanceof URL)) {
      fail(`entities[${i}].module must be a string or URL`);
    }
    const connections = e.connections ?? [];
    if (!Array.isArray(connections)) fail(`entities[${i}].connections must be a list`);
    connections.forEach((c, j) => {
      if (!c || typeof c.target !== 'string' || typeof c.id !== 'string') {
        fail(`entities[${i}].connections[${j}] needs a string target and id`);
      }
    });
    if (e.endpoints !== undefined && (typeof e.endpoints !== 'object' || e.endpoints === null)) {
      fail(`entities[${i}].endpoints must map endpoint names to interfaces`);
    }
    const out: ParsedEntity = { name: e.name, connections };
    if (e.module !== undefined) out.module = e.module;
    if (e.endpoints !== undefined) out.endpoints = e.endpoints;
    if (e.args !== undefined) {
      if (!Array.isArray(e.args) || e.args.some((a) => typeof a !== 'string')) fail(`entities[${i}].args must be a list of strings`);
      out.args = e.args;
    }
    return out;
  });
  for (const e of entities) {
    for (const c of e.connections) {
      // kl.core.DCM needs no declaration: the kernel's built-in DCM program serves it (docs/dcm.md)
      if (!seen.has(c.target) && c.target !== DCM_CONNECTION) fail(`entity "${e.name}" connects to "${c.target}", which is not declared`);
    }
  }
  const interfaces = (d as InitDescription).interfaces;
  if (interfaces !== undefined && (typeof interfaces !== 'object' || interfaces === null || Array.isArray(interfaces))) {
    fail('`interfaces` must map interface names to their descriptions');
  }
  return interfaces === undefined ? { entities } : { entities, interfaces };
}
