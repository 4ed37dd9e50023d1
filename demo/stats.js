// Summary figures of a run, from its chunks (measure.js): chunk i is ns[i] round trips that took
// ms[i] milliseconds together. Each round trip of a chunk is taken to have lasted the chunk's mean
// (exact when every chunk is one round trip: the 'each' timing).
//   roundTrips = sum of ns; totalMs = sum of ms; mean = totalMs / roundTrips (exact either way)
//   median, p99 = nearest rank: the smallest value v with at least q * roundTrips round trips <= v

/** A growable list of chunks. */
export class Chunks {
  constructor() { this.ns = new Float64Array(1024); this.ms = new Float64Array(1024); this.length = 0; }

  /** Appends [n, ms, n, ms, ...]. */
  push(pairs) {
    const need = this.length + pairs.length / 2;
    if (need > this.ns.length) {
      const size = Math.max(need, this.ns.length * 2);
      const ns = new Float64Array(size), ms = new Float64Array(size);
      ns.set(this.ns.subarray(0, this.length)); ms.set(this.ms.subarray(0, this.length));
      this.ns = ns; this.ms = ms;
    }
    for (let i = 0; i < pairs.length; i += 2) {
      this.ns[this.length] = pairs[i]; this.ms[this.length] = pairs[i + 1]; this.length++;
    }
  }

  /** Mean round trip of each chunk, in microseconds. */
  values() {
    const v = new Float64Array(this.length);
    for (let i = 0; i < this.length; i++) v[i] = (this.ms[i] * 1000) / this.ns[i];
    return v;
  }
}

/** { chunks, roundTrips, totalMs, mean, median, p99, min, max } in microseconds (NaN when empty). */
export function summarize(chunks) {
  const values = chunks.values();
  let roundTrips = 0, totalMs = 0;
  for (let i = 0; i < chunks.length; i++) { roundTrips += chunks.ns[i]; totalMs += chunks.ms[i]; }
  let rank;
  if (roundTrips === chunks.length) { // every chunk one round trip: sort the values themselves
    values.sort();
    rank = (q) => values[Math.max(0, Math.ceil(q * roundTrips) - 1)];
  } else {
    const order = Array.from(values.keys()).sort((a, b) => values[a] - values[b]);
    rank = (q) => {
      let seen = 0;
      for (const i of order) { seen += chunks.ns[i]; if (seen >= q * roundTrips) return values[i]; }
      return values[order[order.length - 1]];
    };
  }
  const empty = roundTrips === 0;
  let min = Infinity, max = -Infinity;
  for (const v of values) { if (v < min) min = v; if (v > max) max = v; }
  return {
    chunks: chunks.length,
    roundTrips,
    totalMs,
    mean: empty ? NaN : (totalMs * 1000) / roundTrips,
    median: empty ? NaN : rank(0.5),
    p99: empty ? NaN : rank(0.99),
    min: empty ? NaN : min,
    max: empty ? NaN : max,
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
