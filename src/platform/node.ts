/** Node.js: the core is read from disk; processes run in worker_threads. */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Platform, ProcessExit, WorkerBoot, WorkerHandle } from './types.js';

export const nodePlatform: Platform = {
  name: 'node',
  async loadCore(debug, shared) {
    const file = shared ? (debug ? 'kernel.debug.wasm' : 'kernel.wasm') : 'kernel.unshared.wasm';
    const url = new URL(`../${file}`, import.meta.url);
    return WebAssembly.compile(await readFile(url));
  },
  parallelism: () => availableParallelism(),
  sharedMemory: () => true,
  mainThreadCanBlock: () => true,
  resolveModule(ref) {
    if (ref instanceof URL) return ref.href;
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return ref;
    return pathToFileURL(isAbsolute(ref) ? ref : resolve(ref)).href;
  },
  startWorker(boot: WorkerBoot): WorkerHandle {
    const worker = new Worker(new URL('./node_worker.js', import.meta.url), { workerData: boot });
    let error: unknown;
    const ready = new Promise<void>((res, rej) => {
      worker.once('message', (m: unknown) => { if (m === 'ready') res(); });
      worker.once('exit', (code) => rej(new Error(`worker of process "${boot.name}" exited with code ${code} before it booted`)));
    });
    ready.catch(() => { /* reported by spawn */ });
    worker.on('error', (e) => { error = e; });
    const exit = new Promise<ProcessExit>((res) => {
      worker.once('exit', (code) => res(error === undefined ? { code } : { code, error }));
    });
    return {
      ready,
      exit,
      async terminate() { await worker.terminate(); },
    };
  },
};
