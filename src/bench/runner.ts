/**
 * Runs the selected scenarios one after the other, each with its own threads, records every
 * outcome in a row (a failure is a row, and the run goes on), then takes the ratios of each
 * kos-ipc row to its floor and its best peer, and checks the goals.
 */
import { catalog, select, type Kind, type Scenario } from './catalog.js';
import type { RunContext } from './context.js';
import { cpuSnapshot, environment, otherCpuShare, type Environment } from './env.js';
import { evaluateGoals, type GoalResult } from './goals.js';
import type { MeasureSpec } from './measure.js';
import type { BenchOptions } from './options.js';
import type { Measurement } from './stats.js';

export interface Row {
  id: string;
  name: string;
  section: string;
  kind: Kind;
  status: 'ok' | 'failed';
  error: string | null;
  size_bytes: number;
  clients_count: number;
  median_us: number | null;
  p99_us: number | null;
  mean_us: number | null;
  min_us: number | null;
  max_us: number | null;
  ops_per_s: number | null;
  samples_count: number | null;
  round_trips_per_sample: number | null;
  floor_id: string | null;
  peer_ids: string[];
  best_peer_id: string | null;
  ratio_to_floor: number | null;
  /** p99 ÷ the floor's p99 (kos-ipc rows). */
  ratio_p99_to_floor: number | null;
  ratio_to_best_peer: number | null;
  /** kos-ipc rows: calls into the core per round trip, both sides (probe.ts). */
  crossings_per_round_trip_count: number | null;
  /** kos-ipc rows: the client's share (null: client and server share one realm). */
  client_crossings_per_round_trip_count: number | null;
  /** kos-ipc rows: garbage collections per 100,000 round trips, both sides. */
  gc_per_100k_calls_count: number | null;
  /** kos-ipc rows: the kernel heap's high-water mark at the end of the scenario. */
  kernel_heap_bytes: number | null;
  /** kos-ipc rows: staging bytes the kernel's threads hold at the end of the scenario. */
  staging_bytes: number | null;
  notes: string[];
  duration_s: number;
}

export interface BenchReport {
  schema: 1;
  tool: 'kos-ipc bench';
  command: string;
  options: { quick: boolean; filter: string | null; time_ms: number; warmup_ms: number; iterations_count: number };
  environment: Environment;
  scenarios: Row[];
  goals: GoalResult[];
  /** Share of the machine's CPU time other processes used during the run (Linux), or null. */
  other_processes_cpu_ratio: number | null;
  /** What makes this run's figures less trustworthy (a busy machine, no spare core). */
  warnings: string[];
  failed_count: number;
  duration_s: number;
}

export interface RunHooks {
  /** The scenarios to choose from (default: the catalog). */
  scenarios?: Scenario[];
  /** Called before each scenario runs. */
  progress?: (index: number, total: number, s: Scenario) => void;
  /** The command line to record. */
  command?: string;
  /** Upper bound for one scenario (default: 60 s plus 20 times its budgets). */
  scenario_timeout_ms?: number;
}

const round = (v: number, digits = 4): number => Number(v.toPrecision(digits));

function emptyRow(s: Scenario): Row {
  return {
    id: s.id, name: s.name, section: s.section, kind: s.kind, status: 'ok', error: null,
    size_bytes: s.size_bytes, clients_count: s.clients_count,
    median_us: null, p99_us: null, mean_us: null, min_us: null, max_us: null, ops_per_s: null,
    samples_count: null, round_trips_per_sample: null,
    floor_id: s.floor ?? null, peer_ids: s.peers ?? [], best_peer_id: null,
    ratio_to_floor: null, ratio_p99_to_floor: null, ratio_to_best_peer: null,
    crossings_per_round_trip_count: null, client_crossings_per_round_trip_count: null, gc_per_100k_calls_count: null,
    kernel_heap_bytes: null, staging_bytes: null, notes: [], duration_s: 0,
  };
}

function fill(row: Row, m: Measurement, env: Environment): void {
  row.median_us = round(m.median_us);
  row.p99_us = round(m.p99_us);
  row.mean_us = round(m.mean_us);
  row.min_us = round(m.min_us);
  row.max_us = round(m.max_us);
  row.ops_per_s = Math.round(m.ops_per_s);
  row.samples_count = m.samples_count;
  row.round_trips_per_sample = m.round_trips_per_sample;
  row.clients_count = m.clients_count;
  const num = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  row.crossings_per_round_trip_count = num(m.crossings_per_rt);
  row.client_crossings_per_round_trip_count = num(m.client_crossings_per_rt);
  row.gc_per_100k_calls_count = num(m.gc_per_100k);
  row.kernel_heap_bytes = num(m.kernel_heap_bytes);
  row.staging_bytes = num(m.staging_bytes);
  if (m.median_us * m.round_trips_per_sample < 20 * env.timer_resolution_us) {
    row.notes.push(`a sample lasts under 20 timer grains (${env.timer_resolution_us.toFixed(3)} µs): approximate`);
  }
  if (m.samples_count < 100) row.notes.push(`only ${m.samples_count} samples: p99 is close to the maximum`);
}

async function runOne(s: Scenario, spec: MeasureSpec, env: Environment, timeoutMs: number): Promise<Row> {
  const row = emptyRow(s);
  const deferred: (() => unknown)[] = [];
  const notes = new Set<string>();
  let failNow: (e: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => { failNow = reject; });
  failed.catch(() => undefined);
  const ctx: RunContext = {
    spec, cores_count: env.cores_count, spin_budget_us: env.spin_budget_us,
    defer: (f) => { deferred.push(f); },
    fail: (e) => failNow(e),
    note: (t) => { notes.add(t); },
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${(timeoutMs / 1000).toFixed(0)} s`)), timeoutMs);
  });
  const t0 = performance.now();
  try {
    const m = await Promise.race([Promise.resolve().then(() => s.run(ctx)), failed, timeout]);
    fill(row, m, env);
  } catch (e) {
    row.status = 'failed';
    row.error = e instanceof Error ? e.message : String(e);
  } finally {
    clearTimeout(timer);
    for (const f of deferred.reverse()) {
      let t: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.resolve().then(f).catch(() => undefined),
        new Promise((r) => { t = setTimeout(r, 5000); }),
      ]);
      clearTimeout(t);
    }
  }
  row.notes.unshift(...notes);
  row.duration_s = round((performance.now() - t0) / 1000, 3);
  return row;
}

/** Fills ratio_to_floor and ratio_to_best_peer of every kos-ipc row from the measured rows. */
export function addRatios(rows: Row[]): void {
  const ok = new Map(rows.filter((r) => r.status === 'ok').map((r) => [r.id, r]));
  for (const r of rows) {
    if (r.kind !== 'kos' || r.status !== 'ok' || r.median_us === null) continue;
    const floor = r.floor_id ? ok.get(r.floor_id) : undefined;
    if (floor?.median_us) r.ratio_to_floor = round(r.median_us / floor.median_us);
    if (floor?.p99_us && r.p99_us !== null) r.ratio_p99_to_floor = round(r.p99_us / floor.p99_us);
    else if (r.floor_id) r.notes.push(`no ratio to floor: ${r.floor_id} ${ok.has(r.floor_id) ? 'measured 0' : 'did not run or failed'}`);
    const peers = r.peer_ids.map((id) => ok.get(id)).filter((p): p is Row => !!p && !!p.median_us);
    if (peers.length > 0) {
      const best = peers.reduce((a, b) => (b.median_us! < a.median_us! ? b : a));
      r.best_peer_id = best.id;
      r.ratio_to_best_peer = round(r.median_us / best.median_us!);
    } else if (r.peer_ids.length > 0) {
      r.notes.push(`no ratio to a peer: none of ${r.peer_ids.join(', ')} ran`);
    }
  }
}

/** A free core lets the raw spin ping-pong answer in well under this. */
const SPIN_FLOOR_SANE_US = 5;

/**
 * Signs that other work shared the machine: a busy machine at the start (the load average; later
 * it counts this run's own threads), other processes' CPU time during the run, a slow spin floor.
 */
export function warnings(env: Environment, others: number | null, rows: Row[]): string[] {
  const out: string[] = [];
  if (env.load_avg_1m_count > env.cores_count - 0.5) {
    out.push(`the load average was ${env.load_avg_1m_count.toFixed(2)} on ${env.cores_count} cores at the start: ` +
      'the machine was busy, so these figures are pessimistic (the spin figures most)');
  }
  // more than half a core's worth on average
  if (others !== null && others > 0.5 / env.cores_count) {
    out.push(`other processes used ${(others * 100).toFixed(0)}% of the machine's CPU time during the run: ` +
      'these figures are pessimistic (the spin figures most)');
  }
  const floor = rows.find((r) => r.id === 'atomics.w2w.spin' && r.status === 'ok');
  if (floor?.median_us && floor.median_us > SPIN_FLOOR_SANE_US && env.spin_budget_us > 0) {
    out.push(`the Atomics spin ping-pong took ${floor.median_us} µs (a free core answers in well under 1 µs): ` +
      'the two threads did not each have a core, so spinning could not pay');
  }
  return out;
}

/** Runs the benchmark. The caller prints the report (report.ts) and sets the exit code. */
export async function runBench(o: BenchOptions, hooks: RunHooks = {}): Promise<BenchReport> {
  const started = performance.now();
  const cpu0 = cpuSnapshot();
  const env = environment();
  const chosen = select(hooks.scenarios ?? catalog(), o.filter);
  const spec: MeasureSpec = {
    time_ms: o.time_ms, warmup_ms: o.warmup_ms, iterations_count: o.iterations_count,
    timer_resolution_us: env.timer_resolution_us,
  };
  const timeoutMs = hooks.scenario_timeout_ms ?? 60000 + 20 * (o.time_ms + o.warmup_ms);
  const rows: Row[] = [];
  for (let i = 0; i < chosen.length; i++) {
    hooks.progress?.(i, chosen.length, chosen[i]!);
    rows.push(await runOne(chosen[i]!, spec, env, timeoutMs));
  }
  addRatios(rows);
  const others = otherCpuShare(cpu0, cpuSnapshot());
  return {
    schema: 1,
    tool: 'kos-ipc bench',
    command: hooks.command ?? 'kos-ipc bench',
    options: { quick: o.quick, filter: o.filter ? o.filter.source : null, time_ms: o.time_ms, warmup_ms: o.warmup_ms, iterations_count: o.iterations_count },
    environment: env,
    scenarios: rows,
    goals: evaluateGoals(rows),
    other_processes_cpu_ratio: others === null ? null : round(others, 3),
    warnings: warnings(env, others, rows),
    failed_count: rows.filter((r) => r.status === 'failed').length,
    duration_s: round((performance.now() - started) / 1000, 3),
  };
}
