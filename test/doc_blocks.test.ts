// Every fenced block of README.md and docs/**/*.md is handled by its kind, as docs/contributing.md
// says: js programs and html pages run, sh commands are checked (and run when an output block
// follows), ts synopses name only what exists, yaml and json parse. One test per block.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kernel } from 'kos-ipc';
import type { Browser } from 'playwright-core';
import { allBlocks, normalizeOutput, KINDS, type Block } from './doc_blocks/blocks.js';
import { writePageFiles, runJs, runSh, describe } from './doc_blocks/node_runner.js';
import { checkSh, checkSynopsis, parseData } from './doc_blocks/checks.js';
import { runHtml } from './doc_blocks/browser_runner.js';
import { launchChromium } from './fixtures/browser_chromium.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const blocks = allBlocks(root);
const pages = [...new Set(blocks.map((b) => b.page))];
const folders = new Map(pages.map((p) => [p, writePageFiles(root, p, blocks.filter((b) => b.page === p))]));
const where = (b: Block): string => `${b.page} line ${b.line}`;

let browser: Promise<Browser> | undefined;
test.after(async () => { if (browser) await (await browser.catch(() => undefined))?.close(); });

/** Members of an object and its prototypes (own names, methods, getters). */
function membersOf(o: object): Set<string> {
  const names = new Set<string>();
  for (let p: object | null = o; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const n of Object.getOwnPropertyNames(p)) names.add(n);
  }
  return names;
}
let members: Promise<{ kernel: Set<string>; process: Set<string> }> | undefined;
const realMembers = (): Promise<{ kernel: Set<string>; process: Set<string> }> => members ??= (async () => {
  const kernel = await Kernel.create();
  const found = { kernel: membersOf(kernel), process: membersOf(kernel.createProcess('P')) };
  await kernel.shutdown();
  return found;
})();

/** Validates an init description with the kernel's own parser and each interface's layout. */
async function checkInit(data: { entities?: unknown; interfaces?: Record<string, unknown> }): Promise<void> {
  const { parseInit } = await import(new URL('../../dist/init.js', import.meta.url).href) as
    { parseInit(d: unknown): Promise<unknown> };
  await parseInit(data);
  const { interfaceShapes } = await import('kos-ipc/nk/idl_layout');
  for (const [name, iface] of Object.entries(data.interfaces ?? {})) interfaceShapes(iface as never, `interfaces.${name}`);
}

test('every block\'s info string starts with a kind docs/contributing.md defines', () => {
  const unknown = blocks.filter((b) => !(KINDS as readonly string[]).includes(b.kind));
  assert.equal(unknown.map((b) => `${where(b)}: "${b.info}"`), [], `kinds are: ${KINDS.join(', ')}`);
});

test('docs/contributing.md defines exactly the kinds the runner knows', () => {
  const doc = readFileSync(`${root}docs/contributing.md`, 'utf8');
  const defined = [...doc.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]!);
  assert.equal([...new Set(defined)].sort(), [...KINDS].sort());
});

for (const b of blocks) {
  const folder = folders.get(b.page)!;
  if (b.kind === 'js' && b.attrs.file !== undefined) {
    test(`${where(b)}: the module ${b.attrs.file} is used by another block of its page`, () => {
      const users = blocks.filter((o) => o.page === b.page && o !== b && o.body.includes(b.attrs.file!));
      assert.ok(users.length > 0, `no other block of ${b.page} mentions ${b.attrs.file}`);
    });
  } else if (b.kind === 'js') {
    test(`${where(b)}: the js block runs to completion${b.output ? ' and prints its output block' : ''}`, async () => {
      const r = await runJs(b, folder);
      assert.ok(r.code === 0 && !r.timedOut, describe(b, r));
      if (b.output) assert.fixture(normalizeOutput(r.stdout), normalizeOutput(b.output.body));
    });
  } else if (b.kind === 'html') {
    test(`${where(b)}: the html page shows its output block in Chromium`, async () => {
      assert.ok(b.output, 'an html block must be followed by an output block: the text the page shows');
      const expected = normalizeOutput(b.output!.body);
      const r = await runHtml(b, folder, await (browser ??= launchChromium()), expected);
      assert.equal(r.errors, []);
      assert.fixture(r.text, expected);
    });
  } else if (b.kind === 'sh') {
    test(`${where(b)}: every command of the sh block is one the project has`, () => {
      assert.equal(checkSh(b, root), []);
    });
    if (b.output) {
      test(`${where(b)}: the sh block prints its output block`, async () => {
        const r = await runSh(b, root);
        assert.ok(r.code === 0 && !r.timedOut, describe(b, r));
        assert.fixture(normalizeOutput(r.stdout), normalizeOutput(b.output!.body));
      });
    }
  } else if (b.kind === 'ts') {
    test(`${where(b)}: the ts synopsis imports and names only what exists`, async () => {
      assert.equal(await checkSynopsis(b, await realMembers()), []);
    });
  } else if (b.kind === 'yaml' || b.kind === 'json') {
    test(`${where(b)}: the ${b.kind} block parses${b.body.includes('entities:') ? ' and is a valid init description' : ''}`, async () => {
      const data = parseData(b) as { entities?: unknown };
      if (data && typeof data === 'object' && 'entities' in data) await checkInit(data);
    });
  } else if (b.kind === 'output') {
    test(`${where(b)}: the output block follows a js, html or sh block`, () => {
      const owner = blocks.find((o) => o.output === b);
      assert.ok(owner && ['js', 'html', 'sh'].includes(owner.kind), 'an output block must come right after the block that prints it');
    });
  }
}

test.run();
