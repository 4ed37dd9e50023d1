// What the fault figure (faults.ts) and its workers (fixtures/fault_victim.ts,
// fixtures/fault_survivor.ts) agree on: the board in kernel memory (where a victim was when it
// was terminated; the survivors' pause while the tables are counted), the survivors' report,
// and the clock.
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
 * The board: 32-bit words in kernel memory that the kernel's realm allocated (process.alloc) and
 * its workers reach from any buffer of that memory (an `alloc` view's buffer):
 *   B_PHASE   where the current victim is (PH_*)
 *   B_PAUSE   1 while the kernel's realm counts the tables: survivors stop calling and wait
 *   B_PAUSED  how many survivors are waiting
 */
export const B_PHASE = 0, B_PAUSE = 1, B_PAUSED = 2, BOARD_WORDS = 4;

export function boardAt(memory: ArrayBufferLike, addr: number): Int32Array {
  return new Int32Array(memory, addr, BOARD_WORDS);
}
