/**
 * Kernel.create's options: what they are, and the check that names a bad one.
 */
import type { Policy } from './policy.js';
import type { Process } from './process.js';

export interface KernelOptions {
  /** The core as bytes or a compiled module (default: the .wasm shipped beside this file). */
  wasm?: Uint8Array | ArrayBuffer | WebAssembly.Module;
  /** Use the debug build of the core (assertions kept). Default false. */
  debug?: boolean;
  /** Initial kernel memory in MiB (default 16); it grows on demand up to `maxMemoryMiB`. */
  memoryMiB?: number;
  /** Maximum kernel memory in MiB (default 1024). */
  maxMemoryMiB?: number;
  /**
   * Spin budget in microseconds before a blocking wait sleeps (default: 50 when the machine has
   * a spare core, else 0). `false` or 0 disables spinning.
   */
  spin?: number | boolean;
  /**
   * Polls of its wait cell an Async Call makes before it sleeps, when its server runs in another
   * realm (the browser page or Node main thread calling a worker): an answer that comes within
   * them costs no event-loop turn. Default: 4096 when the machine has a spare core, else 0;
   * `false` or 0 disables it.
   */
  asyncSpin?: number | boolean;
  /** The security policy (default: grant everything). */
  policy?: Policy;
  /**
   * Told when a spawned process's worker fails after its module started (an exception, a
   * rejection nobody handled). Default: print `kos-ipc: process "<name>" failed: <error>` once.
   * (A failure before the start rejects `kernel.spawn` instead.) The process has ended by then.
   */
  onProcessError?: (process: Process, error: unknown) => void;
}

const PAGE = 65536;

/** Throws a TypeError or RangeError naming the first option Kernel.create cannot honour. */
export function checkOptions(o: KernelOptions): void {
  if (o === null || typeof o !== 'object') throw new TypeError(`Kernel.create: options must be an object, got ${String(o)}`);
  const mib = (k: 'memoryMiB' | 'maxMemoryMiB'): void => {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > 4096)) {
      throw new RangeError(`Kernel.create: ${k} must be a number of MiB from 1 to 4096, got ${String(v)}`);
    }
  };
  mib('memoryMiB');
  mib('maxMemoryMiB');
  if (o.memoryMiB !== undefined && o.maxMemoryMiB !== undefined && o.maxMemoryMiB < o.memoryMiB) {
    throw new RangeError(`Kernel.create: maxMemoryMiB (${o.maxMemoryMiB}) is below memoryMiB (${o.memoryMiB})`);
  }
  if (o.spin !== undefined && typeof o.spin !== 'boolean' && (typeof o.spin !== 'number' || !(o.spin >= 0))) {
    throw new TypeError(`Kernel.create: spin must be a number of microseconds or a boolean, got ${String(o.spin)}`);
  }
  if (o.asyncSpin !== undefined && typeof o.asyncSpin !== 'boolean' &&
      (typeof o.asyncSpin !== 'number' || !Number.isInteger(o.asyncSpin) || o.asyncSpin < 0)) {
    throw new TypeError(`Kernel.create: asyncSpin must be a number of polls (an integer from 0) or a boolean, got ${String(o.asyncSpin)}`);
  }
  if (o.onProcessError !== undefined && typeof o.onProcessError !== 'function') {
    throw new TypeError(`Kernel.create: onProcessError must be a function (process, error) => void, got ${typeof o.onProcessError}`);
  }
  const w = o.wasm;
  if (w !== undefined && !(w instanceof WebAssembly.Module) && !(w instanceof Uint8Array) && !(w instanceof ArrayBuffer)) {
    throw new TypeError('Kernel.create: wasm must be a WebAssembly.Module, a Uint8Array or an ArrayBuffer');
  }
}

/** The kernel memory's initial and maximum sizes in 64 KiB pages. */
export function memoryPages(o: KernelOptions): { initial: number; maximum: number } {
  const initial = Math.max(17, Math.ceil((o.memoryMiB ?? 16) * 1048576 / PAGE));
  const maximum = Math.min(65536, Math.max(initial, Math.ceil((o.maxMemoryMiB ?? 1024) * 1048576 / PAGE)));
  return { initial, maximum };
}

/** The spin budget in microseconds: the option, or 50 when a spare core exists. */
export function spinBudget(o: KernelOptions, parallelism: number): number {
  const spin = o.spin;
  return spin === false ? 0 : typeof spin === 'number' ? Math.max(0, spin) : parallelism > 1 ? 50 : 0;
}

/** Polls of an Async Call's early-answer check by default, when a spare core exists. */
export const ASYNC_SPIN_POLLS = 4096;

/** An Async Call's early-answer polls: the option, or ASYNC_SPIN_POLLS when a spare core exists. */
export function asyncSpinPolls(o: KernelOptions, parallelism: number): number {
  const v = o.asyncSpin;
  return v === false ? 0 : typeof v === 'number' ? v : parallelism > 1 ? ASYNC_SPIN_POLLS : 0;
}
