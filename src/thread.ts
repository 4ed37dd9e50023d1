/**
 * A thread of a process as the API layer sees it: a Tid in the core, and the staging buffer in
 * kernel memory where plain Uint8Arrays are copied in and out. A worker process runs its calls
 * on one thread; an in-realm process takes one per concurrent Async call from a pool, so two
 * outstanding calls of one process are two threads to the server (two Tids), as in a real
 * multi-threaded client.
 */
export class Thread {
  readonly tid: number;
  stage = 0;
  stageCap = 0;
  // descriptors of the syscall in flight (kernel addresses, lengths)
  oc = 0; oclen = 0; oa = 0; oalen = 0;
  ic = 0; iccap = 0; ia = 0; iacap = 0;
  // which buffers were staged (copied) rather than used in place
  icStaged = false; iaStaged = false;

  constructor(tid: number) {
    this.tid = tid;
  }
}
