// The handle bench rows run (a --quick run through the installed command): a request carrying one
// transferred handle, and one carrying a handle sent back (dereferenced), each beside the same
// bytes without a handle, between workers and in one realm. No timing is asserted (shared
// machines): the rows must run, check every reply, and be compared with their own baseline.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchReport } from 'kos-ipc/bench';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

test('kos-ipc bench --quick runs the handle rows, each compared with the same bytes without a handle', () => {
  const r = spawnSync(process.execPath, [cli, 'bench', '--quick', '--json', '--filter', '^cap\\.'], {
    encoding: 'utf8', timeout: 180000, env: { ...process.env, NO_COLOR: '1' },
  });
  assert.is(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as BenchReport;
  assert.equal(doc.scenarios.map((s) => s.id).sort(), [
    'cap.deref.realm', 'cap.deref.w2w', 'cap.none.realm', 'cap.none.w2w', 'cap.transfer.realm', 'cap.transfer.w2w',
  ]);
  for (const s of doc.scenarios) assert.is(s.status, 'ok', `${s.id}: ${s.error}`);
  for (const id of ['cap.transfer.w2w', 'cap.deref.w2w', 'cap.transfer.realm', 'cap.deref.realm']) {
    const row = doc.scenarios.find((s) => s.id === id)!;
    assert.is(row.kind, 'kos');
    assert.is(row.best_peer_id, id.replace(/transfer|deref/, 'none'));
    assert.ok(Number.isFinite(row.ratio_to_best_peer) && row.ratio_to_best_peer! > 0, `${id}: ${row.ratio_to_best_peer}`);
  }
});

test.run();
