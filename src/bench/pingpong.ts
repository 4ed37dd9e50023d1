/**
 * The floor for JavaScript: a raw Atomics ping-pong over one SharedArrayBuffer, carrying the same
 * bytes as the kos-ipc scenario it is compared with (a 40-byte constant part plus the arena in
 * the request, a 40-byte reply), copied in and out of private buffers as a real protocol would.
 * It waits exactly as kos-ipc does (Spinner: the same adaptive spin, then Atomics.wait); the
 * main thread uses Atomics.waitAsync.
 *
 *   +0    doorbell (own cache line): bumped by a client after posting, when there are several
 *   +64   slot 0: state word (own cache line) | request bytes | reply bytes
 *   ...   slot i at 64 + i * slotBytes
 *
 * With one client the server waits on the slot's state word itself: the plain two-word
 * ping-pong, no doorbell traffic.
 */

import { spinPolls } from '../wait.js';

/** Bytes of the constant part in every scenario (24-byte header, 8-byte arena pointer, a u32). */
export const CONST_BYTES = 40;
/** Where the round trip's counter sits in the constant part (the reply carries it + 1). */
export const VALUE_AT = 32;

const REQ = 1;
const REP = 2;
const align64 = (n: number): number => (n + 63) & ~63;

export interface PingPongShape { clients: number; size_bytes: number }

function slotBytes(s: PingPongShape): number {
  return align64(64 + CONST_BYTES + s.size_bytes + CONST_BYTES);
}

/** A shared buffer for `shape` (zeroed: every slot idle). */
export function pingPongBuffer(shape: PingPongShape): SharedArrayBuffer {
  return new SharedArrayBuffer(64 + shape.clients * slotBytes(shape));
}

interface Slot { state: number; req: Uint8Array; rep: Uint8Array }

function slot(sab: SharedArrayBuffer, shape: PingPongShape, i: number): Slot {
  const at = 64 + i * slotBytes(shape);
  const n = CONST_BYTES + shape.size_bytes;
  return {
    state: at >> 2,
    req: new Uint8Array(sab, at + 64, n),
    rep: new Uint8Array(sab, at + 64 + n, CONST_BYTES),
  };
}

/**
 * kos-ipc's spin policy (src/wait.ts), so that floor and kos-ipc wait alike: spin for the budget
 * (the clock read every 128 polls), then sleep.
 */
export class Spinner {
  constructor(private readonly maxUs: number) {}

  /** Spins until (i32[idx] === v) === eq or the budget ends; true when it held. */
  spin(i32: Int32Array, idx: number, v: number, eq: boolean): boolean {
    if (this.maxUs <= 0) return false;
    const end = performance.now() + this.maxUs / 1000;
    for (let n = 1; ; n++) {
      if ((Atomics.load(i32, idx) === v) === eq) return true;
      if ((n & 127) === 0 && performance.now() >= end) return false;
    }
  }
}

/** Spins (policy above), then sleeps, until i32[idx] === want. */
export function awaitValue(i32: Int32Array, idx: number, want: number, spin: Spinner): void {
  if (Atomics.load(i32, idx) === want) return;
  if (spin.spin(i32, idx, want, true)) return;
  for (;;) {
    const v = Atomics.load(i32, idx);
    if (v === want) return;
    Atomics.wait(i32, idx, v);
  }
}

/** Spins then sleeps until i32[idx] differs from `seen`. */
function awaitChange(i32: Int32Array, idx: number, seen: number, spin: Spinner): void {
  if (spin.spin(i32, idx, seen, false)) return;
  while (Atomics.load(i32, idx) === seen) Atomics.wait(i32, idx, seen);
}

/** One client's request and reply buffers, and the check that a reply answers the request. */
class Client {
  readonly i32: Int32Array;
  readonly s: Slot;
  readonly req: Uint8Array;
  readonly rep = new Uint8Array(CONST_BYTES);
  private readonly reqView: DataView;
  private readonly repView: DataView;
  private readonly multi: boolean;
  private value = 0;

  constructor(sab: SharedArrayBuffer, shape: PingPongShape, index: number) {
    this.i32 = new Int32Array(sab);
    this.s = slot(sab, shape, index);
    this.req = new Uint8Array(CONST_BYTES + shape.size_bytes).fill(0x5a);
    this.reqView = new DataView(this.req.buffer);
    this.repView = new DataView(this.rep.buffer);
    this.multi = shape.clients > 1;
    this.value = index << 24;
  }

  post(): void {
    this.reqView.setUint32(VALUE_AT, this.value, true);
    this.s.req.set(this.req);
    Atomics.store(this.i32, this.s.state, REQ);
    if (this.multi) {
      Atomics.add(this.i32, 0, 1);
      Atomics.notify(this.i32, 0, 1);
    } else {
      Atomics.notify(this.i32, this.s.state, 1);
    }
  }

  get answered(): boolean {
    return Atomics.load(this.i32, this.s.state) === REP;
  }

  take(): void {
    this.rep.set(this.s.rep);
    const got = this.repView.getUint32(VALUE_AT, true);
    if (got !== ((this.value + 1) >>> 0)) throw new Error(`Atomics ping-pong: reply ${got}, expected ${this.value + 1}`);
    this.value = (this.value + 1) >>> 0;
  }
}

/** A blocking round trip of client `index` (in a worker). */
export function blockingClient(sab: SharedArrayBuffer, shape: PingPongShape, index: number, spinUs: number): () => void {
  const c = new Client(sab, shape, index);
  const spin = new Spinner(spinUs);
  return () => {
    c.post();
    awaitValue(c.i32, c.s.state, REP, spin);
    c.take();
  };
}

/** An async round trip of client `index` (the main thread: Atomics.waitAsync, no spin). */
export function asyncClient(sab: SharedArrayBuffer, shape: PingPongShape, index: number): () => Promise<void> {
  const c = new Client(sab, shape, index);
  const idx = c.s.state;
  return async () => {
    c.post();
    while (!c.answered) {
      const w = Atomics.waitAsync(c.i32, idx, REQ);
      if (w.async) await w.value;
    }
    c.take();
  };
}

/** The server loop (in a worker; never returns): copy each request out, answer value + 1. */
export function serve(sab: SharedArrayBuffer, shape: PingPongShape, spinUs: number): never {
  const i32 = new Int32Array(sab);
  const spin = new Spinner(spinUs);
  const slots = Array.from({ length: shape.clients }, (_, i) => slot(sab, shape, i));
  const req = new Uint8Array(CONST_BYTES + shape.size_bytes);
  const reqView = new DataView(req.buffer);
  const rep = new Uint8Array(CONST_BYTES);
  const repView = new DataView(rep.buffer);
  const answer = (s: Slot): void => {
    req.set(s.req);
    repView.setUint32(VALUE_AT, (reqView.getUint32(VALUE_AT, true) + 1) >>> 0, true);
    s.rep.set(rep);
    Atomics.store(i32, s.state, REP);
    Atomics.notify(i32, s.state, 1);
  };
  if (shape.clients === 1) {
    const s = slots[0]!;
    for (;;) { awaitValue(i32, s.state, REQ, spin); answer(s); }
  }
  for (;;) {
    const seen = Atomics.load(i32, 0);
    let served = false;
    for (const s of slots) if (Atomics.load(i32, s.state) === REQ) { answer(s); served = true; }
    if (!served) awaitChange(i32, 0, seen, spin);
  }
}

// ---- the tight floor ---------------------------------------------------------------------------
//
// The fastest correct ping-pong of the same bytes between two threads that each have a core:
// one state word on its own cache line, the request on the next lines and the reply on a line
// of its own (so nothing is shared that need not move); no clock is read while waiting (a pure
// poll of the state word, as many polls as kos-ipc's spin budget lasts: wait.ts spinPolls); the
// bytes move with one TypedArray.set each way (measured faster here than a loop of 32-bit words
// for these sizes); the counter is read and written as a word; and nobody is notified unless it said it
// sleeps (the waiter changes the state word to a "sleeping" value first, as kos-ipc's wait cells
// do). Past its polls (a peer without a core) the waiter sleeps, so a loaded machine slows the
// floor down instead of hanging it.
//
//   state: 0 idle, 1 a request is posted, 2 the reply is posted,
//          3 a request is posted and the client sleeps waiting for the reply,
//          4 the reply is posted (or nothing yet) and the server sleeps waiting for a request

const ST_REQ = 1, ST_REP = 2, ST_REQ_SLEEP = 3, ST_REP_SLEEP = 4;

interface TightSlot { state: number; req: Uint8Array; rep: Uint8Array }

function tightSlot(sab: SharedArrayBuffer, shape: PingPongShape): TightSlot {
  const at = 64;
  const n = CONST_BYTES + shape.size_bytes;
  const repAt = align64(at + 64 + n);
  return { state: at >> 2, req: new Uint8Array(sab, at + 64, n), rep: new Uint8Array(sab, repAt, CONST_BYTES) };
}

/** The buffer the tight floor needs (a state line, the request's lines, the reply's line). */
export function tightBuffer(shape: PingPongShape): SharedArrayBuffer {
  return new SharedArrayBuffer(align64(64 + 64 + CONST_BYTES + shape.size_bytes) + 64);
}

/**
 * Waits until the state is `a` or `b`, polling `polls` times first; then changes `from` (the
 * values it may hold meanwhile) to `sleeping` and sleeps on it.
 */
function tightAwait(i32: Int32Array, idx: number, a: number, b: number, sleeping: number, polls: number): void {
  for (let n = 0; n < polls; n++) { const v = Atomics.load(i32, idx); if (v === a || v === b) return; }
  for (;;) {
    const v = Atomics.load(i32, idx);
    if (v === a || v === b) return;
    if (v !== sleeping && Atomics.compareExchange(i32, idx, v, sleeping) !== v) continue;
    Atomics.wait(i32, idx, sleeping);
  }
}

/** Sets the state to `v`, waking the peer only if it sleeps (`sleeping`). */
function tightPost(i32: Int32Array, idx: number, v: number, sleeping: number): void {
  if (Atomics.exchange(i32, idx, v) === sleeping) Atomics.notify(i32, idx, 1);
}

/** A blocking round trip of the tight floor's one client (in a worker); `spinUs` as kos-ipc's. */
export function tightClient(sab: SharedArrayBuffer, shape: PingPongShape, spinUs: number): () => void {
  const polls = spinUs > 0 ? spinPolls(spinUs, Infinity) : 0;
  const i32 = new Int32Array(sab);
  const s = tightSlot(sab, shape);
  const req = new Uint8Array(CONST_BYTES + shape.size_bytes).fill(0x5a);
  const rep = new Uint8Array(CONST_BYTES);
  const req32 = new Int32Array(req.buffer), rep32 = new Int32Array(rep.buffer), at = VALUE_AT >> 2;
  let value = 0;
  return () => {
    req32[at] = value;
    s.req.set(req);
    tightPost(i32, s.state, ST_REQ, ST_REP_SLEEP);
    tightAwait(i32, s.state, ST_REP, ST_REP_SLEEP, ST_REQ_SLEEP, polls);
    rep.set(s.rep);
    if (rep32[at]! !== ((value + 1) | 0)) throw new Error(`tight ping-pong: reply ${rep32[at]}, expected ${value + 1}`);
    value = (value + 1) | 0;
  };
}

/** The tight floor's server loop (in a worker; never returns): copy the request out, answer value + 1. */
export function tightServe(sab: SharedArrayBuffer, shape: PingPongShape, spinUs: number): never {
  const polls = spinUs > 0 ? spinPolls(spinUs, Infinity) : 0;
  const i32 = new Int32Array(sab);
  const s = tightSlot(sab, shape);
  const req = new Uint8Array(CONST_BYTES + shape.size_bytes);
  const rep = new Uint8Array(CONST_BYTES);
  const req32 = new Int32Array(req.buffer), rep32 = new Int32Array(rep.buffer), at = VALUE_AT >> 2;
  for (;;) {
    tightAwait(i32, s.state, ST_REQ, ST_REQ_SLEEP, ST_REP_SLEEP, polls);
    req.set(s.req);
    rep32[at] = (req32[at]! + 1) | 0;
    s.rep.set(rep);
    tightPost(i32, s.state, ST_REP, ST_REQ_SLEEP);
  }
}

/**
 * An async round trip of the main thread that checks before it waits: polls the state for
 * `spinPolls` polls (kos-ipc's asyncSpin), then Atomics.waitAsync. The server is serve().
 */
export function asyncSpinClient(sab: SharedArrayBuffer, shape: PingPongShape, spinPolls: number): () => Promise<void> | void {
  const c = new Client(sab, shape, 0);
  const idx = c.s.state;
  const i32 = c.i32;
  const slow = async (): Promise<void> => {
    while (!c.answered) {
      const w = Atomics.waitAsync(i32, idx, REQ);
      if (w.async) await w.value;
    }
    c.take();
  };
  return () => {
    c.post();
    for (let n = 0; n < spinPolls; n++) if (Atomics.load(i32, idx) === REP) { c.take(); return; }
    return slow();
  };
}
