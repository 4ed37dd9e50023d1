// The README's section on the OCap scenario is real: its IDL is examples/ocap/idl/SimpleOCap.idl,
// its excerpt lines are lines of examples/ocap/provider.mjs, its commands are the ones run here,
// and `node examples/ocap/main.mjs` prints exactly the trace the README shows, run after run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const start = readme.indexOf('## Capabilities: the SDK\'s OCap scenario');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter(Boolean);
const example = (file: string): string => readFileSync(new URL(`examples/ocap/${file}`, root), 'utf8');

test('the README section exists and shows the IDL, an excerpt, the gen command, the run command and the output', () => {
  assert.ok(start > 0, 'README.md has the section');
  assert.equal(blocks.map((b) => b.lang), ['text', 'text', 'sh', 'sh', 'output']);
});

test('the README\'s IDL is the interface of examples/ocap/idl/SimpleOCap.idl', () => {
  const idl = lines(example('idl/SimpleOCap.idl')).filter((l) => !l.startsWith('/*') && !l.startsWith('*'));
  assert.equal(lines(blocks[0]!.body), idl);
});

test('every line of the README excerpt is a line of examples/ocap/provider.mjs', () => {
  const provider = lines(example('provider.mjs'));
  for (const line of lines(blocks[1]!.body)) assert.ok(provider.includes(line), `not a line of provider.mjs: ${line}`);
});

test('the README\'s commands regenerate from the EDL and run main.mjs', () => {
  assert.is(blocks[2]!.body.trim(), 'npx kos-ipc gen --lang js -o examples/ocap/generated examples/ocap/idl/Provider.edl');
  assert.is(blocks[3]!.body.trim(), 'node examples/ocap/main.mjs');
});

test('node examples/ocap/main.mjs prints the trace the README shows, every time', () => {
  for (let run = 0; run < 3; run++) {
    const out = execFileSync(process.execPath, [fileURLToPath(new URL('examples/ocap/main.mjs', root))], { encoding: 'utf8', timeout: 60000 });
    assert.is(out.trim(), blocks[4]!.body.trim());
  }
});

test('the trace shows the scenario: transfer, dereference with the context, revocation, badge and task notices, nothing left', () => {
  const out = blocks[4]!.body;
  const order = [
    'provider: Watch: the consumer\'s task handle came by transfer',
    'consumer: OpenResource(1) -> NK_EOK: a handle with rights OCAP_HANDLE_TRANSFER | RESOURCE_USE',
    'provider: UseResource: dereferenced (its own resource handle came back)',
    'nk_get_badge_op(RESOURCE_USE) -> NK_EOK: client 1 of "lamp"',
    'consumer: UseResource(handle, 21) -> NK_EOK: result 42',
    'consumer: KnHandleClose(second handle)',
    'provider: notice: entry 2: EVENT_BADGE_CLOSED: every handle of client 2 is gone',
    'provider: CloseResource: KnHandleRevokeSubtree(resource, badge 1) -> rcOk',
    'provider: notice: entry 1: EVENT_BADGE_CLOSED | EVENT_OBJECT_DESTROYED',
    'consumer: UseResource(handle, 22) -> NK_EIO: Call returned rcHandleRevoked',
    'consumer: KnHandleClose(first handle) -> rcOk',
    'provider: notice: entry 0 (the consumer\'s task): EVENT_TASK_COMPLETED',
    'kernel.stats(): 0 handles, 0 objects left',
  ];
  let at = 0;
  for (const piece of order) {
    const i = out.indexOf(piece, at);
    assert.ok(i >= 0, `the trace lacks, in order: ${piece}`);
    at = i + piece.length;
  }
});

test.run();
