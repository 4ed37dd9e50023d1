// The README's echo example is real: its lines come from examples/echo.mjs, and running that
// file prints exactly the output the README shows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const example = readFileSync(new URL('examples/echo.mjs', root), 'utf8');
const section = readme.slice(readme.indexOf('## Echo'), readme.indexOf('## Processes in workers'));
const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2]! }));

test('every line of the README echo excerpt is a line of examples/echo.mjs', () => {
  const code = blocks.find((b) => b.lang === 'js')!.body;
  for (const line of code.split('\n').map((l) => l.trim()).filter(Boolean)) {
    if (line.startsWith('// ...')) continue;
    assert.ok(example.includes(line), `not in examples/echo.mjs: ${line}`);
  }
});

test('examples/echo.mjs prints the output shown in the README', () => {
  const shown = blocks.find((b) => b.lang === '')!.body.trim();
  const out = execFileSync(process.execPath, [fileURLToPath(new URL('examples/echo.mjs', root))], {
    encoding: 'utf8', timeout: 30000,
  });
  assert.is(out.trim(), shown);
});

test.run();
