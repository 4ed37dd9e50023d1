// `kos-ipc gen`: the committed generated code of the examples and of the tests is exactly what
// the command writes today (so it is regenerated whenever the generator changes), the output is
// byte-stable, include directories are searched, and bad usage and bad input exit with a message.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/cli.js');

function gen(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'gen', ...args], { cwd: root, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p); else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kos-ipc-gen-'));

function sameAsCommitted(committed: string, args: string[]): void {
  const out = tmp();
  try {
    const r = gen([...args, '-o', out]);
    assert.is(r.status, 0, r.stderr);
    const want = files(join(root, committed)), got = files(out);
    assert.equal([...got.keys()].sort(), [...want.keys()].sort(), `the files of ${committed}`);
    for (const [name, text] of want) assert.is(got.get(name), text, `${committed}/${name} differs from what kos-ipc gen writes: regenerate it`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test('examples/ping-sdk/generated is exactly what kos-ipc gen --lang js writes for its EDL', () => {
  sameAsCommitted('examples/ping-sdk/generated', ['--lang', 'js', 'examples/ping-sdk/idl/echo/Server.edl']);
});

test('examples/echo-sdk/generated is exactly what kos-ipc gen --lang js writes for its EDL', () => {
  sameAsCommitted('examples/echo-sdk/generated', ['--lang', 'js', 'examples/echo-sdk/idl/Server.edl']);
});

test('examples/ocap/generated is exactly what kos-ipc gen --lang js writes for its EDL', () => {
  sameAsCommitted('examples/ocap/generated', ['--lang', 'js', 'examples/ocap/idl/Provider.edl']);
});

test('test/generated is exactly what kos-ipc gen --extended-errors writes for test/idl/rt/Server.edl', () => {
  sameAsCommitted('test/generated', ['--extended-errors', 'test/idl/rt/Server.edl']);
});

test('src/bench/generated is exactly what kos-ipc gen --runtime ../../../gen/runtime.js writes for the bench EDL', () => {
  sameAsCommitted('src/bench/generated', ['--runtime', '../../../gen/runtime.js', 'src/bench/idl/bench/Server.edl']);
});

test('two runs write the same bytes, and the output lists every file written', () => {
  const a = tmp(), b = tmp();
  try {
    const r = gen(['-o', a, 'examples/ping-sdk/idl/echo/Server.edl']);
    gen(['-o', b, 'examples/ping-sdk/idl/echo/Server.edl']);
    assert.equal(files(a), files(b));
    assert.equal(r.stdout.trim().split('\n').map((l) => relative(a, l)), ['echo/Ping.idl.ts', 'echo/Ping.cdl.ts', 'echo/Server.edl.ts']);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test('-I directories are searched for imported files, in order', () => {
  const src = tmp(), out = tmp();
  try {
    mkdirSync(join(src, 'inc1/lib'), { recursive: true });
    mkdirSync(join(src, 'inc2/lib'), { recursive: true });
    writeFileSync(join(src, 'inc1/lib/T.idl'), 'package lib.T\nconst UInt8 Which = 1;');
    writeFileSync(join(src, 'inc2/lib/T.idl'), 'package lib.T\nconst UInt8 Which = 2;');
    writeFileSync(join(src, 'main.idl'), 'package main\nimport lib.T\ninterface { Do(in string<Which> s); }');
    assert.is(gen(['-o', out, join(src, 'main.idl')]).status, 1, 'without -I the import is not found');
    const r = gen(['-I', join(src, 'inc2'), `-I${join(src, 'inc1')}`, '-o', out, join(src, 'main.idl')]);
    assert.is(r.status, 0, r.stderr);
    assert.match(readFileSync(join(out, 'lib/T.idl.ts'), 'utf8'), /export const lib_T_Which: number = 2;/);
    assert.match(readFileSync(join(out, 'main.idl.ts'), 'utf8'), /export const main_Do_req_s_size: number = 3;/);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('bad input exits 1 with the IdlError at its file, line and column', () => {
  const src = tmp();
  try {
    writeFileSync(join(src, 'bad.idl'), 'package bad\ninterface { Do(in Nope x); }');
    const r = gen(['-o', src, join(src, 'bad.idl')]);
    assert.is(r.status, 1);
    assert.is(r.stderr, `kos-ipc gen: ${join(src, 'bad.idl')}:2:19: unknown type "Nope": declare it, import its package, or use UInt8..UInt64, ` +
      'SInt8..SInt64, Handle, string<N>, bytes<N>, sequence<T, N> or array<T, N>\n');
    assert.is(r.stdout, '', 'nothing is written');
    const missing = gen([join(src, 'none.idl')]);
    assert.equal([missing.status, missing.stderr], [1, `kos-ipc gen: cannot read ${join(src, 'none.idl')}: no such file\n`]);
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
});

test('bad usage exits 2 with the reason and the usage; --help prints the usage and exits 0', () => {
  for (const [args, reason] of [[[], 'no input files'], [['--lang', 'c', 'x.idl'], '--lang takes ts or js, got c'], [['-o'], '-o needs a value'],
    [['--frobnicate', 'x.idl'], 'unknown option --frobnicate']] as const) {
    const r = gen([...args]);
    assert.is(r.status, 2, reason);
    assert.ok(r.stderr.startsWith(`kos-ipc gen: ${reason}\nUsage: kos-ipc gen [options]`), r.stderr);
  }
  const h = gen(['--help']);
  assert.equal([h.status, h.stdout.startsWith('Usage: kos-ipc gen [options] <file.idl|file.cdl|file.edl>...')], [0, true]);
  const top = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
  assert.match(top.stdout, /\n {2}gen {8}compile \.idl\/\.cdl\/\.edl files/);
});

test.run();
