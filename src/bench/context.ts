/**
 * What a scenario gets from the runner: the measuring spec, the machine's facts, a place to
 * register clean-up (workers to terminate, kernels to shut down) and a way to fail the scenario
 * from an event (a worker that died) while the measurement is awaited.
 */
import { Worker, type TransferListItem } from 'node:worker_threads';
import type { MeasureSpec } from './measure.js';
import { Bus } from './bus.js';
import { mergeClients, type Measurement } from './stats.js';

export interface RunContext {
  readonly spec: MeasureSpec;
  /** Cores that can run threads in parallel (os.availableParallelism). */
  readonly cores_count: number;
  /** The spin budget when spinning is worthwhile (a spare core); 0 otherwise. */
  readonly spin_budget_us: number;
  /** Runs `f` when the scenario ends, whatever the outcome (last registered, first run). */
  defer(f: () => unknown): void;
  /** Fails the scenario now (its measurement is abandoned). */
  fail(e: Error): void;
  /** A remark printed with the scenario's row (spin disabled, ...). */
  note(text: string): void;
}

/**
 * The spin budget for a scenario with `threads` busy threads: spinning only pays when every
 * thread has a core; otherwise it steals the core the peer needs, so it is disabled (and said).
 */
export function spinFor(ctx: RunContext, threads: number): number {
  if (ctx.spin_budget_us === 0) {
    ctx.note('spin disabled: no spare core');
    return 0;
  }
  if (threads > ctx.cores_count) {
    ctx.note(`spin disabled: ${threads} threads on ${ctx.cores_count} cores`);
    return 0;
  }
  return ctx.spin_budget_us;
}

/** Starts bench worker `name` (dist/bench/workers/<name>.js); terminated when the scenario ends. */
export function startWorker(ctx: RunContext, name: string, workerData: unknown, transferList: TransferListItem[] = []): Worker {
  const w = new Worker(new URL(`./workers/${name}.js`, import.meta.url), { workerData, transferList });
  let ending = false;
  ctx.defer(() => { ending = true; return w.terminate(); });
  w.on('error', (e) => ctx.fail(new Error(`${name} worker: ${e.message}`)));
  w.on('exit', (code) => { if (!ending) ctx.fail(new Error(`${name} worker exited with code ${code}`)); });
  return w;
}

/** A bus for one scenario, closed when it ends. */
export function openBus(ctx: RunContext, id: string): Bus {
  const bus = new Bus(id);
  ctx.defer(() => bus.close());
  return bus;
}

/**
 * Waits for `n` clients on `bus`: with several, lets them start together once all are warm,
 * and merges their samples.
 */
export async function gather(bus: Bus, n: number): Promise<Measurement> {
  if (n > 1) await bus.start(n);
  const parts = await bus.collect(n);
  return n === 1 ? parts[0]!.measurement : mergeClients(parts);
}
