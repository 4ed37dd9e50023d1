/**
 * Browser module-worker entry: boots the process over the shared memory, then imports its
 * module. The process ends when the module has been evaluated (top-level await included), as a
 * C process ends when main returns: a server that serves with RecvAsync must await its loop at
 * top level. An exception (or a rejection nobody handled) ends it with code 1.
 */
import { bootWorker } from '../worker_boot.js';
import type { WorkerBoot } from './types.js';

/** What the worker tells the kernel's realm. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'exit' }
  | { type: 'error'; error: unknown };

// A dedicated worker's global scope; typed here so this file builds against the DOM library.
const scope = globalThis as unknown as {
  postMessage(m: WorkerMessage): void;
  addEventListener(type: string, f: (ev: Event) => void, options?: { once?: boolean }): void;
  close(): void;
};

function report(e: unknown): void {
  try {
    scope.postMessage({ type: 'error', error: e }); // Errors are structured-cloneable
  } catch {
    scope.postMessage({ type: 'error', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
}

scope.addEventListener('unhandledrejection', (ev) => {
  ev.preventDefault();
  report((ev as PromiseRejectionEvent).reason);
});

scope.addEventListener('message', (ev) => {
  const boot = (ev as MessageEvent).data as WorkerBoot;
  void (async () => {
    try {
      await bootWorker(boot, true);
      scope.postMessage({ type: 'ready' });
      await import(boot.moduleUrl);
      scope.postMessage({ type: 'exit' });
    } catch (e) {
      report(e);
    }
  })();
}, { once: true });
