// What the bad-input driver (bad_input.ts) and its live server (fixtures/fuzz_server.ts) agree
// on: the control channel's two messages, the server's receive buffers, the response a seed
// stands for, and the hash both sides take of a message.
//
// The server parks itself in Call on channel `ctl` after each step, so the driver knows it is
// idle while it sends a message and compares the kernel's digest around it:
//
//   server -> driver   report  (ctl request)   +24 recv rc, i32 (NONE: not called) | +28 reply rc, i32 (NONE)
//                                              | +32 hash of the request received | +36 its arena bytes
//   driver -> server   order   (ctl response)  +24 op (SERVE, STOP) | +28 response seed
//
// SERVE: take the queued request with RecvEx(mdelay 0) and answer it with responseFor(seed).
import { nk_arena_init, type NkArena } from 'kos-ipc';
import { LAYOUTS, build, mutate, randomMutation, prng, type Built } from '../message_fuzz.js';

export const CTL_SIZE = 40;
export const R_RECV = 24, R_REPLY = 28, R_HASH = 32, R_ALEN = 36;
export const O_OP = 24, O_SEED = 28;
export const OP_SERVE = 1, OP_STOP = 2;
/** A report field for a call the server did not make (Retcodes are 0 or negative). */
export const NONE = 0x7fffffff;
/** The server's receive buffers: a request larger than these is refused at delivery. */
export const SERVER_C = 256, SERVER_A = 1024;
/** A method id no server declares: its messages are checked only for their header. */
export const UNDECLARED_MID = 100;

/**
 * The response seed `seed` stands for: a message of a random method of the interface (or the
 * undeclared one), response or error, with 0 to 3 random mutations. Both sides build it: the
 * server to send it, the driver to check what arrived.
 */
export function responseFor(seed: number): Built {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const m = int(LAYOUTS.length + 1);
  const mid = m < LAYOUTS.length ? m : UNDECLARED_MID;
  const method = LAYOUTS[m % LAYOUTS.length]!;
  const error = int(4) === 0;
  const layout = error ? method.error : method.response;
  const msg = build(layout, mid, error, seed ^ 0x5bd1e995);
  const n = int(2) === 0 ? 0 : 1 + int(3);
  mutate(msg, layout, Array.from({ length: n }, () => randomMutation(rnd)));
  return msg;
}

/** FNV-1a over the bytes a message carries: its header's size of `c` (clamped), then the used arena. */
export function messageHash(c: Uint8Array, arena: NkArena | null): number {
  let h = 0x811c9dc5;
  const size = c.length >= 4 ? Math.min(c.length, new DataView(c.buffer, c.byteOffset, 4).getUint32(0, true)) : c.length;
  for (let i = 0; i < size; i++) h = Math.imul(h ^ c[i]!, 0x01000193);
  const used = arena ? arena.used : 0;
  for (let i = 0; i < used; i++) h = Math.imul(h ^ arena!.buffer[i]!, 0x01000193);
  return h >>> 0;
}

/** The server's receive buffers. */
export function serverInbox(): { c: Uint8Array; arena: NkArena } {
  return { c: new Uint8Array(SERVER_C), arena: nk_arena_init(new Uint8Array(SERVER_A)) };
}
