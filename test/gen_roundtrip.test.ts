// Round trips of every field type through real calls: the generated proxy of test/idl/rt/All.idl
// sends samples (limits, empty and full sequences, every union member) to a server that copies
// them back through the generated classes, with the EDL's shapes declared to the kernel: between
// two workers with blocking calls, from the Node main thread with the Async forms, and inside one
// realm. Every result is compared with what was sent (test/fixtures/gen_values.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Kernel, NkKosTransport, NK_NULL, NK_EOK, nk_req_reset, nk_arena_reset, nk_transport_recvAsync, nk_transport_reply,
  type Process,
} from 'kos-ipc';
import * as A from './generated/rt/All.idl.js';
import * as S from './generated/rt/Server.edl.js';
import { roundTrip } from './fixtures/gen_values.js';
import { impl } from './fixtures/gen_rt_impl.js';
import { fixture } from './helpers.js';

const ASYNC = { Scalars: A.rt_All_ScalarsAsync, Variable: A.rt_All_VariableAsync, Composite: A.rt_All_CompositeAsync, Fail: A.rt_All_FailAsync } as const;

function proxyOf(p: Process): A.rt_All_proxy {
  const t = new NkKosTransport();
  const h = p.ServiceLocatorConnect('server_connection');
  p.NkKosTransport_Init(t, h, NK_NULL, 0);
  const proxy = new A.rt_All_proxy();
  A.rt_All_proxy_init(proxy, t.base, p.ServiceLocatorGetRiid(h, 'rt.Server.all'));
  return proxy;
}

test('every field type crosses two workers and comes back equal (blocking proxy calls, shapes declared by the EDL)', async () => {
  const kernel = await Kernel.create();
  kernel.connect('Client', 'rt.Server', 'server_connection');
  const [server, client] = await Promise.all([
    kernel.spawn('rt.Server', fixture('gen_rt_server'), S.rt_Server_entity_options), kernel.spawn('Client', fixture('gen_rt_client')),
  ]);
  const exit = await client.exited;
  assert.equal(exit, { code: 0 }, String(exit.error));
  await kernel.shutdown();
  assert.ok(server.hasEnded);
});

test('the Node main thread makes the same round trips to the worker server with the Async forms', async () => {
  const kernel = await Kernel.create();
  const main = kernel.createProcess('Main');
  kernel.connect(main, 'rt.Server', 'server_connection');
  await kernel.spawn('rt.Server', fixture('gen_rt_server'), S.rt_Server_entity_options);
  const proxy = proxyOf(main);
  assert.is(await roundTrip({ call: (m, req, res) => (ASYNC[m] as typeof A.rt_All_ScalarsAsync)(proxy.base, req, undefined, res, undefined) }), 10);
  await kernel.shutdown();
});

test('client and server in one realm make the same round trips (recvAsync, dispatch, reply)', async () => {
  const kernel = await Kernel.create();
  const server = kernel.createProcess('rt.Server', S.rt_Server_entity_options);
  const client = kernel.createProcess('Client');
  kernel.connect(client, server, 'server_connection');
  const st = new NkKosTransport();
  server.NkKosTransport_Init(st, server.ServiceLocatorRegister('server_connection', null, 0), NK_NULL, 0);
  const entity = new S.rt_Server_entity();
  S.rt_Server_entity_init(entity, impl);
  const req = new S.rt_Server_entity_req(), res = new S.rt_Server_entity_res();
  let served = 0;
  void (async () => {
    for (;;) {
      nk_req_reset(req.base_);
      nk_arena_reset(req.arena_!);
      nk_arena_reset(res.arena_!);
      if (await nk_transport_recvAsync(st.base, req.base_, req.arena_) !== NK_EOK) return;
      if (S.rt_Server_entity_dispatch(entity, req.base_, req.arena_, res.base_, res.arena_) === NK_EOK) served++;
      nk_transport_reply(st.base, res.base_, res.arena_);
    }
  })();
  const proxy = proxyOf(client);
  assert.is(await roundTrip({ call: (m, q, r) => (ASYNC[m] as typeof A.rt_All_ScalarsAsync)(proxy.base, q, undefined, r, undefined) }), 10);
  assert.is(served, 10);
  await kernel.shutdown();
});

test.run();
