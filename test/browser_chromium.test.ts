// Which Chromium the browser tests use: CHROMIUM_PATH, else a `chromium` on PATH, else the one in
// the npm package @sparticuz/chromium, unpacked once into node_modules/.cache/kos-ipc/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findChromium, launchChromium, packageVersion, cacheDir } from './fixtures/browser_chromium.js';

/** A folder holding an executable file named `chromium`. */
function fakeChromium(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kos-ipc-fake-chromium-'));
  writeFileSync(join(dir, 'chromium'), '#!/bin/sh\necho fake\n');
  chmodSync(join(dir, 'chromium'), 0o755);
  return dir;
}

test('CHROMIUM_PATH is used first, even with a chromium on PATH', async () => {
  const onPath = fakeChromium(), chosen = fakeChromium();
  try {
    const found = await findChromium({ CHROMIUM_PATH: join(chosen, 'chromium'), PATH: onPath });
    assert.equal(found, { path: join(chosen, 'chromium'), source: 'CHROMIUM_PATH' });
  } finally { rmSync(onPath, { recursive: true }); rmSync(chosen, { recursive: true }); }
});

test('a CHROMIUM_PATH that names no executable file is an error naming it', async () => {
  try {
    await findChromium({ CHROMIUM_PATH: '/no/such/chromium', PATH: '' });
    assert.unreachable('findChromium accepted a missing file');
  } catch (e) {
    assert.match((e as Error).message, /^CHROMIUM_PATH is \/no\/such\/chromium, which is not an executable file: point it at a Chromium binary, or unset it$/);
  }
});

test('without CHROMIUM_PATH the chromium on PATH is used', async () => {
  const dir = fakeChromium();
  try {
    assert.equal(await findChromium({ PATH: `/no/such/dir:${dir}` }), { path: join(dir, 'chromium'), source: 'PATH' });
  } finally { rmSync(dir, { recursive: true }); }
});

test('with neither, the Chromium of @sparticuz/chromium is unpacked into node_modules/.cache once and runs', async () => {
  const version = packageVersion();
  assert.ok(version, '@sparticuz/chromium is a devDependency and must be installed');
  const first = await findChromium({ PATH: '' });
  assert.equal(first, { path: join(cacheDir(version!), 'chromium'), source: '@sparticuz/chromium' });
  assert.match(first.path, /\/node_modules\/\.cache\/kos-ipc\/chromium-\d+\.\d+\.\d+\/chromium$/);
  const made = statSync(first.path).mtimeMs;
  assert.equal(await findChromium({ PATH: '' }), first);
  assert.is(statSync(first.path).mtimeMs, made, 'the second call unpacked it again');
  const printed = execFileSync(first.path, ['--version'], { encoding: 'utf8', timeout: 30000 });
  assert.match(printed, new RegExp(`^Chromium ${version!.split('.')[0]}\\.`));
  assert.equal(readdirSync(dirname(dirname(first.path))).filter((n) => n.includes('.partial-')), [],
    'an unpacking folder was left behind');
});

test('the packaged Chromium starts with the suite\'s flags and runs a worker (no --single-process)', async () => {
  const browser = await launchChromium(await findChromium({ PATH: '' }));
  try {
    const page = await browser.newPage();
    const answer = await page.evaluate(() => new Promise<number>((resolve, reject) => {
      const w = new Worker(URL.createObjectURL(new Blob(['onmessage = (e) => postMessage(e.data + 1)'], { type: 'text/javascript' })));
      w.onmessage = (e) => resolve(e.data as number);
      w.onerror = (e) => reject(new Error(e.message));
      w.postMessage(41);
    }));
    assert.is(answer, 42);
    assert.match(browser.version(), /^\d+\./);
  } finally { await browser.close(); }
});

test.run();
