/**
 * `kos-ipc/gen`: the IDL/CDL/EDL compiler (docs/gen.md). compileIdl compiles at run time;
 * `kos-ipc gen` (src/gen/cli.ts) writes the same modules to files. The generated modules import
 * `kos-ipc/gen/runtime`.
 */
export { compileIdl, type CompiledIdl, type CompileOptions } from './compile.js';
export { IdlError, type SourcePos } from './errors.js';
export { edlProcessOptions, interfaceDescription, applyEdl, type EdlInitDescription } from './process_options.js';
export { generate, printModule, buildModules, DEFAULT_RUNTIME, type GenOptions, type GeneratedModule } from './generate.js';
export { resolveAll, kindOf, type SourceLoader, type FileKind } from './resolve.js';
export type { Model, PackageModel, ComponentModel, MethodModel, TypeModel, ConstModel } from './model.js';
export type { NkProcessOptions } from './rt_rpc.js';
