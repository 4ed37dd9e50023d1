/**
 * Browsers: the core is fetched beside this module (no bundler needed); processes run in module
 * workers, which needs a cross-origin isolated page (COOP same-origin + COEP require-corp or
 * credentialless) for SharedArrayBuffer. Without isolation the kernel runs with unshared memory
 * and in-realm processes only (the kernel decides from `sharedMemory()`).
 */
import type { Platform, WorkerBoot, WorkerHandle, WorkerReport } from './types.js';
import { WorkerEvents } from './worker_handle.js';

async function compileFetched(url: URL): Promise<WebAssembly.Module> {
  const fail = (why: string): never => {
    throw new Error(`Kernel.create: could not load the kernel core from ${url.href} (${why}); ` +
      'serve the package\'s dist/ folder with its .wasm files, or pass { wasm: bytes or WebAssembly.Module }');
  };
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) return fail(`HTTP ${res.status}`);
  const type = res.headers.get('Content-Type') ?? '';
  // compileStreaming needs Content-Type application/wasm; some static servers send another one.
  if (typeof WebAssembly.compileStreaming === 'function' && type.split(';')[0]!.trim() === 'application/wasm') {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

/**
 * True when this thread may block in Atomics.wait: a worker of an isolated page. A window's
 * main thread throws on Atomics.wait even when the value differs, so ask it directly.
 */
function canBlockHere(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

function asError(e: unknown, fallback: string): Error {
  if (e instanceof Error) return e;
  return new Error(typeof e === 'string' && e ? e : fallback);
}

export const browserPlatform: Platform = {
  name: 'browser',
  loadCore(debug, shared) {
    const file = shared ? (debug ? 'kernel.debug.wasm' : 'kernel.wasm') : 'kernel.unshared.wasm';
    return compileFetched(new URL(`../${file}`, import.meta.url));
  },
  parallelism: () => (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 1,
  sharedMemory: () => typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true,
  mainThreadCanBlock: canBlockHere,
  resolveModule: (ref) => new URL(String(ref), globalThis.location?.href).href,
  startWorker(boot: WorkerBoot): WorkerHandle {
    const worker = new Worker(new URL('./browser_worker.js', import.meta.url), { type: 'module', name: boot.name });
    let ended = false;
    const events = new WorkerEvents(boot.name, async () => end(1));
    const end = (code: number): void => {
      if (ended) return;
      ended = true;
      worker.terminate();
      events.exited(code);
    };
    worker.addEventListener('message', (ev: MessageEvent) => {
      const m = ev.data as WorkerReport;
      events.report(m);
      if (m.type === 'exit') end(0);
      else if (m.type === 'error') end(1);
    });
    // A worker script that does not load or parse (the module's own failures are reported).
    worker.addEventListener('error', (ev: ErrorEvent) => {
      ev.preventDefault();
      events.failed(asError(ev.error, ev.message || `the worker of process "${boot.name}" failed to start: its script ` +
        `${new URL('./browser_worker.js', import.meta.url).href} did not load (on a cross-origin isolated page, ` +
        'serve it with the same Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers as the page)'));
      end(1);
    });
    worker.addEventListener('messageerror', () => {
      events.failed(new Error(`process "${boot.name}": a worker message could not be decoded`));
      end(1);
    });
    try {
      worker.postMessage(boot);
    } catch (e) {
      events.failed(new Error(`spawn: could not hand the kernel memory to the worker of "${boot.name}" ` +
        `(${asError(e, 'DataCloneError').message}); the page must be cross-origin isolated`));
      end(1);
    }
    return events.handle;
  },
};
