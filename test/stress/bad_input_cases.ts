// The random calls of the bad-input figure (bad_input.ts): a CallAsync or CallExAsync with a
// random or mutated request (test/message_fuzz.ts), random receive buffers, handle values,
// timeouts and sync handles, plain or in kernel memory (process.alloc), now and then an argument
// of the wrong JavaScript type; and what the kernel must answer at once, following the order of
// checks of docs/api/CallEx.md: a TypeError, a Retcode, or "queued" (it waits for the server).
import {
  SMsgHdr, PackOutMsg, PackInMsg, nk_arena_init, rcInvalidArgument, rcInvalidOperation, rcIpcInterrupt,
  INVALID_HANDLE, INFINITE_TIMEOUT, NK_EOK, type NkArena, type Retcode,
} from 'kos-ipc';
import { LAYOUTS, build, mutate, randomMutation, expected, type Built, type Layout, type Mutation } from '../message_fuzz.js';
import { UNDECLARED_MID, SERVER_C, SERVER_A } from './fuzz_protocol.js';
import type { Rng } from './random.js';

/** The handles of the calling process, Fuzzer, that a case may name. */
export interface Handles {
  /** its client IPC handle of the server's channel */
  channel: number;
  /** its listener of the control channel (the wrong kind for Call) */
  listener: number;
  /** its IPC sync object */
  sync: number;
  /** a handle it closed */
  closed: number;
  /** another process's handle of the same channel */
  foreign: number;
}

/** Buffers of Fuzzer in kernel memory (process.alloc): a case may use them in place. */
export interface Pools { outC: Uint8Array; outA: Uint8Array; inC: Uint8Array; inA: Uint8Array; huge: Uint8Array }

/** What happens to a call the kernel queued: the server takes it, its timeout ends it, the
 * sync object interrupts it, or its in-place request is changed while queued and then served. */
export type Fate = 'serve' | 'expire' | 'interrupt' | 'toctou';

export interface Case {
  form: 'CallAsync' | 'CallExAsync';
  handle: unknown;
  mdelay: unknown;
  sync: unknown;
  msgOut: unknown;
  msgIn: unknown;
  /** The request (its bytes as the kernel sees them); null when msgOut is not a bound header. */
  req: Built | null;
  /** The layout the request was built from (mutations refer to its descriptors). */
  layout: Layout;
  /** The receive buffers, as bound to msgIn. */
  inC: Uint8Array; inArena: NkArena | null;
  /** The sync object is set before the call. */
  setSync: boolean;
  /** The answer at once: a Retcode, a TypeError naming `arg`, or queued. */
  expect: Retcode | 'queued' | 'TypeError';
  /** The argument the TypeError must name, or the rule that decides the code. */
  why: string;
  fate: Fate;
  /** For 'toctou': the change made to the in-place request while it is queued. */
  change: Mutation | null;
  /** The response the server sends (fuzz_protocol.ts responseFor). */
  responseSeed: number;
}

const JS_BAD_HANDLES: unknown[] = [-1, 2 ** 32, 1.5, NaN, '7', null, undefined, 2 ** 53];
const JS_BAD_DELAYS: unknown[] = [-1, 0.5, NaN, 2 ** 32, '10', null, Infinity];

/** A u32 that is none of Fuzzer's live handles, so the kernel must refuse it as a handle. */
function deadValue(rng: Rng, h: Handles, near: boolean): number {
  for (;;) {
    const v = near ? (h.channel ^ (1 << rng.int(32))) >>> 0 : rng.u32();
    if (v !== h.channel && v !== h.listener && v !== h.sync && v !== INVALID_HANDLE) return v;
  }
}

function pickHandle(rng: Rng, h: Handles): [unknown, Retcode | 'ok' | 'TypeError', string] {
  const r = rng.float();
  if (r < 0.86) return [h.channel, 'ok', ''];
  if (r < 0.88) return [deadValue(rng, h, false), rcInvalidArgument, 'random handle'];
  if (r < 0.89) return [INVALID_HANDLE, rcInvalidArgument, 'INVALID_HANDLE'];
  if (r < 0.905) return [h.closed, rcInvalidArgument, 'closed handle'];
  if (r < 0.92) return [h.foreign, rcInvalidArgument, 'foreign handle'];
  if (r < 0.935) return [h.listener, rcInvalidOperation, 'listener as channel'];
  if (r < 0.95) return [h.sync, rcInvalidOperation, 'sync object as channel'];
  if (r < 0.97) return [deadValue(rng, h, true), rcInvalidArgument, 'near-miss handle'];
  return [rng.pick(JS_BAD_HANDLES), 'TypeError', 'handle'];
}

function pickSync(rng: Rng, h: Handles): [unknown, Retcode | 'ok' | 'TypeError' | 'set', string] {
  const r = rng.float();
  if (r < 0.8) return [INVALID_HANDLE, 'ok', ''];
  if (r < 0.9) return [h.sync, 'ok', ''];
  if (r < 0.925) return [h.sync, 'set', ''];
  if (r < 0.95) return [deadValue(rng, h, false), rcInvalidArgument, 'random sync handle'];
  if (r < 0.975) return [h.channel, rcInvalidOperation, 'channel as sync handle'];
  return [rng.pick(JS_BAD_HANDLES), 'TypeError', 'syncHandle'];
}

function pickDelay(rng: Rng): unknown {
  const r = rng.float();
  if (r < 0.4) return INFINITE_TIMEOUT;
  if (r < 0.65) return rng.range(1000, 600000);
  if (r < 0.7) return INFINITE_TIMEOUT - 1;
  if (r < 0.8) return 0;
  if (r < 0.9) return rng.range(1, 3);
  if (r < 0.97) return rng.range(4, 20);
  return rng.pick(JS_BAD_DELAYS);
}

/** The request: a valid message of a random layout with 0 to 4 random mutations, and its layout. */
function request(rng: Rng, pools: Pools): [Built, Layout] {
  const m = rng.int(LAYOUTS.length + 1);
  const method = LAYOUTS[m % LAYOUTS.length]!;
  const layout = rng.chance(0.85) ? method.request : rng.chance(0.5) ? method.response : method.error;
  const msg = build(layout, m < LAYOUTS.length ? m : UNDECLARED_MID, layout === method.error, rng.u32());
  if (!rng.chance(0.35)) mutate(msg, layout, Array.from({ length: rng.range(1, 4) }, () => randomMutation(() => rng.float())));
  if (rng.chance(0.03)) msg.c = msg.c.subarray(0, rng.int(24)); // shorter than a header
  if (rng.chance(0.005)) {
    // near or past 4 MiB: the huge buffer of kernel memory, used in place
    const arena = nk_arena_init(pools.huge);
    arena.used = pools.huge.length - rng.int(2000);
    msg.arena = arena;
  }
  return [msg, layout];
}

/** Copies `msg` into Fuzzer's kernel-memory buffers, so the kernel reads it in place. */
function inPlace(msg: Built, pools: Pools): Built {
  const c = pools.outC.subarray(0, msg.c.length);
  c.set(msg.c);
  const arena = nk_arena_init(pools.outA.subarray(0, msg.arena.capacity));
  arena.buffer.set(msg.arena.buffer);
  arena.used = msg.arena.used;
  return { c, arena };
}

function receiveBuffers(rng: Rng, pools: Pools): [Uint8Array, NkArena | null] {
  const r = rng.float();
  const clen = r < 0.6 ? 256 : r < 0.7 ? 64 : r < 0.97 ? rng.range(24, 300) : rng.int(24);
  const s = rng.float();
  const alen = s < 0.1 ? -1 : s < 0.6 ? 1024 : s < 0.8 ? 4096 : rng.int(2000);
  if (rng.chance(0.1)) {
    return [pools.inC.subarray(0, clen), alen < 0 ? null : nk_arena_init(pools.inA.subarray(0, alen))];
  }
  return [new Uint8Array(clen), alen < 0 ? null : nk_arena_init(new Uint8Array(alen))];
}

/**
 * A header bound to `c` and `arena` by `pack`, or now and then something that is not one. Pack
 * refuses a buffer shorter than a header; such a buffer is set in the header's fields by hand.
 */
function header(rng: Rng, pack: typeof PackOutMsg, c: Uint8Array, arena: NkArena | null): [unknown, boolean] {
  const hdr = new SMsgHdr();
  if (!rng.chance(0.01)) {
    if (pack(hdr, c, arena) !== NK_EOK) { hdr.constPart = c; hdr.arena = arena; }
    return [hdr, true];
  }
  const bad = rng.int(4);
  if (bad === 0) return [{}, false];
  if (bad === 1) return [null, false];
  if (bad === 2) return [hdr, false]; // never packed
  pack(hdr, c, arena);
  (hdr as { arena: unknown }).arena = { used: 0 };
  return [hdr, false];
}

/** True when request `m` passes the checks made again at delivery and fits the server's buffers. */
export function deliverable(m: Built): boolean {
  if (m.c.length < 24 || expected(m, LAYOUTS, false)[0] !== 'ok') return false;
  return new DataView(m.c.buffer, m.c.byteOffset).getUint32(0, true) <= SERVER_C && m.arena.used <= SERVER_A;
}

/** One random call. */
export function makeCase(rng: Rng, h: Handles, pools: Pools): Case {
  const form = rng.chance(0.6) ? 'CallExAsync' : 'CallAsync';
  const [handle, hcode, hwhy] = pickHandle(rng, h);
  const [sync, scode, swhy] = form === 'CallExAsync' ? pickSync(rng, h) : [INVALID_HANDLE, 'ok' as const, ''];
  const mdelay = form === 'CallExAsync' ? pickDelay(rng) : INFINITE_TIMEOUT;
  const [built, layout] = request(rng, pools);
  let req = built;
  const placed = rng.chance(0.1) && req.c.length <= pools.outC.length && req.arena.buffer !== pools.huge;
  if (placed) req = inPlace(req, pools);
  const [inC, inArena] = receiveBuffers(rng, pools);
  const arenaOut = req.arena.capacity === 0 && rng.chance(0.5) ? null : req.arena;
  const [msgOut, outOk] = header(rng, PackOutMsg, req.c, arenaOut);
  const [msgIn, inOk] = header(rng, PackInMsg, inC, inArena);
  const badDelay = typeof mdelay !== 'number' || !Number.isInteger(mdelay) || mdelay < 0 || mdelay > INFINITE_TIMEOUT;
  // the order of ipcAsync (src/ipc.ts): handle, syncHandle, mdelay, then msgOut, msgIn; then the core
  let expect: Case['expect'] = 'queued', why = 'valid';
  const js: [boolean, string][] = [[hcode === 'TypeError', 'handle'], [scode === 'TypeError', 'syncHandle'],
    [badDelay, 'mdelay'], [!outOk, 'msgOut'], [!inOk, 'msgIn']];
  const first = js.find(([bad]) => bad);
  if (first) [expect, why] = ['TypeError', first[1]];
  else if (hcode !== 'ok') [expect, why] = [hcode, hwhy];
  else if (scode !== 'ok' && scode !== 'set') [expect, why] = [scode, swhy];
  else if (inC.length < 24) [expect, why] = [rcInvalidArgument, 'receive buffer under 24 bytes'];
  else if (req.c.length < 24) [expect, why] = [rcInvalidArgument, 'request buffer under 24 bytes'];
  else {
    const [code, rule] = expected(req, LAYOUTS, false);
    if (code !== 'ok') [expect, why] = [code, rule];
    else if (scode === 'set') [expect, why] = [rcIpcInterrupt, 'sync object set'];
  }
  const finite = typeof mdelay === 'number' && mdelay <= 3;
  const f = rng.float();
  const fate: Fate = sync === h.sync && f < 0.3 ? 'interrupt' : finite && f < 0.5 ? 'expire'
    : placed && f < 0.3 ? 'toctou' : 'serve';
  let change: Mutation | null = null;
  if (fate === 'toctou') {
    change = randomMutation(() => rng.float());
    if (change.k === 'used') change = { k: 'constByte', at: change.v, v: rng.int(256) }; // the kernel holds `used`
  }
  return {
    form, handle, mdelay, sync, msgOut, msgIn, req: outOk ? req : null, layout, inC, inArena,
    setSync: scode === 'set', expect, why, fate, change, responseSeed: rng.u32(),
  };
}
