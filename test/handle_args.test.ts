// Handle arguments are C Handles (u32): a value outside 0..0xFFFFFFFF, or not an integer, is a
// programmer error in every call, a TypeError that names the call and the argument; it is never
// taken modulo 2^32, so it can never act on a live handle.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rcOk, INVALID_HANDLE, type Process } from 'kos-ipc';
import { outMsg, inMsg, is, rejects, shutdownAll, syncObject } from './helpers.js';
import { pair } from './pair.js';

test.after.each(shutdownAll);

/** Values that are not u32 handles, built around live handle `h`. */
const badValues = (h: number): unknown[] => [h + 2 ** 32, h - 2 ** 32, h + 2 ** 40, -1, h + 0.5, NaN, Infinity, String(h), null, undefined];

/** Every call that takes a handle, as (name, argument, call with that argument). */
function calls(p: Process, ch: number, sh: number, sync: number): [string, string, (v: never) => unknown][] {
  const o = (): ReturnType<typeof outMsg>['hdr'] => outMsg(1).hdr;
  const i = (): ReturnType<typeof inMsg>['hdr'] => inMsg().hdr;
  return [
    ['Call', 'handle', (v) => p.Call(v, o(), i())],
    ['CallEx', 'handle', (v) => p.CallEx(v, o(), i(), 10, INVALID_HANDLE)],
    ['CallEx', 'syncHandle', (v) => p.CallEx(ch, o(), i(), 10, v)],
    ['CallAsync', 'handle', (v) => p.CallAsync(v, o(), i())],
    ['CallExAsync', 'handle', (v) => p.CallExAsync(v, o(), i(), 10, INVALID_HANDLE)],
    ['CallExAsync', 'syncHandle', (v) => p.CallExAsync(ch, o(), i(), 10, v)],
    ['Recv', 'handle', (v) => p.Recv(v, i())],
    ['RecvEx', 'handle', (v) => p.RecvEx(v, i(), 10, INVALID_HANDLE)],
    ['RecvEx', 'syncHandle', (v) => p.RecvEx(sh, i(), 10, v)],
    ['RecvAsync', 'handle', (v) => p.RecvAsync(v, i())],
    ['RecvExAsync', 'handle', (v) => p.RecvExAsync(v, i(), 10, INVALID_HANDLE)],
    ['RecvExAsync', 'syncHandle', (v) => p.RecvExAsync(sh, i(), 10, v)],
    ['Reply', 'handle', (v) => p.Reply(v, o())],
    ['ServiceLocatorGetRiid', 'handle', (v) => p.ServiceLocatorGetRiid(v, 'main')],
    ['KnHandleClose', 'handle', (v) => p.KnHandleClose(v)],
    ['KnIpcSetInterrupt', 'syncHandle', (v) => p.KnIpcSetInterrupt(v)],
    ['KnIpcClearInterrupt', 'syncHandle', (v) => p.KnIpcClearInterrupt(v)],
  ];
}

test('every call refuses a handle that is not a u32 with a TypeError naming the call and the argument', async () => {
  const { kernel, client, ch, sh } = await pair();
  const sync = syncObject(client);
  for (const [fn, arg, call] of calls(client, ch, sh, sync)) {
    const live = arg === 'syncHandle' ? sync : fn.startsWith('Recv') || fn === 'Reply' ? sh : ch;
    for (const v of badValues(live)) {
      const re = new RegExp(`^${fn}: ${arg} must be a handle \\(an integer from 0 to 0xFFFFFFFF`);
      try {
        await rejects(() => call(v as never), re);
      } catch (e) {
        throw new Error(`${fn}(${arg} = ${String(v)}): ${(e as Error).message}`);
      }
    }
  }
  await kernel.shutdown();
});

test('a handle value 2^32 above a live handle does not close it: KnHandleClose(sync + 2^32) throws and sync lives on', async () => {
  const { client } = await pair();
  const sync = syncObject(client);
  assert.throws(() => client.KnHandleClose(sync + 2 ** 32), /KnHandleClose: handle must be a handle/);
  is(client.KnIpcSetInterrupt(sync), rcOk);
  is(client.KnHandleClose(sync), rcOk);
});

test('Reply refuses a msgOut.threadId that is not a u32', async () => {
  const { server, sh } = await pair();
  for (const v of [-1, 2 ** 32, 0.5, NaN]) {
    const m = outMsg(1);
    m.hdr.threadId = v;
    assert.throws(() => server.Reply(sh, m.hdr), /Reply: msgOut.threadId must be an integer from 0 to 0xFFFFFFFF/);
  }
});

test.run();
