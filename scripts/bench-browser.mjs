#!/usr/bin/env node
// The page -> worker measurement in headless Chromium, beside its floor: the demo page (served
// cross-origin isolated by scripts/demo-server.mjs) runs "kos-ipc page → worker" (CallAsync on
// the page's main thread, blocking Recv in a worker) and "Atomics page ↔ worker" (a raw Atomics
// ping-pong that checks for the answer before Atomics.waitAsync) one after the other, `--runs`
// times, and prints each pair's medians, p99s and ratio, then the median ratio.
//
//   node scripts/bench-browser.mjs [--ms 3000] [--runs 3] [--json]
//
// Needs the package built (npm run build) and the test fixtures compiled (npm run pretest):
// Chromium is found the way the browser tests find it (test/fixtures/browser_chromium.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from './demo-server.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : dflt; };
const ms = opt('ms', 3000), runs = opt('runs', 3), json = args.includes('--json');
const fixture = new URL('../build/test/fixtures/browser_chromium.js', import.meta.url);
if (!existsSync(fileURLToPath(fixture))) {
  console.error('bench-browser: build/test/fixtures/browser_chromium.js is missing: run `npm run pretest` first');
  process.exit(2);
}
const { launchChromium } = await import(fixture.href);

const server = await startDemoServer({ isolated: true });
const browser = await launchChromium();
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[(s.length - 1) >> 1]; };
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  const info = await page.evaluate(() => window.demo.ready);
  if (info.mode !== 'shared') throw new Error(`the demo page is not cross-origin isolated (kernel mode ${info.mode})`);
  const env = await page.evaluate(() => ({ userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency }));
  const pairs = [];
  for (let r = 0; r < runs; r++) {
    const kos = await page.evaluate((t) => window.demo.run('page', t), ms);
    const floor = await page.evaluate((t) => window.demo.run('atomics', t), ms);
    pairs.push({ kos, floor, ratio: kos.median / floor.median, ratio_mean: kos.mean / floor.mean, ratio_p99: kos.p99 / floor.p99 });
  }
  if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
  const out = {
    browser: env.userAgent, cores_count: env.cores, ms_per_run: ms,
    runs: pairs.map((p) => ({
      kos_median_us: p.kos.median, kos_mean_us: p.kos.mean, kos_p99_us: p.kos.p99, kos_timing: p.kos.timing,
      kos_round_trips_count: p.kos.roundTrips,
      floor_median_us: p.floor.median, floor_mean_us: p.floor.mean, floor_p99_us: p.floor.p99, floor_timing: p.floor.timing,
      floor_round_trips_count: p.floor.roundTrips,
      ratio: p.ratio, ratio_mean: p.ratio_mean, ratio_p99: p.ratio_p99,
    })),
    timer_resolution_us: pairs[0]?.kos.timerUs ?? null,
    median_ratio: median(pairs.map((p) => p.ratio)),
    median_ratio_mean: median(pairs.map((p) => p.ratio_mean)),
  };
  if (json) {
    console.log(JSON.stringify(out, null, 2));
  } else {
    const f = (v) => v.toFixed(2).padStart(8);
    console.log(`${env.userAgent} · ${env.cores} cores · ${ms} ms a run · page clock ${out.timer_resolution_us} µs`);
    console.log('      kos-ipc page → worker µs      Atomics page ↔ worker µs      × floor');
    console.log('run    median     mean      p99      median     mean      p99    median     mean   timing');
    pairs.forEach((p, i) => console.log(`${String(i + 1).padStart(3)} ${f(p.kos.median)} ${f(p.kos.mean)} ${f(p.kos.p99)}   ` +
      `${f(p.floor.median)} ${f(p.floor.mean)} ${f(p.floor.p99)}  ${f(p.ratio)} ${f(p.ratio_mean)}   ${p.kos.timing}/${p.floor.timing}`));
    console.log(`median of the runs' ratios: ${out.median_ratio.toFixed(2)}× by medians, ${out.median_ratio_mean.toFixed(2)}× by means (goal ≤ 2)`);
    console.log('(timing "batch": the page clock is coarser than a round trip, so medians and p99s are those of batch means; the mean is exact either way)');
  }
} finally {
  await browser.close();
  await server.close();
}
