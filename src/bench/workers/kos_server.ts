// A kos-ipc echo server process (spawned with kernel.spawn): blocking Recv, the trivial handler,
// Reply; ends when Recv fails (the kernel shut down). args[0]: { alloc, max_bytes } as JSON.
// A probe request is answered with this realm's crossings and GCs (probe.ts).
import { thisProcess } from '../../current.js';
import { rcOk } from '../../rtl/retcode.js';
import { KosServe } from '../kos_msgs.js';
import { GcProfilerCount } from '../probe.js';

const p = thisProcess();
const { alloc, max_bytes } = JSON.parse(p.args[0] ?? '{}') as { alloc: boolean; max_bytes: number };
const h = p.ServiceLocatorRegister('bench', null, 0);
if (h === 0xffffffff) throw new Error(`bench server "${p.name}": no channel "bench"`);
const gcs = new GcProfilerCount();
const s = new KosServe(p, max_bytes, alloc, () => [p.core!.crossings, gcs.read()]);
for (;;) {
  if (p.Recv(h, s.hin) !== rcOk) break;
  s.answer();
  p.Reply(h, s.hout);
}
