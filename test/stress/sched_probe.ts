// How long the machine takes to run a thread that wakes up: a plain worker thread (no kernel)
// sleeps 1 ms at a time with Atomics.wait and records by how much each sleep overran. A blocked
// peer that the kernel wakes needs the same: when the machine is busy, both come back late.
import { Worker } from 'node:worker_threads';
import { quantile } from 'kos-ipc/bench';

export interface Oversleep { samples: number; p99Ms: number; maxMs: number }

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const stop = new Int32Array(workerData);
const nap = new Int32Array(new SharedArrayBuffer(4));
const late = [];
while (Atomics.load(stop, 0) === 0) {
  const t = performance.now();
  Atomics.wait(nap, 0, 0, 1);
  late.push(performance.now() - t - 1);
}
parentPort.postMessage(late);
`;

/** Starts the probe thread; stop() ends it and gives what it measured. */
export function startSchedulingProbe(): { stop(): Promise<Oversleep> } {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(SOURCE, { eval: true, workerData: flag });
  const result = new Promise<number[]>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  return {
    async stop() {
      Atomics.store(new Int32Array(flag), 0, 1);
      const late = Float64Array.from(await result).sort();
      await worker.terminate();
      return { samples: late.length, p99Ms: quantile(late, 0.99), maxMs: late[late.length - 1] ?? NaN };
    },
  };
}
