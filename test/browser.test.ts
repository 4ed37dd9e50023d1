// kos-ipc in real Chromium: the demo page served with and without cross-origin isolation
// (scripts/demo-server.mjs on 127.0.0.1, an ephemeral port each), driven by playwright-core.
// The Chromium is the one test/fixtures/browser_chromium.ts finds (CHROMIUM_PATH, PATH, or the
// npm package @sparticuz/chromium).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './fixtures/browser_chromium.js';
import { decodePng, countColour } from './fixtures/browser_png.js';

interface DemoServer { url: string; close(): Promise<void> }
interface ProbeInfo { mode: string; isolated: boolean; spawnError: string | null }
interface RunResult {
  mode: string; kernelMode: string; n: number; median: number; mean: number; p99: number;
  batch: number; calls: number; checked: number; timerUs: number;
}
interface Demo {
  ready: Promise<ProbeInfo>;
  run(mode: string, ms: number): Promise<RunResult>;
  tryBlockingCall(): Promise<string>;
  barColour: string;
  barPixels(): number;
}
declare global { interface Window { demo: Demo } }

interface Served { server: DemoServer; page: Page; info: ProbeInfo; errors: string[]; responses: { path: string; type: string }[] }
interface Session { browser: Browser; isolated: Served; plain: Served }

const RUN_MS = 600;
const serverModule = new URL('../../scripts/demo-server.mjs', import.meta.url).href;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function open(browser: Browser, isolated: boolean): Promise<Served> {
  const { startDemoServer } = await import(serverModule) as { startDemoServer(o: { isolated: boolean }): Promise<DemoServer> };
  const server = await startDemoServer({ isolated });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors: string[] = [];
  const responses: { path: string; type: string }[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('response', (r) => responses.push({ path: new URL(r.url()).pathname, type: r.headers()['content-type'] ?? '' }));
  await page.goto(server.url);
  const info = await withTimeout(page.evaluate(() => window.demo.ready), 15000, 'the demo page starting');
  return { server, page, info, errors, responses };
}

let session: Promise<Session> | undefined;
/** The browser and both pages, started once for the file (a missing Chromium fails each test). */
function start(): Promise<Session> {
  session ??= (async () => {
    const browser = await launchChromium();
    const [isolated, plain] = await Promise.all([open(browser, true), open(browser, false)]);
    return { browser, isolated, plain };
  })();
  return session;
}

/** A page action that must settle within 20 s (uvu has no per-test time limit). */
const within = <T>(p: Promise<T>): Promise<T> => withTimeout(p, 20000, 'the page');

const run = (s: Served, mode: string, ms = RUN_MS): Promise<RunResult> =>
  withTimeout(s.page.evaluate(([m, t]) => window.demo.run(m, t), [mode, ms] as const), 20000, `demo run ${mode}`);

test.after(async () => {
  if (!session) return;
  const s = await session.catch(() => undefined);
  if (!s) return;
  await s.browser.close();
  await Promise.all([s.isolated.server.close(), s.plain.server.close()]);
});

// ---- loading -------------------------------------------------------------------------------

test('before any run the histogram has no bars (the pixel check can fail)', async () => {
  const { isolated } = await start();
  assert.is(await within(isolated.page.evaluate(() => window.demo.barPixels())), 0);
});

test('the page loads the package from dist/ as ES modules and compiles the shipped core', async () => {
  const { isolated, plain } = await start();
  const modules = isolated.responses.filter((r) => r.path.endsWith('.js')).map((r) => r.path);
  assert.ok(modules.includes('/dist/index.js'), modules.join(' '));
  assert.ok(modules.every((p) => p.startsWith('/dist/') || p.startsWith('/demo/')), modules.join(' '));
  assert.equal(isolated.responses.filter((r) => r.path.endsWith('.wasm')),
    [{ path: '/dist/kernel.wasm', type: 'application/wasm' }]);
  assert.equal(plain.responses.filter((r) => r.path.endsWith('.wasm')),
    [{ path: '/dist/kernel.unshared.wasm', type: 'application/wasm' }]);
});

test('Kernel.create accepts the core as bytes and as a WebAssembly.Module', async () => {
  const { isolated } = await start();
  const modes = await within(isolated.page.evaluate(async () => {
    const { Kernel } = await import('kos-ipc');
    const bytes = new Uint8Array(await (await fetch('/dist/kernel.wasm')).arrayBuffer());
    const module = await WebAssembly.compile(bytes);
    const out: string[] = [];
    for (const wasm of [bytes, module]) {
      const kernel = await Kernel.create({ wasm });
      kernel.createProcess('Server');
      kernel.createProcess('Client');
      kernel.connect('Client', 'Server', 'echo');
      out.push(`${kernel.mode}:${kernel.process('Client')!.ServiceLocatorConnect('echo') !== 0xffffffff}`);
      await kernel.shutdown();
    }
    return out;
  }));
  assert.equal(modes, ['shared:true', 'shared:true']);
});

test('kernel.init reads YAML text with the yaml package from the page\'s import map', async () => {
  const { plain } = await start();
  const found = await within(plain.page.evaluate(async () => {
    const { Kernel } = await import('kos-ipc');
    const kernel = await Kernel.create();
    const procs = await kernel.init('entities:\n- name: Client\n  connections:\n  - target: Server\n    id: echo\n- name: Server\n');
    const h = procs.Client!.ServiceLocatorConnect('echo');
    await kernel.shutdown();
    return { names: Object.keys(procs).sort(), connected: h !== 0xffffffff };
  }));
  assert.equal(found, { names: ['Client', 'Server'], connected: true });
});

test('Kernel.create({ debug: true }) loads the debug core and the loader through the import map', async () => {
  const { isolated } = await start();
  const got = await within(isolated.page.evaluate(async () => {
    const { Kernel } = await import('kos-ipc');
    const kernel = await Kernel.create({ debug: true });
    kernel.createProcess('Server');
    const client = kernel.createProcess('Client');
    kernel.connect('Client', 'Server', 'echo');
    const connected = client.ServiceLocatorConnect('echo') !== 0xffffffff;
    await kernel.shutdown();
    return connected;
  }));
  assert.ok(got);
  assert.ok(isolated.responses.some((r) => r.path === '/dist/kernel.debug.wasm'));
  assert.ok(isolated.responses.some((r) => r.path === '/node_modules/@assemblyscript/loader/index.js'));
});

// ---- cross-origin isolated: workers ----------------------------------------------------------

test('the isolated page runs the kernel in shared mode and says so', async () => {
  const { isolated } = await start();
  assert.equal(isolated.info, { mode: 'shared', isolated: true, spawnError: null });
  assert.is(await isolated.page.getAttribute('#kernel-mode', 'data-mode'), 'shared');
});

test('two worker processes echo each other with blocking Call and Recv', async () => {
  const { isolated } = await start();
  const r = await run(isolated, 'workers');
  assert.is(r.kernelMode, 'shared');
  assert.ok(r.calls > 0 && r.checked >= r.calls, `${r.calls} timed, ${r.checked} checked`);
  assert.ok(r.n > 0 && r.median > 0, `median ${r.median} over ${r.n} batches`);
});

test('the main thread calls a worker server with CallAsync', async () => {
  const { isolated } = await start();
  const r = await run(isolated, 'page');
  assert.ok(r.calls > 0 && r.checked >= r.calls, `${r.calls} timed, ${r.checked} checked`);
  assert.ok(r.median > 0, `median ${r.median}`);
});

test('in-realm processes echo with CallAsync and RecvAsync in the isolated page', async () => {
  const { isolated } = await start();
  const r = await run(isolated, 'realm');
  assert.ok(r.calls > 0 && r.checked >= r.calls, `${r.calls} timed, ${r.checked} checked`);
});

test('kernel.init spawns an entity that names a module, resolved against the page', async () => {
  const { isolated } = await start();
  const got = await within(isolated.page.evaluate(async () => {
    const { Kernel, SMsgHdr, PackOutMsg, PackInMsg, nk_req_reset } = await import('kos-ipc');
    const kernel = await Kernel.create();
    const procs = await kernel.init('entities:\n- name: Client\n  connections:\n  - target: Server\n    id: echo\n' +
      '- name: Server\n  module: ./echo_server.js\n');
    const client = procs.Client!;
    const h = client.ServiceLocatorConnect('echo');
    const req = new Uint8Array(32), res = new Uint8Array(32);
    nk_req_reset(req);
    const out = new SMsgHdr(); PackOutMsg(out, req, null);
    const inn = new SMsgHdr(); PackInMsg(inn, res, null);
    const values: number[] = [];
    for (const v of [41, 0xffffffff]) { // the second asks the server to end
      new DataView(req.buffer).setUint32(24, v, true);
      await client.CallAsync(h, out, inn);
      values.push(new DataView(res.buffer).getUint32(24, true));
    }
    const exit = await procs.Server!.exited;
    await kernel.shutdown();
    return { values, exit: exit.code };
  }));
  assert.equal(got, { values: [42, 0], exit: 0 });
});

test('a blocking Call on the main thread to a worker server throws, and CallAsync then works', async () => {
  const { isolated } = await start();
  const got = await within(isolated.page.evaluate(async () => {
    const { Kernel, SMsgHdr, PackOutMsg, PackInMsg, nk_req_reset, rcOk } = await import('kos-ipc');
    const kernel = await Kernel.create();
    const client = kernel.createProcess('Client');
    kernel.connect('Client', 'Server', 'echo');
    const server = await kernel.spawn('Server', new URL('./echo_server.js', location.href));
    const h = client.ServiceLocatorConnect('echo');
    const req = new Uint8Array(32);
    nk_req_reset(req);
    const out = new SMsgHdr(); PackOutMsg(out, req, null);
    const inn = new SMsgHdr(); PackInMsg(inn, new Uint8Array(32), null);
    let error = 'no error';
    try { client.Call(h, out, inn); } catch (e) { error = (e as Error).message; }
    new DataView(req.buffer).setUint32(24, 0xffffffff, true);
    const rc = await client.CallAsync(h, out, inn);
    await server.exited;
    await kernel.shutdown();
    return { error, asyncOk: rc === rcOk };
  }));
  assert.match(got.error, /^Call: this thread may not block \(a browser main thread, or no SharedArrayBuffer\); use CallAsync$/);
  assert.ok(got.asyncOk);
});

test('a blocking Recv on the main thread throws an error that names RecvAsync', async () => {
  const { isolated } = await start();
  const error = await within(isolated.page.evaluate(async () => {
    const { Kernel, SMsgHdr, PackInMsg } = await import('kos-ipc');
    const kernel = await Kernel.create();
    const server = kernel.createProcess('Server');
    kernel.createProcess('Client');
    kernel.connect('Client', 'Server', 'echo');
    const inn = new SMsgHdr(); PackInMsg(inn, new Uint8Array(32), null);
    try {
      server.Recv(server.ServiceLocatorRegister('echo', null, 0), inn);
      return 'no error';
    } catch (e) {
      return (e as Error).message;
    } finally {
      await kernel.shutdown();
    }
  }));
  assert.match(error, /^Recv: this thread may not block .*; use RecvAsync$/);
});

test('a worker process ends when its module has run; one that throws ends with its error', async () => {
  const { isolated } = await start();
  const got = await within(isolated.page.evaluate(async () => {
    const { Kernel } = await import('kos-ipc');
    const kernel = await Kernel.create();
    const src = `import { thisProcess } from '${location.origin}/dist/index.js';\n` +
      'if (thisProcess().args[0] === "throw") throw new Error(`boom in ${thisProcess().name}`);\n';
    const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    const [quiet, loud] = await Promise.all([kernel.spawn('Quiet', url), kernel.spawn('Loud', url, { args: ['throw'] })]);
    const [a, b] = await Promise.all([quiet.exited, loud.exited]);
    await kernel.shutdown();
    return { quiet: a.code, loud: b.code, message: b.error instanceof Error ? b.error.message : String(b.error) };
  }));
  assert.equal(got, { quiet: 0, loud: 1, message: 'boom in Loud' });
});

test('a spawned process whose module does not load ends with the loading error', async () => {
  const { isolated } = await start();
  const got = await within(isolated.page.evaluate(async () => {
    const { Kernel } = await import('kos-ipc');
    const kernel = await Kernel.create();
    const p = await kernel.spawn('Missing', new URL('./no_such_module.js', location.href));
    const exit = await p.exited;
    await kernel.shutdown();
    return { code: exit.code, message: exit.error instanceof Error ? exit.error.message : String(exit.error) };
  }));
  assert.is(got.code, 1);
  assert.match(got.message, /no_such_module\.js/);
});

// ---- not isolated: unshared memory, in-realm processes ---------------------------------------

test('the page without isolation runs the kernel unshared and says so', async () => {
  const { plain } = await start();
  assert.is(plain.info.mode, 'unshared');
  assert.is(plain.info.isolated, false);
  assert.is(await plain.page.getAttribute('#kernel-mode', 'data-mode'), 'unshared');
  assert.match(await plain.page.textContent('#mode-text') ?? '', /not cross-origin isolated/);
  assert.ok(await plain.page.isDisabled('input[value=workers]'));
  assert.ok(await plain.page.isDisabled('input[value=page]'));
});

test('without isolation kernel.spawn rejects with an explanation of COOP and COEP', async () => {
  const { plain } = await start();
  assert.match(plain.info.spawnError ?? '',
    /^spawn: workers need SharedArrayBuffer.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/);
  assert.match(await plain.page.textContent('#spawn-error') ?? '', /kernel\.spawn says: spawn: workers need SharedArrayBuffer/);
});

test('without isolation in-realm processes echo with the Async forms', async () => {
  const { plain } = await start();
  const r = await run(plain, 'realm');
  assert.is(r.kernelMode, 'unshared');
  assert.ok(r.calls > 0 && r.checked >= r.calls, `${r.calls} timed, ${r.checked} checked`);
});

test('without isolation a blocking Call on the main thread throws instead of freezing the page', async () => {
  const { plain } = await start();
  assert.match(await within(plain.page.evaluate(() => window.demo.tryBlockingCall())),
    /^Error: Call: this thread may not block .*; use CallAsync$/);
});

// ---- the page as a person uses it ------------------------------------------------------------

test('the Run button runs the chosen arrangement and adds its median to the list', async () => {
  const { isolated } = await start();
  const page = isolated.page;
  const before = await page.locator('#results tbody tr').count();
  await page.check('input[value=workers]');
  await page.fill('#duration', '0.5');
  await page.click('#run');
  await page.waitForFunction((n) => document.querySelectorAll('#results tbody tr').length > n, before, { timeout: 20000 });
  assert.is(await page.getAttribute('body', 'data-state'), 'done');
  const first = await page.locator('#results tbody tr').first().locator('td').allTextContents();
  assert.is(first[0], 'worker ⇄ worker');
  assert.ok(Number(first[1]) > 0, `median cell: ${first[1]}`);
  assert.match(await page.textContent('#status') ?? '', /^done: median round trip [\d.]+ µs/);
});

test('the histogram is drawn on the canvas', async () => {
  const { isolated } = await start();
  assert.ok(await isolated.page.evaluate(() => window.demo.barPixels()) > 1000);
});

test('a screenshot of the histogram shows its bars', async () => {
  const { isolated } = await start();
  const png = decodePng(await isolated.page.locator('#histogram').screenshot());
  const hex = await isolated.page.evaluate(() => window.demo.barColour);
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  const bars = countColour(png, rgb);
  assert.ok(bars > 1000, `${bars} bar-coloured pixels of ${png.width}x${png.height}`);
  assert.ok(countColour(png, [255, 255, 255], 8) > bars / 10, 'the background is there too');
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
