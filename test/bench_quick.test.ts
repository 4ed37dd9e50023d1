// A real --quick run of one scenario through the installed command: the JSON's shape, and every
// ratio a finite positive number. No timing is asserted (shared machines).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchReport } from 'kos-ipc/bench';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const finitePositive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;

test('kos-ipc bench --quick --json on the worker-to-worker Call prints a valid report and exits 0', () => {
  const r = spawnSync(process.execPath, [cli, 'bench', '--quick', '--json', '--filter', '^kos\\.w2w\\.spin$'], {
    encoding: 'utf8', timeout: 120000, env: { ...process.env, NO_COLOR: '1' },
  });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, '', 'progress goes to stderr only on a terminal');
  const doc = JSON.parse(r.stdout) as BenchReport;
  assert.is(doc.schema, 1);
  assert.is(doc.failed_count, 0);
  assert.equal(doc.scenarios.map((s) => s.id).sort(),
    ['atomics.w2w.tight', 'atomics.w2w.spin', 'comlink.main', 'channel.w2w', 'kos.w2w.spin', 'postmessage.main', 'synckit.main'].sort());
  for (const s of doc.scenarios) {
    assert.is(s.status, 'ok', `${s.id}: ${s.error}`);
    for (const k of ['median_us', 'p99_us', 'mean_us', 'ops_per_s', 'samples_count'] as const) {
      assert.ok(finitePositive(s[k]), `${s.id}.${k} = ${s[k]}`);
    }
  }
  const kos = doc.scenarios.find((s) => s.id === 'kos.w2w.spin')!;
  assert.is(kos.floor_id, 'atomics.w2w.tight');
  // the probe after the timing: 3 core calls a round trip (k_call; k_reply and k_recv)
  assert.is(kos.crossings_per_round_trip_count, 3);
  assert.is(kos.client_crossings_per_round_trip_count, 1);
  assert.ok(typeof kos.gc_per_100k_calls_count === 'number' && kos.gc_per_100k_calls_count >= 0);
  assert.ok(finitePositive(kos.kernel_heap_bytes), `kernel_heap_bytes = ${kos.kernel_heap_bytes}`);
  assert.ok(kos.best_peer_id !== null && kos.peer_ids.includes(kos.best_peer_id));
  assert.ok(finitePositive(kos.ratio_to_floor), `ratio_to_floor = ${kos.ratio_to_floor}`);
  assert.ok(finitePositive(kos.ratio_to_best_peer), `ratio_to_best_peer = ${kos.ratio_to_best_peer}`);
  assert.ok(doc.goals.length > 0);
  for (const g of doc.goals) assert.ok(finitePositive(g.value_ratio), `${g.id} = ${g.value_ratio}`);
  assert.ok(finitePositive(doc.environment.timer_resolution_us));
});

test.run();
