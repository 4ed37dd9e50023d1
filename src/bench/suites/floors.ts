/**
 * The floors: what the same exchange costs with nothing but the platform. A raw Atomics
 * ping-pong between the same kinds of threads (workers, or the main thread with
 * Atomics.waitAsync), a bare Promise rendezvous in one realm, and a plain copy.
 */
import { measureAsync, measureSync } from '../measure.js';
import { asyncClient, asyncSpinClient, pingPongBuffer, tightBuffer, type PingPongShape } from '../pingpong.js';
import type { Measurement } from '../stats.js';
import { gather, openBus, startWorker, type RunContext } from '../context.js';
import type { ClientConfig } from '../bus.js';

/**
 * Client workers and a server worker over one SharedArrayBuffer. `tight` (one client): the tight
 * floor, pure polling without clock reads (pingpong.ts); else kos-ipc's wait policy.
 */
export async function pingPongWorkers(ctx: RunContext, id: string, shape: PingPongShape, spinUs: number, tight = false): Promise<Measurement> {
  const sab = tight ? tightBuffer(shape) : pingPongBuffer(shape);
  startWorker(ctx, 'pingpong_server', { sab, shape, spin_us: spinUs, tight });
  const bus = openBus(ctx, id);
  for (let i = 0; i < shape.clients; i++) {
    const cfg: ClientConfig = { bus: bus.name, index: i, barrier: shape.clients > 1, spec: ctx.spec, size_bytes: shape.size_bytes };
    startWorker(ctx, 'pingpong_client', { cfg, sab, shape, spin_us: spinUs, tight });
  }
  return gather(bus, shape.clients);
}

/**
 * The main thread against a server worker: Atomics.waitAsync at once (`spinPolls` 0), or after
 * polling the state `spinPolls` times (the check before the wait).
 */
export async function pingPongMain(ctx: RunContext, sizeBytes: number, spinUs: number, spinPolls = 0): Promise<Measurement> {
  const shape = { clients: 1, size_bytes: sizeBytes };
  const sab = pingPongBuffer(shape);
  startWorker(ctx, 'pingpong_server', { sab, shape, spin_us: spinUs });
  const rt = spinPolls > 0 ? asyncSpinClient(sab, shape, spinPolls) : asyncClient(sab, shape, 0);
  return (await measureAsync(rt as () => Promise<void>, ctx.spec)).measurement;
}

/**
 * Call/Recv/Reply with bare Promises in one realm: the client resolves the server's pending
 * receive and awaits its own reply; the server awaits the next request.
 */
export async function promiseRendezvous(ctx: RunContext): Promise<Measurement> {
  let deliver: (v: number) => void = () => { throw new Error('Promise rendezvous: no server waiting'); };
  let respond: (v: number) => void = () => undefined;
  let stopped = false;
  ctx.defer(() => { stopped = true; deliver(-1); });
  void (async () => {
    while (!stopped) {
      const v = await new Promise<number>((r) => { deliver = r; });
      respond(v + 1);
    }
  })();
  await Promise.resolve();
  let value = 0;
  return (await measureAsync(async () => {
    const reply = new Promise<number>((r) => { respond = r; });
    deliver(value);
    const got = await reply;
    if (got !== value + 1) throw new Error(`Promise rendezvous: reply ${got}, expected ${value + 1}`);
    value++;
  }, ctx.spec)).measurement;
}

/** Copying `bytes` from a plain buffer into a SharedArrayBuffer (what one staging costs). */
export async function copyInto(ctx: RunContext, bytes: number): Promise<Measurement> {
  const src = new Uint8Array(bytes).fill(0x5a);
  const dst = new Uint8Array(new SharedArrayBuffer(bytes));
  return (await measureSync(() => dst.set(src), ctx.spec)).measurement;
}
