// A kos-ipc client process (spawned with kernel.spawn) that measures blocking Call round trips
// and reports on the bench bus; then probes them (probe.ts). args[0]: ClientConfig plus
// { alloc, handles } as JSON (handles: make that many handles in this process first).
import { thisProcess } from '../../current.js';
import { runClient, type ClientConfig } from '../bus.js';
import { KosCall } from '../kos_msgs.js';
import { probeCalls, probeSync } from '../probe.js';
import { rcOk } from '../../rtl/retcode.js';

const p = thisProcess();
const cfg = JSON.parse(p.args[0] ?? '{}') as ClientConfig & { alloc: boolean; handles?: number };
await runClient(cfg, () => {
  const h = p.ServiceLocatorConnect('bench');
  if (h === 0xffffffff) throw new Error(`bench client "${p.name}": no channel "bench"`);
  for (let i = 0; i < (cfg.handles ?? 0); i++) {
    const out = { syncHandle: 0 };
    const rc = p.KnIpcCreateSyncObject(out);
    if (rc !== rcOk) throw new Error(`bench client "${p.name}": handle ${i} of ${cfg.handles}: KnIpcCreateSyncObject returned ${rc}`);
  }
  const c = new KosCall(p, cfg.size_bytes, cfg.alloc, cfg.index);
  const rt = (): void => { c.before(); c.after(p.Call(h, c.out, c.inn)); };
  return {
    rt,
    probe: (m) => probeSync(rt, () => { c.beforeProbe(); return c.afterProbe(p.Call(h, c.out, c.inn)); },
      () => p.core!.crossings, probeCalls(m.mean_us)),
  };
});
