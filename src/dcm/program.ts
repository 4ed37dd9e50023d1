/**
 * DCM, the Dynamic Connection Manager (seed 003): a program of the emulated system, the process
 * `kl.core.DCM`, which runs in the kernel's realm as two Async loops: one receives requests on
 * its static channel `kl.core.DCM` (RecvAsync) and answers them with Reply, the other waits on
 * a notice receiver for EVENT_TASK_COMPLETED of its clients' task handles. It never blocks: a
 * request that must wait (DcmListen, DcmReadPubQueue, DcmConnect) is parked with its reply
 * token and answered later, when it can be served, at its deadline, or when it is interrupted.
 *
 * Every DCM handle is a user object DCM makes (KnHandleCreateUserObject) and transfers to the
 * client in a response; a request naming it carries the client's descendant back, which the
 * kernel dereferences into DCM's own handle, the key of `objects`. Events are user events DCM
 * signals on those objects (KnNoticeSetObjectEvent). Server- and client-identifying handles
 * travel in requests as transfers: DCM keeps its copy (an Ident) while something refers to it
 * and compares them by SID. docs/dcm.md draws the flow and lists the choices made here.
 * @internal
 */
import type { Process } from '../process.js';
import type { EventDesc } from '../notice_calls.js';
import {
  SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, nk_msg_set_method_id, nk_msg_set_ncaps, nk_msg_get_handle,
  nk_msg_set_handle, nk_message_get_mid, nk_message_get_ncaps,
} from '../services/rtl/nk_msg.js';
import { nk_arena_init, nk_arena_reset, nk_arena_store_string, nk_arena_get_string } from '../nk/arena.js';
import { nk_handle_desc, INVALID_HANDLE, INFINITE_TIMEOUT, type Handle, type nk_handle_desc_t } from '../nk/types.js';
import { NK_HANDLE_DESC_DEREFERENCED } from '../nk/message_layout.js';
import {
  OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID, OCAP_HANDLE_GET_EVENT, OCAP_HANDLE_SET_EVENT, OCAP_RIGHTS_SAME,
  HANDLE_TYPE_USER_FIRST, EVENT_TASK_COMPLETED,
} from '../abi.js';
import {
  rcOk, rcInvalidArgument, rcNotConnected, rcTimeout, rcIpcInterrupt, rcResourceNotFound, rcAlreadyExists,
  rcInvalidOperation, type Retcode,
} from '../rtl/retcode.js';
import {
  DCM_PUBLICATION_CHANGED, DCM_CLIENT_CONNECTED, DCM_BLOCKING_CALL_INTERRUPTED, DCM_CLIENT_RELEASED_BY_SERVER,
  DCM_PUBLISHED, DCM_UNPUBLISHED, DCM_CONNECTION, DCM_NAME_SIZE, type DcmPubStatus,
} from './constants.js';
import {
  DcmMethod, MSG_SIZE, ARENA_SIZE, OFF_WORD0, OFF_WORD1, OFF_NAME, F_HANDLE, F_NAME0, F_NAME1, F_NAME2,
  F_WANT_HANDLE, word, setWord,
} from './protocol.js';

/** Rights of DCM's own handle to one of its objects, and of the copy a client gets. */
const OBJECT_RIGHTS = OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_SID | OCAP_HANDLE_GET_EVENT | OCAP_HANDLE_SET_EVENT;
const CLIENT_RIGHTS = OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_EVENT;

/** A process that called DcmInit: its TaskId, name, and DCM's copy of its task handle. */
interface Session { taskId: number; name: string; task: Handle; key: number; objects: Set<DcmObject> }

/** DCM's copy of a server- or client-identifying handle, kept while something refers to it. */
interface Ident { handle: Handle; sid: number; refs: number }

/** A request parked until it can be served: its reply token, what it asked, its deadline. */
interface Parked { token: number; flags: number; timer: ReturnType<typeof setTimeout> | undefined; deadline: number }

interface Base { handle: Handle; owner: Session; parked: Parked[] }
interface Pub extends Base { kind: 'pub'; name: string; type: string; server: Ident; serverName: string; pending: Conn[]; live: boolean }
interface Entry { status: DcmPubStatus; server: Ident; serverName: string; name: string }
interface Sub extends Base {
  kind: 'sub'; type: string; name: string | null; serverName: string | null; serverSid: number | null; queue: Entry[];
}
type ConnState = 'waiting' | 'listened' | 'accepted' | 'refused' | 'done';
interface Conn extends Base {
  kind: 'conn'; pub: Pub; client: Ident; clientName: string; state: ConnState; session: Handle; request: Req | null;
}
interface Req extends Base { kind: 'req'; conn: Conn | null }
type DcmObject = Pub | Sub | Conn | Req;

const encoder = new TextEncoder();

/** The user event and entry id of DCM's own `waker` object (session keys start at 1). */
const KICK = 0x01000000;
const KICK_ID = 0;

/** Requests DCM serves before it lets the realm's timers run. */
const YIELD_EVERY = 64;

/** The longest a single setTimeout may wait; longer deadlines re-arm. */
const MAX_TIMER = 0x7fffffff;

export class DcmProgram {
  private listener: Handle = INVALID_HANDLE;
  private notice: Handle = INVALID_HANDLE;
  /** An IPC sync object and a user object that end the two loops' waits, so they wait again (rearm). */
  private sync: Handle = INVALID_HANDLE;
  private waker: Handle = INVALID_HANDLE;
  /** True once the loops wait knowing that workers exist (Core.crossRealm). */
  private armedCross = false;
  private running = false;
  private stopped = false;
  private nextKey = 1;
  private readonly sessions = new Map<number, Session>();
  private readonly byKey = new Map<number, Session>();
  private readonly objects = new Map<Handle, DcmObject>();
  private readonly idents = new Map<Handle, Ident>();
  private readonly pubs = new Set<Pub>();
  private readonly subs = new Set<Sub>();
  // the request being served: its buffers, the handles it carried, which of them were kept
  private readonly req = new Uint8Array(MSG_SIZE);
  private readonly reqArena = nk_arena_init(new Uint8Array(ARENA_SIZE));
  private readonly inHdr = new SMsgHdr();
  private readonly res = new Uint8Array(MSG_SIZE);
  private readonly resArena = nk_arena_init(new Uint8Array(ARENA_SIZE));
  private readonly outHdr = new SMsgHdr();
  private incoming: nk_handle_desc_t[] = [];
  private readonly kept = new Set<number>();

  /** `nameOf` tells DCM the name of a process by its TaskId (a system program asks the kernel). */
  constructor(readonly process: Process, private readonly nameOf: (taskId: number) => string | undefined) {
    PackInMsg(this.inHdr, this.req, this.reqArena);
    PackOutMsg(this.outHdr, this.res, this.resArena);
  }

  /** Starts serving once the listener of channel `kl.core.DCM` exists (the kernel calls it when channels change). */
  attach(): void {
    if (this.running || this.stopped || this.process.hasEnded) return;
    const l = this.process.ServiceLocatorRegister(DCM_CONNECTION, null, 0);
    if (l === INVALID_HANDLE) return;
    const p = this.process;
    const n: { notice?: Handle } = {}, sync: { syncHandle?: Handle } = {}, kick: { handle?: Handle } = {};
    if (p.KnNoticeCreate(n) !== rcOk || p.KnIpcCreateSyncObjectEx(true, sync) !== rcOk ||
        p.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, OCAP_HANDLE_SET_EVENT | OCAP_HANDLE_GET_EVENT, null, kick) !== rcOk ||
        p.KnNoticeSubscribeToObject(n.notice!, kick.handle!, KICK, KICK_ID) !== rcOk) return;
    this.listener = l;
    this.notice = n.notice!;
    this.sync = sync.syncHandle!;
    this.waker = kick.handle!;
    this.running = true;
    this.armedCross = p.core!.crossRealm;
    void this.serve();
    void this.watch();
  }

  /**
   * The first worker was spawned: an Async wait made before only hears of completions made in
   * this realm, so both loops stop waiting (an interrupt, a user event) and wait again, now also
   * for completions from workers (the kernel calls this after every spawn).
   */
  rearm(): void {
    if (!this.running || this.stopped || this.armedCross || !this.process.core?.crossRealm) return;
    this.armedCross = true;
    this.process.KnIpcSetInterrupt(this.sync);
    this.process.KnNoticeSetObjectEvent(this.waker, KICK);
  }

  // ---- the two loops ------------------------------------------------------------------------

  private async serve(): Promise<void> {
    for (let n = 1; ; n++) {
      // Requests already queued complete RecvExAsync at once, through microtasks: a long run of
      // them would starve timers (DCM's own deadlines among them), so DCM yields now and then.
      if (n % YIELD_EVERY === 0) await macrotask();
      let rc: Retcode;
      try {
        rc = await this.process.RecvExAsync(this.listener, this.inHdr, INFINITE_TIMEOUT, this.sync);
      } catch {
        break; // the process ended
      }
      if (this.process.hasEnded || rc === rcNotConnected) break;
      // rcIpcInterrupt: rearm; anything else: a request that did not fit was refused by the kernel
      if (rc !== rcOk) continue;
      this.dispatch();
    }
    this.stop();
  }

  private async watch(): Promise<void> {
    const events: EventDesc[] = [];
    const out: { count?: number } = {};
    for (;;) {
      let rc: Retcode;
      try {
        rc = await this.process.KnNoticeGetEventAsync(this.notice, INFINITE_TIMEOUT, 64, events, out);
      } catch {
        break;
      }
      if (rc !== rcOk) break;
      for (let i = 0; i < out.count!; i++) {
        const s = this.byKey.get(events[i]!.eventId);
        if (s && (events[i]!.eventMask & EVENT_TASK_COMPLETED) !== 0) this.endSession(s);
      }
    }
    this.stop();
  }

  private stop(): void {
    this.stopped = true;
    for (const o of this.objects.values()) for (const p of o.parked) this.disarm(p);
  }

  // ---- one request ------------------------------------------------------------------------------

  private dispatch(): void {
    const req = this.req;
    const n = Math.min(nk_message_get_ncaps(req), (MSG_SIZE - 24) >> 4);
    this.incoming = [];
    for (let i = 0; i < n; i++) this.incoming.push(nk_msg_get_handle(req, i));
    this.kept.clear();
    const token = this.inHdr.threadId;
    const sender = this.inHdr.sender;
    const s = this.sessions.get(sender);
    const mid = nk_message_get_mid(req);
    if (mid === DcmMethod.Init) this.init(token, sender, s);
    else if (!s) this.reply(token, rcNotConnected);
    else this.method(mid, token, s);
    // a handle transferred to DCM that it did not keep is closed: DCM holds nothing by accident
    this.incoming.forEach((d, i) => {
      if (!this.kept.has(i) && !deref(d)) this.process.KnHandleClose(d.handle);
    });
  }

  private method(mid: number, token: number, s: Session): void {
    const flags = word(this.req, OFF_WORD0), msec = word(this.req, OFF_WORD1);
    switch (mid) {
      case DcmMethod.Fini: this.endSession(s); this.reply(token, rcOk); return;
      case DcmMethod.Publish: this.publish(token, s); return;
      case DcmMethod.Subscribe: this.subscribe(token, s, flags); return;
      case DcmMethod.Create: this.create(token, s, flags); return;
      default: break;
    }
    const o = this.objectIn(0);
    if (!o) { this.reply(token, rcInvalidArgument); return; }
    switch (mid) {
      case DcmMethod.Listen: this.wait(o, 'pub', token, flags, msec); return;
      case DcmMethod.Read: this.wait(o, 'sub', token, flags, msec); return;
      case DcmMethod.Connect: this.wait(o, 'conn', token, flags, msec); return;
      case DcmMethod.Accept: this.accept(token, o); return;
      case DcmMethod.Close: this.destroy(o); this.reply(token, rcOk); return;
      case DcmMethod.Interrupt: this.reply(token, this.interrupt(o)); return;
      case DcmMethod.Watch: this.resignal(o); this.reply(token, rcOk); return;
      default: this.reply(token, rcInvalidArgument);
    }
  }

  /** The DCM object descriptor `i` of the request names (a dereferenced DCM handle), or null. */
  private objectIn(i: number): DcmObject | null {
    const d = this.incoming[i];
    return d && deref(d) ? this.objects.get(d.handle) ?? null : null;
  }

  /** Name `i` of the request: null when absent, empty or too long. */
  private name(i: number): string | null {
    const s = nk_arena_get_string(this.reqArena, this.req, OFF_NAME[i]!);
    return s !== null && s.length > 0 && encoder.encode(s).length < DCM_NAME_SIZE ? s : null;
  }

  /**
   * Answers the call `token` names with `rc`; `fill` adds handles and names to a success. The
   * result is Reply's: rcOk once the response (and the handles in it) reached the caller.
   */
  private reply(token: number, rc: Retcode, fill?: (res: Uint8Array) => void): Retcode {
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

  // ---- sessions ---------------------------------------------------------------------------------

  private init(token: number, sender: number, s: Session | undefined): void {
    if (s) { this.reply(token, rcOk); return; }
    const d = this.incoming[0];
    if (!d || deref(d)) { this.reply(token, rcInvalidArgument); return; }
    const key = this.nextKey++;
    const rc = this.process.KnNoticeSubscribeToObject(this.notice, d.handle, EVENT_TASK_COMPLETED, key);
    if (rc !== rcOk) { this.reply(token, rc); return; }
    this.kept.add(0);
    const session: Session = { taskId: sender, name: this.nameOf(sender) ?? '', task: d.handle, key, objects: new Set() };
    this.sessions.set(sender, session);
    this.byKey.set(key, session);
    if (this.reply(token, rcOk) !== rcOk) this.endSession(session);
  }

  /** The session's process ended or called DcmFini: everything it made goes. */
  private endSession(s: Session): void {
    if (this.sessions.get(s.taskId) !== s) return;
    for (const o of [...s.objects]) this.destroy(o);
    this.sessions.delete(s.taskId);
    this.byKey.delete(s.key);
    this.process.KnNoticeUnsubscribeFromObject(this.notice, s.task);
    this.process.KnHandleClose(s.task);
  }

  // ---- identifying handles ----------------------------------------------------------------------

  /** DCM's Ident for descriptor `i` (a transfer it keeps, or its own copy dereferenced); or a Retcode. */
  private holdIdent(i: number): Ident | Retcode {
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
  private sidIn(i: number): { sid: number } | Retcode {
    const id = this.holdIdent(i);
    if (typeof id === 'number') return id;
    this.release(id);
    return { sid: id.sid };
  }

  private release(id: Ident): void {
    if (--id.refs > 0) return;
    this.idents.delete(id.handle);
    this.process.KnHandleClose(id.handle);
  }

  // ---- objects ----------------------------------------------------------------------------------

  /** DCM's handle to a new object of its own, or the Retcode of the kernel's refusal. */
  private newHandle(): { handle: Handle } | Retcode {
    const out: { handle?: Handle } = {};
    const rc = this.process.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, OBJECT_RIGHTS, null, out);
    return rc === rcOk ? { handle: out.handle! } : rc;
  }

  private add<T extends DcmObject>(o: T): T {
    this.objects.set(o.handle, o);
    o.owner.objects.add(o);
    return o;
  }

  private signal(o: DcmObject, flag: number): void {
    this.process.KnNoticeSetObjectEvent(o.handle, flag);
  }

  /** Answers a request that made object `o`: its handle goes to the caller, or `o` goes again. */
  private give(token: number, o: DcmObject): void {
    const rc = this.reply(token, rcOk, (res) => {
      nk_msg_set_ncaps(res, 1);
      nk_msg_set_handle(res, 0, nk_handle_desc(o.handle, CLIENT_RIGHTS));
    });
    if (rc !== rcOk) this.destroy(o);
  }

  /** Ends object `o`: waiting calls on it return rcNotConnected, what refers to it is told, its handles are revoked. */
  private destroy(o: DcmObject): void {
    if (this.objects.get(o.handle) !== o) return;
    this.objects.delete(o.handle);
    o.owner.objects.delete(o);
    for (const p of o.parked.splice(0)) { this.disarm(p); this.reply(p.token, rcNotConnected); }
    if (o.kind === 'pub') this.unpublish(o);
    else if (o.kind === 'sub') { for (const e of o.queue.splice(0)) this.release(e.server); this.subs.delete(o); }
    else if (o.kind === 'conn') this.withdraw(o);
    else if (o.conn) { const c = o.conn; this.refuse(c); c.request = null; }
    this.process.KnHandleRevoke(o.handle);
  }

  // ---- server side ------------------------------------------------------------------------------

  private publish(token: number, s: Session): void {
    const name = this.name(0), type = this.name(1);
    if (name === null || type === null) { this.reply(token, rcInvalidArgument); return; }
    const server = this.holdIdent(0);
    if (typeof server === 'number') { this.reply(token, server); return; }
    for (const p of this.pubs) {
      if (p.server.sid === server.sid && p.name === name && p.type === type) {
        this.release(server);
        this.reply(token, rcAlreadyExists);
        return;
      }
    }
    const h = this.newHandle();
    if (typeof h === 'number') { this.release(server); this.reply(token, h); return; }
    const pub = this.add<Pub>({
      kind: 'pub', handle: h.handle, owner: s, parked: [], name, type, server, serverName: s.name, pending: [], live: true,
    });
    this.pubs.add(pub);
    for (const sub of this.subs) if (matches(sub, pub)) this.enqueue(sub, pub, DCM_PUBLISHED);
    this.give(token, pub);
  }

  /** Publication `p` ends: subscribers are told, requests waiting for it are refused. */
  private unpublish(p: Pub): void {
    p.live = false;
    this.pubs.delete(p);
    for (const c of p.pending.splice(0)) this.refuse(c);
    for (const o of this.objects.values()) if (o.kind === 'conn' && o.pub === p && o.state === 'listened') this.refuse(o);
    for (const sub of this.subs) if (matches(sub, p)) this.enqueue(sub, p, DCM_UNPUBLISHED);
    this.release(p.server);
  }

  /** DcmListen, once a request waits: a request handle, the client's identifying handle and name. */
  private serveListen(p: Pub, token: number, flags: number): boolean {
    const c = p.pending.shift();
    if (!c) return false;
    const h = this.newHandle();
    if (typeof h === 'number') { p.pending.unshift(c); this.reply(token, h); return true; }
    const r = this.add<Req>({ kind: 'req', handle: h.handle, owner: p.owner, parked: [], conn: c });
    c.state = 'listened';
    c.request = r;
    const rc = this.reply(token, rcOk, (res) => {
      const withClient = (flags & F_WANT_HANDLE) !== 0;
      nk_msg_set_ncaps(res, withClient ? 2 : 1);
      nk_msg_set_handle(res, 0, nk_handle_desc(r.handle, CLIENT_RIGHTS));
      if (withClient) nk_msg_set_handle(res, 1, nk_handle_desc(c.client.handle, OCAP_RIGHTS_SAME));
      if ((flags & F_NAME0) !== 0) nk_arena_store_string(this.resArena, res, OFF_NAME[0], c.clientName);
    });
    if (rc !== rcOk) {
      // the server did not get it: the request waits again, first in line
      r.conn = null;
      c.state = 'waiting';
      c.request = null;
      this.destroy(r);
      p.pending.unshift(c);
    }
    return true;
  }

  private accept(token: number, o: DcmObject): void {
    const d = this.incoming[1];
    if (o.kind !== 'req' || !d || deref(d)) { this.reply(token, rcInvalidArgument); return; }
    const c = o.conn;
    if (!c) { this.reply(token, rcNotConnected); return; }
    if (c.state !== 'listened') { this.reply(token, rcInvalidOperation); return; }
    this.kept.add(1);
    c.state = 'accepted';
    c.session = d.handle;
    this.signal(c, DCM_CLIENT_RELEASED_BY_SERVER);
    this.reply(token, rcOk);
    this.kick(c);
  }

  /** The request of connection `c` is refused (closed by the server, or its publication ended). */
  private refuse(c: Conn): void {
    if (c.state !== 'waiting' && c.state !== 'listened') return;
    c.state = 'refused';
    if (c.request) c.request.conn = null;
    c.request = null;
    this.signal(c, DCM_CLIENT_RELEASED_BY_SERVER);
    this.kick(c);
  }

  // ---- client side ------------------------------------------------------------------------------

  private subscribe(token: number, s: Session, flags: number): void {
    const type = this.name(0);
    const name = (flags & F_NAME1) !== 0 ? this.name(1) : null;
    const serverName = (flags & F_NAME2) !== 0 ? this.name(2) : null;
    if (type === null || ((flags & F_NAME1) !== 0 && name === null) || ((flags & F_NAME2) !== 0 && serverName === null)) {
      this.reply(token, rcInvalidArgument);
      return;
    }
    let serverSid: number | null = null;
    if ((flags & F_HANDLE) !== 0) {
      const sid = this.sidIn(0);
      if (typeof sid === 'number') { this.reply(token, sid); return; }
      serverSid = sid.sid;
    }
    const h = this.newHandle();
    if (typeof h === 'number') { this.reply(token, h); return; }
    const sub = this.add<Sub>({ kind: 'sub', handle: h.handle, owner: s, parked: [], type, name, serverName, serverSid, queue: [] });
    for (const p of this.pubs) if (matches(sub, p)) this.enqueue(sub, p, DCM_PUBLISHED);
    this.subs.add(sub);
    this.give(token, sub);
  }

  private enqueue(sub: Sub, p: Pub, status: DcmPubStatus): void {
    p.server.refs++;
    sub.queue.push({ status, server: p.server, serverName: p.serverName, name: p.name });
    this.signal(sub, DCM_PUBLICATION_CHANGED);
    this.kick(sub);
  }

  /** DcmReadPubQueue, once an entry waits. */
  private serveRead(sub: Sub, token: number, flags: number): boolean {
    const e = sub.queue.shift();
    if (!e) return false;
    const rc = this.reply(token, rcOk, (res) => {
      setWord(res, OFF_WORD1, e.status);
      if ((flags & F_WANT_HANDLE) !== 0) {
        nk_msg_set_ncaps(res, 1);
        nk_msg_set_handle(res, 0, nk_handle_desc(e.server.handle, OCAP_RIGHTS_SAME));
      }
      if ((flags & F_NAME0) !== 0) nk_arena_store_string(this.resArena, res, OFF_NAME[0], e.serverName);
      if ((flags & F_NAME1) !== 0) nk_arena_store_string(this.resArena, res, OFF_NAME[1], e.name);
    });
    if (rc === rcOk) this.release(e.server);
    else sub.queue.unshift(e); // not delivered: no notification is lost
    return true;
  }

  private create(token: number, s: Session, flags: number): void {
    const type = this.name(0);
    const name = (flags & F_NAME1) !== 0 ? this.name(1) : null;
    if (type === null || ((flags & F_NAME1) !== 0 && name === null) || this.incoming.length < 2) {
      this.reply(token, rcInvalidArgument);
      return;
    }
    const sid = this.sidIn(0);
    if (typeof sid === 'number') { this.reply(token, sid); return; }
    let pub: Pub | undefined;
    for (const p of this.pubs) if (p.server.sid === sid.sid && p.type === type && (name === null || p.name === name)) { pub = p; break; }
    if (!pub) { this.reply(token, rcResourceNotFound); return; }
    const client = this.holdIdent(1);
    if (typeof client === 'number') { this.reply(token, client); return; }
    const h = this.newHandle();
    if (typeof h === 'number') { this.release(client); this.reply(token, h); return; }
    const c = this.add<Conn>({
      kind: 'conn', handle: h.handle, owner: s, parked: [], pub, client, clientName: s.name, state: 'waiting',
      session: INVALID_HANDLE, request: null,
    });
    pub.pending.push(c);
    this.give(token, c);
    if (this.objects.get(c.handle) !== c) return;
    this.signal(pub, DCM_CLIENT_CONNECTED);
    this.kick(pub);
  }

  /** DcmConnect, once the server decided. */
  private serveConnect(c: Conn, token: number): boolean {
    if (c.state === 'refused') { this.reply(token, rcNotConnected); return true; }
    if (c.state === 'done') { this.reply(token, rcInvalidOperation); return true; }
    if (c.state !== 'accepted') return false;
    const rc = this.reply(token, rcOk, (res) => {
      nk_msg_set_ncaps(res, 1);
      nk_msg_set_handle(res, 0, nk_handle_desc(c.session, OCAP_RIGHTS_SAME));
    });
    if (rc === rcNotConnected) return true; // the caller is gone: a later DcmConnect gets it
    // delivered, or refused by the kernel (the server revoked it meanwhile): DCM's copy goes
    this.process.KnHandleClose(c.session);
    c.session = INVALID_HANDLE;
    c.state = rc === rcOk ? 'done' : 'refused';
    return true;
  }

  /** Connection `c` goes (closed, or its client ended): its request is withdrawn. */
  private withdraw(c: Conn): void {
    const i = c.pub.pending.indexOf(c);
    if (i >= 0) c.pub.pending.splice(i, 1);
    if (c.request) c.request.conn = null;
    c.request = null;
    if (c.session !== INVALID_HANDLE) this.process.KnHandleClose(c.session);
    c.session = INVALID_HANDLE;
    c.state = 'done';
    this.release(c.client);
  }

  // ---- waiting --------------------------------------------------------------------------------

  /** Serves a DcmListen / DcmReadPubQueue / DcmConnect now, or parks it until it can be (msec 0: rcTimeout). */
  private wait(o: DcmObject, kind: DcmObject['kind'], token: number, flags: number, msec: number): void {
    if (o.kind !== kind) { this.reply(token, rcInvalidArgument); return; }
    if (this.serveNow(o, token, flags)) return;
    if (msec === 0) { this.reply(token, rcTimeout); return; }
    const p: Parked = { token, flags, timer: undefined, deadline: msec === INFINITE_TIMEOUT ? Infinity : Date.now() + msec };
    o.parked.push(p);
    this.arm(o, p);
  }

  private serveNow(o: DcmObject, token: number, flags: number): boolean {
    if (o.kind === 'pub') return this.serveListen(o, token, flags);
    if (o.kind === 'sub') return this.serveRead(o, token, flags);
    if (o.kind === 'conn') return this.serveConnect(o, token);
    return false;
  }

  /** Object `o` changed: its parked calls are served, oldest first, while they can be. */
  private kick(o: DcmObject): void {
    while (o.parked.length > 0) {
      const p = o.parked[0]!;
      if (!this.serveNow(o, p.token, p.flags)) return;
      o.parked.shift();
      this.disarm(p);
    }
  }

  private arm(o: DcmObject, p: Parked): void {
    if (p.deadline === Infinity || this.stopped) return;
    const rest = p.deadline - Date.now();
    p.timer = setTimeout(() => {
      p.timer = undefined;
      if (p.deadline - Date.now() > 0) { this.arm(o, p); return; }
      const i = o.parked.indexOf(p);
      if (i < 0) return;
      o.parked.splice(i, 1);
      this.reply(p.token, rcTimeout);
    }, Math.max(0, Math.min(rest, MAX_TIMER)));
  }

  private disarm(p: Parked): void {
    if (p.timer !== undefined) clearTimeout(p.timer);
    p.timer = undefined;
  }

  /** DcmInterruptBlockingCall: every call parked on `o` returns rcIpcInterrupt. */
  private interrupt(o: DcmObject): Retcode {
    if (o.parked.length === 0) return rcResourceNotFound;
    for (const p of o.parked.splice(0)) { this.disarm(p); this.reply(p.token, rcIpcInterrupt); }
    this.signal(o, DCM_BLOCKING_CALL_INTERRUPTED);
    return rcOk;
  }

  /** DcmSubscribeToEvents just added a receiver: the events whose state holds now are signalled again. */
  private resignal(o: DcmObject): void {
    if (o.kind === 'sub' && o.queue.length > 0) this.signal(o, DCM_PUBLICATION_CHANGED);
    else if (o.kind === 'pub' && o.pending.length > 0) this.signal(o, DCM_CLIENT_CONNECTED);
    else if (o.kind === 'conn' && (o.state === 'accepted' || o.state === 'refused')) this.signal(o, DCM_CLIENT_RELEASED_BY_SERVER);
  }
}

/**
 * Resolves as a task of its own (a message on a fresh MessageChannel, closed at once), so the
 * realm's other tasks and due timers run first, without a timer's 1 ms minimum.
 */
function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = (): void => { port1.close(); resolve(); };
    port2.postMessage(null);
  });
}

function deref(d: nk_handle_desc_t): boolean {
  return (d.flags & NK_HANDLE_DESC_DEREFERENCED) !== 0;
}

function matches(sub: Sub, p: Pub): boolean {
  return sub.type === p.type && (sub.name === null || sub.name === p.name) &&
    (sub.serverName === null || sub.serverName === p.serverName) && (sub.serverSid === null || sub.serverSid === p.server.sid);
}
