/**
 * What a kos-ipc row reports besides its times, measured after the timed phase over a block of
 * plain round trips: calls into the core per round trip (each realm's Core.crossings), and
 * garbage collections per 100,000 calls. The client counts its own realm; the server worker
 * reports its realm's figures in the answer to a probe request (kos_msgs.ts), sent before and
 * after the block.
 *
 * GCs are counted with a PerformanceObserver of 'gc' entries in a realm that returns to its
 * event loop after the block (the client), and with v8.GCProfiler in a server worker, which
 * never returns to its event loop while it serves (a PerformanceObserver there would never be
 * told).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** A probe's figures; null where they were not measured. */
export interface ProbeFigures {
  /** Calls into the core per round trip, both sides. */
  crossings_per_rt: number | null;
  /** The client's share of crossings_per_rt. */
  client_crossings_per_rt: number | null;
  /** Garbage collections per 100,000 round trips, both sides. */
  gc_per_100k: number | null;
}

/** The round trips of a probe block: about a second of them, from 1,000 to 100,000. */
export function probeCalls(meanUs: number): number {
  return Math.max(1000, Math.min(100000, Math.round(1e6 / Math.max(meanUs, 1e-3))));
}

/** Counts this realm's GCs between start() and stop() with a PerformanceObserver. */
export class GcObserver {
  private count = 0;
  private t0 = 0;
  private t1 = Infinity;
  private readonly obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.startTime >= this.t0 && e.startTime <= this.t1) this.count++;
  });

  start(): void {
    this.obs.observe({ entryTypes: ['gc'] });
    this.t0 = performance.now();
  }

  /** The GCs since start(); yields to the event loop so that the observer is told of them. */
  async stop(): Promise<number> {
    this.t1 = performance.now();
    await new Promise((r) => setTimeout(r, 20));
    this.obs.disconnect();
    return this.count;
  }
}

/** Counts this realm's GCs for a thread that never returns to its event loop (v8.GCProfiler). */
export class GcProfilerCount {
  private total = 0;
  private profiler: { start(): void; stop(): { statistics: unknown[] } | undefined } | null = null;

  constructor() {
    const P = (v8 as unknown as { GCProfiler?: new () => { start(): void; stop(): { statistics: unknown[] } | undefined } }).GCProfiler;
    if (P) { this.profiler = new P(); this.profiler.start(); }
  }

  /** GCs so far (0 when this Node has no v8.GCProfiler). */
  read(): number {
    if (!this.profiler) return 0;
    this.total += this.profiler.stop()?.statistics.length ?? 0;
    this.profiler.start();
    return this.total;
  }
}

/** What a server realm reports in a probe's answer: [crossings, GCs] so far. */
export type ServerFigures = [number, number];

function figures(calls: number, clientX: number, server0: ServerFigures | null, server1: ServerFigures | null,
  clientGc: number): ProbeFigures {
  const client = clientX / calls;
  // the server's counts between the two probes cover its side of calls + 1 round trips
  const server = server0 && server1 ? (server1[0] - server0[0]) / (calls + 1) : 0;
  const serverGc = server0 && server1 ? server1[1] - server0[1] : 0;
  return {
    crossings_per_rt: Number((client + server).toFixed(3)),
    client_crossings_per_rt: server0 ? Number(client.toFixed(3)) : null,
    gc_per_100k: Number((((clientGc + serverGc) * 100000) / calls).toFixed(2)),
  };
}

/**
 * Probes a blocking round trip `rt` over `calls` calls. `ask`: a probe request to a server in
 * another realm (null: the server shares the client's realm, whose counts then cover both).
 */
export async function probeSync(rt: () => void, ask: (() => ServerFigures) | null, crossings: () => number,
  calls: number): Promise<ProbeFigures> {
  const s0 = ask ? ask() : null;
  const gc = new GcObserver();
  gc.start();
  const x0 = crossings();
  for (let i = 0; i < calls; i++) rt();
  const x1 = crossings();
  const s1 = ask ? ask() : null;
  return figures(calls, x1 - x0, s0, s1, await gc.stop());
}

/** probeSync for an asynchronous round trip. */
export async function probeAsync(rt: () => Promise<unknown>, ask: (() => Promise<ServerFigures>) | null,
  crossings: () => number, calls: number): Promise<ProbeFigures> {
  const s0 = ask ? await ask() : null;
  const gc = new GcObserver();
  gc.start();
  const x0 = crossings();
  for (let i = 0; i < calls; i++) await rt();
  const x1 = crossings();
  const s1 = ask ? await ask() : null;
  return figures(calls, x1 - x0, s0, s1, await gc.stop());
}
