// A spawned worker whose module fails says so: before its module started (evaluated, or its
// first kernel call), kernel.spawn rejects naming the module and the cause; after, the process
// ends with the error in `exited`, reported once through onProcessError or printed once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kernel, type Process } from 'kos-ipc';
import { rejects, newKernel, shutdownAll } from './helpers.js';

test.after.each(shutdownAll);

const dir = mkdtempSync(join(tmpdir(), 'kos-ipc-worker-failures-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const pkg = new URL('../../dist/index.js', import.meta.url).href;

/** A module file with `source`, in a temporary folder; its file: URL. */
function module(name: string, source: string): URL {
  const path = join(dir, name);
  writeFileSync(path, source);
  return pathToFileURL(path);
}

test('a module with a syntax error makes spawn reject with the file, the line and the error', async () => {
  const kernel = await newKernel();
  const url = module('bad_syntax.mjs', 'const fine = 1;\nconst = 5;\n');
  await rejects(() => kernel.spawn('Bad', url),
    /^spawn: the module file:.*bad_syntax\.mjs of process "Bad" failed before it started: SyntaxError: Unexpected token '='\n.*bad_syntax\.mjs:2\nconst = 5;/);
  assert.is(kernel.process('Bad'), undefined, 'the process is gone');
});

test('a module that throws at start makes spawn reject with its error', async () => {
  const kernel = await newKernel();
  const url = module('throws.mjs', 'throw new Error("boom at start");\n');
  await rejects(() => kernel.spawn('Thrower', url), /^spawn: the module file:.*throws\.mjs of process "Thrower" failed before it started: Error: boom at start/);
});

test('a module that does not exist makes spawn reject naming it', async () => {
  const kernel = await newKernel();
  const url = pathToFileURL(join(dir, 'no_such_module.mjs'));
  await rejects(() => kernel.spawn('Missing', url), /^spawn: the module file:.*no_such_module\.mjs of process "Missing" failed before it started: Error: Cannot find module/);
});

test('spawn resolves once the module made its first kernel call, before it ends', async () => {
  const kernel = await newKernel();
  kernel.createProcess('Server');
  kernel.connect('Client', 'Server', 'echo');
  const url = module('waits.mjs', `import { ServiceLocatorConnect } from '${pkg}';\n` +
    'ServiceLocatorConnect("echo");\nAtomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);\n');
  const p = await kernel.spawn('Client', url);
  assert.not.ok(p.hasEnded, 'the module is still running: spawn did not wait for its end');
});

const late = (pkgUrl: string): string => `import { ServiceLocatorConnect } from '${pkgUrl}';\n` +
  'ServiceLocatorConnect("anything");\nawait new Promise((r) => setTimeout(r, 20));\nthrow new Error("late boom");\n';

test('a module that fails after it started ends its process; onProcessError is told once', async () => {
  const told: [string, string][] = [];
  const kernel = await newKernel({ onProcessError: (p: Process, e: unknown) => { told.push([p.name, (e as Error).message]); } });
  const p = await kernel.spawn('Late', module('late.mjs', late(pkg)));
  const exit = await p.exited;
  assert.is(exit.code, 1);
  assert.is((exit.error as Error).message, 'late boom');
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(told, [['Late', 'late boom']]);
});

test('without onProcessError a failure after start is printed once, with the process name', async () => {
  const printed: string[] = [];
  const original = console.error;
  console.error = (...a: unknown[]): void => { printed.push(a.map(String).join(' ')); };
  try {
    const kernel = await newKernel();
    const p = await kernel.spawn('Loud', module('late2.mjs', late(pkg)));
    await p.exited;
    await new Promise((r) => setTimeout(r, 10));
  } finally {
    console.error = original;
  }
  assert.is(printed.length, 1, printed.join('\n'));
  assert.match(printed[0]!, /^kos-ipc: process "Loud" failed: Error: late boom/);
});

test('a process ended by kernel.terminate is not reported as failed, even when its worker throws before it stops', async () => {
  const told: string[] = [];
  const kernel = await newKernel({ onProcessError: (p: Process, e: unknown) => { told.push(`${p.name}: ${String(e)}`); } });
  kernel.connect('Main', 'Server', 'c');
  kernel.createProcess('Main');
  // ignores what Recv returns: once its process has ended, its next Recv throws
  const url = module('ignores.mjs', `import { ServiceLocatorRegister, Recv, SMsgHdr, PackInMsg } from '${pkg}';\n` +
    'const h = ServiceLocatorRegister("c", null, 0);\nconst m = new SMsgHdr(); PackInMsg(m, new Uint8Array(64), null);\n' +
    'for (;;) Recv(h, m);\n');
  const p = await kernel.spawn('Server', url);
  await new Promise((r) => setTimeout(r, 20)); // it waits in Recv
  const ending = kernel.terminate(p);
  // the kernel's realm is busy before it stops the worker: the worker wakes and throws meanwhile
  for (const until = performance.now() + 30; performance.now() < until;);
  await ending;
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(told, []);
});

test('Kernel.create refuses an onProcessError that is not a function', async () => {
  await rejects(() => Kernel.create({ onProcessError: 'log' as never }), /Kernel.create: onProcessError must be a function/);
});

test.run();
