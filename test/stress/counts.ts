// What the kernel holds, counted: every counter of kernel.stats() (processes, threads, objects by
// kind, handles, reply slots, ...) and the bytes of kernel memory. The fault figure compares the
// counts before and after a thousand processes came and went.
//
// The kernel's digest (k_digest) cannot serve here: it hashes the tables byte for byte, and
// every process that comes and goes moves counters that never return (the next TaskId, the
// generations inside handle values, Tids and reply tokens, the order of the heap's free lists).
import type { Kernel } from 'kos-ipc';

/** kernel.stats(), and the bytes of kernel memory (it only grows: a leak shows as growth). */
export type Counts = Record<string, number>;

/** Bytes of kernel memory. */
export function memoryBytes(kernel: Kernel): number {
  return kernel.memory().memoryBytes;
}

export function tableCounts(kernel: Kernel): Counts {
  return { ...kernel.stats(), memoryBytes: memoryBytes(kernel) };
}

/** The counts of `b` that differ from `a`, as text; empty when they agree. */
export function countsDiffer(a: Counts, b: Counts): string[] {
  return Object.keys(a).filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k]} -> ${b[k]}`);
}
