/**
 * The message the baselines carry, shaped like the kos-ipc request: a 40-byte constant part with
 * a counter at VALUE_AT, followed by `size_bytes` of payload (the arena); the reply is 40 bytes
 * holding counter + 1. Every client checks every reply, so a lost or stale reply fails the row.
 */
import { CONST_BYTES, VALUE_AT } from './pingpong.js';

/** A request buffer: constant part then `sizeBytes` of payload. */
export function request(sizeBytes: number): Uint8Array {
  return new Uint8Array(CONST_BYTES + sizeBytes).fill(0x5a);
}

const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const setU32 = (b: Uint8Array, at: number, v: number): void => {
  b[at] = v; b[at + 1] = v >>> 8; b[at + 2] = v >>> 16; b[at + 3] = v >>> 24;
};

/** A server's answer function: one reply buffer, reused (the transports copy it). */
export function answerer(): (req: Uint8Array) => Uint8Array {
  const rep = new Uint8Array(CONST_BYTES);
  return (req) => {
    setU32(rep, VALUE_AT, (u32(req, VALUE_AT) + 1) >>> 0);
    return rep;
  };
}

/** Client side: stamps the counter before a call, checks the reply after it. */
export class Counter {
  private value: number;
  constructor(index = 0) { this.value = (index << 24) >>> 0; }

  stamp(req: Uint8Array): void {
    setU32(req, VALUE_AT, this.value);
  }

  check(what: string, rep: Uint8Array): void {
    const got = u32(rep, VALUE_AT);
    if (got !== ((this.value + 1) >>> 0)) throw new Error(`${what}: reply ${got}, expected ${this.value + 1}`);
    this.value = (this.value + 1) >>> 0;
  }
}

/**
 * An async round trip over a message port (postMessage, MessageChannel, in one realm or across
 * threads): post the request, resolve on the reply.
 */
export function portRoundTrip(what: string, sizeBytes: number, index: number,
  post: (m: Uint8Array) => void, listen: (f: (m: Uint8Array) => void) => void): () => Promise<void> {
  const req = request(sizeBytes);
  const counter = new Counter(index);
  let settle: (m: Uint8Array) => void = () => { throw new Error(`${what}: a reply nobody asked for`); };
  listen((m) => settle(m));
  return () => new Promise<void>((resolve, reject) => {
    counter.stamp(req);
    settle = (m) => {
      try { counter.check(what, m); resolve(); } catch (e) { reject(e); }
    };
    post(req);
  });
}
