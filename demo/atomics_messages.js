// The floor of the page -> worker measurement: the same echo (a UInt32 answered with value + 1;
// STOP answered with the count of requests served) over a raw Atomics ping-pong on one
// SharedArrayBuffer, with no kos-ipc in the path. The page checks for the answer before it
// waits (the same number of polls as kos-ipc's CallAsync, Kernel.create's asyncSpin default),
// then Atomics.waitAsync; the worker polls as long as kos-ipc's blocking Recv spins, then
// Atomics.wait. Nobody is notified unless it said it sleeps.
//
//   word 0  rq: 0 no request, 1 a request is posted, 2 no request and the worker sleeps on it
//   word 16 rp: 0 no answer, 1 the answer is posted, 2 no answer and the page sleeps on it
//   word 32 the request's value; word 48 the answer's (each on its own cache line)
import { ASYNC_SPIN_POLLS } from '../dist/kernel_options.js';

const RQ = 0, RP = 16, REQUEST = 32, ANSWER = 48;
export const BUFFER_BYTES = 256;

/** Sets cell `i` to 1, waking the other side only if it sleeps on it. */
export function post(i32, i) {
  if (Atomics.exchange(i32, i, 1) === 2) Atomics.notify(i32, i, 1);
}

/**
 * The page's `call(v)` over `sab`: resolves to the answer's value (one call at a time). `polls`:
 * how many times it looks for the answer before it waits (0 on a machine without a spare core).
 */
export function atomicsCaller(sab, polls = navigator.hardwareConcurrency > 1 ? ASYNC_SPIN_POLLS : 0) {
  const i32 = new Int32Array(sab);
  const sleep = async () => {
    for (;;) {
      const v = Atomics.load(i32, RP);
      if (v === 1) return;
      if (v === 0 && Atomics.compareExchange(i32, RP, 0, 2) !== 0) continue;
      const w = Atomics.waitAsync(i32, RP, 2);
      if (w.async) await w.value;
    }
  };
  return async (v) => {
    Atomics.store(i32, REQUEST, v >>> 0);
    Atomics.store(i32, RP, 0);
    post(i32, RQ);
    let n = 0;
    while (n < polls && Atomics.load(i32, RP) !== 1) n++;
    if (n === polls) await sleep();
    return Atomics.load(i32, ANSWER) >>> 0;
  };
}

/**
 * The worker's loop over `sab` (never returns before STOP): wait for a request (`polls` polls,
 * then Atomics.wait), answer it with `answerOf(value, served)`; returns after answering STOP.
 */
export function serveAtomics(sab, polls, answerOf, STOP) {
  const i32 = new Int32Array(sab);
  let served = 0;
  for (;;) {
    let n = 0;
    while (n < polls && Atomics.load(i32, RQ) !== 1) n++;
    for (;;) {
      const v = Atomics.load(i32, RQ);
      if (v === 1) break;
      if (v === 0 && Atomics.compareExchange(i32, RQ, 0, 2) !== 0) continue;
      Atomics.wait(i32, RQ, 2);
    }
    Atomics.store(i32, RQ, 0);
    const value = Atomics.load(i32, REQUEST) >>> 0;
    served++;
    Atomics.store(i32, ANSWER, answerOf(value, served));
    post(i32, RP);
    if (value === STOP) return served;
  }
}
