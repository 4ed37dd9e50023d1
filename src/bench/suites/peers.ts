/**
 * The peers: what a JavaScript developer would use instead. postMessage between the main thread
 * and a worker, MessageChannel between workers (and in one realm), synckit's synchronous call
 * into a worker, comlink's proxied async call. Each carries the same request bytes and checks
 * every reply.
 */
import { MessageChannel } from 'node:worker_threads';
import { createSyncFn } from 'synckit';
import { wrap, type Remote } from 'comlink';
import { nodeEndpoint } from '../comlink_node.js';
import { measureAsync, measureSync } from '../measure.js';
import { Counter, answerer, portRoundTrip, request } from '../echo.js';
import type { Measurement } from '../stats.js';
import { gather, openBus, startWorker, type RunContext } from '../context.js';
import type { ClientConfig } from '../bus.js';

/** postMessage from the main thread to a worker and back. */
export async function postMessageMain(ctx: RunContext, sizeBytes: number): Promise<Measurement> {
  const w = startWorker(ctx, 'port_echo', null);
  const rt = portRoundTrip('postMessage', sizeBytes, 0, (m) => w.postMessage(m), (f) => w.on('message', f));
  return (await measureAsync(rt, ctx.spec)).measurement;
}

/** Client workers, each with a MessageChannel port to one server worker. */
export async function channelWorkers(ctx: RunContext, id: string, clients: number, sizeBytes: number): Promise<Measurement> {
  const channels = Array.from({ length: clients }, () => new MessageChannel());
  const serverPorts = channels.map((c) => c.port2);
  startWorker(ctx, 'port_echo', { ports: serverPorts }, serverPorts);
  const bus = openBus(ctx, id);
  channels.forEach((c, i) => {
    const cfg: ClientConfig = { bus: bus.name, index: i, barrier: clients > 1, spec: ctx.spec, size_bytes: sizeBytes };
    startWorker(ctx, 'port_client', { cfg, port: c.port1 }, [c.port1]);
  });
  return gather(bus, clients);
}

/** A MessageChannel whose two ports are both in this realm. */
export async function channelRealm(ctx: RunContext, sizeBytes: number): Promise<Measurement> {
  const { port1, port2 } = new MessageChannel();
  ctx.defer(() => { port1.close(); port2.close(); });
  const answer = answerer();
  port2.on('message', (m: Uint8Array) => port2.postMessage(answer(m)));
  const rt = portRoundTrip('MessageChannel', sizeBytes, 0, (m) => port1.postMessage(m), (f) => port1.on('message', f));
  return (await measureAsync(rt, ctx.spec)).measurement;
}

/** synckit: a synchronous call from the main thread into its worker. */
export async function synckit(ctx: RunContext, sizeBytes: number): Promise<Measurement> {
  const call = createSyncFn<(req: Uint8Array) => Uint8Array>(new URL('../workers/synckit_echo.js', import.meta.url), { timeout: 10000 });
  const req = request(sizeBytes);
  const counter = new Counter();
  return (await measureSync(() => { counter.stamp(req); counter.check('synckit', call(req)); }, ctx.spec)).measurement;
}

/** comlink: an async method call from the main thread on an object exposed by a worker. */
export async function comlink(ctx: RunContext, sizeBytes: number): Promise<Measurement> {
  const w = startWorker(ctx, 'comlink_echo', null);
  const api = wrap<{ echo(req: Uint8Array): Uint8Array }>(nodeEndpoint(w)) as Remote<{ echo(req: Uint8Array): Uint8Array }>;
  const req = request(sizeBytes);
  const counter = new Counter();
  return (await measureAsync(async () => { counter.stamp(req); counter.check('comlink', await api.echo(req)); }, ctx.spec)).measurement;
}
