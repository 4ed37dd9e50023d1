/**
 * Summary statistics of round-trip samples, in microseconds. tinybench computes them for one
 * thread; this module merges the samples of several client threads (many-clients scenarios)
 * the same way: sorted samples, linearly interpolated quantiles.
 */

/** What one scenario measured. Times are per round trip. */
export interface Measurement {
  median_us: number;
  p99_us: number;
  mean_us: number;
  min_us: number;
  max_us: number;
  /** Round trips per second: one client's 1 / mean, summed over concurrent clients. */
  ops_per_s: number;
  /** Number of samples (each sample times `round_trips_per_sample` round trips). */
  samples_count: number;
  /** Round trips timed together in one sample (1 unless one is close to the timer's grain). */
  round_trips_per_sample: number;
  /** Client threads measured at once (1 but for the many-clients scenarios). */
  clients_count: number;
  /** kos-ipc rows (probe.ts): calls into the core per round trip, both sides. */
  crossings_per_rt?: number | null;
  /** The client's share of crossings_per_rt (null: both sides share one realm). */
  client_crossings_per_rt?: number | null;
  /** kos-ipc rows: garbage collections per 100,000 round trips, both sides. */
  gc_per_100k?: number | null;
  /** kos-ipc rows: the kernel heap's high-water mark (bytes taken from the top) at the end. */
  kernel_heap_bytes?: number | null;
  /** kos-ipc rows: staging bytes the threads hold at the end. */
  staging_bytes?: number | null;
}

/** The q-quantile (0..1) of ascending `sorted`, interpolated between neighbours. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Merges the samples (µs per round trip) of clients that ran at the same time: quantiles over
 * all samples, throughput summed (each client's 1 / mean).
 */
export function mergeClients(parts: { samples_us: number[]; measurement: Measurement }[]): Measurement {
  if (parts.length === 0) throw new Error('mergeClients: no client reported a measurement');
  const all = Float64Array.from(parts.flatMap((p) => p.samples_us)).sort();
  let sum = 0;
  for (let i = 0; i < all.length; i++) sum += all[i]!;
  return {
    median_us: quantile(all, 0.5),
    p99_us: quantile(all, 0.99),
    mean_us: sum / all.length,
    min_us: all[0]!,
    max_us: all[all.length - 1]!,
    ops_per_s: parts.reduce((s, p) => s + p.measurement.ops_per_s, 0),
    samples_count: all.length,
    round_trips_per_sample: Math.max(...parts.map((p) => p.measurement.round_trips_per_sample)),
    clients_count: parts.length,
  };
}
