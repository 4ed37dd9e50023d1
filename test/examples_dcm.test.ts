// The README's section on dynamic channels is real: its commands are the examples' commands,
// and each example prints exactly the output the README shows, run after run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const start = readme.indexOf('## Dynamic channels: DCM and the kernel\'s connection manager');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));

test('the README section exists and shows the init.yaml connection, then each example\'s command and output', () => {
  assert.ok(start > 0, 'README.md has the section');
  assert.equal(blocks.map((b) => b.lang), ['yaml', 'sh', 'output', 'sh', 'output']);
  assert.match(blocks[0]!.body, /target: kl\.core\.DCM\n\s+id: kl\.core\.DCM/);
});

for (const [k, name] of [[1, 'dcm'], [3, 'kncm']] as const) {
  test(`node examples/${name}/main.mjs prints the output the README shows, every time`, () => {
    assert.is(blocks[k]!.body.trim(), `node examples/${name}/main.mjs`);
    for (let run = 0; run < 3; run++) {
      const out = execFileSync(process.execPath, [fileURLToPath(new URL(`examples/${name}/main.mjs`, root))], { encoding: 'utf8', timeout: 60000 });
      assert.is(out.trim(), blocks[k + 1]!.body.trim());
    }
  });
}

test.run();
