// scripts/run-tests.mjs selects test files by their path relative to build/test/, so a checkout
// whose own path contains the filter word does not select every file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

type TestFiles = (root: string, filter?: string) => string[];
const { testFiles } = await import(new URL('../../scripts/test-files.mjs', import.meta.url).href) as { testFiles: TestFiles };

/** A fake build/test/ inside a folder whose name contains "browser". */
function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'kos-ipc-browser-checkout-'));
  mkdirSync(join(root, 'sub'));
  for (const f of ['arena.test.js', 'browser.test.js', 'sub/doc_blocks.test.js', 'helpers.js', 'sub/browser_png.js']) {
    writeFileSync(join(root, f), '');
  }
  return root;
}

test('a filter word that is only in the checkout path selects no test file', () => {
  const root = tree();
  try {
    assert.equal(testFiles(root, 'checkout'), []);
  } finally { rmSync(root, { recursive: true }); }
});

test('the filter "browser" selects only browser.test.js even inside a folder named browser', () => {
  const root = tree();
  try {
    assert.equal(testFiles(root, 'browser').map((f) => relative(root, f)), ['browser.test.js']);
  } finally { rmSync(root, { recursive: true }); }
});

test('without a filter every *.test.js is selected, in sorted order, and nothing else', () => {
  const root = tree();
  try {
    assert.equal(testFiles(root).map((f) => relative(root, f)), ['arena.test.js', 'browser.test.js', 'sub/doc_blocks.test.js']);
    assert.equal(testFiles(root, 'sub/').map((f) => relative(root, f)), ['sub/doc_blocks.test.js']);
  } finally { rmSync(root, { recursive: true }); }
});

test.run();
