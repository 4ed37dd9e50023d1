// Summary figures of a list of samples (microseconds).

/** The q-quantile (0..1) of sorted values, by linear interpolation. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at), hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n,
    min: n ? sorted[0] : NaN,
    p10: quantile(sorted, 0.1),
    median: quantile(sorted, 0.5),
    mean: n ? sum / n : NaN,
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: n ? sorted[n - 1] : NaN,
  };
}

/** A latency in microseconds, with as many decimals as its size deserves. */
export function formatUs(v) {
  if (!Number.isFinite(v)) return '–';
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toFixed(3);
}
