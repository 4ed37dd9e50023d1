// The generated-code bench rows run (a --quick run through the installed command): the proxy
// call beside the raw Call of the same bytes, and 4 KiB encode + decode beside v8.serialize and
// structuredClone, with their goals evaluated. No timing is asserted (shared machines).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchReport } from 'kos-ipc/bench';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

test('kos-ipc bench --quick runs the generated-code rows and evaluates the 5x codec goals', () => {
  const r = spawnSync(process.execPath, [cli, 'bench', '--quick', '--json', '--filter', '^gen\\.|codec'], {
    encoding: 'utf8', timeout: 180000, env: { ...process.env, NO_COLOR: '1' },
  });
  assert.is(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as BenchReport;
  assert.equal(doc.scenarios.map((s) => s.id).sort(),
    ['atomics.w2w.spin', 'clone.codec.4k', 'gen.call.w2w', 'gen.codec.4k', 'gen.proxy.w2w', 'v8.codec.4k'].sort());
  for (const s of doc.scenarios) assert.is(s.status, 'ok', `${s.id}: ${s.error}`);
  const proxy = doc.scenarios.find((s) => s.id === 'gen.proxy.w2w')!;
  assert.is(proxy.best_peer_id, 'gen.call.w2w');
  assert.equal(doc.goals.map((g) => [g.id, g.limit_ratio, g.sense]).filter(([id]) => String(id).startsWith('codec')),
    [['codec_4k_vs_v8', 5, 'at_least'], ['codec_4k_vs_clone', 5, 'at_least']]);
  for (const g of doc.goals) assert.ok(Number.isFinite(g.value_ratio) && g.value_ratio > 0, `${g.id} = ${g.value_ratio}`);
});

test.run();
