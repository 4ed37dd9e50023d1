// The runner's bookkeeping and its two outputs: ratios to the floor and the best peer, a failed
// scenario kept in its row, the table, and the JSON (schema 1, a unit in every key). The
// scenarios here measure a trivial function: these tests check the shapes, never timings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  runBench, parseBenchArgs, formatTable, formatJson, benchMain, warnings, type Scenario, type BenchReport, type RunContext,
  type Measurement,
} from 'kos-ipc/bench';

const measured = (median: number): Measurement => ({
  median_us: median, p99_us: median * 2, mean_us: median * 1.1, min_us: median / 2, max_us: median * 3,
  ops_per_s: 1e6 / (median * 1.1), samples_count: 1000, round_trips_per_sample: 1, clients_count: 1,
});

function scenario(id: string, kind: Scenario['kind'], median: number, more: Partial<Scenario> = {}): Scenario {
  return { id, name: `${id} name`, section: 'test section', kind, size_bytes: 64, clients_count: 1,
    run: async () => measured(median), ...more };
}

const fixtures = (): Scenario[] => [
  scenario('kos.a', 'kos', 6, { floor: 'floor.a', peers: ['peer.slow', 'peer.fast'] }),
  scenario('floor.a', 'floor', 2),
  scenario('peer.slow', 'peer', 60),
  scenario('peer.fast', 'peer', 30),
  scenario('broken', 'peer', 1, { run: async () => { throw new Error('the worker exploded'); } }),
  scenario('noted', 'floor', 1, { run: async (ctx: RunContext) => { ctx.note('spin disabled: test'); return measured(1); } }),
];

const quick = parseBenchArgs(['--quick']);
const run = (s = fixtures()): Promise<BenchReport> => runBench(quick, { scenarios: s, command: 'kos-ipc bench --quick' });

test('a kos-ipc row is divided by its floor and by its fastest peer', async () => {
  const rep = await run();
  const row = rep.scenarios.find((r) => r.id === 'kos.a')!;
  assert.equal([row.ratio_to_floor, row.best_peer_id, row.ratio_to_best_peer], [3, 'peer.fast', 0.2]);
});

test('a scenario that throws is recorded as failed in its row and the others still run', async () => {
  const rep = await run();
  const broken = rep.scenarios.find((r) => r.id === 'broken')!;
  assert.equal([broken.status, broken.error, broken.median_us], ['failed', 'the worker exploded', null]);
  assert.is(rep.failed_count, 1);
  assert.is(rep.scenarios.filter((r) => r.status === 'ok').length, 5);
});

test('a scenario that never finishes fails with a timeout and its clean-up runs', async () => {
  let cleaned = false;
  const hang = scenario('hang', 'peer', 1, { run: (ctx: RunContext) => { ctx.defer(() => { cleaned = true; }); return new Promise<Measurement>(() => undefined); } });
  const rep = await runBench(quick, { scenarios: [hang], scenario_timeout_ms: 50 });
  assert.equal([rep.scenarios[0]!.status, rep.scenarios[0]!.error], ['failed', 'timed out after 0 s']);
  assert.ok(cleaned);
});

test('a failed floor leaves the ratio empty and says why', async () => {
  const s = fixtures();
  s[1] = scenario('floor.a', 'floor', 2, { run: async () => { throw new Error('no'); } });
  const row = (await run(s)).scenarios.find((r) => r.id === 'kos.a')!;
  assert.is(row.ratio_to_floor, null);
  assert.ok(row.notes.some((n) => n.includes('floor.a did not run or failed')));
});

test('a note from the scenario is kept in its row', async () => {
  const rep = await run();
  assert.ok(rep.scenarios.find((r) => r.id === 'noted')!.notes.includes('spin disabled: test'));
});

test('the table has the environment header, the section, every row and the failure text', async () => {
  const text = formatTable(await run(), { color: false });
  assert.match(text, /^kos-ipc bench /);
  assert.match(text, /node v\d+/);
  assert.match(text, /timer performance\.now\(\): grain/);
  assert.match(text, /cross-origin isolation: not applicable \(Node\)/);
  assert.match(text, /\ntest section\n/);
  for (const h of ['median µs', 'p99 µs', 'mean µs', 'ops/s', 'samples', '× floor', '× best peer']) assert.ok(text.includes(h), h);
  assert.match(text, /kos\.a name +6\.00 +12\.0 +6\.60 .* 3\.00× +0\.20× +floor\.a · peer\.fast/);
  assert.match(text, /broken name +FAILED: the worker exploded/);
  assert.match(text, /6 scenarios in [\d.]+ s, 1 failed/);
});

test('the table has no colour codes unless asked', async () => {
  const rep = await run();
  assert.not.ok(formatTable(rep, { color: false }).includes('\x1b['));
  assert.ok(formatTable(rep, { color: true }).includes('\x1b['));
});

const UNIT = /(_us|_ms|_s|_bytes|_count|_per_s|_per_sample|_ratio|_version|_at|_id|_ids)$|^ratio_/;

function numericKeys(o: unknown, path = ''): string[] {
  if (o === null || typeof o !== 'object') return [];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) =>
    typeof v === 'number' ? [`${path}${k}`] : Array.isArray(v) ? v.flatMap((x, i) => numericKeys(x, `${path}${k}[${i}].`)) : numericKeys(v, `${path}${k}.`));
}

test('the JSON is schema 1 and every number carries its unit in its key', async () => {
  const doc = JSON.parse(formatJson(await run())) as Record<string, unknown>;
  assert.is(doc.schema, 1);
  assert.equal(Object.keys(doc), ['schema', 'tool', 'command', 'options', 'environment', 'scenarios', 'goals', 'other_processes_cpu_ratio', 'warnings', 'failed_count', 'duration_s']);
  const keys = numericKeys(doc).filter((k) => k !== 'schema');
  assert.ok(keys.length > 40);
  for (const k of keys) assert.match(k.split('.').pop()!, UNIT, `key without a unit: ${k}`);
});

test('the JSON rows keep failures and ratios', async () => {
  const doc = JSON.parse(formatJson(await run())) as BenchReport;
  const byId = new Map(doc.scenarios.map((r) => [r.id, r]));
  assert.equal(byId.get('broken')!.status, 'failed');
  assert.equal(byId.get('kos.a')!.ratio_to_floor, 3);
});

test('a busy start, busy other processes and a slow spin floor are reported as warnings', async () => {
  const rep = await run([scenario('atomics.w2w.spin', 'floor', 40)]);
  const env = { ...rep.environment, cores_count: 2, load_avg_1m_count: 0.2, spin_budget_us: 50 };
  assert.equal(warnings(env, 0.05, []), []);
  const w = warnings({ ...env, load_avg_1m_count: 3.1 }, 0.4, rep.scenarios);
  assert.is(w.length, 3);
  assert.match(w[0]!, /the load average was 3\.10 on 2 cores at the start/);
  assert.match(w[1]!, /other processes used 40% of the machine's CPU time/);
  assert.match(w[2]!, /the Atomics spin ping-pong took 40 µs/);
  assert.match(formatTable({ ...rep, warnings: w }), /warning: the load average was 3\.10/);
});

function io() {
  const out: string[] = [], err: string[] = [];
  return {
    out, err,
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s), isTTY: false }, stdoutIsTTY: false, env: {} },
  };
}

test('the command exits with 1 when a scenario failed, after printing every row', async () => {
  const t = io();
  const code = await benchMain(['--quick'], t.io, { scenarios: fixtures() });
  assert.is(code, 1);
  assert.match(t.out.join(''), /broken name +FAILED/);
  assert.equal(t.err, []);
});

test('the command exits with 0 and --json prints only JSON when every scenario ran', async () => {
  const t = io();
  const code = await benchMain(['--quick', '--json', '--filter', '^kos\\.a$'], t.io, { scenarios: fixtures() });
  assert.is(code, 0);
  const doc = JSON.parse(t.out.join('')) as BenchReport;
  assert.equal(doc.scenarios.map((r) => r.id), ['kos.a', 'floor.a', 'peer.slow', 'peer.fast']);
});

test('the command exits with 2 and says why on a usage error', async () => {
  const t = io();
  assert.is(await benchMain(['--filter', 'nothing-matches'], t.io, { scenarios: fixtures() }), 2);
  assert.match(t.err.join(''), /--filter \/nothing-matches\/ matches no scenario/);
  assert.equal(t.out, []);
});

test('--list prints the selected ids and measures nothing', async () => {
  const t = io();
  const s = fixtures();
  s[0] = scenario('kos.a', 'kos', 6, { floor: 'floor.a', run: async () => { throw new Error('must not run'); } });
  assert.is(await benchMain(['--list', '--filter', '^kos'], t.io, { scenarios: s }), 0);
  assert.equal(t.out.join('').trim().split('\n').map((l) => l.split(/\s+/)[0]), ['kos.a', 'floor.a']);
});

test.run();
