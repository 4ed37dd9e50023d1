/**
 * The generator: resolves a root file and all it reaches, then emits one module per file
 * (echo/Ping.idl, echo/Ping.cdl, echo/Server.edl), dependencies first. A module prints as
 * TypeScript or as JavaScript with declarations (code.ts), and compileIdl runs its build steps
 * to make the same values at run time.
 */
import { print, type Lang } from './code.js';
import { emitComponent } from './emit_component.js';
import { Env, modulePath, ModuleCtx } from './emit_ctx.js';
import { emitInterface } from './emit_methods.js';
import { emitConsts, emitTypes } from './emit_types.js';
import type { Model } from './model.js';
import { resolveAll, type SourceLoader } from './resolve.js';

export interface GenOptions {
  /** The newer error convention (nk-gen-c --extended-errors); default: the older NK_ELOGIC one. */
  extendedErrors?: boolean;
  /** The module generated code imports the runtime from (default `kos-ipc/gen/runtime`). */
  runtime?: string;
}

export interface GeneratedModule {
  /** The module's path without extension: echo/Ping.idl. */
  path: string;
  ctx: ModuleCtx;
}

export const DEFAULT_RUNTIME = 'kos-ipc/gen/runtime';

/** Resolves `rootText` (the contents of `rootFile`) and emits a module for every file it reaches. */
export function generate(rootText: string, rootFile: string, load: SourceLoader, options: GenOptions = {}): { model: Model; modules: GeneratedModule[] } {
  const model = resolveAll(rootText, rootFile, load);
  const modules = model.files.map((f) => {
    const path = modulePath(f.name, f.kind);
    const ctx = new ModuleCtx(model, path, f.name, path, options.extendedErrors === true, options.runtime ?? DEFAULT_RUNTIME);
    if (f.kind === 'idl') {
      emitConsts(ctx, f);
      emitTypes(ctx, f);
      emitInterface(ctx, f);
    } else {
      emitComponent(ctx, f);
    }
    return { path, ctx };
  });
  return { model, modules };
}

/** The files of a module: `path.ts`, or `path.js` and `path.d.ts`. */
export function printModule(m: GeneratedModule, lang: 'ts' | 'js'): Record<string, string> {
  const mod = m.ctx.module();
  if (lang === 'ts') return { [`${m.path}.ts`]: print(mod, 'ts') };
  return { [`${m.path}.js`]: print(mod, 'js'), [`${m.path}.d.ts`]: print(mod, 'dts' as Lang) };
}

/** Runs the modules' build steps: every exported value by its generated name. */
export function buildModules(modules: GeneratedModule[]): Map<string, unknown> {
  const global = new Map<string, unknown>();
  for (const m of modules) {
    const env = new Env(global);
    for (const step of m.ctx.builds) step(env);
  }
  return global;
}
