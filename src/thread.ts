/**
 * A thread of a process as the API layer sees it: a Tid and its record in the core (wait cell,
 * result words, what it received), and the staging buffer in kernel memory where plain
 * Uint8Arrays are copied in and out. A worker process runs its blocking calls on one thread;
 * an in-realm process takes one per concurrent Async call from its pool (thread_pool.ts), so
 * two outstanding calls of one process are two threads to the server, as in a real
 * multi-threaded client.
 */
import { T_CELL } from './abi.js';

export class Thread {
  readonly tid: number;
  /** Address of the thread's record in kernel memory. */
  readonly rec: number;
  /** Index of the wait cell in an Int32Array of kernel memory. */
  readonly cell: number;
  stage = 0;
  stageCap = 0;
  // descriptors of the syscall in flight (kernel addresses, lengths)
  oc = 0; oclen = 0; oa = 0; oalen = 0;
  ic = 0; iccap = 0; ia = 0; iacap = 0;
  // which buffers were staged (copied) rather than used in place
  icStaged = false; iaStaged = false;

  constructor(tid: number, rec: number) {
    this.tid = tid;
    this.rec = rec;
    this.cell = (rec + T_CELL) >> 2;
  }
}
