// The README's echo program is examples/echo.mjs, byte for byte (the doc-block test runs the
// block, and runs `node examples/echo.mjs` against the output the README shows).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { extractBlocks } from './doc_blocks/blocks.js';

const root = new URL('../../', import.meta.url);
const blocks = extractBlocks(readFileSync(new URL('README.md', root), 'utf8'), 'README.md');

test('the js block before `node examples/echo.mjs` in the README is examples/echo.mjs', () => {
  const at = blocks.findIndex((b) => b.kind === 'sh' && b.body.trim() === 'node examples/echo.mjs');
  assert.ok(at > 0, 'the README has no sh block `node examples/echo.mjs`');
  assert.is(blocks[at - 1]!.kind, 'js');
  assert.fixture(blocks[at - 1]!.body, readFileSync(new URL('examples/echo.mjs', root), 'utf8'));
});

test.run();
