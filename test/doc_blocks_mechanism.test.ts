// The doc-block runner itself (test/doc_blocks/): it reads info strings and output blocks as
// docs/contributing.md says, and a block that fails, hangs or names what does not exist fails.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { extractBlocks, type Block } from './doc_blocks/blocks.js';
import { writePageFiles, runJs } from './doc_blocks/node_runner.js';
import { checkSh, checkSynopsis, shCommands } from './doc_blocks/checks.js';
import { runHtml } from './doc_blocks/browser_runner.js';
import { launchChromium } from './fixtures/browser_chromium.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const block = (kind: string, body: string, attrs: Record<string, string> = {}): Block =>
  ({ page: 'test/page.md', line: 7, info: kind, kind, attrs, body });
const folder = (): string => writePageFiles(root, 'test/mechanism.md', []);

test('extractBlocks reads kind, attributes, body and line, and gives an output block to the block before it', () => {
  const md = 'text\n\n```js file=a.js\nx();\n```\n\n```js\nf();\n```\n\nprose\n\n```output\nok\n```\n';
  const [file, prog, out] = extractBlocks(md, 'p.md');
  assert.equal({ ...file, output: undefined }, { page: 'p.md', line: 3, info: 'js file=a.js', kind: 'js', attrs: { file: 'a.js' }, body: 'x();\n', output: undefined });
  assert.is(prog!.line, 7);
  assert.is(prog!.output, out);
  assert.is(file!.output, undefined);
});

test('extractBlocks refuses an unclosed fence and an info word that is not key=value', () => {
  assert.throws(() => extractBlocks('```js\nx\n', 'p.md'), /p\.md:1: a code fence is opened and never closed/);
  assert.throws(() => extractBlocks('```js worker\nx\n```\n', 'p.md'), /p\.md:1: info string word "worker" is not key=value/);
});

test('a js block that imports nothing has every export of kos-ipc in scope', async () => {
  const r = await runJs(block('js', 'console.log(typeof Kernel, typeof nk_arena_init, rcOk);\n'), folder());
  assert.equal({ code: r.code, out: r.stdout }, { code: 0, out: 'function function 0\n' });
});

test('a js block with an import of its own runs exactly as written, without the prelude', async () => {
  const r = await runJs(block('js', "import { rcOk } from 'kos-ipc/rtl/retcode';\nconsole.log(typeof Kernel);\n"), folder());
  assert.equal({ code: r.code, out: r.stdout }, { code: 0, out: 'undefined\n' });
});

test('a js block that throws fails with its exit code and error', async () => {
  const r = await runJs(block('js', "throw new Error('broken example');\n"), folder());
  assert.is(r.code, 1);
  assert.match(r.stderr, /broken example/);
});

test('a js block that never ends is killed at the time limit and reported as timed out', async () => {
  const r = await runJs(block('js', 'setInterval(() => {}, 1000);\n'), folder(), 1500);
  assert.ok(r.timedOut);
  assert.is.not(r.code, 0);
});

test('shCommands splits on && and ; and drops comments and VAR=value prefixes', () => {
  assert.equal(shCommands('npm ci && npm test   # all\nPORT=9000 npm run demo; node x.js\n'),
    ['npm ci', 'npm test', 'npm run demo', 'node x.js']);
});

test('checkSh accepts the project\'s commands and names each one it does not have', () => {
  assert.equal(checkSh(block('sh', 'npm install && npm test\nnpm run bench -- --quick\nnode examples/echo.mjs\nnpx kos-ipc bench --json --list\n'), root), []);
  assert.equal(checkSh(block('sh', 'npm run no-such-script\nnode examples/none.mjs\nnpx kos-ipc bench --no-such-flag\ncurl x\n'), root), [
    '`npm run no-such-script` is not a command of this project (docs/contributing.md lists the ones an sh block may name)',
    '`node examples/none.mjs` is not a command of this project (docs/contributing.md lists the ones an sh block may name)',
    '`npx kos-ipc bench --no-such-flag`: kos-ipc bench --help lists no --no-such-flag',
    '`curl x` is not a command of this project (docs/contributing.md lists the ones an sh block may name)',
  ]);
});

test('checkSynopsis names a missing export, an unimported function and a member that does not exist', async () => {
  const members = { kernel: new Set(['spawn']), process: new Set(['Call']) };
  const body = "import { Call, NoSuchThing } from 'kos-ipc/coresrv/syscalls';\nCall(h): Retcode\nRecv(h): Retcode\n" +
    'process.Call(h)\nprocess.Fly(h)\nkernel.spawn(n)\nkernel.teleport()\n';
  assert.equal(await checkSynopsis(block('ts', body), members), [
    "'kos-ipc/coresrv/syscalls' exports no NoSuchThing",
    '`Recv(h): Retcode`: Recv is not a function the block imports',
    '`process.Fly(h)`: a Process has no member Fly',
    '`kernel.teleport()`: a Kernel has no member teleport',
  ]);
  assert.equal(await checkSynopsis(block('ts', 'Call(h)\n'), members), [
    "a ts synopsis must import what it shows (import { ... } from 'kos-ipc...')",
    '`Call(h)`: Call is not a function the block imports',
  ]);
});

test('an html block whose script throws reports the page error', async () => {
  const browser = await launchChromium();
  try {
    const r = await runHtml(block('html', "<!doctype html><script type=\"module\">throw new Error('page broke');</script>\n"), folder(), browser, 'never');
    assert.equal(r.errors.map((e) => e.replace(/^pageerror: /, '')), ['page broke']);
  } finally { await browser.close(); }
});

test.run();
