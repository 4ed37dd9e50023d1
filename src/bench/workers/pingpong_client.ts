// A raw Atomics ping-pong client (a plain worker) measuring blocking round trips.
import { workerData } from 'node:worker_threads';
import { runClient, type ClientConfig } from '../bus.js';
import { blockingClient, type PingPongShape } from '../pingpong.js';

const d = workerData as { cfg: ClientConfig; sab: SharedArrayBuffer; shape: PingPongShape; spin_us: number };
await runClient(d.cfg, () => ({ rt: blockingClient(d.sab, d.shape, d.cfg.index, d.spin_us) }));
