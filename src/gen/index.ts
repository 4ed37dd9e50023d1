/**
 * `kos-ipc/gen`: the IDL/CDL/EDL compiler (docs/gen.md). compileIdl compiles at run time, with
 * no file system; `kos-ipc gen` (src/gen/cli.ts) writes the same modules to files. The modules
 * import `kos-ipc/gen/runtime`. applyEdl gives an init description the endpoints and interfaces
 * of compiled EDLs.
 */
export { compileIdl, type CompiledIdl, type CompileOptions } from './compile.js';
export { IdlError, type SourcePos } from './errors.js';
export { applyEdl, type EdlInitDescription } from './process_options.js';
export { DEFAULT_RUNTIME, type GenOptions } from './generate.js';
export type { NkProcessOptions } from './rt_rpc.js';
