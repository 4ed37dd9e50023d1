/**
 * The messages of the handle scenarios (cap.*): a 48-byte constant part, the nk_message header,
 * one nk_handle_desc_t at 24 (the only place a message carries a handle) and a counter at 40; the
 * reply is the same 48 bytes with counter + 1. Every mode sends these bytes; they differ only in
 * what the descriptor does:
 *
 * - `none`: ncaps 0, the descriptor travels as plain bytes (the baseline);
 * - `transfer`: ncaps 1, the client's user-object handle, which the server receives as a new
 *   descendant and closes;
 * - `deref`: ncaps 1, a handle the server transferred to the client once (a first call with
 *   ncaps 0 asks for it): the server receives its own handle back, dereferenced.
 */
import type { Process } from '../process.js';
import { SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, nk_msg_set_ncaps, nk_msg_set_handle, nk_msg_get_handle,
  nk_message_get_ncaps } from '../services/rtl/nk_msg.js';
import { nk_handle_desc, nk_get_handle, nk_is_handle_dereferenced, NK_TRUE } from '../nk/types.js';
import { HANDLE_TYPE_USER_FIRST, OCAP_HANDLE_TRANSFER } from '../abi.js';
import { rcOk, retcodeName, type Retcode } from '../rtl/retcode.js';

export type CapMode = 'none' | 'transfer' | 'deref';

const BYTES = 48;
const COUNTER_AT = 40;

const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const setU32 = (b: Uint8Array, at: number, v: number): void => {
  b[at] = v; b[at + 1] = v >>> 8; b[at + 2] = v >>> 16; b[at + 3] = v >>> 24;
};

function ok(what: string, rc: Retcode): void {
  if (rc !== rcOk) throw new Error(`${what} returned ${retcodeName(rc)}`);
}

/** A user object this process may transfer: what the client sends (transfer) or the server hands out (deref). */
function userObject(p: Process, what: string): number {
  const out: { handle?: number } = {};
  ok(`${what}: KnHandleCreateUserObject`, p.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, OCAP_HANDLE_TRANSFER, null, out));
  return out.handle!;
}

/**
 * Client side of one round trip in `mode` on channel `ch`. In `deref` mode, make one round trip
 * first and then call carryReceived(): that first reply transfers the server's handle.
 */
export class CapCall {
  private readonly out = new SMsgHdr();
  private readonly inn = new SMsgHdr();
  private readonly req = new Uint8Array(BYTES);
  private readonly res = new Uint8Array(BYTES);
  private value = 0;

  constructor(private readonly p: Process, private readonly ch: number, mode: CapMode) {
    nk_req_reset(this.req);
    PackOutMsg(this.out, this.req, null);
    PackInMsg(this.inn, this.res, null);
    if (mode === 'transfer') this.carry(userObject(p, 'bench client'));
  }

  /** From now on the request carries the handle the last reply transferred (deref mode). */
  carryReceived(): void {
    if (nk_message_get_ncaps(this.res) !== 1) throw new Error('bench client: the server sent no handle');
    this.carry(nk_get_handle(nk_msg_get_handle(this.res, 0)));
  }

  private carry(h: number): void {
    nk_msg_set_handle(this.req, 0, nk_handle_desc(h));
    nk_msg_set_ncaps(this.req, 1);
  }

  before(): void {
    setU32(this.req, COUNTER_AT, this.value);
  }

  /** Throws unless the call succeeded and the reply carries counter + 1. */
  after(rc: Retcode): void {
    ok('bench Call', rc);
    const got = u32(this.res, COUNTER_AT);
    if (got !== ((this.value + 1) >>> 0)) throw new Error(`bench Call: reply ${got}, expected ${this.value + 1}`);
    this.value = (this.value + 1) >>> 0;
  }

  /** One round trip with a blocking Call. */
  round(): void {
    this.before();
    this.after(this.p.Call(this.ch, this.out, this.inn));
  }

  /** One round trip with CallAsync. */
  async roundAsync(): Promise<void> {
    this.before();
    this.after(await this.p.CallAsync(this.ch, this.out, this.inn));
  }
}

/** Server side: receives a request, does what its mode asks with the handle, prepares the reply. */
export class CapServe {
  readonly hin = new SMsgHdr();
  readonly hout = new SMsgHdr();
  private readonly req = new Uint8Array(BYTES);
  private readonly res = new Uint8Array(BYTES);
  private readonly own: number;

  constructor(private readonly p: Process, private readonly mode: CapMode) {
    PackInMsg(this.hin, this.req, null);
    PackOutMsg(this.hout, this.res, null);
    this.own = mode === 'deref' ? userObject(p, 'bench server') : 0;
  }

  /** The handler: checks the handle the request carries, answers counter + 1. */
  answer(): void {
    nk_req_reset(this.res);
    if (this.mode !== 'none') {
      if (nk_message_get_ncaps(this.req) === 0) {
        if (this.mode !== 'deref') throw new Error('bench server: a request without its handle');
        nk_msg_set_handle(this.res, 0, nk_handle_desc(this.own));
        nk_msg_set_ncaps(this.res, 1);
      } else {
        const d = nk_msg_get_handle(this.req, 0);
        if (this.mode === 'transfer') {
          ok('bench server: KnHandleClose', this.p.KnHandleClose(nk_get_handle(d)));
        } else if (nk_is_handle_dereferenced(d) !== NK_TRUE || nk_get_handle(d) !== this.own) {
          throw new Error('bench server: the handle sent back was not dereferenced to its own');
        }
      }
    }
    setU32(this.res, COUNTER_AT, (u32(this.req, COUNTER_AT) + 1) >>> 0);
    this.hout.threadId = this.hin.threadId;
  }
}
