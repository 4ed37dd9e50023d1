// The raw Atomics ping-pong server (a plain worker): answers every client slot until terminated.
import { workerData } from 'node:worker_threads';
import { serve, tightServe, type PingPongShape } from '../pingpong.js';

const d = workerData as { sab: SharedArrayBuffer; shape: PingPongShape; spin_us: number; tight?: boolean };
if (d.tight) tightServe(d.sab, d.shape, d.spin_us);
else serve(d.sab, d.shape, d.spin_us);
