// Runs `js` blocks (and `sh` blocks that have an output block) the way docs/contributing.md says:
// each page gets a folder build/doc-blocks/<page>/ holding its `file=` blocks; a `js` block is
// written there as block-<line>.mjs and run by Node with that folder as its working directory.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Block } from './blocks.js';

export const JS_LIMIT_MS = 20000;

export interface RunResult { code: number | null; stdout: string; stderr: string; timedOut: boolean }

/** build/doc-blocks/<page with / and . as _>/ under `root`. */
export function pageFolder(root: string, page: string): string {
  return join(root, 'build', 'doc-blocks', page.replace(/[/.]/g, '_'));
}

/** Makes the page's folder afresh and writes its `file=NAME` blocks into it; returns the folder. */
export function writePageFiles(root: string, page: string, blocks: Block[]): string {
  const dir = pageFolder(root, page);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const b of blocks.filter((x) => x.attrs.file !== undefined)) {
    if (!/^[\w.-]+$/.test(b.attrs.file!)) throw new Error(`${b.page}:${b.line}: file=${b.attrs.file} must be a plain file name`);
    writeFileSync(join(dir, b.attrs.file!), b.body);
  }
  return dir;
}

/** The line the runner puts before a `js` block that imports nothing: every export of kos-ipc. */
export async function prelude(): Promise<string> {
  const names = Object.keys(await import('kos-ipc')).sort();
  return `import { ${names.join(', ')} } from 'kos-ipc';`;
}

/** True when a block has an import statement of its own (then it runs with no prelude). */
export const hasImports = (body: string): boolean => /^\s*import\s*[\w{*'"]/m.test(body);

/** Runs `command args` in `cwd`, killing it after `limitMs`. */
export function run(command: string, args: string[], cwd: string, limitMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, limitMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, timedOut }); });
  });
}

/** Writes a `js` block into its page's folder (with the prelude when it imports nothing) and runs it. */
export async function runJs(block: Block, folder: string, limitMs = JS_LIMIT_MS): Promise<RunResult> {
  const file = join(folder, `block-${block.line}.mjs`);
  // the prelude shares the block's first line, so error line numbers are the block's own
  writeFileSync(file, hasImports(block.body) ? block.body : `${await prelude()} ${block.body}`);
  return run(process.execPath, [file], folder, limitMs);
}

/** Runs an `sh` block with bash from the repository root. */
export function runSh(block: Block, root: string): Promise<RunResult> {
  return run('bash', ['-euo', 'pipefail', '-c', block.body], root, JS_LIMIT_MS * 3);
}

/** Why a run failed, in one message: exit code or time-out, and what it printed. */
export function describe(block: Block, r: RunResult): string {
  const how = r.timedOut ? 'did not finish within its time limit (a hang?)' : `exited with code ${r.code}`;
  return `${block.page}:${block.line} (${block.info}) ${how}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}
