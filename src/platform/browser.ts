/** Browsers: the core is fetched beside this module; processes run in module workers. */
import type { Platform, WorkerBoot, WorkerHandle } from './types.js';

export const browserPlatform: Platform = {
  name: 'browser',
  async loadCore(debug, shared) {
    const file = shared ? (debug ? 'kernel.debug.wasm' : 'kernel.wasm') : 'kernel.unshared.wasm';
    return WebAssembly.compileStreaming(fetch(new URL(`../${file}`, import.meta.url)));
  },
  parallelism: () => navigator.hardwareConcurrency || 1,
  sharedMemory: () => typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true,
  // Atomics.wait throws on a window's main thread; it works in a worker.
  mainThreadCanBlock: () => typeof window === 'undefined',
  resolveModule: (ref) => new URL(String(ref), location.href).href,
  startWorker(boot: WorkerBoot): WorkerHandle {
    const worker = new Worker(new URL('./browser_worker.js', import.meta.url), { type: 'module', name: boot.name });
    let resolveExit!: (e: { code: number; error?: unknown }) => void;
    const exit = new Promise<{ code: number; error?: unknown }>((r) => { resolveExit = r; });
    const ready = new Promise<void>((res, rej) => {
      worker.addEventListener('message', (ev: MessageEvent) => {
        const m = ev.data as { type: string; error?: string };
        if (m?.type === 'ready') res();
        else if (m?.type === 'exit') resolveExit({ code: 0 });
        else if (m?.type === 'error') { rej(new Error(m.error)); resolveExit({ code: 1, error: new Error(m.error) }); worker.terminate(); }
      });
      worker.addEventListener('error', (ev: ErrorEvent) => {
        const error = new Error(ev.message || `worker of process "${boot.name}" failed`);
        rej(error);
        resolveExit({ code: 1, error });
        worker.terminate();
      });
    });
    ready.catch(() => { /* reported by spawn */ });
    worker.postMessage(boot);
    return {
      ready,
      exit,
      async terminate() { worker.terminate(); resolveExit({ code: 1 }); },
    };
  },
};
