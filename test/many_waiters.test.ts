// One kernel action may complete many waiting calls at once; all of them settle, none hangs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rcNotConnected, rcIpcInterrupt, retcodeName, INFINITE_TIMEOUT } from 'kos-ipc';
import { outMsg, inMsg, newKernel, shutdownAll, syncObject } from './helpers.js';
import { pair } from './pair.js';

test.after.each(shutdownAll);

const names = (rcs: number[]): string[] => rcs.map(retcodeName);

test('closing the server handle settles eight queued Async calls with rcNotConnected', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const calls = Array.from({ length: 8 }, (_, i) => client.CallAsync(ch, outMsg(i).hdr, inMsg().hdr));
  server.KnHandleClose(sh);
  assert.equal(names(await Promise.all(calls)), Array(8).fill('rcNotConnected'));
  await kernel.shutdown();
});

test('one interrupt settles eight waiting CallEx calls with rcIpcInterrupt', async () => {
  const { kernel, client, ch } = await pair();
  const s = syncObject(client);
  const calls = Array.from({ length: 8 }, (_, i) => client.CallExAsync(ch, outMsg(i).hdr, inMsg().hdr, INFINITE_TIMEOUT, s));
  client.KnIpcSetInterrupt(s);
  assert.equal(names(await Promise.all(calls)), Array(8).fill(retcodeName(rcIpcInterrupt)));
  await kernel.shutdown();
});

test('shutdown settles ten calls in flight', async () => {
  const { kernel, client, ch } = await pair();
  const calls = Array.from({ length: 10 }, (_, i) => client.CallAsync(ch, outMsg(i).hdr, inMsg().hdr));
  await kernel.shutdown();
  assert.equal(names(await Promise.all(calls)), Array(10).fill(retcodeName(rcNotConnected)));
});

test.run();
