// The demo's arithmetic (demo/stats.js, demo/measure.js), in Node: the mean is total time over
// round trips, quantiles count each round trip of a batch at the batch's mean, and a run times
// round trips one by one only when the clock is fine enough.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

interface Chunks { push(pairs: number[]): void; length: number }
interface Summary { chunks: number; roundTrips: number; totalMs: number; mean: number; median: number; p99: number; min: number; max: number }
interface MeasurementT { each: boolean; chunkCalls: number; warmed(n: number, ms: number): boolean; record(n: number, ms: number): string }
const stats = await import(new URL('../../demo/stats.js', import.meta.url).href) as
  { Chunks: new () => Chunks; summarize(c: Chunks): Summary };
const measure = await import(new URL('../../demo/measure.js', import.meta.url).href) as
  { Measurement: new (o: { ms: number; timerUs: number; send: (k: string, v: number[]) => boolean }) => MeasurementT; WARMUP_MS: number };

const chunks = (pairs: number[]): Chunks => { const c = new stats.Chunks(); c.push(pairs); return c; };

test('round trips timed one by one give exact nearest-rank quantiles and the mean', () => {
  const pairs: number[] = [];
  for (let us = 1; us <= 200; us++) pairs.push(1, us / 1000);
  assert.equal(stats.summarize(chunks(pairs)), { chunks: 200, roundTrips: 200, totalMs: 20.1, mean: 100.5, median: 100, p99: 198, min: 1, max: 200 });
});

test('a batch counts once per round trip: the mean is total time over round trips, not a mean of means', () => {
  // 1000 round trips in 1 ms (1 us each), then one batch of a single 1000 us round trip
  const s = stats.summarize(chunks([1000, 1, 1, 1]));
  assert.is(s.roundTrips, 1001);
  assert.ok(Math.abs(s.mean - 2000 / 1001) < 1e-9, `mean ${s.mean}`); // a mean of batch means would say 500.5
  assert.is(s.median, 1);
  assert.is(s.p99, 1);
  assert.is(s.max, 1000);
});

test('no chunks give NaN figures, never a crash', () => {
  const s = stats.summarize(new stats.Chunks());
  assert.equal([s.roundTrips, s.mean, s.median, s.p99, s.min, s.max].map((v) => Number.isNaN(v) ? 'NaN' : v), [0, 'NaN', 'NaN', 'NaN', 'NaN', 'NaN']);
});

test('chunks grow past their first capacity without losing one', () => {
  const pairs: number[] = [];
  for (let i = 0; i < 5000; i++) pairs.push(2, 0.002);
  const c = chunks(pairs);
  c.push([1, 1]);
  assert.is(c.length, 5001);
  assert.is(stats.summarize(c).roundTrips, 10001);
});

test('the warm-up picks one-by-one timing when the clock resolution is at most a tenth of a round trip', () => {
  const sent: [string, number[]][] = [];
  const m = new measure.Measurement({ ms: 60000, timerUs: 5, send: (k, v) => { sent.push([k, [...v]]); return false; } });
  assert.is(m.warmed(1000, measure.WARMUP_MS), true); // 100 us per round trip, a 5 us clock
  assert.is(m.each, true);
  assert.is(m.chunkCalls, 1);
  assert.equal(sent, [['start', [5, 1, 1000]]]);
});

test('a clock coarser than that gives batches of at least 2 ms and 40 ticks', () => {
  const m = new measure.Measurement({ ms: 60000, timerUs: 100, send: () => false });
  assert.is(m.warmed(10, measure.WARMUP_MS / 2), false);
  assert.is(m.warmed(99990, measure.WARMUP_MS / 2), true); // 1 us per round trip, a 100 us clock
  assert.is(m.each, false);
  assert.is(m.chunkCalls, 4000); // 40 ticks of 100 us = 4 ms = 4000 round trips
  assert.is(m.record(4000, 1), 'go');  // a batch shorter than half its target doubles the next one
  assert.is(m.chunkCalls, 8000);
});

test('a stop asked for in the answer to the start report ends the run at its first chunk', () => {
  const m = new measure.Measurement({ ms: 60000, timerUs: 5, send: (k) => k === 'start' });
  m.warmed(1000, measure.WARMUP_MS);
  assert.is(m.record(1, 0.1), 'end');
});

test.run();
