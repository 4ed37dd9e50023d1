/** Node.js: the core is read from disk; processes run in worker_threads. */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Platform, WorkerBoot, WorkerHandle, WorkerReport } from './types.js';
import { WorkerEvents } from './worker_handle.js';

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
    const events = new WorkerEvents(boot.name, async () => { await worker.terminate(); });
    worker.on('message', (m: WorkerReport) => events.report(m));
    worker.on('error', (e) => events.failed(e));
    worker.once('exit', (code) => events.exited(code));
    return events.handle;
  },
};
