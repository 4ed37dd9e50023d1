// The README's section on the SDK's echo and ping is real: its excerpt lines are lines of
// examples/ping-sdk/client.mjs, its commands are the ones run here, and each example prints
// exactly the output the README shows, run after run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const start = readme.indexOf('## The SDK\'s echo and ping');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));

test('the README section exists and shows an excerpt, then for each example its gen command, its run command and its output', () => {
  assert.ok(start > 0, 'README.md has the section');
  assert.equal(blocks.map((b) => b.lang), ['text', 'sh', 'sh', 'output', 'sh', 'sh', 'output']);
});

test('every line of the README excerpt is a line of examples/ping-sdk/client.mjs', () => {
  const client = readFileSync(new URL('examples/ping-sdk/client.mjs', root), 'utf8').split('\n').map((l) => l.trim());
  for (const line of blocks[0]!.body.split('\n').map((l) => l.trim()).filter(Boolean)) {
    assert.ok(client.includes(line), `not a line of examples/ping-sdk/client.mjs: ${line}`);
  }
});

for (const [k, name] of [[1, 'ping-sdk'], [4, 'echo-sdk']] as const) {
  test(`node examples/${name}/main.mjs prints the output the README shows, every time`, () => {
    assert.match(blocks[k]!.body.trim(), new RegExp(`^npx kos-ipc gen --lang js -o examples/${name}/generated examples/${name}/idl/\\S+$`));
    assert.is(blocks[k + 1]!.body.trim(), `node examples/${name}/main.mjs`);
    for (let run = 0; run < 3; run++) {
      const out = execFileSync(process.execPath, [fileURLToPath(new URL(`examples/${name}/main.mjs`, root))], { encoding: 'utf8', timeout: 60000 });
      assert.is(out.trim(), blocks[k + 2]!.body.trim());
    }
  });
}

test.run();
