// Model-based property test of the handle inheritance tree: random sequences of create, transfer
// (in requests and responses, with and without a badge, with narrowed or too wide rights), copy,
// close, revoke, revoke-subtree, badge and terminate run against the kernel and against the
// plain model of caps_model.ts. After every step, every handle of every live process is observed
// through the public API and must match the model: its state (KnHandleGetSidByHandle answers
// rcOk or rcNoCapability, rcHandleRevoked, rcInvalidArgument), its rights (the SID, copy, event
// and subscribe calls each need one right), its resource's SID; and so must the kernel's counts
// (live user objects, revoked entries, badges) and the notifications (EVENT_BADGE_CLOSED,
// EVENT_OBJECT_DESTROYED, each once). After each sequence every process ends and the counts are
// back at a fresh kernel's.
// In-realm processes and the Async forms keep it fast. Fixed seed; KOS_PROPERTY_RUNS=n for more.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fc from 'fast-check';
import {
  rcOk, rcInvalidArgument, rcHandleRevoked, rcSecurityDisallow, rcNoCapability, retcodeName,
  EVENT_BADGE_CLOSED, EVENT_OBJECT_DESTROYED, OBJECT_EVENT_USER, HANDLE_TYPE_USER_FIRST, INVALID_HANDLE,
  NK_TRUE, NK_FALSE, nk_handle_desc, nk_is_handle_dereferenced,
  type Kernel, type Process, type Handle, type KernelStats, type EventDesc,
} from 'kos-ipc';
import { newKernel, shutdownAll } from './helpers.js';
import { notice, sameStats, sendInRequest, sendInResponse, channel, drain } from './caps_helpers.js';
import { CapsModel, RIGHTS_SAME, type MHandle, type Outcome } from './caps_model.js';

test.after.each(shutdownAll);

const RUNS = Number(process.env.KOS_PROPERTY_RUNS ?? 2000);
const MAX_COMMANDS = 32;

// The rights the model plays with: the general part of services/ocap.h, one bit each.
const T = 0x1, S = 0x2, SET = 0x4, GET = 0x8, C = 0x10;
const RIGHT_BITS = 0x1f;
const U0 = OBJECT_EVENT_USER(0);
/** Entry ids on a process's event receiver: a badge's id, or RES_EV + a resource's id. */
const RES_EV = 100000;

const CODE: Record<Outcome, number> = {
  ok: rcOk, invalid: rcInvalidArgument, revoked: rcHandleRevoked, denied: rcSecurityDisallow, nocap: rcNoCapability,
};

// ---- the model and the real system ---------------------------------------------------------

interface Model { m: CapsModel; slots: number[]; next: number }

interface Real {
  kernel: Kernel;
  procs: Map<number, Process>;
  links: Map<string, { ch: Handle; sh: Handle }>;
  probe: Map<number, Handle>;      // per process: a receiver for the OCAP_HANDLE_GET_EVENT probe
  events: Map<number, Handle>;     // per process: the receiver of its resources' and badges' events
  value: Map<number, Handle>;      // model handle id -> handle value in its process
  badge: Map<number, Handle>;      // model badge id -> badge handle value
  sid: Map<number, number>;        // resource id -> SID, once seen
  resOfSid: Map<number, number>;
}

function link(r: Real, from: number, to: number): { ch: Handle; sh: Handle } {
  return r.links.get(`${from}>${to}`)!;
}

/** A new process with serial `serial`, its receivers and a channel each way to every live one. */
function spawn(mm: Model, r: Real, serial: number): void {
  const p = r.kernel.createProcess(`P${serial}`);
  for (const [other, q] of r.procs) {
    r.links.set(`${serial}>${other}`, channel(r.kernel, p, q, `${serial}>${other}`));
    r.links.set(`${other}>${serial}`, channel(r.kernel, q, p, `${other}>${serial}`));
  }
  r.procs.set(serial, p);
  r.probe.set(serial, notice(p));
  r.events.set(serial, notice(p));
  mm.m.addProcess(serial);
}

/** How often each command met each outcome, over the whole run: the test checks every path was taken. */
const tally = new Map<string, number>();
function count(key: string): void {
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

function fail(what: string): never {
  throw new Error(what);
}

function expectRc(got: number, want: number, what: string): void {
  if (got !== want) fail(`${what}: ${retcodeName(got)}, the model says ${retcodeName(want)}`);
}

/** Handles of live processes a command may name: gone ones only while their value is unambiguous. */
function candidates(mm: Model, r: Real): MHandle[] {
  const inUse = new Set<string>();
  for (const h of mm.m.handles) if (h.state !== 'gone' && mm.m.alive.has(h.proc)) inUse.add(`${h.proc}:${r.value.get(h.id)}`);
  return mm.m.handles.filter((h) => mm.m.alive.has(h.proc) && (h.state !== 'gone' || !inUse.has(`${h.proc}:${r.value.get(h.id)}`)));
}

const label = (h: MHandle): string => `handle #${h.id} (P${h.proc}, resource ${h.res}, rights 0x${h.rights.toString(16)}, ${h.state})`;

/** Every observation the model predicts, after each command. */
function verify(mm: Model, r: Real, after: string): void {
  const { m } = mm;
  for (const h of candidates(mm, r)) {
    const p = r.procs.get(h.proc)!;
    const v = r.value.get(h.id)!;
    const what = `after ${after}: ${label(h)}`;
    const out: { sid?: number; outHandle?: Handle } = {};
    const sidRc = p.KnHandleGetSidByHandle(v, out);
    if (h.state === 'gone') { expectRc(sidRc, rcInvalidArgument, `${what}: KnHandleGetSidByHandle`); continue; }
    if (h.state === 'revoked') {
      expectRc(sidRc, rcHandleRevoked, `${what}: KnHandleGetSidByHandle`);
      expectRc(p.KnHandleCopy(v, 0, INVALID_HANDLE, out), rcHandleRevoked, `${what}: KnHandleCopy`);
      continue;
    }
    // live: one call per right
    expectRc(sidRc, h.rights & S ? rcOk : rcNoCapability, `${what}: KnHandleGetSidByHandle`);
    if (sidRc === rcOk) {
      const known = r.sid.get(h.res);
      if (known === undefined) {
        const other = r.resOfSid.get(out.sid!);
        if (other !== undefined) fail(`${what}: SID ${out.sid} is already resource ${other}'s`);
        r.sid.set(h.res, out.sid!);
        r.resOfSid.set(out.sid!, h.res);
      } else if (known !== out.sid) {
        fail(`${what}: SID ${out.sid}, the resource's is ${known}`);
      }
    }
    const copyRc = p.KnHandleCopy(v, 0, INVALID_HANDLE, out);
    expectRc(copyRc, h.rights & C ? rcOk : rcNoCapability, `${what}: KnHandleCopy`);
    if (copyRc === rcOk) expectRc(p.KnHandleClose(out.outHandle!), rcOk, `${what}: closing the copy`);
    expectRc(p.KnNoticeSetObjectEvent(v, U0), h.rights & SET ? rcOk : rcNoCapability, `${what}: KnNoticeSetObjectEvent`);
    const n = r.probe.get(h.proc)!;
    const subRc = p.KnNoticeSubscribeToObject(n, v, U0, 1);
    expectRc(subRc, h.rights & GET ? rcOk : rcNoCapability, `${what}: KnNoticeSubscribeToObject`);
    if (subRc === rcOk) expectRc(p.KnNoticeUnsubscribeFromObject(n, v), rcOk, `${what}: unsubscribing`);
  }
  const s = r.kernel.stats();
  const counts = [s.userObjects, s.revokedHandles, s.badges];
  const want = [m.resourcesAlive(), m.revokedCount(), m.badgesAlive()];
  if (counts.join() !== want.join()) fail(`after ${after}: userObjects, revokedHandles, badges are ${counts}, the model says ${want}`);
  // notifications: each badge zone that emptied and each watched resource that ended, once
  const fx = m.takeEffects();
  if (fx.badgeClosed.length) count('EVENT_BADGE_CLOSED');
  if (fx.destroyed.length) count('resource ended');
  for (const proc of m.alive) {
    const expected: EventDesc[] = [
      ...fx.badgeClosed.filter((b) => m.badges[b - 1]!.proc === proc).map((b) => ({ eventId: b, eventMask: EVENT_BADGE_CLOSED })),
      ...fx.destroyed.filter((x) => m.resources[x]!.proc === proc && m.resources[x]!.watched)
        .map((x) => ({ eventId: RES_EV + x, eventMask: EVENT_OBJECT_DESTROYED })),
    ];
    const got = drain(r.procs.get(proc)!, r.events.get(proc)!);
    const key = (e: EventDesc[]): string => e.map((x) => `${x.eventId}:${x.eventMask}`).sort().join(' ');
    if (key(got) !== key(expected)) fail(`after ${after}: P${proc} was told [${key(got)}], the model says [${key(expected)}]`);
  }
}

// ---- commands -----------------------------------------------------------------------------

type Cmd = fc.AsyncCommand<Model, Real>;

/** Rights a command asks for: the sender's own, a part of them, or any bits (maybe too many). */
type Ask = { kind: 'same' } | { kind: 'narrow'; bits: number } | { kind: 'any'; bits: number };
const askArb: fc.Arbitrary<Ask> = fc.oneof(
  { arbitrary: fc.constant<Ask>({ kind: 'same' }), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: RIGHT_BITS }).map((bits): Ask => ({ kind: 'narrow', bits })), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: RIGHT_BITS }).map((bits): Ask => ({ kind: 'any', bits })), weight: 1 },
);
const asked = (a: Ask, held: number): number => a.kind === 'same' ? RIGHTS_SAME : a.kind === 'narrow' ? a.bits & held : a.bits;
const showAsk = (a: Ask): string => a.kind === 'same' ? 'SAME' : `${a.kind} 0x${a.bits.toString(16)}`;

/** The badge of process `proc` that `pick` names, or null when it has none (or `use` is false). */
function pickBadge(mm: Model, proc: number, use: boolean, pick: number): number | null {
  if (!use) return null;
  const own = mm.m.badges.filter((b) => b.proc === proc);
  return own.length === 0 ? null : own[pick % own.length]!.id;
}

class Create implements Cmd {
  constructor(readonly slot: number, readonly rights: number) {}
  check(): boolean { return true; }
  async run(mm: Model, r: Real): Promise<void> {
    const proc = mm.slots[this.slot]!;
    const p = r.procs.get(proc)!;
    const out: { handle?: Handle } = {};
    expectRc(p.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, this.rights, null, out), rcOk, 'KnHandleCreateUserObject');
    const watched = (this.rights & GET) !== 0;
    const h = mm.m.create(proc, this.rights, watched);
    r.value.set(h.id, out.handle!);
    if (watched) expectRc(p.KnNoticeSubscribeToObject(r.events.get(proc)!, out.handle!, EVENT_OBJECT_DESTROYED, RES_EV + h.res), rcOk, 'subscribing');
    verify(mm, r, this.toString());
  }
  toString(): string { return `create(slot ${this.slot}, 0x${this.rights.toString(16)})`; }
}

class MakeBadge implements Cmd {
  constructor(readonly slot: number) {}
  check(): boolean { return true; }
  async run(mm: Model, r: Real): Promise<void> {
    const proc = mm.slots[this.slot]!;
    const b = mm.m.badge(proc);
    const out: { handle?: Handle } = {};
    expectRc(r.procs.get(proc)!.KnHandleCreateBadge(r.events.get(proc)!, b.id, null, out), rcOk, 'KnHandleCreateBadge');
    r.badge.set(b.id, out.handle!);
    verify(mm, r, this.toString());
  }
  toString(): string { return `badge(slot ${this.slot})`; }
}

class Transfer implements Cmd {
  constructor(readonly pick: number, readonly toOffset: number, readonly ask: Ask, readonly useBadge: boolean,
    readonly badgePick: number, readonly inResponse: boolean) {}
  check(): boolean { return true; }
  async run(mm: Model, r: Real): Promise<void> {
    const all = candidates(mm, r);
    if (all.length === 0) return;
    const h = all[this.pick % all.length]!;
    const from = h.proc;
    const fromSlot = mm.slots.indexOf(from);
    const to = mm.slots[(fromSlot + this.toOffset) % mm.slots.length]!;
    const b = pickBadge(mm, from, this.useBadge, this.badgePick);
    const rights = asked(this.ask, h.rights);
    const what = `${this.toString()}: ${label(h)} to P${to}${b ? ` under badge ${b}` : ''}`;
    const desc = nk_handle_desc(r.value.get(h.id)!, rights, b ? r.badge.get(b)! : 0);
    const want = mm.m.transfer(h, to, rights, b ? mm.m.badges[b - 1]! : null);
    const pf = r.procs.get(from)!, pt = r.procs.get(to)!;
    let rc: number, got;
    if (this.inResponse) {
      const l = link(r, to, from);
      const res = await sendInResponse(pf, l.sh, pt, l.ch, [desc]);
      expectRc(res.callRc, res.rc, `${what}: the Call answered`);
      rc = res.rc;
      got = res.got[0];
    } else {
      const l = link(r, from, to);
      const res = await sendInRequest(pf, l.ch, pt, l.sh, [desc]);
      rc = res.rc;
      got = res.got[0];
    }
    expectRc(rc, CODE[want.outcome], what);
    count(`transfer ${want.outcome}${want.deref ? ' (dereference)' : ''}${b && want.outcome === 'ok' && !want.deref ? ' (badge)' : ''}`);
    if (want.outcome === 'ok') {
      const g = want.got!;
      if (got!.rights !== (rights === RIGHTS_SAME ? h.rights : rights)) fail(`${what}: rights 0x${got!.rights.toString(16)} delivered`);
      if (want.deref) {
        if (nk_is_handle_dereferenced(got!) !== NK_TRUE || got!.handle !== r.value.get(g.id)) fail(`${what}: not dereferenced to ${label(g)}`);
      } else {
        if (nk_is_handle_dereferenced(got!) !== NK_FALSE) fail(`${what}: dereferenced, the model says transferred`);
        r.value.set(g.id, got!.handle);
      }
    }
    verify(mm, r, what);
  }
  toString(): string {
    return `transfer(#${this.pick}, +${this.toOffset}, ${showAsk(this.ask)}${this.useBadge ? `, badge ${this.badgePick}` : ''}${this.inResponse ? ', response' : ''})`;
  }
}

/** Two handles of one process in one message: checked whole, so a bad one stops both. */
class TransferTwo implements Cmd {
  constructor(readonly pick: number, readonly second: number, readonly toOffset: number, readonly ask1: Ask,
    readonly ask2: Ask, readonly inResponse: boolean) {}
  check(): boolean { return true; }
  async run(mm: Model, r: Real): Promise<void> {
    const all = candidates(mm, r);
    if (all.length === 0) return;
    const h1 = all[this.pick % all.length]!;
    const mine = all.filter((h) => h.proc === h1.proc);
    const h2 = mine[this.second % mine.length]!;
    const from = h1.proc;
    const to = mm.slots[(mm.slots.indexOf(from) + this.toOffset) % mm.slots.length]!;
    const r1 = asked(this.ask1, h1.rights), r2 = asked(this.ask2, h2.rights);
    const what = `${this.toString()}: ${label(h1)} and ${label(h2)} to P${to}`;
    const first = mm.m.mayTransfer(h1, r1);
    const outcome = first !== 'ok' ? first : mm.m.mayTransfer(h2, r2);
    const descs = [nk_handle_desc(r.value.get(h1.id)!, r1), nk_handle_desc(r.value.get(h2.id)!, r2)];
    const pf = r.procs.get(from)!, pt = r.procs.get(to)!;
    const res = this.inResponse
      ? await sendInResponse(pf, link(r, to, from).sh, pt, link(r, to, from).ch, descs)
      : await sendInRequest(pf, link(r, from, to).ch, pt, link(r, from, to).sh, descs);
    expectRc(res.rc, CODE[outcome], what);
    count(`two handles ${outcome}`);
    if (outcome === 'ok') {
      for (const [i, h, rights] of [[0, h1, r1], [1, h2, r2]] as const) {
        const want = mm.m.transfer(h, to, rights, null);
        const got = res.got[i]!;
        if (want.deref ? got.handle !== r.value.get(want.got!.id) : nk_is_handle_dereferenced(got) !== NK_FALSE) {
          fail(`${what}: descriptor ${i} arrived as ${JSON.stringify(got)}`);
        }
        if (!want.deref) r.value.set(want.got!.id, got.handle);
      }
    }
    verify(mm, r, what);
  }
  toString(): string {
    return `transferTwo(#${this.pick}, #${this.second}, +${this.toOffset}, ${showAsk(this.ask1)}, ${showAsk(this.ask2)}${this.inResponse ? ', response' : ''})`;
  }
}

class Copy implements Cmd {
  constructor(readonly pick: number, readonly ask: Ask, readonly useBadge: boolean, readonly badgePick: number) {}
  check(): boolean { return true; }
  async run(mm: Model, r: Real): Promise<void> {
    const all = candidates(mm, r);
    if (all.length === 0) return;
    const h = all[this.pick % all.length]!;
    const b = pickBadge(mm, h.proc, this.useBadge, this.badgePick);
    const rights = asked(this.ask, h.rights);
    const what = `${this.toString()}: ${label(h)}`;
    const want = mm.m.copy(h, rights, b ? mm.m.badges[b - 1]! : null);
    count(`copy ${want.outcome}`);
    const out: { outHandle?: Handle } = {};
    expectRc(r.procs.get(h.proc)!.KnHandleCopy(r.value.get(h.id)!, rights, b ? r.badge.get(b)! : INVALID_HANDLE, out), CODE[want.outcome], what);
    if (want.got) r.value.set(want.got.id, out.outHandle!);
    verify(mm, r, what);
  }
  toString(): string { return `copy(#${this.pick}, ${showAsk(this.ask)}${this.useBadge ? `, badge ${this.badgePick}` : ''})`; }
}

class Close implements Cmd {
  constructor(readonly pick: number) {}
  check(): boolean { return true; }
  async run(mm: Model, r: Real): Promise<void> {
    const all = candidates(mm, r);
    if (all.length === 0) return;
    const h = all[this.pick % all.length]!;
    const what = `${this.toString()}: ${label(h)}`;
    const state = h.state;
    const want = mm.m.close(h);
    count(`close ${state} ${want}`);
    expectRc(r.procs.get(h.proc)!.KnHandleClose(r.value.get(h.id)!), CODE[want], what);
    verify(mm, r, what);
  }
  toString(): string { return `close(#${this.pick})`; }
}

class Revoke implements Cmd {
  constructor(readonly pick: number, readonly close: boolean) {}
  check(): boolean { return true; }
  async run(mm: Model, r: Real): Promise<void> {
    const all = candidates(mm, r);
    if (all.length === 0) return;
    const h = all[this.pick % all.length]!;
    const what = `${this.toString()}: ${label(h)}`;
    const p = r.procs.get(h.proc)!, v = r.value.get(h.id)!;
    const rc = this.close ? p.KnHandleRevoke(v) : p.KnHandleRevokeEx(v, false);
    const before = mm.m.revokedCount();
    const want = mm.m.revoke(h, this.close);
    count(`revoke ${want}${mm.m.revokedCount() > before ? ' (reached handles)' : ''}`);
    expectRc(rc, CODE[want], what);
    verify(mm, r, what);
  }
  toString(): string { return this.close ? `revoke(#${this.pick})` : `revokeEx(#${this.pick}, false)`; }
}

class RevokeSubtree implements Cmd {
  constructor(readonly pick: number, readonly badgePick: number) {}
  check(): boolean { return true; }
  async run(mm: Model, r: Real): Promise<void> {
    const all = candidates(mm, r);
    if (all.length === 0) return;
    const h = all[this.pick % all.length]!;
    const b = pickBadge(mm, h.proc, true, this.badgePick);
    if (b === null) return;
    const what = `${this.toString()}: ${label(h)}, badge ${b}`;
    const rc = r.procs.get(h.proc)!.KnHandleRevokeSubtree(r.value.get(h.id)!, r.badge.get(b)!);
    const before = mm.m.revokedCount();
    const want = mm.m.revokeSubtree(h, mm.m.badges[b - 1]!);
    count(`revokeSubtree ${want}${mm.m.revokedCount() > before ? ' (reached handles)' : ''}`);
    expectRc(rc, CODE[want], what);
    verify(mm, r, what);
  }
  toString(): string { return `revokeSubtree(#${this.pick}, badge ${this.badgePick})`; }
}

class Terminate implements Cmd {
  constructor(readonly slot: number) {}
  check(): boolean { return true; }
  async run(mm: Model, r: Real): Promise<void> {
    const proc = mm.slots[this.slot]!;
    await r.kernel.terminate(r.procs.get(proc)!);
    r.procs.delete(proc);
    for (const k of [...r.links.keys()]) if (k.startsWith(`${proc}>`) || k.endsWith(`>${proc}`)) r.links.delete(k);
    mm.m.terminate(proc);
    const serial = mm.next++;
    mm.slots[this.slot] = serial;
    spawn(mm, r, serial);
    verify(mm, r, `${this.toString()} (P${proc} ended, P${serial} began)`);
  }
  toString(): string { return `terminate(slot ${this.slot})`; }
}

const SLOTS = 3;
const slotArb = fc.integer({ min: 0, max: SLOTS - 1 });
const pickArb = fc.nat(1000);
const rootRights = fc.tuple(fc.integer({ min: 0, max: RIGHT_BITS }), fc.boolean()).map(([bits, wide]) => wide ? bits | T | S | C : bits);

const commandArbs: fc.Arbitrary<Cmd>[] = [
  fc.tuple(slotArb, rootRights).map(([s, rights]) => new Create(s, rights)),
  slotArb.map((s) => new MakeBadge(s)),
  fc.tuple(pickArb, fc.integer({ min: 1, max: SLOTS - 1 }), askArb, fc.boolean(), pickArb, fc.boolean())
    .map(([p, o, a, ub, bp, resp]) => new Transfer(p, o, a, ub, bp, resp)),
  fc.tuple(pickArb, fc.integer({ min: 1, max: SLOTS - 1 }), askArb, fc.boolean(), pickArb, fc.boolean())
    .map(([p, o, a, ub, bp, resp]) => new Transfer(p, o, a, ub, bp, resp)),
  fc.tuple(pickArb, pickArb, fc.integer({ min: 1, max: SLOTS - 1 }), askArb, askArb, fc.boolean())
    .map(([p, q, o, a1, a2, resp]) => new TransferTwo(p, q, o, a1, a2, resp)),
  fc.tuple(pickArb, askArb, fc.boolean(), pickArb).map(([p, a, ub, bp]) => new Copy(p, a, ub, bp)),
  pickArb.map((p) => new Close(p)),
  fc.tuple(pickArb, fc.boolean()).map(([p, c]) => new Revoke(p, c)),
  fc.tuple(pickArb, pickArb).map(([p, b]) => new RevokeSubtree(p, b)),
  slotArb.map((s) => new Terminate(s)),
];

// ---- the property ---------------------------------------------------------------------------

/** Ends every process of a run and checks the kernel's counts are back at `base`. */
async function teardown(r: Real | undefined, base: KernelStats): Promise<void> {
  if (!r) return;
  for (const p of r.procs.values()) if (!p.hasEnded) await r.kernel.terminate(p);
  sameStats(r.kernel, base, 'after the sequence, every process ended:');
}

test(`the kernel's handle tree matches the model over ${RUNS} random sequences of handle calls`, async () => {
  const kernel = await newKernel();
  const base = kernel.stats();
  let sequences = 0, steps = 0;
  await fc.assert(fc.asyncProperty(fc.commands(commandArbs, { maxCommands: MAX_COMMANDS, size: 'max' }), async (cmds) => {
    let real: Real | undefined;
    try {
      await fc.asyncModelRun(async () => {
        const mm: Model = { m: new CapsModel(T, C), slots: [], next: 0 };
        real = {
          kernel, procs: new Map(), links: new Map(), probe: new Map(), events: new Map(), value: new Map(),
          badge: new Map(), sid: new Map(), resOfSid: new Map(),
        };
        for (let i = 0; i < SLOTS; i++) {
          const serial = mm.next++;
          mm.slots.push(serial);
          spawn(mm, real, serial);
        }
        // a start with something to act on: a resource with every right and a badge in each process
        for (let i = 0; i < SLOTS; i++) {
          await new Create(i, RIGHT_BITS).run(mm, real);
          await new MakeBadge(i).run(mm, real);
        }
        return { model: mm, real };
      }, cmds);
      sequences++;
      steps += [...cmds].length;
    } finally {
      await teardown(real, base);
    }
  }), { seed: 0x5eed0caf, numRuns: RUNS });
  assert.ok(sequences >= RUNS, `${sequences} sequences ran`);
  assert.ok(steps > RUNS * 3, `${steps} steps`);
  if (process.env.KOS_MODEL_TALLY) console.log(steps, 'steps', Object.fromEntries([...tally].sort()));
  if (RUNS >= 500) {
    // every path of every command was taken (a change that starves one shows here)
    for (const key of [
      'transfer ok', 'transfer ok (badge)', 'transfer ok (dereference)', 'transfer invalid', 'transfer revoked',
      'transfer denied', 'copy ok', 'copy nocap', 'copy revoked', 'copy invalid', 'close live ok', 'close revoked ok',
      'close gone invalid', 'revoke ok (reached handles)', 'revoke revoked', 'revoke invalid',
      'revokeSubtree ok (reached handles)', 'revokeSubtree ok', 'revokeSubtree revoked', 'EVENT_BADGE_CLOSED', 'resource ended',
      'two handles ok', 'two handles denied', 'two handles invalid',
    ]) assert.ok((tally.get(key) ?? 0) > 0, `no step took the path "${key}"`);
  }
});

test.run();
