// The checks for blocks that are not run as programs (docs/contributing.md): `sh` commands the
// project must have, `ts` synopses whose names must exist, and `yaml`/`json` data that must parse.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Block } from './blocks.js';

interface PackageJson { scripts: Record<string, string>; bin: Record<string, string> }

/** One command of an `sh` line: env assignments and comments dropped, split on && and ;. */
export function shCommands(body: string): string[] {
  return body.split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .flatMap((l) => l.split(/&&|;/))
    .map((c) => c.trim().replace(/^(\w+=\S*\s+)+/, ''))
    .filter(Boolean);
}

/**
 * Problems with the commands of an `sh` block, empty when every one is a command this project
 * has: `npm install|ci|test`, `npm run SCRIPT` (a script of package.json), `npx kos-ipc SUB
 * --options` (a subcommand and options its --help lists), `node FILE` (a file of the repository).
 */
export function checkSh(block: Block, root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const cli = join(root, pkg.bin['kos-ipc'] ?? 'dist/cli.js');
  const help = (args: string[]): string => execFileSync(process.execPath, [cli, ...args, '--help'], { encoding: 'utf8', timeout: 20000 });
  const problems: string[] = [];
  for (const command of shCommands(block.body)) {
    const words = command.split(/\s+/);
    const [tool, verb, name] = words;
    if (tool === 'npm' && (verb === 'install' || verb === 'ci')) continue;
    if (tool === 'npm' && verb === 'test' && pkg.scripts.test) continue;
    if (tool === 'npm' && verb === 'run' && name && pkg.scripts[name]) continue;
    if (tool === 'node' && verb && existsSync(join(root, verb))) continue;
    if (tool === 'npx' && verb === 'kos-ipc' && name && help([]).includes(`  ${name} `)) {
      const unknown = words.filter((w) => w.startsWith('--')).map((w) => w.replace(/=.*$/, '')).filter((f) => !help([name]).includes(f));
      if (unknown.length === 0) continue;
      problems.push(`\`${command}\`: kos-ipc ${name} --help lists no ${unknown.join(', ')}`);
      continue;
    }
    problems.push(`\`${command}\` is not a command of this project (docs/contributing.md lists the ones an sh block may name)`);
  }
  return problems;
}

/** The names a synopsis imports, by module: `import { a, b as c, type T } from 'm'`. */
export function synopsisImports(body: string): { module: string; names: string[] }[] {
  return [...body.matchAll(/^import\s*\{([^}]*)\}\s*from\s*'([^']+)'/gm)].map((m) => ({
    module: m[2]!,
    names: m[1]!.split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type ')).map((n) => n.split(/\s+as\s+/)[0]!.trim()),
  }));
}

/**
 * Problems with a `ts` synopsis, empty when: it imports something; every imported name is
 * exported by its module; every line that starts with `name(` calls an imported function; and
 * every line that starts with `kernel.x` or `process.x` names a member of `members[kernel|process]`.
 */
export async function checkSynopsis(block: Block, members: { kernel: Set<string>; process: Set<string> }): Promise<string[]> {
  const problems: string[] = [];
  const imports = synopsisImports(block.body);
  if (imports.length === 0) problems.push('a ts synopsis must import what it shows (import { ... } from \'kos-ipc...\')');
  const functions = new Set<string>();
  for (const { module, names } of imports) {
    let exported: Record<string, unknown>;
    try { exported = await import(module) as Record<string, unknown>; } catch (e) {
      problems.push(`import from '${module}' fails: ${(e as Error).message}`);
      continue;
    }
    for (const n of names) {
      if (!(n in exported)) problems.push(`'${module}' exports no ${n}`);
      else if (typeof exported[n] === 'function') functions.add(n);
    }
  }
  for (const line of block.body.split('\n')) {
    const call = /^([A-Za-z_]\w*)(?:<[^>]*>)?\(/.exec(line);
    if (call && !functions.has(call[1]!)) problems.push(`\`${line.trim()}\`: ${call[1]} is not a function the block imports`);
    const member = /^(kernel|process)\.(\w+)/.exec(line);
    if (member && !members[member[1] as 'kernel' | 'process'].has(member[2]!)) {
      problems.push(`\`${line.trim()}\`: a ${member[1] === 'kernel' ? 'Kernel' : 'Process'} has no member ${member[2]}`);
    }
  }
  return problems;
}

/** Parses a `yaml` or `json` block; throws with the parser's message when it is not valid. */
export function parseData(block: Block): unknown {
  return block.kind === 'json' ? JSON.parse(block.body) : parseYaml(block.body);
}
