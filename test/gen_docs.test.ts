// docs/gen.md's runnable example runs as written and prints what its comment says.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const doc = readFileSync(new URL('../../docs/gen.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('docs/gen.md has one runnable example, and it prints "sum = 42" as its output block shows', () => {
  assert.is(blocks.length, 1);
  assert.match(doc, /```output\nsum = 42\n```/);
  const file = fileURLToPath(new URL('./gen_doc_example.mjs', import.meta.url));
  writeFileSync(file, blocks[0]!);
  try {
    assert.is(execFileSync(process.execPath, [file], { encoding: 'utf8', timeout: 30000 }), 'sum = 42\n');
  } finally {
    rmSync(file, { force: true });
  }
});

test.run();
