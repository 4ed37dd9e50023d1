/**
 * The current process of this realm: inside a worker started by kernel.spawn, the process that
 * worker runs, so the package's top-level functions (Call, Recv, ServiceLocatorConnect, ...)
 * act on it and C code ports line by line. Kept on globalThis so that two copies of the
 * package loaded in one worker still agree.
 */
import type { Process } from './process.js';

const KEY = Symbol.for('kos-ipc.currentProcess');
type Holder = { [KEY]?: Process };

/** @internal */
export function setCurrentProcess(p: Process | undefined): void {
  (globalThis as Holder)[KEY] = p;
}

/** The process this code runs as (inside a worker started by kernel.spawn). */
export function thisProcess(): Process {
  const p = (globalThis as Holder)[KEY];
  if (!p) {
    throw new Error('thisProcess: no current process: this code is not running inside a worker ' +
      'started by kernel.spawn; call the method on a Process instead (process.Call(...))');
  }
  return p;
}
