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
