// kos-ipc in real Chromium: the kernel on the demo's pages, served with and without cross-origin
// isolation (test/fixtures/browser_session.ts). The Chromium is the one
// test/fixtures/browser_chromium.ts finds (CHROMIUM_PATH, PATH, or the npm package
// @sparticuz/chromium). The demo page itself is tested in browser_demo.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { start, within, closeSession } from './fixtures/browser_session.js';

test.after(closeSession);

// ---- loading -------------------------------------------------------------------------------

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
    for (const v of [41, 0xffffffff]) { // the second asks the server to end; it answers its count
      new DataView(req.buffer).setUint32(24, v, true);
      await client.CallAsync(h, out, inn);
      values.push(new DataView(res.buffer).getUint32(24, true));
    }
    const exit = await procs.Server!.exited;
    await kernel.shutdown();
    return { values, exit: exit.code };
  }));
  assert.equal(got, { values: [42, 2], exit: 0 });
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

test('a worker process ends when its module has run; spawn rejects for one that throws at start, naming it', async () => {
  const { isolated } = await start();
  const got = await within(isolated.page.evaluate(async () => {
    const { Kernel } = await import('kos-ipc');
    const kernel = await Kernel.create();
    const src = `import { thisProcess } from '${location.origin}/dist/index.js';\n` +
      'if (thisProcess().args[0] === "throw") throw new Error(`boom in ${thisProcess().name}`);\n';
    const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    const quiet = await kernel.spawn('Quiet', url);
    const loud = await kernel.spawn('Loud', url, { args: ['throw'] }).then(() => 'resolved', (e: Error) => e.message);
    const a = await quiet.exited;
    const gone = kernel.process('Loud') === undefined;
    await kernel.shutdown();
    return { quiet: a.code, loud, gone };
  }));
  assert.is(got.quiet, 0);
  assert.match(got.loud, /^spawn: the module blob:\S+ of process "Loud" failed before it started: Error: boom in Loud$/);
  assert.ok(got.gone, 'the process that failed is gone');
});

test('spawn rejects for a module that is not there, with the HTTP status of fetching it', async () => {
  const { isolated } = await start();
  const message = await within(isolated.page.evaluate(async () => {
    const { Kernel } = await import('kos-ipc');
    const kernel = await Kernel.create();
    const m = await kernel.spawn('Missing', new URL('./no_such_module.js', location.href)).then(() => 'resolved', (e: Error) => e.message);
    await kernel.shutdown();
    return m;
  }));
  assert.match(message, /^spawn: the module http:\S+\/no_such_module\.js of process "Missing" failed before it started: /);
  assert.match(message, /\(fetching it gives HTTP 404/);
});

test('spawn rejects for a module that imports a bare specifier, saying workers have no import map', async () => {
  const { isolated } = await start();
  const message = await within(isolated.page.evaluate(async () => {
    const { Kernel } = await import('kos-ipc');
    const kernel = await Kernel.create();
    const url = URL.createObjectURL(new Blob(["import { thisProcess } from 'kos-ipc';\nthisProcess();\n"], { type: 'text/javascript' }));
    const m = await kernel.spawn('Bare', url).then(() => 'resolved', (e: Error) => e.message);
    await kernel.shutdown();
    return m;
  }));
  assert.match(message, /^spawn: the module blob:\S+ of process "Bare" failed before it started: TypeError: .*kos-ipc/);
  assert.match(message, /workers have no import map: use a URL or a bundler/);
});

test('a module that fails after its first kernel call ends its process and onProcessError is told', async () => {
  const { isolated } = await start();
  const got = await within(isolated.page.evaluate(async () => {
    const { Kernel } = await import('kos-ipc');
    const told: string[] = [];
    const kernel = await Kernel.create({ onProcessError: (p, e) => { told.push(`${p.name}: ${(e as Error).message}`); } });
    const src = `import { ServiceLocatorConnect } from '${location.origin}/dist/index.js';\n` +
      'ServiceLocatorConnect("x");\nthrow new Error("late boom");\n';
    const p = await kernel.spawn('Late', URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
    const exit = await p.exited;
    await new Promise((r) => setTimeout(r, 10));
    await kernel.shutdown();
    return { code: exit.code, message: (exit.error as Error).message, told };
  }));
  assert.equal(got, { code: 1, message: 'late boom', told: ['Late: late boom'] });
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

test('without isolation a blocking Call on the main thread throws instead of freezing the page', async () => {
  const { plain } = await start();
  assert.match(await within(plain.page.evaluate(() => window.demo.tryBlockingCall())),
    /^Error: Call: this thread may not block .*; use CallAsync$/);
});

test('neither page logged an error', async () => {
  const { isolated, plain } = await start();
  assert.equal([...isolated.errors, ...plain.errors], []);
});

test.run();
