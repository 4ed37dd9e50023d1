// A kos-ipc client process (spawned with kernel.spawn) that measures blocking Call round trips
// and reports on the bench bus. args[0]: ClientConfig plus { alloc } as JSON.
import { thisProcess } from '../../current.js';
import { runClient, type ClientConfig } from '../bus.js';
import { KosCall } from '../kos_msgs.js';

const p = thisProcess();
const cfg = JSON.parse(p.args[0] ?? '{}') as ClientConfig & { alloc: boolean };
await runClient(cfg, () => {
  const h = p.ServiceLocatorConnect('bench');
  if (h === 0xffffffff) throw new Error(`bench client "${p.name}": no channel "bench"`);
  const c = new KosCall(p, cfg.size_bytes, cfg.alloc, cfg.index);
  return { rt: () => { c.before(); c.after(p.Call(h, c.out, c.inn)); } };
});
