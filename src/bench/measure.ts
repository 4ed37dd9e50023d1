/**
 * Timing one round trip with tinybench, in whichever thread makes the calls (the main thread or
 * a client worker). A round trip near the timer's grain is timed in batches: one tinybench
 * sample is `k` round trips, and its duration divided by `k` is the sample (tinybench's
 * `overriddenDuration`), so medians and p99 are per round trip. `k` is 1 whenever one round
 * trip lasts longer than the batch target, so slow scenarios keep their true per-call tail.
 */
import { Bench, type Task } from 'tinybench';
import type { Measurement } from './stats.js';

/** How long to measure; the same for every scenario of a run. */
export interface MeasureSpec {
  /** Time budget of the measured phase, per scenario (tinybench `time`). */
  time_ms: number;
  /** Minimum number of samples (tinybench `iterations`). */
  iterations_count: number;
  /** Warm-up before measuring (tinybench `warmupTime`); 0: none. */
  warmup_ms: number;
  /** The timer's grain in this process, measured at start (env.ts). */
  timer_resolution_us: number;
}

/** A measurement with its raw samples (µs per round trip), kept to merge clients. */
export interface Sampled {
  measurement: Measurement;
  samples_us: number[];
}

/** A sample lasts at least this long, and at least 100 timer grains. */
const BATCH_TARGET_US = 10;
const BATCH_MAX = 4096;
const now = (): number => performance.now();

/** Round trips per sample for a round trip of `meanUs`. */
export function batchSize(meanUs: number, resolutionUs: number): number {
  const target = Math.max(BATCH_TARGET_US, 100 * resolutionUs);
  if (!(meanUs > 0)) return BATCH_MAX;
  return Math.min(BATCH_MAX, Math.max(1, Math.ceil(target / meanUs)));
}

/**
 * The mean of `rt` in µs, from rounds of about 5 ms (at least 20 calls): the fastest round once
 * two rounds in a row agree within 25% (at least 3 rounds, at most 40), so that first calls
 * that wait for the peer to boot, or for the JIT, do not inflate it.
 */
const ROUNDS_MIN = 3;
const ROUNDS_MAX = 40;
const settled = (prev: number, cur: number): boolean => Math.abs(cur - prev) <= 0.25 * Math.min(cur, prev);

function calibrateSync(rt: () => void): number {
  let best = Infinity, prev = Infinity;
  for (let round = 0; round < ROUNDS_MAX; round++) {
    const t0 = now();
    let n = 0, t = t0;
    while (n < 20 || t - t0 < 5) { rt(); n++; if ((n & 7) === 0 || n < 20) t = now(); }
    const mean = ((now() - t0) * 1000) / n;
    best = Math.min(best, mean);
    if (round + 1 >= ROUNDS_MIN && settled(prev, mean)) break;
    prev = mean;
  }
  return best;
}

async function calibrateAsync(rt: () => Promise<unknown>): Promise<number> {
  let best = Infinity, prev = Infinity;
  for (let round = 0; round < ROUNDS_MAX; round++) {
    const t0 = now();
    let n = 0;
    while (n < 20 || now() - t0 < 5) { await rt(); n++; }
    const mean = ((now() - t0) * 1000) / n;
    best = Math.min(best, mean);
    if (round + 1 >= ROUNDS_MIN && settled(prev, mean)) break;
    prev = mean;
  }
  return best;
}

function bench(spec: MeasureSpec): Bench {
  return new Bench({
    time: spec.time_ms,
    iterations: spec.iterations_count,
    warmup: spec.warmup_ms > 0,
    warmupTime: spec.warmup_ms,
    warmupIterations: 1,
    retainSamples: true,
    throws: true,
  });
}

function result(task: Task, k: number): Sampled {
  const r = task.result;
  if (r.state === 'errored') throw r.error;
  if (r.state !== 'completed') throw new Error(`the measurement ended as "${r.state}"`);
  const L = r.latency;
  const samples = L.samples ? Array.from(L.samples, (ms) => ms * 1000) : [];
  return {
    samples_us: samples,
    measurement: {
      median_us: L.p50 * 1000,
      p99_us: L.p99 * 1000,
      mean_us: L.mean * 1000,
      min_us: L.min * 1000,
      max_us: L.max * 1000,
      ops_per_s: L.mean > 0 ? 1000 / L.mean : 0,
      samples_count: L.samplesCount,
      round_trips_per_sample: k,
      clients_count: 1,
    },
  };
}

/**
 * A measurement of the blocking round trip `rt`. `ready` runs after calibration and warm-up,
 * before the measured phase (the many-clients barrier); it may be async.
 */
export async function measureSync(rt: () => void, spec: MeasureSpec,
  ready?: () => Promise<void>): Promise<Sampled> {
  // a first estimate for the warm-up, then again on warm (optimized) code for the measurement
  let k = batchSize(calibrateSync(rt), spec.timer_resolution_us);
  const b = bench(spec);
  b.add('rt', () => {
    const t0 = now();
    for (let i = 0; i < k; i++) rt();
    const d = now() - t0;
    return { overriddenDuration: d / k, overriddenIterationCost: d };
  }, { async: false });
  const task = b.getTask('rt')!;
  if (b.warmup) task.warmupSync();
  k = batchSize(calibrateSync(rt), spec.timer_resolution_us);
  if (ready) await ready();
  task.runSync();
  return result(task, k);
}

/** A measurement of the asynchronous round trip `rt` (awaited one after the other). */
export async function measureAsync(rt: () => Promise<unknown>, spec: MeasureSpec,
  ready?: () => Promise<void>): Promise<Sampled> {
  let k = batchSize(await calibrateAsync(rt), spec.timer_resolution_us);
  const b = bench(spec);
  b.add('rt', async () => {
    const t0 = now();
    for (let i = 0; i < k; i++) await rt();
    const d = now() - t0;
    return { overriddenDuration: d / k, overriddenIterationCost: d };
  }, { async: true });
  const task = b.getTask('rt')!;
  if (b.warmup) await task.warmup();
  k = batchSize(await calibrateAsync(rt), spec.timer_resolution_us);
  if (ready) await ready();
  await task.run();
  return result(task, k);
}
