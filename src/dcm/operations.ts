/**
 * What DCM does for each request (program.ts dispatches them): the server side (publish, listen,
 * accept, refuse, unpublish) and the client side (subscribe, read the queue, ask for a channel,
 * receive the callable, withdraw), on the state of model.ts. docs/dcm.md draws the flow.
 * @internal
 */
import { nk_msg_set_ncaps, nk_msg_set_handle } from '../services/rtl/nk_msg.js';
import { nk_arena_store_string } from '../nk/arena.js';
import { nk_handle_desc, INVALID_HANDLE } from '../nk/types.js';
import { OCAP_RIGHTS_SAME } from '../abi.js';
import { rcOk, rcInvalidArgument, rcNotConnected, rcResourceNotFound, rcAlreadyExists, rcInvalidOperation } from '../rtl/retcode.js';
import {
  DCM_PUBLICATION_CHANGED, DCM_CLIENT_CONNECTED, DCM_CLIENT_RELEASED_BY_SERVER, DCM_PUBLISHED, DCM_UNPUBLISHED,
  type DcmPubStatus,
} from './constants.js';
import { OFF_WORD1, OFF_NAME, F_HANDLE, F_NAME0, F_NAME1, F_NAME2, F_WANT_HANDLE, setWord } from './protocol.js';
import { DcmState, CLIENT_RIGHTS, deref, matches, type Session, type Pub, type Sub, type Conn, type Req, type DcmObject } from './model.js';

export abstract class DcmOperations extends DcmState {
  // ---- server side ------------------------------------------------------------------------------

  protected publish(token: number, s: Session): void {
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
      kind: 'pub', handle: h.handle, owner: s, parked: [], name, type, server, serverName: s.name, pending: [],
    });
    this.pubs.add(pub);
    for (const sub of this.subs) if (matches(sub, pub)) this.enqueue(sub, pub, DCM_PUBLISHED);
    this.give(token, pub);
  }

  /** Publication `p` ends: subscribers are told, requests waiting for it are refused. */
  protected unpublish(p: Pub): void {
    this.pubs.delete(p);
    for (const c of p.pending.splice(0)) this.refuse(c);
    for (const o of this.objects.values()) if (o.kind === 'conn' && o.pub === p && o.state === 'listened') this.refuse(o);
    for (const sub of this.subs) if (matches(sub, p)) this.enqueue(sub, p, DCM_UNPUBLISHED);
    this.release(p.server);
  }

  /** DcmListen, once a request waits: a request handle, the client's identifying handle and name. */
  protected serveListen(p: Pub, token: number, flags: number): boolean {
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

  protected accept(token: number, o: DcmObject): void {
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
  protected refuse(c: Conn): void {
    if (c.state !== 'waiting' && c.state !== 'listened') return;
    c.state = 'refused';
    if (c.request) c.request.conn = null;
    c.request = null;
    this.signal(c, DCM_CLIENT_RELEASED_BY_SERVER);
    this.kick(c);
  }

  // ---- client side ------------------------------------------------------------------------------

  protected subscribe(token: number, s: Session, flags: number): void {
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

  protected enqueue(sub: Sub, p: Pub, status: DcmPubStatus): void {
    p.server.refs++;
    sub.queue.push({ status, server: p.server, serverName: p.serverName, name: p.name });
    this.signal(sub, DCM_PUBLICATION_CHANGED);
    this.kick(sub);
  }

  /** DcmReadPubQueue, once an entry waits. */
  protected serveRead(sub: Sub, token: number, flags: number): boolean {
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

  protected create(token: number, s: Session, flags: number): void {
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
  protected serveConnect(c: Conn, token: number): boolean {
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
  protected withdraw(c: Conn): void {
    const i = c.pub.pending.indexOf(c);
    if (i >= 0) c.pub.pending.splice(i, 1);
    if (c.request) c.request.conn = null;
    c.request = null;
    if (c.session !== INVALID_HANDLE) this.process.KnHandleClose(c.session);
    c.session = INVALID_HANDLE;
    c.state = 'done';
    this.release(c.client);
  }

  // ---- what the state machinery asks of them ----------------------------------------------------

  protected serveNow(o: DcmObject, token: number, flags: number): boolean {
    if (o.kind === 'pub') return this.serveListen(o, token, flags);
    if (o.kind === 'sub') return this.serveRead(o, token, flags);
    if (o.kind === 'conn') return this.serveConnect(o, token);
    return false;
  }

  protected teardown(o: DcmObject): void {
    if (o.kind === 'pub') this.unpublish(o);
    else if (o.kind === 'sub') { for (const e of o.queue.splice(0)) this.release(e.server); this.subs.delete(o); }
    else if (o.kind === 'conn') this.withdraw(o);
    else if (o.conn) { const c = o.conn; this.refuse(c); c.request = null; }
  }
}
