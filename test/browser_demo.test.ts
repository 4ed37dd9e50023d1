// The demo page (demo/) as a visitor uses it, in headless Chromium: every figure it shows agrees
// with the count the echo server keeps, the figures update during a run, Stop ends a run, bad
// durations are refused, idle controls say why, kos-ipc and its peers share one log-scale
// chart, and the layout holds on a 360 px wide screen.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { start, within, closeSession, open, run, type RunResult, type Served } from './fixtures/browser_session.js';
import { decodePng, countColour } from './fixtures/browser_png.js';

test.after(closeSession);

const number = (text: string | undefined): number => Number((text ?? '').replace(/,/g, '').replace(/ .*$/, ''));
const colour = (s: Served, mode: string): Promise<string> => s.page.evaluate((m) => window.demo.modes[m]!.colour, mode);

/** The run's figures agree with the server's own count, with each other, and with the table shown. */
async function checkFigures(s: Served, r: RunResult): Promise<void> {
  assert.ok(r.roundTrips > 0, `${r.roundTrips} round trips`);
  assert.is(r.served, r.warmup + r.roundTrips + 1, 'the server answered warm-up + timed + STOP');
  assert.ok(Math.abs(r.mean - (r.totalMs * 1000) / r.roundTrips) <= 1e-9 * r.mean, 'mean = time / round trips');
  assert.ok(r.min <= r.median && r.median <= r.p99 && r.p99 <= r.max, `${r.min} ${r.median} ${r.p99} ${r.max}`);
  if (r.timing === 'each') assert.is(r.chunks, r.roundTrips, 'each round trip timed on its own');
  else assert.ok(r.chunks < r.roundTrips, 'batches hold several round trips');
  assert.ok(r.timerUs > 0 && Number.isFinite(r.timerUs), `clock resolution ${r.timerUs} µs`);
  const shown = await s.page.evaluate(() => window.demo.shown());
  assert.is(number(shown.roundTrips), r.roundTrips);
  assert.is(number(shown.served), r.served);
  for (const key of ['mean', 'median', 'p99'] as const) {
    assert.ok(Math.abs(number(shown[key]) - r[key]) <= 0.01 * r[key], `${key}: shown ${shown[key]}, run ${r[key]}`);
  }
  assert.match(shown.timing!, r.timing === 'each' ? /^each round trip timed on its own$/ : /^batch means: the clock \([\d.]+ µs\) is too coarse/);
  assert.match(shown.served!, / = [\d,]+ warm-up \+ [\d,]+ timed \+ 1 stop$/);
}

test('before any run the chart has no bars (the pixel check can fail)', async () => {
  const { isolated } = await start();
  assert.is(await within(isolated.page.evaluate(() => window.demo.colourPixels(window.demo.modes.workers!.colour))), 0);
});

for (const [mode, what] of [
  ['workers', 'two worker processes echo with blocking Call and Recv'],
  ['page', 'the main thread calls a worker server with CallAsync'],
  ['atomics', 'the page echoes with a plain worker over a raw Atomics ping-pong (the floor)'],
  ['realm', 'in-realm processes echo with CallAsync and RecvAsync'],
  ['postMessage', 'the page echoes with a plain worker over postMessage'],
  ['MessageChannel', 'two plain workers echo over a MessageChannel'],
] as const) {
  test(`isolated page: ${what}, and the figures match the server's count`, async () => {
    const { isolated } = await start();
    const r = await run(isolated, mode);
    assert.is(r.kernelMode, mode === 'postMessage' || mode === 'MessageChannel' || mode === 'atomics' ? null : 'shared');
    await checkFigures(isolated, r);
  });
}

test('page without isolation: in-realm kos-ipc and postMessage run, and their figures match the server\'s count', async () => {
  const { plain } = await start();
  const r = await run(plain, 'realm');
  assert.is(r.kernelMode, 'unshared');
  await checkFigures(plain, r);
  await checkFigures(plain, await run(plain, 'postMessage'));
});

test('every arrangement measured is drawn as a row of bars on one chart, with its label', async () => {
  const { isolated } = await start();
  const labels = (await isolated.page.evaluate(() => window.demo.chartLabels())).map((l) => l.text);
  for (const mode of ['workers', 'page', 'atomics', 'realm', 'postMessage', 'MessageChannel']) {
    assert.ok(await isolated.page.evaluate((c) => window.demo.colourPixels(c), await colour(isolated, mode)) > 50, `${mode} has no bars`); // the tallest bar alone is 28 px x 3 px
    const label = await isolated.page.evaluate((m) => window.demo.modes[m]!.label, mode);
    assert.ok(labels.some((t) => t.startsWith(`${label}: median `)), `no row label for ${label} in ${labels.join(' | ')}`);
  }
  assert.ok(labels.some((t) => t.startsWith('µs per round trip, log scale')), 'the axis says it is a log scale');
});

test('a screenshot of the chart shows the bars of the worker row', async () => {
  const { isolated } = await start();
  const png = decodePng(await isolated.page.locator('#chart').screenshot());
  const hex = await colour(isolated, 'workers');
  const bars = countColour(png, [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]);
  const drawn = await isolated.page.evaluate((c) => window.demo.colourPixels(c), hex);
  // How many pixels the bars cover depends on the run's spread; what the screenshot must show is
  // what the canvas holds, unscaled (the check fails on a blank, covered or squeezed chart).
  assert.ok(drawn > 50, `${drawn} bar-coloured pixels on the canvas`);
  assert.ok(bars >= 0.9 * drawn, `${bars} bar-coloured pixels in the screenshot of ${png.width}x${png.height}, ${drawn} on the canvas`);
});

test('demo.run refuses a duration outside 1 to 60 s', async () => {
  const { isolated } = await start();
  for (const ms of [0, 999, 60001]) {
    const message = await within(isolated.page.evaluate((t) => window.demo.run('realm', t).then(() => 'ran', (e: Error) => e.message), ms));
    assert.is(message, `demo.run: ms must be from 1000 to 60000, got ${ms}`);
  }
});

/** The text of control `id`'s reason, and whether it is disabled. */
const reason = async (page: Page, id: string): Promise<[boolean, string]> =>
  [await page.isDisabled(`#${id}`), (await page.textContent(`#why-${id}`)) ?? ''];

test('a duration that is empty, not a number, or outside 1 to 60 s disables Run and says what to enter', async () => {
  const { isolated } = await start();
  const page = isolated.page;
  for (const bad of ['', 'abc', '0', '-3', '0.5', '61']) {
    await page.fill('#duration', bad);
    assert.equal(await reason(page, 'run'), [true, '(enter a duration from 1 to 60 s first)'], `duration "${bad}"`);
    assert.is(await page.textContent('#duration-error'), `Measure for: enter a number of seconds from 1 to 60 (got "${bad}")`);
  }
  for (const good of ['1', '60', '2.5']) {
    await page.fill('#duration', good);
    assert.equal(await reason(page, 'run'), [false, ''], `duration "${good}"`);
    assert.is(await page.textContent('#duration-error'), '');
  }
});

test('controls that do nothing now are disabled with a visible reason', async () => {
  const { isolated, plain } = await start();
  const page = isolated.page;
  assert.equal(await reason(page, 'stop'), [true, '(no run in progress)']);
  for (const mode of ['realm', 'postMessage', 'MessageChannel']) {
    await page.check(`input[value=${mode}]`);
    assert.equal(await reason(page, 'spin'), [true, '(no thread of this arrangement waits in Atomics.wait, so there is no spin to set)'], mode);
  }
  for (const mode of ['workers', 'page']) {
    await page.check(`input[value=${mode}]`);
    assert.equal(await reason(page, 'spin'), [false, ''], mode);
  }
  for (const mode of ['workers', 'page']) {
    assert.ok(await plain.page.isDisabled(`input[value=${mode}]`));
    assert.is(await plain.page.textContent(`#why-${mode}`), '(needs a cross-origin isolated page (SharedArrayBuffer))');
  }
  assert.equal(await reason(plain.page, 'spin'), [true, '(no thread of this arrangement waits in Atomics.wait, so there is no spin to set)']);
});

test('during a run the round-trip count grows live, and Stop ends the run early with consistent figures', async () => {
  const { isolated } = await start();
  const page = isolated.page;
  await page.check('input[value=workers]');
  await page.fill('#duration', '60');
  const rowsBefore = await page.locator('#results tbody tr').count();
  await page.click('#run');
  const count = async (): Promise<number> => number((await page.evaluate(() => window.demo.shown())).roundTrips);
  await page.waitForFunction(() => document.body.dataset.state === 'running' && Number((window.demo.shown().roundTrips ?? '0').replace(/,/g, '')) > 0, null, { timeout: 15000 });
  const first = await count();
  await page.waitForFunction((n) => Number((window.demo.shown().roundTrips ?? '0').replace(/,/g, '')) > n, first, { timeout: 15000 });
  assert.is(await page.getAttribute('body', 'data-state'), 'running');
  assert.equal(await reason(page, 'run'), [true, '(a run is in progress)']);
  assert.equal(await reason(page, 'stop'), [false, '']);
  const stoppedAt = Date.now();
  await page.click('#stop');
  await page.waitForFunction(() => document.body.dataset.state === 'stopped', null, { timeout: 10000 });
  assert.ok(Date.now() - stoppedAt < 5000, `Stop took ${Date.now() - stoppedAt} ms`);
  assert.is(await page.locator('#results tbody tr').count(), rowsBefore + 1);
  assert.match((await page.locator('#results tbody tr').first().locator('td').first().textContent())!, /\(stopped\)$/);
  const shown = await page.evaluate(() => window.demo.shown());
  assert.match(shown.served!, / = [\d,]+ warm-up \+ [\d,]+ timed \+ 1 stop$/);
  assert.match(await page.textContent('#status') ?? '', /^stopped: median round trip [\d.]+ µs/);
});

test('at 360 px wide the page does not scroll sideways and no chart text overlaps another', async () => {
  const { browser } = await start();
  const narrow = await open(browser, true, { width: 360, height: 800 });
  try {
    await run(narrow, 'realm');
    await run(narrow, 'postMessage');
    const width = await narrow.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the page is ${width} px wide`);
    const canvasWidth = await narrow.page.evaluate(() => document.getElementById('chart')!.clientWidth);
    const labels = await narrow.page.evaluate(() => window.demo.chartLabels());
    assert.ok(labels.length >= 4, labels.map((l) => l.text).join(' | '));
    for (const [i, a] of labels.entries()) {
      assert.ok(a.x >= 0 && a.x + a.w <= canvasWidth + 0.5, `"${a.text}" leaves the ${canvasWidth} px canvas`);
      for (const b of labels.slice(i + 1)) {
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        assert.ok(apart, `"${a.text}" overlaps "${b.text}"`);
      }
    }
    assert.equal(narrow.errors, []);
  } finally {
    await narrow.page.close();
    await narrow.server.close();
  }
});

test('the demo button shows the error a blocking Call gives on the main thread', async () => {
  const { isolated } = await start();
  await isolated.page.click('#block');
  await isolated.page.waitForFunction(() => document.getElementById('block-result')!.textContent !== '');
  assert.match(await isolated.page.textContent('#block-result') ?? '', /this thread may not block .*use CallAsync/);
});

test('neither page logged an error', async () => {
  const { isolated, plain } = await start();
  assert.equal([...isolated.errors, ...plain.errors], []);
});

test.run();
