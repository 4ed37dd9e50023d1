/**
 * A thread of a process as the API layer sees it: a Tid and its record in the core (wait cell,
 * result words, what it received, the completed syscall's status), and the staging buffer in
 * kernel memory where plain Uint8Arrays are copied in and out. A worker process runs its
 * blocking calls on one thread; an in-realm process takes one per concurrent Async call from
 * its pool (thread_pool.ts), so two outstanding calls of one process are two threads to the
 * server, as in a real multi-threaded client.
 *
 * The fields below the descriptors belong to the Async call in flight on this thread (wait.ts,
 * ipc.ts): they are set once per call and reused, so an Async call allocates its Promise and
 * nothing else.
 */
import { T_CELL, T_STATUS, T_TID } from './abi.js';
import type { Retcode } from './rtl/retcode.js';
import type { SMsgHdr } from './services/rtl/nk_msg.js';
import type { Core } from './core.js';
import { settle } from './wait.js';
import { BufInfo } from './message_io.js';

/** What runs when an Async wait ends: `completed` false when its timeout passed first. */
export type WaitDone = (th: Thread, completed: boolean) => void;

/** The process an Async call belongs to (ipc.ts IpcProcess; kept loose to avoid a cycle). */
export interface AsyncOwner { readonly name: string }

export class Thread {
  readonly tid: number;
  /** Address of the thread's record in kernel memory. */
  readonly rec: number;
  /** Index of the wait cell in an Int32Array of kernel memory. */
  readonly cell: number;
  /** Index of the completed syscall's status (T_STATUS) in an Int32Array of kernel memory. */
  readonly statusAt: number;
  /** Index of the record's current Tid (T_TID) in an Int32Array of kernel memory. */
  readonly tidAt: number;
  stage = 0;
  stageCap = 0;
  // descriptors of the syscall in flight (kernel addresses, lengths)
  oc = 0; oclen = 0; oa = 0; oalen = 0;
  ic = 0; iccap = 0; ia = 0; iacap = 0;
  // which buffers were staged (copied) rather than used in place
  icStaged = false; iaStaged = false;
  // the buffers of the last syscalls (message_io.ts): request / response, receive
  readonly bOc = new BufInfo();
  readonly bOa = new BufInfo();
  readonly bIc = new BufInfo();
  readonly bIa = new BufInfo();

  // ---- the Async wait in flight (wait.ts waitAsync) ----
  /** The core binding the wait runs in. */
  core: Core | null = null;
  /** Runs once when the wait ends; null when no wait is armed. */
  done: WaitDone | null = null;
  /** Bumps with every armed wait: a late callback of an earlier wait sees another value. */
  waitSeq = 0;
  /** The timeout's timer, if any. */
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** Absolute deadline (performance.now() ms) of the wait, Infinity for none. */
  deadline = Infinity;

  // ---- the Async Call or Recv in flight (ipc.ts) ----
  owner: AsyncOwner | null = null;
  fn = '';
  recv = false;
  inn: SMsgHdr | null = null;
  resolve: (rc: Retcode) => void = noop;
  reject: (e: unknown) => void = noop;
  /** new Promise(th.executor): the call's one Promise, with no closure made per call. */
  readonly executor: (resolve: (rc: Retcode) => void, reject: (e: unknown) => void) => void;
  /** The core's `wake` import calls this (core.ts Waker): the wait ended with a completion. */
  readonly wake: () => void;

  constructor(tid: number, rec: number) {
    this.tid = tid;
    this.rec = rec;
    this.cell = (rec + T_CELL) >> 2;
    this.statusAt = (rec + T_STATUS) >> 2;
    this.tidAt = (rec + T_TID) >> 2;
    this.executor = (resolve, reject) => { this.resolve = resolve; this.reject = reject; };
    this.wake = () => settle(this, true);
  }
}

function noop(): void { /* no call in flight */ }
