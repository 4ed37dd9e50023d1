// Kernel.create: independent systems, the options it takes and refuses, memory that grows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel } from 'kos-ipc';
import { rejects, newKernel, shutdownAll } from './helpers.js';

test.after.each(shutdownAll);

test('two kernels are independent systems', async () => {
  const a = await newKernel(), b = await newKernel();
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
  const kernel = await newKernel({ memoryMiB: 2, maxMemoryMiB: 64 });
  const p = kernel.createProcess('P');
  const big = p.alloc(8 << 20);
  big[big.length - 1] = 7;
  assert.is(big.length, 8 << 20);
  const small = p.alloc(16);
  assert.ok(small.buffer.byteLength >= 10 << 20, 'views see the grown memory');
  await kernel.shutdown();
});

test.run();
