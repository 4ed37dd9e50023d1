// What the fault figure (faults.ts) and its workers (fixtures/fault_victim.ts,
// fixtures/fault_survivor.ts) agree on: where a victim was when it was terminated (its phase,
// a word in kernel memory the kernel's realm reads), the survivors' report, and the clock.
//
//   report (survivor -> Main, channel `report`)
//     +24 k, u32: the victim server | +28 calls made to it, u32 | +32 the failing call's Retcode, i32
//     +36 background calls that failed, u32 | +40 the failing call's start, f64 ms | +48 its end, f64 ms

/** Where a victim is. */
export const PH_START = 0, PH_CALL = 1, PH_RECV = 2, PH_WORK = 3, PH_REPLY = 4, PH_SYSCALL = 5;
export const PHASES = ['starting', 'mid-Call', 'mid-Recv', 'holding a received call', 'mid-Reply', 'in a syscall loop'] as const;

export const REPORT_SIZE = 56;
export const F_K = 24, F_CALLS = 28, F_RC = 32, F_BACKGROUND = 36, F_START = 40, F_END = 48;

/** Milliseconds on the process-wide monotonic clock, the same in every worker. */
export const clock = (): number => Number(process.hrtime.bigint()) / 1e6;

/** The channel of victim server k. */
export const victimChannel = (k: number): string => `fv${k}`;

/**
 * A view of the 32-bit word at `addr` of kernel memory, from any buffer of that memory (an
 * `alloc` view's buffer): the phase board the kernel's realm allocated.
 */
export function phaseWord(memory: ArrayBufferLike, addr: number): Int32Array {
  return new Int32Array(memory, addr, 1);
}
