// Latency samples that a coarse clock can measure. Browsers coarsen performance.now() (5 us in a
// cross-origin isolated page, 100 us otherwise), far above a sub-microsecond round trip, so one
// sample is the mean round trip of a batch: calls made until at least batchMs() has passed (2 ms,
// and at least 40 ticks of the clock). The clock is read every `stride` calls, a stride sized
// from the previous batch so that reading it costs next to nothing and a batch overshoots its
// length by about 1/64. The first WARMUP_MS of batches are not kept (the JIT is still at work).

export const MIN_BATCH_MS = 2;
export const WARMUP_MS = 100;
/** How often a running benchmark hands its new samples to the page (ms). */
export const REPORT_EVERY_MS = 50;

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

/** How long one batch lasts (ms) with a clock of this resolution. */
export function batchMs(timerUs) {
  return Math.max(MIN_BATCH_MS, (40 * timerUs) / 1000);
}

/** Calls between two readings of the clock, after a batch of `calls` calls. */
export function nextStride(calls) {
  return Math.max(1, Math.floor(calls / 64));
}
