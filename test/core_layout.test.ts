// The core and the TypeScript layer share layouts; these tests keep the two in step.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel, NK_MESSAGE_FIELDS, NK_MESSAGE_SIZE, retcodeName } from 'kos-ipc';
import * as rc from 'kos-ipc/rtl/retcode';

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

test.run();
