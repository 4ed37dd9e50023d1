/**
 * The kos-ipc scenario's messages: a 40-byte constant part (nk_message header, the arena's
 * nk_ptr_t at 24, a counter at 32) and an arena of `size_bytes` stored as one segment; the reply
 * is a 40-byte constant part with counter + 1 and no arena. With `alloc` every buffer comes from
 * process.alloc and is used in place; otherwise they are plain Uint8Arrays, copied.
 */
import type { Process } from '../process.js';
import { SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset } from '../services/rtl/nk_msg.js';
import { nk_arena_init, nk_arena_store } from '../nk/arena.js';
import { rcOk, retcodeName, type Retcode } from '../rtl/retcode.js';
import { CONST_BYTES, VALUE_AT } from './pingpong.js';
import { Counter } from './echo.js';

const ARENA_PTR_AT = 24;

/** The counter value of a probe request: the server answers with its realm's figures (probe.ts). */
export const PROBE_VALUE = 0xfffffff0;
/** Where a probe's answer carries the server realm's crossings and GC count (u32 each). */
const PROBE_CROSSINGS_AT = VALUE_AT;
const PROBE_GC_AT = VALUE_AT + 4;

const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const setU32 = (b: Uint8Array, at: number, v: number): void => {
  b[at] = v; b[at + 1] = v >>> 8; b[at + 2] = v >>> 16; b[at + 3] = v >>> 24;
};

function buffer(p: Process, bytes: number, alloc: boolean): Uint8Array {
  return alloc ? p.alloc(bytes) : new Uint8Array(bytes);
}

/** Client side of one kos-ipc round trip. */
export class KosCall {
  readonly out = new SMsgHdr();
  readonly inn = new SMsgHdr();
  private readonly req: Uint8Array;
  private readonly res: Uint8Array;
  private readonly counter: Counter;

  constructor(p: Process, sizeBytes: number, alloc: boolean, index = 0) {
    this.req = buffer(p, CONST_BYTES, alloc);
    nk_req_reset(this.req);
    const arena = nk_arena_init(buffer(p, Math.max(8, sizeBytes), alloc));
    if (sizeBytes > 0 && nk_arena_store(Uint8Array, arena, this.req, ARENA_PTR_AT, new Uint8Array(sizeBytes).fill(0x5a)) !== 0) {
      throw new Error(`kos-ipc request: an arena of ${sizeBytes} bytes did not fit`);
    }
    PackOutMsg(this.out, this.req, arena);
    this.res = buffer(p, CONST_BYTES, alloc);
    PackInMsg(this.inn, this.res, null);
    this.counter = new Counter(index);
  }

  before(): void {
    this.counter.stamp(this.req);
  }

  after(rc: Retcode): void {
    if (rc !== rcOk) throw new Error(`kos-ipc Call returned ${retcodeName(rc)}`);
    this.counter.check('kos-ipc Call', this.res);
  }

  /** Stamps a probe request (instead of before()). */
  beforeProbe(): void {
    setU32(this.req, VALUE_AT, PROBE_VALUE);
  }

  /** The server realm's [crossings, GCs] from a probe's answer. */
  afterProbe(rc: Retcode): [number, number] {
    if (rc !== rcOk) throw new Error(`kos-ipc probe Call returned ${retcodeName(rc)}`);
    return [u32(this.res, PROBE_CROSSINGS_AT), u32(this.res, PROBE_GC_AT)];
  }
}

/** Server side: receive buffers able to take `maxBytes` of arena, and the reply. */
export class KosServe {
  readonly hin = new SMsgHdr();
  readonly hout = new SMsgHdr();
  private readonly req: Uint8Array;
  private readonly res: Uint8Array;

  /**
   * `figures`: the server realm's [crossings, GCs] for a probe request; without it a probe is
   * answered with zeros (a server in the client's own realm: the client counts the realm).
   */
  constructor(p: Process, maxBytes: number, alloc: boolean, private readonly figures?: () => [number, number]) {
    this.req = buffer(p, CONST_BYTES, alloc);
    PackInMsg(this.hin, this.req, nk_arena_init(buffer(p, Math.max(8, maxBytes), alloc)));
    this.res = buffer(p, CONST_BYTES, alloc);
    nk_req_reset(this.res);
    PackOutMsg(this.hout, this.res, null);
  }

  /** The trivial handler: the reply carries the request's counter + 1. */
  answer(): void {
    const q = this.req, r = this.res, at = VALUE_AT;
    const v = ((q[at]! | (q[at + 1]! << 8) | (q[at + 2]! << 16) | (q[at + 3]! << 24)) + 1) >>> 0;
    if (v === PROBE_VALUE + 1) this.probe();
    else { r[at] = v; r[at + 1] = v >>> 8; r[at + 2] = v >>> 16; r[at + 3] = v >>> 24; }
    this.hout.threadId = this.hin.threadId;
  }

  private probe(): void {
    const [crossings, gcs] = this.figures?.() ?? [0, 0];
    setU32(this.res, PROBE_CROSSINGS_AT, crossings >>> 0);
    setU32(this.res, PROBE_GC_AT, gcs >>> 0);
  }
}
