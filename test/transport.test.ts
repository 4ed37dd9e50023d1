// NkKosTransport (coresrv/nk/transport-kos) and the nk_transport routines (nk/transport): calls
// through the transport reach the server and come back; every nk_err_t of the Retcode mapping
// is provoked through the public API; bad arguments get errors that say what to do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Kernel, NkKosTransport, NkKosTransport_Init, nkErrorOf, nkErrorName, nk_transport_call, nk_transport_recv,
  nk_transport_reply, nk_transport_callAsync, nk_transport_recvAsync, nk_req_reset, nk_msg_set_method_id,
  nk_arena_init, nk_arena_store_string, nk_arena_alloc, NK_NULL, NK_EOK, NK_EPERM, NK_EINVAL, NK_ENOTCONN,
  NK_EMSGSIZE, NK_ENOMEM, NK_ENOSYS, NK_EIO, NK_ELOGIC_MAKE, NK_ELOGIC_CHECK, NK_ELOGIC_GET,
  rcOk, rcSecurityDisallow, rcNoCapability, rcInvalidArgument, rcInvalidOperation, rcNotConnected,
  rcBufferTooLarge, rcUnimplemented, rcOutOfMemory, rcQuotaExceeded, rcBusy, rcTimeout, rcIpcInterrupt,
  type nk_transport, type Process,
} from 'kos-ipc';
import * as kosTransport from 'kos-ipc/coresrv/nk/transport-kos';
import * as nkTransport from 'kos-ipc/nk/transport';
import { fixture, rejects } from './helpers.js';
import { pair } from './pair.js';

const u32 = (b: Uint8Array, v?: number): number => {
  const dv = new DataView(b.buffer, b.byteOffset);
  if (v !== undefined) dv.setUint32(24, v, true);
  return dv.getUint32(24, true);
};

/** A request of 32 bytes carrying `v` at 24. */
function request(v: number, riid = 0, mid = 0): Uint8Array {
  const b = new Uint8Array(32);
  nk_req_reset(b);
  nk_msg_set_method_id(b, riid, mid);
  u32(b, v);
  return b;
}

function transportOf(p: Process, handle: number): NkKosTransport {
  const t = new NkKosTransport();
  p.NkKosTransport_Init(t, handle, NK_NULL, 0);
  return t;
}

test('nkErrorOf maps every Retcode of the documented table, and any other code to NK_EIO', () => {
  const table: [number, number][] = [
    [rcOk, NK_EOK], [rcSecurityDisallow, NK_EPERM], [rcNoCapability, NK_EPERM],
    [rcInvalidArgument, NK_EINVAL], [rcInvalidOperation, NK_EINVAL], [rcNotConnected, NK_ENOTCONN],
    [rcBufferTooLarge, NK_EMSGSIZE], [rcUnimplemented, NK_ENOSYS], [rcOutOfMemory, NK_ENOMEM],
    [rcQuotaExceeded, NK_ENOMEM], [rcBusy, NK_EIO], [rcTimeout, NK_EIO], [rcIpcInterrupt, NK_EIO],
  ];
  for (const [rc, err] of table) assert.is(nkErrorName(nkErrorOf(rc)), nkErrorName(err));
  assert.is(nkErrorOf(rcSecurityDisallow >>> 0), NK_EPERM, 'the unsigned form of a Retcode maps the same');
  assert.throws(() => nkErrorOf('x' as unknown as number), /nkErrorOf: rc must be an integer Retcode, got string x/);
});

test('the transport module and its subpath export the same functions as the root', () => {
  assert.is(kosTransport.NkKosTransport, NkKosTransport);
  assert.is(kosTransport.NkKosTransport_Init, NkKosTransport_Init);
  assert.is(kosTransport.NK_NULL, null);
  assert.is(nkTransport.nk_transport_call, nk_transport_call);
  assert.is(nkTransport.nk_transport_recvAsync, nk_transport_recvAsync);
});

test('a client and a server in one realm exchange messages through NkKosTransport (callAsync, recvAsync, reply)', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const st = transportOf(server, sh), ct = transportOf(client, ch);
  assert.is(ct.handle, ch);
  for (let v = 1; v <= 20; v++) {
    const res = new Uint8Array(32);
    const call = nk_transport_callAsync(ct.base, request(v), null, res, null);
    const req = new Uint8Array(32);
    assert.is(await nk_transport_recvAsync(st.base, req, null), NK_EOK);
    assert.is(st.base.ops!.reply(st.base, request(u32(req) * 3), null), NK_EOK);
    assert.is(await call, NK_EOK);
    assert.is(u32(res), v * 3);
  }
  await kernel.shutdown();
});

test('strings in arenas travel through the transport both ways', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const st = transportOf(server, sh), ct = transportOf(client, ch);
  const req = request(0), reqArena = nk_arena_init(new Uint8Array(64));
  nk_arena_store_string(reqArena, req, 24, 'over the transport');
  const res = new Uint8Array(32), resArena = nk_arena_init(new Uint8Array(64));
  const call = nk_transport_callAsync(ct.base, req, reqArena, res, resArena);
  const sreq = new Uint8Array(32), sArena = nk_arena_init(new Uint8Array(64));
  assert.is(await nk_transport_recvAsync(st.base, sreq, sArena), NK_EOK);
  assert.is(sArena.used, 19);
  const sres = request(0), sresArena = nk_arena_init(new Uint8Array(64));
  nk_arena_alloc(Uint8Array, sresArena, sres, 24, 5)!.set([1, 2, 3, 4, 5]);
  assert.is(nk_transport_reply(st.base, sres, sresArena), NK_EOK);
  assert.is(await call, NK_EOK);
  assert.equal([...resArena.buffer.subarray(0, resArena.used)], [1, 2, 3, 4, 5]);
  await kernel.shutdown();
});

test('a worker client and a worker server talk through NkKosTransport with blocking calls', async () => {
  const kernel = await Kernel.create();
  kernel.connect('Client', 'Server', 'echo');
  const [server, client] = await Promise.all([
    kernel.spawn('Server', fixture('transport_server')), kernel.spawn('Client', fixture('transport_client')),
  ]);
  const exit = await client.exited;
  assert.equal(exit, { code: 0 }, String(exit.error));
  await kernel.shutdown();
  assert.ok(server.hasEnded);
});

test('the Node main thread calls a worker server with nk_transport_call and nk_transport_callAsync', async () => {
  const kernel = await Kernel.create();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'Server', 'echo');
  const server = await kernel.spawn('Server', fixture('transport_server'));
  const t = transportOf(main, main.ServiceLocatorConnect('echo'));
  const res = new Uint8Array(32);
  assert.is(nk_transport_call(t.base, request(41), null, res, null), NK_EOK);
  assert.is(u32(res), 42);
  assert.is(await nk_transport_callAsync(t.base, request(99), null, res, null), NK_EOK);
  assert.is(u32(res), 100);
  assert.is(nk_transport_call(t.base, request(0xffffffff), null, res, null), NK_EOK, 'the last call stops the server');
  assert.equal(await server.exited, { code: 0 });
  await kernel.shutdown();
});

/** A server and two clients, A and B, on one channel; each client has a call in flight (values 1 and 2). */
async function twoCallers(options: { interfaces?: Record<string, { methods: { name: string; in: Record<string, string>; out: Record<string, string> }[] }> } = {}) {
  const kernel = await Kernel.create();
  const server = kernel.createProcess('Server', { endpoints: { main: 'Echo' }, ...options });
  const a = kernel.createProcess('A'), b = kernel.createProcess('B');
  kernel.connect(a, server, 'echo');
  kernel.connect(b, server, 'echo');
  const st = transportOf(server, server.ServiceLocatorRegister('echo'));
  const ra = new Uint8Array(32), rb = new Uint8Array(32);
  const callA = nk_transport_callAsync(transportOf(a, a.ServiceLocatorConnect('echo')).base, request(1), null, ra, null);
  const callB = nk_transport_callAsync(transportOf(b, b.ServiceLocatorConnect('echo')).base, request(2), null, rb, null);
  return { kernel, st, ra, rb, callA, callB };
}

test('reply answers the caller whose request the last recv took, then the oldest call not yet answered', async () => {
  const { kernel, st, ra, rb, callA, callB } = await twoCallers();
  const req = new Uint8Array(32);
  assert.is(await nk_transport_recvAsync(st.base, req, null), NK_EOK);
  assert.is(u32(req), 1);
  assert.is(await nk_transport_recvAsync(st.base, req, null), NK_EOK);
  assert.is(u32(req), 2);
  assert.is(nk_transport_reply(st.base, request(20), null), NK_EOK);
  assert.is(await callB, NK_EOK);
  assert.is(u32(rb), 20, 'the first reply goes to B, whose request the last recv took');
  assert.is(nk_transport_reply(st.base, request(10), null), NK_EOK);
  assert.is(await callA, NK_EOK);
  assert.is(u32(ra), 10, 'the second goes to the oldest call not yet answered, A');
  await kernel.shutdown();
});

test('a refused reply ends its call and keeps its caller\'s token, so a second reply never reaches another caller', async () => {
  const { kernel, st, callA, callB } = await twoCallers({
    interfaces: { Echo: { methods: [{ name: 'Echo', in: { value: 'UInt32' }, out: { result: 'UInt32' } }] } },
  });
  let aSettled = false;
  void callA.then(() => { aSettled = true; });
  const req = new Uint8Array(32);
  assert.is(await nk_transport_recvAsync(st.base, req, null), NK_EOK);
  assert.is(await nk_transport_recvAsync(st.base, req, null), NK_EOK);
  const tooBig = new Uint8Array(40);
  nk_req_reset(tooBig);
  assert.is(nk_transport_reply(st.base, tooBig, null), NK_EINVAL, 'a 40-byte response breaks the 32-byte shape');
  assert.is(await callB, NK_EINVAL, 'the refused reply ended B\'s call');
  assert.is(nk_transport_reply(st.base, request(20), null), NK_EINVAL, 'B\'s token matches no call any more');
  await new Promise((r) => setTimeout(r, 10));
  assert.not.ok(aSettled, 'the second reply did not go to A, the oldest call not yet answered');
  await kernel.shutdown();
});

test('call returns NK_EPERM when the policy denies the request, and the server never sees it', async () => {
  const { kernel, server, client, sh, ch } = await pair({ policy: { rules: [{ event: 'request', decision: 'deny' }] } });
  const st = transportOf(server, sh), ct = transportOf(client, ch);
  assert.is(await nk_transport_callAsync(ct.base, request(1), null, new Uint8Array(32), null), NK_EPERM);
  const waiting = nk_transport_recvAsync(st.base, new Uint8Array(32), null);
  let settled = false;
  void waiting.then(() => { settled = true; });
  await new Promise((r) => setTimeout(r, 20));
  assert.not.ok(settled, 'no request was queued');
  await kernel.shutdown();
});

test('reply and the waiting call both return NK_EPERM when the policy denies the response', async () => {
  const { kernel, server, client, sh, ch } = await pair({ policy: { rules: [{ event: 'response', decision: 'deny' }] } });
  const st = transportOf(server, sh), ct = transportOf(client, ch);
  const call = nk_transport_callAsync(ct.base, request(1), null, new Uint8Array(32), null);
  assert.is(await nk_transport_recvAsync(st.base, new Uint8Array(32), null), NK_EOK);
  assert.is(nk_transport_reply(st.base, request(2), null), NK_EPERM);
  assert.is(await call, NK_EPERM);
  assert.is(nk_transport_reply(st.base, request(2), null), NK_EINVAL, 'the call is over: a second reply has no caller');
  await kernel.shutdown();
});

test('call returns NK_EINVAL for a request that breaks the shape the server declared', async () => {
  const kernel = await Kernel.create();
  const server = kernel.createProcess('Server', {
    endpoints: { main: 'Echo' },
    interfaces: { Echo: { methods: [{ name: 'Echo', in: { value: 'string<8>' } }] } },
  });
  const client = kernel.createProcess('Client');
  kernel.connect(client, server, 'echo');
  const ct = transportOf(client, client.ServiceLocatorConnect('echo'));
  const req = request(0), arena = nk_arena_init(new Uint8Array(32));
  nk_arena_store_string(arena, req, 24, 'too long for eight');
  assert.is(await nk_transport_callAsync(ct.base, req, arena, new Uint8Array(32), null), NK_EINVAL);
  await kernel.shutdown();
});

test('reply returns NK_EINVAL when no call waits for an answer', async () => {
  const { kernel, server, sh } = await pair();
  assert.is(nk_transport_reply(transportOf(server, sh).base, request(1), null), NK_EINVAL);
  await kernel.shutdown();
});

test('call, recv and reply return NK_EINVAL for a constant part shorter than the 24-byte header', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const st = transportOf(server, sh), ct = transportOf(client, ch);
  assert.is(await nk_transport_callAsync(ct.base, new Uint8Array(16), null, new Uint8Array(32), null), NK_EINVAL);
  assert.is(await nk_transport_callAsync(ct.base, request(1), null, new Uint8Array(8), null), NK_EINVAL);
  assert.is(await nk_transport_recvAsync(st.base, new Uint8Array(8), null), NK_EINVAL);
  assert.is(nk_transport_reply(st.base, new Uint8Array(8), null), NK_EINVAL);
  await kernel.shutdown();
});

test('Init does not check the handle: a call through a handle that was never issued returns NK_EINVAL', async () => {
  const { kernel, client } = await pair();
  const t = transportOf(client, 12345);
  assert.is(t.handle, 12345);
  assert.is(await nk_transport_callAsync(t.base, request(1), null, new Uint8Array(32), null), NK_EINVAL);
  await kernel.shutdown();
});

test('call returns NK_EINVAL on a handle of another kind (a listener)', async () => {
  const { kernel, server, sh } = await pair();
  const t = transportOf(server, sh);
  assert.is(await nk_transport_callAsync(t.base, request(1), null, new Uint8Array(32), null), NK_EINVAL);
  await kernel.shutdown();
});

test('call returns NK_ENOTCONN once the server has closed its listener', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  assert.is(server.KnHandleClose(sh), rcOk);
  assert.is(await nk_transport_callAsync(transportOf(client, ch).base, request(1), null, new Uint8Array(32), null), NK_ENOTCONN);
  await kernel.shutdown();
});

test('reply returns NK_ENOMEM when it cannot be staged (the call waits on), NK_EMSGSIZE over 4 MiB (the call is over)', async () => {
  const { kernel, server, client, sh, ch } = await pair({ memoryMiB: 16, maxMemoryMiB: 16 });
  const st = transportOf(server, sh), ct = transportOf(client, ch);
  const call = nk_transport_callAsync(ct.base, request(1), null, new Uint8Array(32), null);
  assert.is(await nk_transport_recvAsync(st.base, new Uint8Array(32), null), NK_EOK);
  const big = nk_arena_init(new Uint8Array(15 << 20));
  big.used = big.capacity;
  assert.is(nk_transport_reply(st.base, request(2), big), NK_ENOMEM);
  const huge = nk_arena_init(new Uint8Array((4 << 20) + 8));
  huge.used = huge.capacity;
  assert.is(nk_transport_reply(st.base, request(2), huge), NK_EMSGSIZE);
  assert.is(await call, NK_EMSGSIZE);
  await kernel.shutdown();
});

test('reply returns NK_ENOTCONN when the caller has ended', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const st = transportOf(server, sh);
  void nk_transport_callAsync(transportOf(client, ch).base, request(1), null, new Uint8Array(32), null);
  assert.is(await nk_transport_recvAsync(st.base, new Uint8Array(32), null), NK_EOK);
  await kernel.terminate(client);
  assert.is(nk_transport_reply(st.base, request(2), null), NK_ENOTCONN);
  await kernel.shutdown();
});

test('call returns NK_EMSGSIZE for a message over 4 MiB', async () => {
  const { kernel, client, ch } = await pair();
  const arena = nk_arena_init(new Uint8Array((4 << 20) + 8));
  arena.used = arena.capacity;
  assert.is(await nk_transport_callAsync(transportOf(client, ch).base, request(1), arena, new Uint8Array(32), null), NK_EMSGSIZE);
  await kernel.shutdown();
});

test('call returns NK_ENOMEM when kernel memory cannot stage the request', async () => {
  const { kernel, client, ch } = await pair({ memoryMiB: 2, maxMemoryMiB: 2 });
  const arena = nk_arena_init(new Uint8Array(3 << 20));
  arena.used = arena.capacity;
  assert.is(await nk_transport_callAsync(transportOf(client, ch).base, request(1), arena, new Uint8Array(32), null), NK_ENOMEM);
  await kernel.shutdown();
});

test('an uninitialised transport and a foreign ops table are refused with errors that say what to do', async () => {
  const t = new NkKosTransport();
  assert.throws(() => nk_transport_call(t.base, request(1), null, new Uint8Array(32), null),
    /nk_transport_call: the transport is not initialised; call NkKosTransport_Init\(transport, handle, NK_NULL, 0\) first/);
  assert.throws(() => nk_transport_recv({} as nk_transport, new Uint8Array(32), null), /nk_transport_recv: t must be an nk_transport/);
  const partial = { ops: { call: () => NK_EOK } } as unknown as nk_transport;
  assert.throws(() => nk_transport_reply(partial, request(1), null), /the transport's ops table has no reply routine/);
  await rejects(() => nk_transport_callAsync(t.base, request(1), null, new Uint8Array(32), null), /not initialised/);
  await rejects(() => nk_transport_recvAsync(partial, new Uint8Array(32), null), /has no recvAsync routine/);
});

test('a buffer that is not a Uint8Array or an arena that is not an NkArena is refused naming the argument', async () => {
  const { kernel, client, ch } = await pair();
  const t = transportOf(client, ch);
  assert.throws(() => nk_transport_call(t.base, [1, 2] as unknown as Uint8Array, null, new Uint8Array(32), null),
    /nk_transport_call: req must be a Uint8Array constant part .*got Array/);
  await rejects(() => nk_transport_callAsync(t.base, request(1), {} as never, new Uint8Array(32), null),
    /nk_transport_callAsync: reqArena must be an NkArena \(from nk_arena_init\) or null, got Object/);
  await kernel.shutdown();
});

test('NkKosTransport_Init refuses a non-transport, a non-integer handle and view/size other than NK_NULL, 0', async () => {
  const { kernel, client, ch } = await pair();
  const t = new NkKosTransport();
  assert.throws(() => client.NkKosTransport_Init({} as NkKosTransport, ch, NK_NULL, 0), /transport must be an NkKosTransport/);
  assert.throws(() => client.NkKosTransport_Init(t, 'h' as unknown as number, NK_NULL, 0), /handle must be an IPC handle \(an integer\), got string "h"/);
  assert.throws(() => client.NkKosTransport_Init(t, ch, {} as unknown as null, 0), /third argument must be NK_NULL/);
  assert.throws(() => client.NkKosTransport_Init(t, ch, NK_NULL, 4), /fourth argument must be 0/);
  assert.is(t.base.ops, null, 'a refused Init leaves the transport uninitialised');
  await kernel.shutdown();
});

test('the top-level NkKosTransport_Init outside a worker says to call it on the Process', () => {
  assert.throws(() => NkKosTransport_Init(new NkKosTransport(), 1, NK_NULL, 0),
    /thisProcess: no current process.*call the method on a Process instead/);
});

test('logical errors survive NK_ELOGIC_MAKE and NK_ELOGIC_GET and are never NK_E* codes or Retcodes', () => {
  for (const code of [0, 1, 0xffff, 0xffffffff, -1]) {
    const rc = NK_ELOGIC_MAKE(code);
    assert.ok(NK_ELOGIC_CHECK(rc));
    assert.is(NK_ELOGIC_GET(rc), code >>> 0);
  }
  for (const rc of [NK_EOK, NK_EPERM, NK_EIO, rcBusy, rcBusy >>> 0]) assert.not.ok(NK_ELOGIC_CHECK(rc));
  assert.is(NK_ELOGIC_GET(NK_EINVAL), 0);
  assert.is(nkErrorName(NK_ELOGIC_MAKE(7)), 'NK_ELOGIC(7)');
  assert.is(nkErrorName(NK_ENOTCONN), 'NK_ENOTCONN');
  assert.is(nkErrorName(3), 'nk_err_t(3)');
  assert.throws(() => NK_ELOGIC_MAKE(1.5), /NK_ELOGIC_MAKE: code must be an integer/);
});

test.run();
