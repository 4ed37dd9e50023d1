// The published package's documents link only to files the package ships: `npm pack` lists what
// an `npm install kos-ipc` gets, and every relative link in a shipped Markdown file must land on
// one of those files (or a folder holding some). Links to the repository go by URL.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { posix } from 'node:path';

const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const packed = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
  cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60000,
})) as { files: { path: string }[] }[];
const shipped = new Set(packed[0]!.files.map((f) => f.path));
const shipsUnder = (path: string): boolean =>
  shipped.has(path) || [...shipped].some((f) => f.startsWith(path.endsWith('/') ? path : `${path}/`));

/** Relative link targets of a Markdown text, without #anchors; URLs and pure anchors left out. */
export function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!)
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#'))
    .map((t) => t.replace(/#.*$/, ''));
}

test('the package ships the README, the docs, the examples and the compiled library', () => {
  for (const f of ['README.md', 'docs/api/Call.md', 'examples/echo.mjs', 'dist/index.js', 'dist/kernel.wasm']) {
    assert.ok(shipped.has(f), `npm pack does not ship ${f}`);
  }
});

test('every relative link in a shipped Markdown file points to a file the package ships', () => {
  const broken: string[] = [];
  for (const md of [...shipped].filter((f) => f.endsWith('.md'))) {
    for (const target of relativeLinks(readFileSync(posix.join(root, md), 'utf8'))) {
      const path = posix.normalize(posix.join(posix.dirname(md), target));
      if (!shipsUnder(path)) broken.push(`${md} links ${target} (${path}), which the package does not ship`);
    }
  }
  assert.equal(broken, []);
});

test('relativeLinks finds links in prose and skips URLs, anchors and code blocks', () => {
  assert.equal(relativeLinks('[a](x.md#y) [b](https://e.org/z) [c](#top)\n```js\n[d](no.md)\n```\n[e](../f/)'),
    ['x.md', '../f/']);
});

test('the package\'s bin, dist/cli.js, runs as a program after a build (npx kos-ipc in a fresh checkout)', () => {
  const bin = (JSON.parse(readFileSync(posix.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['kos-ipc']!;
  assert.is(bin, './dist/cli.js');
  assert.ok(shipped.has('dist/cli.js'), 'the package ships its bin');
  // executed as a file (its shebang, its mode), not through `node`
  const help = execFileSync(posix.join(root, bin), ['--help'], { encoding: 'utf8', timeout: 30000 });
  assert.match(help, /^Usage: kos-ipc <command>/);
});

test.run();
