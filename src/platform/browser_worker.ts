/**
 * Browser module-worker entry: boots the process over the shared memory, then imports its
 * module. The process ends when the module has been evaluated (top-level await included), as a
 * C process ends when main returns: a server that serves with RecvAsync must await its loop at
 * top level. An exception (or a rejection nobody handled) ends it with code 1. Reports go to the
 * kernel's realm on one channel, in order (types.ts WorkerReport).
 */
import { bootWorker } from '../worker_boot.js';
import { reportError, startFailure } from './worker_errors.js';
import type { WorkerBoot, WorkerReport } from './types.js';

// A dedicated worker's global scope; typed here so this file builds against the DOM library.
const scope = globalThis as unknown as {
  postMessage(m: WorkerReport): void;
  addEventListener(type: string, f: (ev: Event) => void, options?: { once?: boolean }): void;
};

let started = false;
const start = (): void => {
  if (!started) { started = true; scope.postMessage({ type: 'started' }); }
};

scope.addEventListener('unhandledrejection', (ev) => {
  ev.preventDefault();
  scope.postMessage({ type: 'error', error: reportError((ev as PromiseRejectionEvent).reason) });
});

/** What a failed fetch of the module says: its HTTP status, or that it could not be fetched. */
async function fetchStatus(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url);
    return res.ok ? undefined : `(fetching it gives HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''})`;
  } catch (e) {
    return `(it could not be fetched: ${reportError(e).message})`;
  }
}

scope.addEventListener('message', (ev) => {
  const boot = (ev as MessageEvent).data as WorkerBoot;
  void (async () => {
    try {
      const p = await bootWorker(boot, true);
      p.core!.onFirstCall = start;
      scope.postMessage({ type: 'ready' });
    } catch (e) {
      scope.postMessage({ type: 'error', error: reportError(e) });
      return;
    }
    try {
      await import(boot.moduleUrl);
    } catch (e) {
      const detail = started || e instanceof SyntaxError ? undefined : await fetchStatus(boot.moduleUrl);
      scope.postMessage({ type: 'error', error: started ? reportError(e) : startFailure(boot.moduleUrl, boot.name, e, detail) });
      return;
    }
    start();
    scope.postMessage({ type: 'exit' });
  })();
}, { once: true });
