// A plain model of the handle inheritance tree, the oracle of caps_model.test.ts. It knows
// nothing of the kernel: it says what each handle call must answer and what every handle's state
// (live, revoked, gone), rights, resource and badge zone must be afterwards, following the rules
// the kernel documents:
//
// - a transfer makes a child of the sent handle in the receiver, with the rights asked (never
//   more than the sender's); when the receiver holds an ancestor of the sent handle, it gets
//   that ancestor back instead (a dereference) and nothing changes;
// - a copy makes a child in the same process;
// - a transfer or copy under a badge tags the new handle's edge with it and starts the badge's
//   zone; a handle made without a badge joins its source's zone;
// - closing a live handle gives its children to its parent; a child lifted so that was made
//   without a badge takes the closed handle's badge;
// - revoking marks a whole subtree revoked (out of the tree; each entry stays until closed);
//   KnHandleRevokeSubtree(h, b) revokes the subtrees of h's children whose edge carries b;
// - a badge's zone empties (EVENT_BADGE_CLOSED) when its last live handle goes; a resource ends
//   (EVENT_OBJECT_DESTROYED) with its last live handle anywhere;
// - a process that ends closes every handle it holds.

/** What a call answers: rcOk, rcInvalidArgument, rcHandleRevoked, rcSecurityDisallow, rcNoCapability. */
export type Outcome = 'ok' | 'invalid' | 'revoked' | 'denied' | 'nocap';

export type State = 'live' | 'revoked' | 'gone';

export interface MHandle {
  readonly id: number;
  readonly proc: number;        // the process (its serial number: processes are never reused)
  readonly res: number;         // the resource
  readonly rights: number;
  readonly zone: number;        // the badge zone it counts in (badge id, 0 none); fixed when made
  parent: MHandle | null;
  children: MHandle[];
  badge: number;                // the badge its edge carries (badge id, 0 none)
  state: State;
}

export interface MBadge { readonly id: number; readonly proc: number }

export interface MResource { readonly id: number; readonly proc: number; readonly watched: boolean }

/** What a command did that the real system must show too. */
export interface Effects {
  /** Badge ids whose zone emptied. */
  badgeClosed: number[];
  /** Resource ids that ended. */
  destroyed: number[];
}

export const RIGHTS_SAME = 0xffffffff;

export class CapsModel {
  readonly handles: MHandle[] = [];
  readonly badges: MBadge[] = [];
  readonly resources: MResource[] = [];
  /** Processes alive, by serial number. */
  readonly alive = new Set<number>();
  private fx: Effects = { badgeClosed: [], destroyed: [] };

  constructor(readonly transferRight: number, readonly copyRight: number) {}

  /** The effects gathered since the last call, and a fresh list. */
  takeEffects(): Effects {
    const fx = this.fx;
    this.fx = { badgeClosed: [], destroyed: [] };
    return fx;
  }

  addProcess(proc: number): void {
    this.alive.add(proc);
  }

  /** A new resource made by `proc`, its root handle with `rights`. */
  create(proc: number, rights: number, watched: boolean): MHandle {
    const res: MResource = { id: this.resources.length, proc, watched };
    this.resources.push(res);
    return this.install(proc, res.id, rights, null, 0, 0);
  }

  badge(proc: number): MBadge {
    const b = { id: this.badges.length + 1, proc };
    this.badges.push(b);
    return b;
  }

  /** Live handles in badge `b`'s zone. */
  zoneCount(b: number): number {
    return this.handles.filter((h) => h.state === 'live' && h.zone === b).length;
  }

  /** Live handles of resource `r`. */
  liveCount(r: number): number {
    return this.handles.filter((h) => h.state === 'live' && h.res === r).length;
  }

  /** Badges the kernel still keeps: their maker lives (its handle), or their zone holds a handle. */
  badgesAlive(): number {
    return this.badges.filter((b) => this.alive.has(b.proc) || this.zoneCount(b.id) > 0).length;
  }

  /** Resources with a live handle. */
  resourcesAlive(): number {
    return this.resources.filter((r) => this.liveCount(r.id) > 0).length;
  }

  revokedCount(): number {
    return this.handles.filter((h) => h.state === 'revoked').length;
  }

  /** The nearest ancestor of `h` (itself included) in `proc`, or null. */
  ancestorIn(proc: number, h: MHandle): MHandle | null {
    for (let cur: MHandle | null = h; cur; cur = cur.parent) if (cur.proc === proc) return cur;
    return null;
  }

  /** The answer of a call given handle `h` (by the state of its entry). */
  private lookup(h: MHandle): Outcome {
    return h.state === 'gone' ? 'invalid' : h.state === 'revoked' ? 'revoked' : 'ok';
  }

  /**
   * `h` sent to `to` asking for `asked` (RIGHTS_SAME: the sender's), under badge `b` (null:
   * none). The outcome, and the handle `to` gets: new (transfer) or its own (dereference).
   */
  transfer(h: MHandle, to: number, asked: number, b: MBadge | null): { outcome: Outcome; got?: MHandle; deref?: boolean } {
    const outcome = this.mayTransfer(h, asked);
    if (outcome !== 'ok') return { outcome };
    const rights = asked === RIGHTS_SAME ? h.rights : asked;
    const anc = this.ancestorIn(to, h);
    if (anc) return { outcome: 'ok', got: anc, deref: true };
    return { outcome: 'ok', got: this.install(to, h.res, rights >>> 0, h, b ? b.id : 0, b ? b.id : h.zone), deref: false };
  }

  /** Whether `h` may be sent asking for `asked` (a message is checked whole before any transfer). */
  mayTransfer(h: MHandle, asked: number): Outcome {
    const l = this.lookup(h);
    if (l !== 'ok') return l;
    const rights = asked === RIGHTS_SAME ? h.rights : asked;
    return (h.rights & this.transferRight) === 0 || (rights & ~h.rights) !== 0 ? 'denied' : 'ok';
  }

  /** KnHandleCopy(h, asked, b). */
  copy(h: MHandle, asked: number, b: MBadge | null): { outcome: Outcome; got?: MHandle } {
    const l = this.lookup(h);
    if (l !== 'ok') return { outcome: l };
    const rights = asked === RIGHTS_SAME ? h.rights : asked;
    if ((h.rights & this.copyRight) === 0 || (rights & ~h.rights) !== 0) return { outcome: 'nocap' };
    return { outcome: 'ok', got: this.install(h.proc, h.res, rights >>> 0, h, b ? b.id : 0, b ? b.id : h.zone) };
  }

  /** KnHandleClose(h). */
  close(h: MHandle): Outcome {
    if (h.state === 'gone') return 'invalid';
    if (h.state === 'revoked') {
      h.state = 'gone';
      return 'ok';
    }
    const parent = h.parent;
    for (const c of h.children) {
      c.parent = parent;
      if (parent) {
        parent.children.push(c);
        if (c.badge === 0) c.badge = h.badge;
      }
    }
    h.children = [];
    this.unlink(h);
    this.leave(h, 'gone');
    return 'ok';
  }

  /** KnHandleRevoke (close) / KnHandleRevokeEx(h, close). */
  revoke(h: MHandle, close: boolean): Outcome {
    const l = this.lookup(h);
    if (l !== 'ok') return l;
    for (const c of [...h.children]) this.revokeTree(c);
    if (close) this.close(h);
    return 'ok';
  }

  /** KnHandleRevokeSubtree(h, b). */
  revokeSubtree(h: MHandle, b: MBadge): Outcome {
    const l = this.lookup(h);
    if (l !== 'ok') return l;
    for (const c of [...h.children]) if (c.badge === b.id) this.revokeTree(c);
    return 'ok';
  }

  /** Process `proc` ends: every handle it holds closes. */
  terminate(proc: number): void {
    for (const h of this.handles) if (h.proc === proc && h.state !== 'gone') this.close(h);
    this.alive.delete(proc);
  }

  private install(proc: number, res: number, rights: number, parent: MHandle | null, badge: number, zone: number): MHandle {
    const h: MHandle = { id: this.handles.length, proc, res, rights, zone, parent, children: [], badge, state: 'live' };
    this.handles.push(h);
    if (parent) parent.children.push(h);
    return h;
  }

  private unlink(h: MHandle): void {
    if (h.parent) h.parent.children = h.parent.children.filter((c) => c !== h);
    h.parent = null;
  }

  /** Revokes `h` and everything below it. */
  private revokeTree(h: MHandle): void {
    for (const c of [...h.children]) this.revokeTree(c);
    h.children = [];
    this.unlink(h);
    this.leave(h, 'revoked');
  }

  /** Live handle `h` stops naming its resource (closed or revoked): zone and resource may end. */
  private leave(h: MHandle, to: State): void {
    h.state = to;
    if (h.zone !== 0 && this.zoneCount(h.zone) === 0) this.fx.badgeClosed.push(h.zone);
    if (this.liveCount(h.res) === 0) this.fx.destroyed.push(h.res);
  }
}
