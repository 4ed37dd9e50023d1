// A client of the generated-code echo server (spawned with kernel.spawn), measuring blocking
// round trips of the same bytes two ways: `proxy` through the generated proxy (it stamps the
// header and calls nk_transport_call), `call` with a request built by hand once and Call.
// args[0]: ClientConfig plus { mode } as JSON.
import { thisProcess } from '../../current.js';
import { NkKosTransport } from '../../coresrv/nk/transport-kos.js';
import { SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, nk_msg_set_method_id } from '../../services/rtl/nk_msg.js';
import { nk_arena_init, nk_arena_store } from '../../nk/arena.js';
import { NK_EOK, NK_NULL } from '../../nk/types.js';
import { rcOk } from '../../rtl/retcode.js';
import { runClient, type ClientConfig } from '../bus.js';
import {
  bench_Echo_proxy, bench_Echo_proxy_init, bench_Echo_Echo, bench_Echo_Echo_req, bench_Echo_Echo_res, bench_Echo_Echo_mid,
} from '../generated/bench/Echo.idl.js';

const p = thisProcess();
const cfg = JSON.parse(p.args[0] ?? '{}') as ClientConfig & { mode: 'proxy' | 'call' };
const data = new Uint8Array(cfg.size_bytes).fill(0x5a);

await runClient(cfg, () => {
  const h = p.ServiceLocatorConnect('bench');
  if (h === 0xffffffff) throw new Error(`bench client "${p.name}": no channel "bench"`);
  const riid = p.ServiceLocatorGetRiid(h, 'echo');
  let value = 0;
  const check = (got: number): void => {
    if (got !== ((value + 1) >>> 0)) throw new Error(`generated echo: reply ${got}, expected ${value + 1}`);
    value = (value + 1) >>> 0;
  };
  if (cfg.mode === 'proxy') {
    const transport = new NkKosTransport();
    p.NkKosTransport_Init(transport, h, NK_NULL, 0);
    const proxy = new bench_Echo_proxy();
    bench_Echo_proxy_init(proxy, transport.base, riid);
    const req = new bench_Echo_Echo_req(), res = new bench_Echo_Echo_res();
    req.data = data;
    return { rt: () => {
      req.counter = value;
      const rc = bench_Echo_Echo(proxy.base, req, undefined, res, undefined);
      if (rc !== NK_EOK) throw new Error(`generated echo: ${rc}`);
      check(res.next);
    } };
  }
  // the same bytes by hand: header, counter at 24, the arena's nk_ptr_t at 28
  const req = new Uint8Array(bench_Echo_Echo_req.size), res = new Uint8Array(bench_Echo_Echo_res.size);
  const arena = nk_arena_init(new Uint8Array(Math.max(8, cfg.size_bytes)));
  nk_req_reset(req);
  nk_msg_set_method_id(req, riid, bench_Echo_Echo_mid);
  nk_arena_store(Uint8Array, arena, req, 28, data);
  const out = new SMsgHdr(), inn = new SMsgHdr();
  PackOutMsg(out, req, arena);
  PackInMsg(inn, res, null);
  const dq = new DataView(req.buffer), ds = new DataView(res.buffer);
  return { rt: () => {
    dq.setUint32(24, value, true);
    const rc = p.Call(h, out, inn);
    if (rc !== rcOk) throw new Error(`raw Call: ${rc}`);
    check(ds.getUint32(24, true));
  } };
});
