// The core and the TypeScript layer share layouts; these tests keep the two in step.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel, NK_MESSAGE_FIELDS, NK_MESSAGE_SIZE, retcodeName } from 'kos-ipc';
import * as rc from 'kos-ipc/rtl/retcode';
import { rejects } from './helpers.js';

interface CoreLike { layout: Record<string, number> }

test('the core reads the nk_message header at the offsets of NK_MESSAGE_FIELDS', async () => {
  const kernel = await Kernel.create();
  const L = (kernel as unknown as { core: CoreLike }).core.layout;
  assert.is(L.nkSize, NK_MESSAGE_SIZE);
  assert.is(L.nkOffSize, NK_MESSAGE_FIELDS.size.offset);
  assert.is(L.nkOffType, NK_MESSAGE_FIELDS.type.offset);
  assert.is(L.nkOffIid, NK_MESSAGE_FIELDS.iid.offset);
  assert.is(L.nkOffMid, NK_MESSAGE_FIELDS.mid.offset);
  assert.is(L.nkOffNcaps, NK_MESSAGE_FIELDS.ncaps.offset);
  assert.is(L.nkOffSelf, NK_MESSAGE_FIELDS.self.offset);
  await kernel.shutdown();
});

test('the kernel tables end below the heap and leave room for the admin scratch area', async () => {
  const kernel = await Kernel.create();
  const L = (kernel as unknown as { core: CoreLike }).core.layout;
  assert.ok(L.tablesEnd! + 64 <= L.heapBase!, `tables end at ${L.tablesEnd}, heap at ${L.heapBase}`);
  assert.is(L.maxMessage, 4 << 20);
  await kernel.shutdown();
});

test('every Retcode the API returns has a name', () => {
  for (const [name, value] of Object.entries(rc)) {
    if (!name.startsWith('rc') || typeof value !== 'number') continue;
    assert.is(retcodeName(value), name);
  }
});

test('two kernels are independent systems', async () => {
  const a = await Kernel.create(), b = await Kernel.create();
  a.createProcess('Same');
  b.createProcess('Same');
  a.connect('Same', 'Same', 'self');
  assert.ok(a.process('Same')!.ServiceLocatorConnect('self') !== 0xffffffff);
  assert.is(b.process('Same')!.ServiceLocatorConnect('self'), 0xffffffff);
  await a.shutdown();
  await b.shutdown();
});

test('Kernel.create refuses options it cannot honour, naming the option', async () => {
  await rejects(() => Kernel.create({ memoryMiB: 'x' as unknown as number }), /Kernel.create: memoryMiB must be a number of MiB/);
  await rejects(() => Kernel.create({ memoryMiB: 64, maxMemoryMiB: 32 }), /maxMemoryMiB \(32\) is below memoryMiB \(64\)/);
  await rejects(() => Kernel.create({ spin: -1 }), /spin must be a number of microseconds or a boolean/);
  await rejects(() => Kernel.create({ wasm: 'kernel.wasm' as never }), /wasm must be a WebAssembly.Module/);
  await rejects(() => Kernel.create({ wasm: new Uint8Array([1, 2, 3]) }), /./);
});

test('the kernel memory grows on demand beyond its initial size', async () => {
  const kernel = await Kernel.create({ memoryMiB: 2, maxMemoryMiB: 64 });
  const p = kernel.createProcess('P');
  const big = p.alloc(8 << 20);
  big[big.length - 1] = 7;
  assert.is(big.length, 8 << 20);
  const small = p.alloc(16);
  assert.ok(small.buffer.byteLength >= 10 << 20, 'views see the grown memory');
  await kernel.shutdown();
});

test.run();
