/**
 * The bench's message bus between the main thread and its client threads: a BroadcastChannel
 * named per scenario, so a client started by kernel.spawn (which gets only string arguments)
 * and a plain worker talk to the runner the same way. A client posts `ready` once calibrated
 * and warmed up, waits for `go` when the scenario has several clients (so they measure at the
 * same time), then posts its `result` or an `error`.
 */
import { measureAsync, measureSync, type MeasureSpec, type Sampled } from './measure.js';
import type { Measurement } from './stats.js';
import type { ProbeFigures } from './probe.js';

/** What every measuring client is told. */
export interface ClientConfig {
  /** BroadcastChannel name of the scenario. */
  bus: string;
  /** Index of this client (0..clients-1). */
  index: number;
  /** Wait for `go` before measuring. */
  barrier: boolean;
  spec: MeasureSpec;
  /** Bytes of the request: the arena size (kos-ipc) or the payload (baselines). */
  size_bytes: number;
}

type BusMessage =
  | { type: 'ready'; index: number }
  | { type: 'go' }
  | { type: 'result'; index: number; sampled: Sampled }
  | { type: 'error'; index: number; message: string };

let unique = 0;

/** A fresh bus name for one scenario run. */
export function busName(id: string): string {
  return `kos-ipc-bench:${process.pid}:${id}:${++unique}`;
}

/**
 * Client side: measures the round trip `rt` (blocking or async) and reports it. Errors are
 * reported, not thrown: the runner records them in the scenario's row.
 */
/** A client's round trip, blocking or async, and optionally its probe (probe.ts), run after the timing. */
export type ClientRoundTrip = ({ rt: () => void } | { rtAsync: () => Promise<unknown> }) &
  { probe?: (m: Measurement) => Promise<ProbeFigures> };

export async function runClient(cfg: ClientConfig, make: () => ClientRoundTrip | Promise<ClientRoundTrip>): Promise<void> {
  const bus = new BroadcastChannel(cfg.bus);
  const post = (m: BusMessage): void => bus.postMessage(m);
  let go: () => void = () => undefined;
  const started = new Promise<void>((r) => { go = r; });
  bus.onmessage = (e: MessageEvent) => { if ((e.data as BusMessage).type === 'go') go(); };
  const ready = async (): Promise<void> => {
    post({ type: 'ready', index: cfg.index });
    if (cfg.barrier) await started;
  };
  try {
    const f = await make();
    const sampled = 'rt' in f ? await measureSync(f.rt, cfg.spec, ready) : await measureAsync(f.rtAsync, cfg.spec, ready);
    // the probe runs alone: with several clients it would run while the others still measure
    if (f.probe && !cfg.barrier) Object.assign(sampled.measurement, await f.probe(sampled.measurement));
    // one client's samples are only needed to merge several clients
    post({ type: 'result', index: cfg.index, sampled: cfg.barrier ? sampled : { ...sampled, samples_us: [] } });
  } catch (e) {
    post({ type: 'error', index: cfg.index, message: e instanceof Error ? e.message : String(e) });
  }
}

/** Main side of one scenario's bus. */
export class Bus {
  readonly name: string;
  private readonly channel: BroadcastChannel;
  private readonly results = new Map<number, Sampled>();
  private readonly ready = new Set<number>();
  private failure: Error | undefined;
  private notify: () => void = () => undefined;

  constructor(id: string) {
    this.name = busName(id);
    this.channel = new BroadcastChannel(this.name);
    this.channel.onmessage = (e: MessageEvent) => {
      const m = e.data as BusMessage;
      if (m.type === 'ready') this.ready.add(m.index);
      else if (m.type === 'result') this.results.set(m.index, m.sampled);
      else if (m.type === 'error') this.fail(new Error(`client ${m.index}: ${m.message}`));
      this.notify();
    };
  }

  /** Makes every pending wait reject (a worker died, the scenario timed out). */
  fail(e: Error): void {
    this.failure ??= e;
    this.notify();
  }

  private until(test: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.failure) reject(this.failure);
        else if (test()) resolve();
        else return;
        this.notify = () => undefined;
      };
      this.notify = check;
      check();
    });
  }

  /** Waits until `n` clients are ready, then lets them measure together. */
  async start(n: number): Promise<void> {
    await this.until(() => this.ready.size >= n);
    this.channel.postMessage({ type: 'go' } satisfies BusMessage);
  }

  /** The results of clients 0..n-1, in order. */
  async collect(n: number): Promise<Sampled[]> {
    await this.until(() => this.results.size >= n);
    return Array.from({ length: n }, (_, i) => this.results.get(i)!);
  }

  close(): void {
    this.channel.close();
  }
}
