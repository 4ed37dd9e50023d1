// The generated-code echo server (spawned with kernel.spawn): the bench.Server entity
// dispatcher over NkKosTransport, blocking recv / dispatch / reply; its Echo answers counter + 1.
// Ends when recv fails (the kernel shut down).
import { thisProcess } from '../../current.js';
import { NkKosTransport } from '../../coresrv/nk/transport-kos.js';
import { nk_transport_recv, nk_transport_reply } from '../../nk/transport.js';
import { nk_req_reset } from '../../services/rtl/nk_msg.js';
import { nk_arena_reset } from '../../nk/arena.js';
import { NK_EOK, NK_NULL } from '../../nk/types.js';
import type { bench_Echo } from '../generated/bench/Echo.idl.js';
import {
  bench_Server_entity, bench_Server_entity_init, bench_Server_entity_dispatch, bench_Server_entity_req, bench_Server_entity_res,
} from '../generated/bench/Server.edl.js';

const impl: bench_Echo = {
  ops: {
    Echo(_self, req, _ra, res) { res.next = (req.counter + 1) >>> 0; return NK_EOK; },
    Put() { return NK_EOK; },
  },
};
const p = thisProcess();
const h = p.ServiceLocatorRegister('bench', null, 0);
if (h === 0xffffffff) throw new Error(`bench server "${p.name}": no channel "bench"`);
const transport = new NkKosTransport();
p.NkKosTransport_Init(transport, h, NK_NULL, 0);
const req = new bench_Server_entity_req(), res = new bench_Server_entity_res();
const entity = new bench_Server_entity();
bench_Server_entity_init(entity, impl);
for (;;) {
  nk_req_reset(req.base_);
  nk_arena_reset(req.arena_!);
  if (nk_transport_recv(transport.base, req.base_, req.arena_) !== NK_EOK) break;
  bench_Server_entity_dispatch(entity, req.base_, req.arena_, res.base_, res.arena_);
  nk_transport_reply(transport.base, res.base_, res.arena_);
}
