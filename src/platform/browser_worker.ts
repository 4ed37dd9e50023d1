/** Browser module-worker entry: boots the process over the shared memory, then imports its module. */
import { bootWorker } from '../worker_boot.js';
import type { WorkerBoot } from './types.js';

self.addEventListener('message', (ev: MessageEvent) => {
  const boot = ev.data as WorkerBoot;
  void (async () => {
    try {
      await bootWorker(boot, true);
      self.postMessage({ type: 'ready' });
      await import(boot.moduleUrl);
    } catch (e) {
      self.postMessage({ type: 'error', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  })();
}, { once: true });
