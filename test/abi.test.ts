// The kernel core's ABI: the built core, the TypeScript layer and the declaration they are both
// generated from (abi/kernel.mjs) agree, and a core that does not is refused by name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import {
  Kernel, NK_MESSAGE_FIELDS, NK_MESSAGE_SIZE, NK_MAX_MESSAGE, MAX_SHAPE_DESCRIPTORS, retcodeName,
} from 'kos-ipc';
import * as retcodes from 'kos-ipc/rtl/retcode';
import { abi, admin, rejects, newKernel, shutdownAll } from './helpers.js';

test.after.each(shutdownAll);

const wasm = (file: string): Uint8Array => readFileSync(new URL(`../../dist/${file}`, import.meta.url));
const BUILDS = ['kernel.wasm', 'kernel.debug.wasm', 'kernel.unshared.wasm'];

test('every build of the core exports exactly the declared functions, each with its declared arity', async () => {
  for (const file of BUILDS) {
    const module = await WebAssembly.compile(wasm(file) as Uint8Array<ArrayBuffer>);
    const exported = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name).sort();
    assert.equal(exported, abi.exports.map((e) => e.name).sort(), `${file}: exported functions`);
    const shared = file !== 'kernel.unshared.wasm';
    const memory = new WebAssembly.Memory({ initial: 17, maximum: 32768, shared } as WebAssembly.MemoryDescriptor);
    const { exports } = await WebAssembly.instantiate(module, { env: { memory, wake() {}, abort() {} } });
    for (const e of abi.exports) {
      assert.is((exports[e.name] as (...a: number[]) => number).length, e.params.length + 1, `${file}: ${e.name}(who, ${e.params.join(', ')})`);
    }
  }
});

test('the core reports the hash of the declaration it was built from, and boots', async () => {
  const kernel = await newKernel();
  const { st, r } = admin(kernel, 'k_abi');
  assert.is(st, 0);
  assert.ok(r[0]! > 0);
  // a second look gives the same answer: it is a constant of the build
  assert.is(admin(kernel, 'k_abi').r[0], r[0]);
});

test('a core built from another declaration is refused, saying how to get a matching one', async () => {
  const bytes = wasm('kernel.wasm');
  const kernel = await newKernel();
  const hash = admin(kernel, 'k_abi').r[0]! | 0;
  // the hash is an i32.const in k_abi: find its LEB128 encoding and change its lowest bit
  const leb: number[] = [];
  for (let v = hash, more = true; more;) {
    let b = v & 0x7f;
    v >>= 7;
    more = !((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0));
    if (more) b |= 0x80;
    leb.push(b);
  }
  const needle = Buffer.from([0x41, ...leb]);
  const at = Buffer.from(bytes).indexOf(needle);
  assert.ok(at > 0, 'the hash constant is in the module');
  const patched = Uint8Array.from(bytes);
  patched[at + 1] = patched[at + 1]! ^ 1;
  await rejects(() => Kernel.create({ wasm: patched }), /the kernel core was built from another ABI .*rebuild it \(npm run build\)/);
});

test('a core that lacks a declared export is refused, naming the export', async () => {
  const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  await rejects(() => Kernel.create({ wasm: empty }), /does not match this package: export k_abi is missing/);
});

test('the nk_message header the TypeScript accessors use is the one the core was built with', () => {
  const L = abi.layout;
  assert.is(NK_MESSAGE_SIZE, L.NK_MESSAGE_SIZE![0]);
  const fields = Object.fromEntries(Object.entries(NK_MESSAGE_FIELDS).map(([k, v]) => [k, v.offset]));
  assert.equal(fields, {
    size: L.NK_OFF_SIZE![0], type: L.NK_OFF_TYPE![0], iid: L.NK_OFF_IID![0], mid: L.NK_OFF_MID![0],
    ncaps: L.NK_OFF_NCAPS![0], self: L.NK_OFF_SELF![0], selfRights: L.NK_OFF_SELF_RIGHTS![0],
  });
});

test('the limits the API states are the declared ones', () => {
  assert.is(NK_MAX_MESSAGE, abi.limits.MAX_MESSAGE![0]);
  assert.is(MAX_SHAPE_DESCRIPTORS, abi.limits.SHAPE_MAX_DESC![0]);
});

test('every status that reaches the API names a Retcode of kos-ipc/rtl/retcode', () => {
  const named = retcodes as unknown as Record<string, number>;
  for (const [name, rc] of abi.statuses) {
    if (rc === null) continue;
    assert.type(named[rc], 'number', `${name} -> ${rc}`);
    assert.is(retcodeName(named[rc]!), rc);
  }
});

test.run();
