/**
 * compileIdl: the compiler at run time, with no file system (a browser page or a test can load
 * an .idl string): the same resolution, layouts and generated names as `kos-ipc gen`, with the
 * classes, constants and functions built in memory instead of printed, the generated sources,
 * and the shapes the kernel checks.
 */
import type { Interfaces } from '../shapes.js';
import { buildModules, generate, printModule, type GenOptions } from './generate.js';
import { edlProcessOptions, interfaceDescription } from './process_options.js';
import { kindOf } from './resolve.js';
import type { NkProcessOptions } from './rt_rpc.js';
import { describe } from '../describe.js';

export interface CompileOptions extends GenOptions {
  /** The name errors give the root text (default `input.idl`, `.cdl` or `.edl` by its first word). */
  file?: string;
  /** The generated sources' language: 'ts' (default) or 'js' (with .d.ts). */
  lang?: 'ts' | 'js';
}

export interface CompiledIdl {
  /** What the root text declares: an IDL package, a CDL component or an EDL process class. */
  kind: 'idl' | 'cdl' | 'edl';
  /** Its qualified name (echo.Ping). */
  name: string;
  /**
   * Every value the generated modules export, by its generated name (echo_Ping_Ping_req,
   * echo_Ping_proxy_init, echo_Server_entity_dispatch, ...), built in memory.
   */
  exports: Record<string, unknown>;
  /** The generated modules, as `kos-ipc gen` writes them: output path -> text. */
  sources: Record<string, string>;
  /** Every interface reached, as ProcessOptions.interfaces takes them (keyed by package name). */
  interfaces: Interfaces;
  /** For an EDL: its endpoints (RIID order) and interfaces, to give kernel.createProcess/spawn. Else null. */
  processOptions: NkProcessOptions | null;
}


/**
 * Compiles `text` (an .idl, .cdl or .edl file) with `files` (path -> text, paths as nk-gen-c
 * finds them: echo/Ping.idl) holding everything it imports or names. Throws an IdlError (file,
 * line, column, what was expected) for bad input.
 */
export function compileIdl(text: string, files: Record<string, string> = {}, options: CompileOptions = {}): CompiledIdl {
  if (typeof text !== 'string') throw new TypeError(`compileIdl: text must be the contents of an .idl, .cdl or .edl file, got ${describe(text)}`);
  if (files === null || typeof files !== 'object') throw new TypeError(`compileIdl: files must map paths (echo/Ping.idl) to texts, got ${describe(files)}`);
  const byPath = new Map(Object.entries(files).map(([k, v]) => [k.replace(/^\.\//, ''), v]));
  for (const [k, v] of byPath) if (typeof v !== 'string') throw new TypeError(`compileIdl: files["${k}"] must be a string, got ${describe(v)}`);
  const file = options.file ?? `input.${kindOf('', text)}`;
  const { model, modules } = generate(text, file, (p) => byPath.get(p), options);
  const sources: Record<string, string> = {};
  for (const m of modules) Object.assign(sources, printModule(m, options.lang ?? 'ts'));
  const interfaces: Interfaces = {};
  for (const p of model.packages.values()) if (p.methods) interfaces[p.name] = interfaceDescription(model, p);
  const root = model.root;
  return {
    kind: root.kind, name: root.name, exports: Object.fromEntries(buildModules(modules)), sources, interfaces,
    processOptions: root.kind === 'edl' ? edlProcessOptions(model, root) : null,
  };
}

