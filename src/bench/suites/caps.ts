/**
 * The handle scenarios (issue 10): one round trip whose 48-byte request carries no handle, one
 * handle transferred (the server closes the descendant it receives) or one handle sent back to
 * the server that holds its ancestor (a dereference). The three carry the same bytes
 * (cap_msgs.ts), so their ratio is the cost of the kernel's handle work; between workers
 * (blocking Call), where thread wake-ups dominate, and in one realm (CallAsync), where they do not.
 */
import { Kernel } from '../../kernel.js';
import type { Measurement } from '../stats.js';
import { gather, openBus, type RunContext } from '../context.js';
import type { ClientConfig } from '../bus.js';
import { CapCall, CapServe, type CapMode } from '../cap_msgs.js';
import { measureAsync } from '../measure.js';
import { rcOk } from '../../rtl/retcode.js';

const worker = (name: string): URL => new URL(`../workers/${name}.js`, import.meta.url);

export async function capWorkers(ctx: RunContext, id: string, mode: CapMode, spinUs: number): Promise<Measurement> {
  const k = await Kernel.create({ spin: spinUs });
  ctx.defer(() => k.shutdown());
  k.connect('Client0', 'Server', 'bench');
  const bus = openBus(ctx, id);
  const cfg: ClientConfig & { mode: CapMode } = { bus: bus.name, index: 0, barrier: false, spec: ctx.spec, size_bytes: 0, mode };
  // both processes exist before either module runs, so each finds its channel
  const [server, client] = await Promise.all([
    k.spawn('Server', worker('cap_server'), { args: [JSON.stringify({ mode })] }),
    k.spawn('Client0', worker('cap_client'), { args: [JSON.stringify(cfg)] }),
  ]);
  for (const [p, what] of [[server, 'the server worker'], [client, 'the client worker']] as const) {
    void p.exited.then((e) => ctx.fail(new Error(`${what} ended (code ${e.code})${e.error ? `: ${String(e.error)}` : ''}`)));
  }
  return gather(bus, 1);
}

/** Client and server in this realm: CallAsync against RecvAsync/Reply. */
export async function capRealm(ctx: RunContext, mode: CapMode): Promise<Measurement> {
  const k = await Kernel.create({ spin: 0 });
  ctx.defer(() => k.shutdown());
  const server = k.createProcess('Server');
  const client = k.createProcess('Client');
  k.connect(client, server, 'bench');
  const sh = server.ServiceLocatorRegister('bench');
  const s = new CapServe(server, mode);
  void (async () => {
    for (;;) {
      if (await server.RecvAsync(sh, s.hin) !== rcOk) return;
      s.answer();
      server.Reply(sh, s.hout);
    }
  })();
  const c = new CapCall(client, client.ServiceLocatorConnect('bench'), mode);
  if (mode === 'deref') { await c.roundAsync(); c.carryReceived(); }
  return (await measureAsync(() => c.roundAsync(), ctx.spec)).measurement;
}
