// A client process for the handle scenarios (spawned with kernel.spawn): measures blocking Call
// round trips whose request carries no handle, a transferred one or one sent back, and reports
// on the bench bus. args[0]: ClientConfig plus { mode } as JSON.
import { thisProcess } from '../../current.js';
import { runClient, type ClientConfig } from '../bus.js';
import { CapCall, type CapMode } from '../cap_msgs.js';

const p = thisProcess();
const cfg = JSON.parse(p.args[0] ?? '{}') as ClientConfig & { mode: CapMode };
await runClient(cfg, () => {
  const h = p.ServiceLocatorConnect('bench');
  if (h === 0xffffffff) throw new Error(`bench client "${p.name}": no channel "bench"`);
  const c = new CapCall(p, h, cfg.mode);
  if (cfg.mode === 'deref') { c.round(); c.carryReceived(); }
  return { rt: () => c.round() };
});
