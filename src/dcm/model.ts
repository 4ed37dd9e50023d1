/**
 * The DCM program's state (program.ts): its objects (the things DCM handles name: publications,
 * subscriptions, connection requests as the client and as the server sees them), the
 * identifying handles it keeps, the request being served and how it is answered, and the
 * machinery every waiting call shares: a request that cannot be served yet is parked with its
 * reply token and served when its object changes, answered at its deadline, interrupted, or
 * refused when the object ends.
 *
 * Every DCM handle is a user object DCM makes (KnHandleCreateUserObject) and transfers to the
 * client in a response; a request naming it carries the client's descendant back, which the
 * kernel dereferences into DCM's own handle, the key of `objects`. Events are user events DCM
 * signals on those objects (KnNoticeSetObjectEvent). Server- and client-identifying handles
 * travel in requests as transfers: DCM keeps its copy (an Ident) while something refers to it
 * and compares them by SID.
 * @internal
 */
import type { Process } from '../process.js';
import {
  SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, nk_msg_set_method_id, nk_msg_set_ncaps, nk_msg_set_handle,
} from '../services/rtl/nk_msg.js';
import { nk_arena_init, nk_arena_reset, nk_arena_get_string, type NkArena } from '../nk/arena.js';
import { nk_handle_desc, INVALID_HANDLE, INFINITE_TIMEOUT, type Handle, type nk_handle_desc_t } from '../nk/types.js';
import { NK_HANDLE_DESC_DEREFERENCED } from '../nk/message_layout.js';
import {
  OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID, OCAP_HANDLE_GET_EVENT, OCAP_HANDLE_SET_EVENT, HANDLE_TYPE_USER_FIRST,
} from '../abi.js';
import {
  rcOk, rcInvalidArgument, rcNotConnected, rcTimeout, rcIpcInterrupt, rcResourceNotFound, rcInternalError, type Retcode,
} from '../rtl/retcode.js';
import {
  DCM_PUBLICATION_CHANGED, DCM_CLIENT_CONNECTED, DCM_BLOCKING_CALL_INTERRUPTED, DCM_CLIENT_RELEASED_BY_SERVER,
  DCM_NAME_SIZE, type DcmPubStatus,
} from './constants.js';
import { MSG_SIZE, ARENA_SIZE, OFF_WORD0, OFF_NAME, setWord } from './protocol.js';

/** Rights of DCM's own handle to one of its objects, and of the copy a client gets. */
const OBJECT_RIGHTS = OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_SID | OCAP_HANDLE_GET_EVENT | OCAP_HANDLE_SET_EVENT;
export const CLIENT_RIGHTS = OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_EVENT;

/** A process that called DcmInit: its TaskId, name, and DCM's copy of its task handle. */
export interface Session { taskId: number; name: string; task: Handle; key: number; objects: Set<DcmObject> }

/** DCM's copy of a server- or client-identifying handle, kept while something refers to it. */
export interface Ident { handle: Handle; sid: number; refs: number }

/** A request parked until it can be served: its reply token, what it asked, its deadline. */
export interface Parked { token: number; flags: number; timer: ReturnType<typeof setTimeout> | undefined; deadline: number }

interface Base { handle: Handle; owner: Session; parked: Parked[] }
export interface Pub extends Base { kind: 'pub'; name: string; type: string; server: Ident; serverName: string; pending: Conn[] }
/** A notification in a subscription's queue. */
export interface Entry { status: DcmPubStatus; server: Ident; serverName: string; name: string }
export interface Sub extends Base {
  kind: 'sub'; type: string; name: string | null; serverName: string | null; serverSid: number | null; queue: Entry[];
}
export type ConnState = 'waiting' | 'listened' | 'accepted' | 'refused' | 'done';
/** A client's request (DcmCreateConnection), and the callable DCM holds for it once accepted. */
export interface Conn extends Base {
  kind: 'conn'; pub: Pub; client: Ident; clientName: string; state: ConnState; session: Handle; request: Req | null;
}
/** The server's side of a request it received (DcmListen). */
export interface Req extends Base { kind: 'req'; conn: Conn | null }
export type DcmObject = Pub | Sub | Conn | Req;

const encoder = new TextEncoder();

/** The longest a single setTimeout may wait; longer deadlines re-arm. */
const MAX_TIMER = 0x7fffffff;

export abstract class DcmState {
  protected listener: Handle = INVALID_HANDLE;
  protected stopped = false;
  protected readonly objects = new Map<Handle, DcmObject>();
  protected readonly idents = new Map<Handle, Ident>();
  protected readonly pubs = new Set<Pub>();
  protected readonly subs = new Set<Sub>();
  // the request being served: its buffers, the handles it carried, which of them were kept
  protected readonly req = new Uint8Array(MSG_SIZE);
  protected readonly reqArena: NkArena = nk_arena_init(new Uint8Array(ARENA_SIZE));
  protected readonly inHdr = new SMsgHdr();
  protected readonly res = new Uint8Array(MSG_SIZE);
  protected readonly resArena: NkArena = nk_arena_init(new Uint8Array(ARENA_SIZE));
  protected readonly outHdr = new SMsgHdr();
  protected incoming: nk_handle_desc_t[] = [];
  protected readonly kept = new Set<number>();

  constructor(readonly process: Process) {
    PackInMsg(this.inHdr, this.req, this.reqArena);
    PackOutMsg(this.outHdr, this.res, this.resArena);
  }

  /** Serves a parked or new DcmListen / DcmReadPubQueue / DcmConnect on `o` if it can be served now. */
  protected abstract serveNow(o: DcmObject, token: number, flags: number): boolean;
  /** What ending object `o` means for the rest (operations.ts). */
  protected abstract teardown(o: DcmObject): void;

  // ---- the request being served ----------------------------------------------------------------

  /**
   * Runs `work` for the call `token` names, so that nothing DCM does can throw out of its loops:
   * a process that ended meanwhile stops DCM; anything else (a fault of DCM itself) answers the
   * call with rcInternalError (when it was not answered yet) and DCM goes on serving.
   */
  protected guarded(work: () => void, token: number): void {
    try {
      work();
    } catch (e) {
      if (this.process.hasEnded) { this.stop(); return; }
      console.error(`kos-ipc: DCM: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      if (token !== 0) this.reply(token, rcInternalError);
    }
  }

  /** DCM stops: no parked call is answered at its deadline any more. */
  protected stop(): void {
    this.stopped = true;
    for (const o of this.objects.values()) for (const p of o.parked) this.disarm(p);
  }

  /** The DCM object descriptor `i` of the request names (a dereferenced DCM handle), or null. */
  protected objectIn(i: number): DcmObject | null {
    const d = this.incoming[i];
    return d && deref(d) ? this.objects.get(d.handle) ?? null : null;
  }

  /** Name `i` of the request: null when absent, empty or too long. */
  protected name(i: number): string | null {
    const s = nk_arena_get_string(this.reqArena, this.req, OFF_NAME[i]!);
    return s !== null && s.length > 0 && encoder.encode(s).length < DCM_NAME_SIZE ? s : null;
  }

  /**
   * Answers the call `token` names with `rc`; `fill` adds handles and names to a success. The
   * result is Reply's: rcOk once the response (and the handles in it) reached the caller.
   */
  protected reply(token: number, rc: Retcode, fill?: (res: Uint8Array) => void): Retcode {
    if (this.process.hasEnded) return rcNotConnected;
    const res = this.res;
    res.fill(0);
    nk_req_reset(res, MSG_SIZE);
    nk_msg_set_method_id(res, 0, 0);
    nk_arena_reset(this.resArena);
    setWord(res, OFF_WORD0, rc);
    if (rc === rcOk && fill) fill(res);
    this.outHdr.threadId = token;
    return this.process.Reply(this.listener, this.outHdr);
  }

  // ---- identifying handles ----------------------------------------------------------------------

  /** DCM's Ident for descriptor `i` (a transfer it keeps, or its own copy dereferenced); or a Retcode. */
  protected holdIdent(i: number): Ident | Retcode {
    const d = this.incoming[i];
    if (!d) return rcInvalidArgument;
    if (deref(d)) {
      const id = this.idents.get(d.handle);
      if (!id) return rcInvalidArgument;
      id.refs++;
      return id;
    }
    const sid: { sid?: number } = {};
    const rc = this.process.KnHandleGetSidByHandle(d.handle, sid);
    if (rc !== rcOk) return rc;
    this.kept.add(i);
    const id: Ident = { handle: d.handle, sid: sid.sid!, refs: 1 };
    this.idents.set(d.handle, id);
    return id;
  }

  /** The SID of the resource descriptor `i` names (DCM keeps nothing); or a Retcode. */
  protected sidIn(i: number): { sid: number } | Retcode {
    const id = this.holdIdent(i);
    if (typeof id === 'number') return id;
    this.release(id);
    return { sid: id.sid };
  }

  protected release(id: Ident): void {
    if (--id.refs > 0) return;
    this.idents.delete(id.handle);
    this.process.KnHandleClose(id.handle);
  }

  // ---- objects ----------------------------------------------------------------------------------

  /** DCM's handle to a new object of its own, or the Retcode of the kernel's refusal. */
  protected newHandle(): { handle: Handle } | Retcode {
    const out: { handle?: Handle } = {};
    const rc = this.process.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, OBJECT_RIGHTS, null, out);
    return rc === rcOk ? { handle: out.handle! } : rc;
  }

  protected add<T extends DcmObject>(o: T): T {
    this.objects.set(o.handle, o);
    o.owner.objects.add(o);
    return o;
  }

  protected signal(o: DcmObject, flag: number): void {
    this.process.KnNoticeSetObjectEvent(o.handle, flag);
  }

  /** Answers a request that made object `o`: its handle goes to the caller, or `o` goes again. */
  protected give(token: number, o: DcmObject): void {
    const rc = this.reply(token, rcOk, (res) => {
      nk_msg_set_ncaps(res, 1);
      nk_msg_set_handle(res, 0, nk_handle_desc(o.handle, CLIENT_RIGHTS));
    });
    if (rc !== rcOk) this.destroy(o);
  }

  /** Ends object `o`: waiting calls on it return rcNotConnected, what refers to it is told, its handles are revoked. */
  protected destroy(o: DcmObject): void {
    if (this.objects.get(o.handle) !== o) return;
    this.objects.delete(o.handle);
    o.owner.objects.delete(o);
    for (const p of o.parked.splice(0)) { this.disarm(p); this.reply(p.token, rcNotConnected); }
    this.teardown(o);
    this.process.KnHandleRevoke(o.handle);
  }

  // ---- waiting --------------------------------------------------------------------------------

  /** Serves a DcmListen / DcmReadPubQueue / DcmConnect now, or parks it until it can be (msec 0: rcTimeout). */
  protected wait(o: DcmObject, kind: DcmObject['kind'], token: number, flags: number, msec: number): void {
    if (o.kind !== kind) { this.reply(token, rcInvalidArgument); return; }
    if (this.serveNow(o, token, flags)) return;
    if (msec === 0) { this.reply(token, rcTimeout); return; }
    const p: Parked = { token, flags, timer: undefined, deadline: msec === INFINITE_TIMEOUT ? Infinity : Date.now() + msec };
    o.parked.push(p);
    this.arm(o, p);
  }

  /** Object `o` changed: its parked calls are served, oldest first, while they can be. */
  protected kick(o: DcmObject): void {
    while (o.parked.length > 0) {
      const p = o.parked[0]!;
      if (!this.serveNow(o, p.token, p.flags)) return;
      o.parked.shift();
      this.disarm(p);
    }
  }

  protected arm(o: DcmObject, p: Parked): void {
    if (p.deadline === Infinity || this.stopped) return;
    const rest = p.deadline - Date.now();
    p.timer = setTimeout(() => {
      p.timer = undefined;
      if (this.stopped) return;
      if (p.deadline - Date.now() > 0) { this.arm(o, p); return; }
      const i = o.parked.indexOf(p);
      if (i < 0) return;
      o.parked.splice(i, 1);
      this.guarded(() => this.reply(p.token, rcTimeout), 0);
    }, Math.max(0, Math.min(rest, MAX_TIMER)));
  }

  protected disarm(p: Parked): void {
    if (p.timer !== undefined) clearTimeout(p.timer);
    p.timer = undefined;
  }

  /** DcmInterruptBlockingCall: every call parked on `o` returns rcIpcInterrupt. */
  protected interrupt(o: DcmObject): Retcode {
    if (o.parked.length === 0) return rcResourceNotFound;
    for (const p of o.parked.splice(0)) { this.disarm(p); this.reply(p.token, rcIpcInterrupt); }
    this.signal(o, DCM_BLOCKING_CALL_INTERRUPTED);
    return rcOk;
  }

  /** DcmSubscribeToEvents just added a receiver: the events whose state holds now are signalled again. */
  protected resignal(o: DcmObject): void {
    if (o.kind === 'sub' && o.queue.length > 0) this.signal(o, DCM_PUBLICATION_CHANGED);
    else if (o.kind === 'pub' && o.pending.length > 0) this.signal(o, DCM_CLIENT_CONNECTED);
    else if (o.kind === 'conn' && (o.state === 'accepted' || o.state === 'refused')) this.signal(o, DCM_CLIENT_RELEASED_BY_SERVER);
  }
}

export function deref(d: nk_handle_desc_t): boolean {
  return (d.flags & NK_HANDLE_DESC_DEREFERENCED) !== 0;
}

export function matches(sub: Sub, p: Pub): boolean {
  return sub.type === p.type && (sub.name === null || sub.name === p.name) &&
    (sub.serverName === null || sub.serverName === p.serverName) && (sub.serverSid === null || sub.serverSid === p.server.sid);
}
