// Timing round trips with the clock a browser gives. Browsers coarsen performance.now() (5 µs
// in a cross-origin isolated page, 100 µs otherwise), which is coarser than a kos-ipc round trip.
// So after a warm-up (WARMUP_MS, not kept) a run picks one of two timings:
//   'each'  - every round trip is timed on its own, when the clock's resolution is at most a
//             tenth of a round trip (as measured in the warm-up);
//   'batch' - otherwise, round trips are timed in batches of at least 2 ms and 40 clock ticks,
//             and each batch gives its mean (a batch of n round trips counts n times).
// Either way a run is a list of chunks [round trips, elapsed ms]; the exact mean is the sum of
// the elapsed times over the sum of the round trips (stats.js).

export const WARMUP_MS = 100;
/** How often a running measurement hands its chunks to the page (ms). */
export const REPORT_EVERY_MS = 50;
/** A round trip is timed on its own when the clock's resolution is at most this share of it. */
export const EACH_MAX_SHARE = 0.1;

/** The smallest step of performance.now() seen in this realm, in microseconds. */
export function timerResolutionUs() {
  let best = Infinity;
  for (let i = 0; i < 20; i++) {
    const a = performance.now();
    let b = a;
    while (b === a) b = performance.now();
    best = Math.min(best, b - a);
  }
  return best * 1000;
}

/** How long one batch lasts at least (ms) with a clock of this resolution. */
export function batchMs(timerUs) {
  return Math.max(2, (40 * timerUs) / 1000);
}

/**
 * One measurement's bookkeeping, shared by the blocking and the async loops below.
 * `send(kind, values)` hands data to the page ('start': [timerUs, each ? 1 : 0, warm-up round
 * trips]; 'chunks': [n, ms, n, ms, ...]) and returns true when the page asks the run to stop.
 */
export class Measurement {
  constructor({ ms, timerUs, send }) {
    this.ms = ms;
    this.timerUs = timerUs;
    this.send = send;
    this.warmupCalls = 1;       // round trips in the next warm-up step
    this.warmCount = 0;
    this.warmMs = 0;
    this.chunkCalls = 1;        // round trips in the next timed chunk
    this.pending = [];
    this.end = 0;
    this.lastReport = 0;
    this.stopped = false;
  }

  /** Records a warm-up step; true when the warm-up is over and the timing is chosen. */
  warmed(n, ms) {
    this.warmCount += n;
    this.warmMs += ms;
    if (ms < 1) this.warmupCalls *= 2;
    if (this.warmMs < WARMUP_MS) return false;
    const roundTripUs = (this.warmMs * 1000) / this.warmCount;
    this.each = this.timerUs <= roundTripUs * EACH_MAX_SHARE;
    this.target = batchMs(this.timerUs);
    this.chunkCalls = this.each ? 1 : Math.max(1, Math.ceil((this.target * 1000) / roundTripUs));
    this.stopped = this.send('start', [this.timerUs, this.each ? 1 : 0, this.warmCount]);
    this.end = performance.now() + this.ms;
    this.lastReport = performance.now();
    return true;
  }

  /** Records a timed chunk: 'go' on, 'yield' (chunks were just handed over) or 'end'. */
  record(n, ms) {
    this.pending.push(n, ms);
    if (!this.each && ms < this.target / 2) this.chunkCalls *= 2;
    const now = performance.now();
    if (this.stopped || now >= this.end) return 'end';
    if (now - this.lastReport < REPORT_EVERY_MS) return 'go';
    this.flush();
    this.lastReport = performance.now();
    return this.stopped ? 'end' : 'yield';
  }

  /** Hands every chunk not yet sent to the page. */
  flush() {
    if (this.pending.length === 0) return;
    if (this.send('chunks', this.pending)) this.stopped = true;
    this.pending = [];
  }
}

/**
 * The steps of measurement `m`: yields { n, yieldToPage } (time n round trips next; let the
 * page draw first when yieldToPage) and is given back the elapsed milliseconds.
 */
function* steps(m) {
  for (let over = false; !over;) over = m.warmed(m.warmupCalls, yield { n: m.warmupCalls, yieldToPage: false });
  let state = 'go';
  while (state !== 'end') {
    const n = m.chunkCalls;
    state = m.record(n, yield { n, yieldToPage: state === 'yield' });
  }
  m.flush();
}

/** Runs `roundTrip()` (blocking) under `m` until the time is up or the page says stop. */
export function measureSync(roundTrip, m) {
  const it = steps(m);
  for (let s = it.next(); !s.done;) {
    const t0 = performance.now();
    for (let i = 0; i < s.value.n; i++) roundTrip();
    s = it.next(performance.now() - t0);
  }
}

/** The same with `await roundTrip()`; lets the page draw (a macrotask) after each report. */
export async function measureAsync(roundTrip, m) {
  const it = steps(m);
  for (let s = it.next(); !s.done;) {
    if (s.value.yieldToPage) await new Promise((r) => setTimeout(r, 0));
    const t0 = performance.now();
    for (let i = 0; i < s.value.n; i++) await roundTrip();
    s = it.next(performance.now() - t0);
  }
}
