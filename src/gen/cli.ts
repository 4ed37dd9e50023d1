/**
 * `kos-ipc gen`: the command-line front of the compiler (Node only: it reads and writes files).
 * Each input file is compiled with every file it reaches, found in the include directories
 * (-I, in order, then the directory the input's own name implies: `idl/echo/Server.edl`
 * declaring echo.Server implies `idl/`); each module is written under the output directory at
 * the path its name gives (echo/Ping.idl.ts), once.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { IdlError } from './errors.js';
import { DEFAULT_RUNTIME, generate, printModule, type GenOptions } from './generate.js';
import { kindOf, parseSource } from './resolve.js';

export const GEN_USAGE = `Usage: kos-ipc gen [options] <file.idl|file.cdl|file.edl>...

Compiles IDL, CDL and EDL files (and every file they import or name) to modules of typed
classes, constants, proxies and dispatchers (docs/gen.md).

Options:
  -I <dir>            look for imported files in <dir> (repeatable, searched in order)
  -o <dir>            write the modules under <dir> (default: the current directory)
  --lang ts|js        TypeScript (default), or JavaScript with .d.ts declarations
  --extended-errors   the newer error convention (nk-gen-c --extended-errors)
  --runtime <module>  the module generated code imports (default: ${DEFAULT_RUNTIME})
  -h, --help          print this help
`;

class UsageError extends Error {}

interface Args { inputs: string[]; include: string[]; out: string; lang: 'ts' | 'js'; options: GenOptions }

function parseArgs(argv: string[]): Args | 'help' {
  const a: Args = { inputs: [], include: [], out: '.', lang: 'ts', options: {} };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${x} needs a value`);
      return v;
    };
    if (x === '-h' || x === '--help') return 'help';
    else if (x === '-I') a.include.push(value());
    else if (x.startsWith('-I') && x.length > 2) a.include.push(x.slice(2));
    else if (x === '-o') a.out = value();
    else if (x === '--lang') {
      const l = value();
      if (l !== 'ts' && l !== 'js') throw new UsageError(`--lang takes ts or js, got ${l}`);
      a.lang = l;
    } else if (x === '--extended-errors') a.options.extendedErrors = true;
    else if (x === '--runtime') a.options.runtime = value();
    else if (x.startsWith('-')) throw new UsageError(`unknown option ${x}`);
    else a.inputs.push(x);
  }
  if (a.inputs.length === 0) throw new UsageError('no input files');
  return a;
}

/** The include directory an input's declared name implies, if its path ends with that name. */
function impliedRoot(file: string, text: string): string | null {
  const kind = kindOf(file, text);
  const f = parseSource(kind, text, file);
  const tail = `${(f.kind === 'idl' ? f.package : f.name).name.replace(/\./g, '/')}.${kind}`;
  const norm = file.replace(/\\/g, '/');
  return norm === tail ? '.' : norm.endsWith(`/${tail}`) ? norm.slice(0, -tail.length - 1) : null;
}

/** Runs `kos-ipc gen` with `argv`; returns the exit code (0 done, 1 bad input, 2 bad usage). */
export async function main(argv: string[]): Promise<number> {
  let args: Args | 'help';
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`kos-ipc gen: ${e.message}\n${GEN_USAGE}`);
    return 2;
  }
  if (args === 'help') { process.stdout.write(GEN_USAGE); return 0; }
  const written = new Map<string, string>();
  try {
    for (const input of args.inputs) {
      if (!existsSync(input)) throw new UsageError(`cannot read ${input}: no such file`);
      const text = readFileSync(input, 'utf8');
      const dirs = [...args.include];
      const implied = impliedRoot(input, text);
      if (implied !== null && !dirs.some((d) => resolve(d) === resolve(implied))) dirs.push(implied);
      const load = (path: string): string | undefined => {
        for (const d of dirs) {
          const p = join(d, path);
          if (existsSync(p)) return readFileSync(p, 'utf8');
        }
        return undefined;
      };
      for (const m of generate(text, input, load, args.options).modules) {
        for (const [path, out] of Object.entries(printModule(m, args.lang))) written.set(path, out);
      }
    }
  } catch (e) {
    if (e instanceof IdlError || e instanceof UsageError) {
      process.stderr.write(`kos-ipc gen: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  for (const [path, text] of written) {
    const file = join(args.out, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    process.stdout.write(`${file}\n`);
  }
  return 0;
}
