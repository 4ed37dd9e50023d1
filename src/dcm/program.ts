/**
 * DCM, the Dynamic Connection Manager (seed 003): a program of the emulated system, the process
 * `kl.core.DCM`, which runs in the kernel's realm as two Async loops: one receives requests on
 * its static channel `kl.core.DCM` (RecvAsync) and answers them with Reply, the other waits on
 * a notice receiver for EVENT_TASK_COMPLETED of its clients' task handles. It never blocks: a
 * request that must wait (DcmListen, DcmReadPubQueue, DcmConnect) is parked with its reply
 * token and answered later (model.ts). This file holds the loops, the sessions and the
 * dispatch; operations.ts what each request does. docs/dcm.md draws the flow and lists the
 * choices made here.
 * @internal
 */
import type { Process } from '../process.js';
import type { EventDesc } from '../notice_calls.js';
import { nk_msg_get_handle, nk_message_get_mid, nk_message_get_ncaps } from '../services/rtl/nk_msg.js';
import { INVALID_HANDLE, INFINITE_TIMEOUT, type Handle } from '../nk/types.js';
import { EVENT_TASK_COMPLETED } from '../abi.js';
import { rcOk, rcInvalidArgument, rcNotConnected, type Retcode } from '../rtl/retcode.js';
import { DCM_CONNECTION } from './constants.js';
import { DcmMethod, MSG_SIZE, OFF_WORD0, OFF_WORD1, word } from './protocol.js';
import { deref, type Session } from './model.js';
import { DcmOperations } from './operations.js';

/** Requests DCM serves before it lets the realm's other tasks and timers run. */
const YIELD_EVERY = 64;

export class DcmProgram extends DcmOperations {
  private notice: Handle = INVALID_HANDLE;
  private running = false;
  private nextKey = 1;
  private readonly sessions = new Map<number, Session>();
  private readonly byKey = new Map<number, Session>();

  /** `nameOf` tells DCM the name of a process by its TaskId (a system program asks the kernel). */
  constructor(process: Process, private readonly nameOf: (taskId: number) => string | undefined) {
    super(process);
  }

  /** Starts serving once the listener of channel `kl.core.DCM` exists (the kernel calls it when channels change). */
  attach(): void {
    if (this.running || this.stopped || this.process.hasEnded) return;
    const l = this.process.ServiceLocatorRegister(DCM_CONNECTION, null, 0);
    if (l === INVALID_HANDLE) return;
    const p = this.process;
    const n: { notice?: Handle } = {};
    if (p.KnNoticeCreate(n) !== rcOk) return;
    this.listener = l;
    this.notice = n.notice!;
    this.running = true;
    void this.serve();
    void this.watch();
  }

  // ---- the two loops ------------------------------------------------------------------------

  private async serve(): Promise<void> {
    for (let n = 1; ; n++) {
      // Requests already queued complete RecvExAsync at once, through microtasks: a long run of
      // them would starve timers (DCM's own deadlines among them), so DCM yields now and then.
      if (n % YIELD_EVERY === 0) await macrotask();
      let rc: Retcode;
      try {
        rc = await this.process.RecvAsync(this.listener, this.inHdr);
      } catch {
        break; // the process ended
      }
      if (this.process.hasEnded || rc === rcNotConnected) break;
      // anything else: a request that did not fit was refused by the kernel
      if (rc !== rcOk) continue;
      this.guarded(() => this.dispatch(), this.inHdr.threadId);
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
        if (s && (events[i]!.eventMask & EVENT_TASK_COMPLETED) !== 0) this.guarded(() => this.endSession(s), 0);
      }
    }
    this.stop();
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
    try {
      if (mid === DcmMethod.Init) this.init(token, sender, s);
      else if (!s) this.reply(token, rcNotConnected);
      else this.method(mid, token, s);
    } finally {
      // a handle transferred to DCM that it did not keep is closed: DCM holds nothing by accident
      this.incoming.forEach((d, i) => {
        if (!this.kept.has(i) && !deref(d) && !this.process.hasEnded) this.process.KnHandleClose(d.handle);
      });
    }
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
