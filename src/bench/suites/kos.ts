/**
 * The kos-ipc scenarios: the echo system in its three shapes (client and server workers with
 * blocking Call/Recv/Reply; both processes in this realm with the Async forms; a client in the
 * Node main thread with CallAsync to a server worker).
 */
import { Kernel } from '../../kernel.js';
import type { Process } from '../../process.js';
import { rcOk } from '../../rtl/retcode.js';
import { measureAsync } from '../measure.js';
import { KosCall, KosServe } from '../kos_msgs.js';
import type { Measurement } from '../stats.js';
import { probeAsync, probeCalls } from '../probe.js';
import { gather, openBus, type RunContext } from '../context.js';
import type { ClientConfig } from '../bus.js';

const worker = (name: string): URL => new URL(`../workers/${name}.js`, import.meta.url);

async function kernel(ctx: RunContext, spinUs: number): Promise<Kernel> {
  const k = await Kernel.create({ spin: spinUs });
  ctx.defer(() => k.shutdown());
  return k;
}

function watch(ctx: RunContext, p: Process, what: string): void {
  void p.exited.then((e) => ctx.fail(new Error(`${what} ended (code ${e.code})${e.error ? `: ${String(e.error)}` : ''}`)));
}

/** Spawns the server worker; resolves once it started (waits for its first request). */
async function spawnServer(ctx: RunContext, k: Kernel, maxBytes: number, alloc: boolean): Promise<void> {
  watch(ctx, await k.spawn('Server', worker('kos_server'), { args: [JSON.stringify({ alloc, max_bytes: maxBytes })] }), 'the server worker');
}

export interface WorkersShape {
  clients: number; size_bytes: number; alloc: boolean; spin_us: number;
  /** Processes to make in the kernel first, besides the clients and the server (the scale row). */
  idle_processes?: number;
  /** Handles each client makes in its own process before it measures (the scale row). */
  handles?: number;
}

/** The kernel's memory figures, added to a kos-ipc row. */
function memoryOf(k: Kernel, m: Measurement): Measurement {
  const mem = k.memory();
  m.kernel_heap_bytes = mem.heapBytes;
  m.staging_bytes = mem.stagingBytes;
  return m;
}

/** Client workers (blocking Call) against one server worker (blocking Recv/Reply). */
export async function kosWorkers(ctx: RunContext, id: string, o: WorkersShape): Promise<Measurement> {
  const k = await kernel(ctx, o.spin_us);
  for (let i = 0; i < (o.idle_processes ?? 0); i++) k.createProcess(`Idle${i}`);
  const names = Array.from({ length: o.clients }, (_, i) => `Client${i}`);
  for (const n of names) k.connect(n, 'Server', 'bench');
  const bus = openBus(ctx, id);
  // every process exists before any module runs, so each finds its channel at start
  const started = names.map((name, i) => {
    const cfg: ClientConfig & { alloc: boolean; handles: number } = {
      bus: bus.name, index: i, barrier: o.clients > 1, spec: ctx.spec, size_bytes: o.size_bytes, alloc: o.alloc,
      handles: o.handles ?? 0,
    };
    return k.spawn(name, worker('kos_client'), { args: [JSON.stringify(cfg)] }).then((p) => watch(ctx, p, `client worker ${i}`));
  });
  await Promise.all([spawnServer(ctx, k, o.size_bytes, o.alloc), ...started]);
  const m = await gather(bus, o.clients);
  if (o.idle_processes !== undefined || o.handles !== undefined) {
    const st = k.stats();
    ctx.note(`measured with ${st.processes.toLocaleString('en-US')} processes and ${st.handles.toLocaleString('en-US')} handles in the kernel`);
  }
  return memoryOf(k, m);
}

function serveAsync(server: Process, sh: number, s: KosServe): void {
  void (async () => {
    for (;;) {
      if (await server.RecvAsync(sh, s.hin) !== rcOk) return;
      s.answer();
      server.Reply(sh, s.hout);
    }
  })();
}

/** Client and server in this realm: CallAsync against RecvAsync/Reply. */
export async function kosRealm(ctx: RunContext, sizeBytes: number): Promise<Measurement> {
  const k = await kernel(ctx, 0);
  const server = k.createProcess('Server');
  const client = k.createProcess('Client');
  k.connect(client, server, 'bench');
  serveAsync(server, server.ServiceLocatorRegister('bench'), new KosServe(server, sizeBytes, false));
  const ch = client.ServiceLocatorConnect('bench');
  const c = new KosCall(client, sizeBytes, false);
  const rt = async (): Promise<void> => { c.before(); c.after(await client.CallAsync(ch, c.out, c.inn)); };
  const m = (await measureAsync(rt, ctx.spec)).measurement;
  // one realm: its counts cover both processes
  Object.assign(m, await probeAsync(rt, null, () => k.core.crossings, probeCalls(m.mean_us)));
  return memoryOf(k, m);
}

/** A client in the Node main thread (CallAsync) against a server worker (blocking Recv). */
export async function kosMain(ctx: RunContext, sizeBytes: number, spinUs: number): Promise<Measurement> {
  const k = await kernel(ctx, spinUs);
  const client = k.createProcess('Client');
  k.connect('Client', 'Server', 'bench');
  await spawnServer(ctx, k, sizeBytes, false);
  const ch = client.ServiceLocatorConnect('bench');
  const c = new KosCall(client, sizeBytes, false);
  const rt = async (): Promise<void> => { c.before(); c.after(await client.CallAsync(ch, c.out, c.inn)); };
  const m = (await measureAsync(rt, ctx.spec)).measurement;
  const ask = async (): Promise<[number, number]> => { c.beforeProbe(); return c.afterProbe(await client.CallAsync(ch, c.out, c.inn)); };
  Object.assign(m, await probeAsync(rt, ask, () => k.core.crossings, probeCalls(m.mean_us)));
  return memoryOf(k, m);
}
