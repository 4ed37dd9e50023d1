// A raw Atomics ping-pong client (a plain worker) measuring blocking round trips: the floor
// with kos-ipc's wait policy, or the tight floor (pure polling, no clock).
import { workerData } from 'node:worker_threads';
import { runClient, type ClientConfig } from '../bus.js';
import { blockingClient, tightClient, type PingPongShape } from '../pingpong.js';

const d = workerData as { cfg: ClientConfig; sab: SharedArrayBuffer; shape: PingPongShape; spin_us: number; tight?: boolean };
await runClient(d.cfg, () => ({ rt: d.tight ? tightClient(d.sab, d.shape, d.spin_us) : blockingClient(d.sab, d.shape, d.cfg.index, d.spin_us) }));
