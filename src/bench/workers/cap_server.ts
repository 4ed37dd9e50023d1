// The server process of the handle scenarios (spawned with kernel.spawn): blocking Recv, the
// handler of its mode (close the handle received, or check that it came back dereferenced),
// Reply; ends when Recv fails (the kernel shut down). args[0]: { mode } as JSON.
import { thisProcess } from '../../current.js';
import { rcOk } from '../../rtl/retcode.js';
import { CapServe, type CapMode } from '../cap_msgs.js';

const p = thisProcess();
const { mode } = JSON.parse(p.args[0] ?? '{}') as { mode: CapMode };
const h = p.ServiceLocatorRegister('bench', null, 0);
if (h === 0xffffffff) throw new Error(`bench server "${p.name}": no channel "bench"`);
const s = new CapServe(p, mode);
for (;;) {
  if (p.Recv(h, s.hin) !== rcOk) break;
  s.answer();
  p.Reply(h, s.hout);
}
