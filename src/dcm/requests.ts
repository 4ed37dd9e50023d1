/**
 * The requests of the DCM client library (client.ts) to the DCM program (program.ts), one IPC
 * call each on the static channel `kl.core.DCM`, blocking (Call) or Async (CallAsync): each
 * function checks its arguments, builds the request (protocol.ts) and says what to do with DCM's
 * rcOk answer. Optional inputs are null (names) or INVALID_HANDLE (handles); an optional output
 * is written only when the out object has that field when the call is made (the C caller passes
 * a pointer for it). docs/dcm.md describes the protocol and the choices.
 * @internal
 */
import type { Process } from '../process.js';
import { ipcSync, ipcAsync } from '../ipc.js';
import {
  SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, nk_msg_set_method_id, nk_msg_set_ncaps, nk_msg_set_handle,
  nk_msg_get_handle, nk_message_get_ncaps,
} from '../services/rtl/nk_msg.js';
import { nk_arena_init, nk_arena_store_string, nk_arena_get_string, type NkArena } from '../nk/arena.js';
import { nk_handle_desc, INVALID_HANDLE, INFINITE_TIMEOUT, type Handle } from '../nk/types.js';
import { OCAP_RIGHTS_SAME } from '../abi.js';
import { handleArg, timeoutArg, u32Arg } from '../args.js';
import { outArg } from '../out.js';
import { describe } from '../describe.js';
import { rcOk, rcInvalidArgument, rcNotConnected, rcHandleRevoked, type Retcode } from '../rtl/retcode.js';
import { DCM_CONNECTION, DCM_NAME_SIZE, DCM_EVENT_ID, DCM_EVENT_MASK } from './constants.js';
import {
  DcmMethod, MSG_SIZE, ARENA_SIZE, OFF_WORD0, OFF_WORD1, OFF_NAME, F_HANDLE, F_NAME0, F_NAME1, F_NAME2,
  F_WANT_HANDLE, word, setWord,
} from './protocol.js';

const encoder = new TextEncoder();

/** What this realm knows of a process's DCM connection: the channel, the DCM handles it was given. */
interface Link { channel: Handle; handles: Set<Handle> }
const links = new WeakMap<Process, Link>();

export function linkOf(p: Process): Link {
  let l = links.get(p);
  if (!l) { l = { channel: INVALID_HANDLE, handles: new Set() }; links.set(p, l); }
  if (l.channel === INVALID_HANDLE) l.channel = p.ServiceLocatorConnect(DCM_CONNECTION);
  return l;
}

/** One request to DCM and its response. */
class Msg {
  readonly req = new Uint8Array(MSG_SIZE);
  readonly res = new Uint8Array(MSG_SIZE);
  readonly reqArena: NkArena = nk_arena_init(new Uint8Array(ARENA_SIZE));
  readonly resArena: NkArena = nk_arena_init(new Uint8Array(ARENA_SIZE));
  readonly out = new SMsgHdr();
  readonly inn = new SMsgHdr();
  private ncaps = 0;

  constructor(method: DcmMethod, flags = 0, msec = 0) {
    nk_req_reset(this.req, MSG_SIZE);
    nk_msg_set_method_id(this.req, 0, method);
    setWord(this.req, OFF_WORD0, flags);
    setWord(this.req, OFF_WORD1, msec);
    PackOutMsg(this.out, this.req, this.reqArena);
    PackInMsg(this.inn, this.res, this.resArena);
  }

  handle(h: Handle, badge = 0): this {
    nk_msg_set_handle(this.req, this.ncaps++, nk_handle_desc(h, OCAP_RIGHTS_SAME, badge));
    nk_msg_set_ncaps(this.req, this.ncaps);
    return this;
  }

  name(i: number, s: string | null): this {
    if (s !== null) nk_arena_store_string(this.reqArena, this.req, OFF_NAME[i]!, s);
    return this;
  }

  /** Handle `i` of the response (INVALID_HANDLE when it carries fewer). */
  got(i: number): Handle {
    return i < nk_message_get_ncaps(this.res) ? nk_msg_get_handle(this.res, i).handle : INVALID_HANDLE;
  }

  gotName(i: number): string {
    return nk_arena_get_string(this.resArena, this.res, OFF_NAME[i]!) ?? '';
  }
}

/** A request ready to go, and what to do with DCM's rcOk answer (its final Retcode). */
export interface Spec { msg: Msg; done(m: Msg, link: Link): Retcode }

/**
 * A name argument, or null (optional and absent). A name that cannot be one (empty,
 * DCM_NAME_SIZE bytes of UTF-8 or more, a zero character) makes the call return
 * rcInvalidArgument: `bad` is set.
 */
function nameArg(fn: string, arg: string, v: unknown, optional: boolean, bad: { bad: boolean }): string | null {
  if (v === null && optional) return null;
  if (typeof v !== 'string') {
    throw new TypeError(`${fn}: ${arg} must be a string${optional ? ' or null' : ''}, got ${describe(v)}`);
  }
  const n = encoder.encode(v).length;
  if (n === 0 || n >= DCM_NAME_SIZE || v.includes('\0')) bad.bad = true;
  return v;
}

/** The raw msec of a waiting call (checked like every timeout). */
function msecArg(fn: string, v: unknown): number {
  timeoutArg(fn, 'msec', v);
  return v as number;
}

function finish(rc: Retcode, spec: Spec, link: Link): Retcode {
  if (rc !== rcOk) return rc;
  const answer = word(spec.msg.res, OFF_WORD0) | 0; // Retcodes are signed 32-bit values
  return answer !== rcOk ? answer : spec.done(spec.msg, link);
}

export function runSync(p: Process, fn: string, spec: Spec | Retcode): Retcode {
  if (typeof spec === 'number') return spec;
  const link = linkOf(p);
  if (link.channel === INVALID_HANDLE) return rcNotConnected;
  return finish(ipcSync(p, fn, false, link.channel, spec.msg.out, spec.msg.inn, INFINITE_TIMEOUT, INVALID_HANDLE), spec, link);
}

export async function runAsync(p: Process, fn: string, build: () => Spec | Retcode): Promise<Retcode> {
  const spec = build();
  if (typeof spec === 'number') return spec;
  const link = linkOf(p);
  if (link.channel === INVALID_HANDLE) return rcNotConnected;
  return finish(await ipcAsync(p, fn, false, link.channel, spec.msg.out, spec.msg.inn, INFINITE_TIMEOUT, INVALID_HANDLE), spec, link);
}

// ---- the requests -------------------------------------------------------------------------------

export function init(p: Process): Spec {
  return { msg: new Msg(DcmMethod.Init).handle(p.KosTaskGetHandle(p.KosTaskGetSelf())), done: () => rcOk };
}

export function fini(): Spec {
  return { msg: new Msg(DcmMethod.Fini), done: () => rcOk };
}

/** After DcmFini: the DCM handles this realm was given are revoked; close them. */
export function forget(p: Process): void {
  const link = links.get(p);
  if (!link) return;
  for (const h of link.handles) p.KnHandleClose(h);
  link.handles.clear();
}

/** A request whose answer carries one new DCM handle, written to `out[field]`. */
function making(msg: Msg, out: Record<string, unknown>, field: string, more?: (m: Msg) => void): Spec {
  return {
    msg,
    done(m, link) {
      const h = m.got(0);
      out[field] = h;
      link.handles.add(h);
      more?.(m);
      return rcOk;
    },
  };
}

export function publish(fn: string, endpointName: unknown, endpointType: unknown, serverHandle: unknown, out: unknown): Spec | Retcode {
  const o = outArg(fn, out);
  o.outPubHandle = INVALID_HANDLE;
  const bad = { bad: false };
  const name = nameArg(fn, 'endpointName', endpointName, false, bad), type = nameArg(fn, 'endpointType', endpointType, false, bad);
  const server = handleArg(fn, 'serverHandle', serverHandle);
  if (bad.bad) return rcInvalidArgument;
  return making(new Msg(DcmMethod.Publish).name(0, name).name(1, type).handle(server), o, 'outPubHandle');
}

export function listen(fn: string, pubHandle: unknown, msec: unknown, out: unknown): Spec {
  const o = outArg(fn, out);
  const pub = handleArg(fn, 'pubHandle', pubHandle);
  const ms = msecArg(fn, msec);
  const wantHandle = 'outClientHandle' in o, wantName = 'outClientName' in o;
  o.outConnectionId = INVALID_HANDLE;
  if (wantHandle) o.outClientHandle = INVALID_HANDLE;
  if (wantName) o.outClientName = '';
  const flags = (wantHandle ? F_WANT_HANDLE : 0) | (wantName ? F_NAME0 : 0);
  return making(new Msg(DcmMethod.Listen, flags, ms).handle(pub), o, 'outConnectionId', (m) => {
    if (wantHandle) o.outClientHandle = m.got(1);
    if (wantName) o.outClientName = m.gotName(0);
  });
}

export function accept(fn: string, connectionId: unknown, sessionHandle: unknown, badgeHandle: unknown): Spec {
  const id = handleArg(fn, 'connectionId', connectionId), session = handleArg(fn, 'sessionHandle', sessionHandle);
  const badge = handleArg(fn, 'badgeHandle', badgeHandle);
  return { msg: new Msg(DcmMethod.Accept).handle(id).handle(session, badge === INVALID_HANDLE ? 0 : badge), done: () => rcOk };
}

export function subscribe(fn: string, endpointType: unknown, endpointName: unknown, serverName: unknown, serverHandle: unknown,
  out: unknown): Spec | Retcode {
  const o = outArg(fn, out);
  o.outSubscrHandle = INVALID_HANDLE;
  const bad = { bad: false };
  const type = nameArg(fn, 'endpointType', endpointType, false, bad);
  const name = nameArg(fn, 'endpointName', endpointName, true, bad), server = nameArg(fn, 'serverName', serverName, true, bad);
  const sh = handleArg(fn, 'serverHandle', serverHandle);
  if (bad.bad) return rcInvalidArgument;
  const flags = (name ? F_NAME1 : 0) | (server ? F_NAME2 : 0) | (sh !== INVALID_HANDLE ? F_HANDLE : 0);
  const msg = new Msg(DcmMethod.Subscribe, flags).name(0, type).name(1, name).name(2, server);
  if (sh !== INVALID_HANDLE) msg.handle(sh);
  return making(msg, o, 'outSubscrHandle');
}

export function read(fn: string, subscrHandle: unknown, msec: unknown, out: unknown): Spec {
  const o = outArg(fn, out);
  const sub = handleArg(fn, 'subscrHandle', subscrHandle);
  const ms = msecArg(fn, msec);
  const wantHandle = 'outServerHandle' in o, wantServer = 'outServerName' in o, wantName = 'outEndpointName' in o;
  o.outPubStatus = 0;
  if (wantHandle) o.outServerHandle = INVALID_HANDLE;
  if (wantServer) o.outServerName = '';
  if (wantName) o.outEndpointName = '';
  const flags = (wantHandle ? F_WANT_HANDLE : 0) | (wantServer ? F_NAME0 : 0) | (wantName ? F_NAME1 : 0);
  return {
    msg: new Msg(DcmMethod.Read, flags, ms).handle(sub),
    done(m) {
      o.outPubStatus = word(m.res, OFF_WORD1);
      if (wantHandle) o.outServerHandle = m.got(0);
      if (wantServer) o.outServerName = m.gotName(0);
      if (wantName) o.outEndpointName = m.gotName(1);
      return rcOk;
    },
  };
}

export function create(fn: string, endpointType: unknown, endpointName: unknown, serverHandle: unknown, clientHandle: unknown,
  out: unknown): Spec | Retcode {
  const o = outArg(fn, out);
  o.outConnectionId = INVALID_HANDLE;
  const bad = { bad: false };
  const type = nameArg(fn, 'endpointType', endpointType, false, bad), name = nameArg(fn, 'endpointName', endpointName, true, bad);
  const server = handleArg(fn, 'serverHandle', serverHandle), client = handleArg(fn, 'clientHandle', clientHandle);
  if (bad.bad) return rcInvalidArgument;
  const msg = new Msg(DcmMethod.Create, name ? F_NAME1 : 0).name(0, type).name(1, name).handle(server).handle(client);
  return making(msg, o, 'outConnectionId');
}

export function connect(fn: string, connectionId: unknown, msec: unknown, out: unknown): Spec {
  const o = outArg(fn, out);
  const id = handleArg(fn, 'connectionId', connectionId);
  const ms = msecArg(fn, msec);
  o.outSessionHandle = INVALID_HANDLE;
  return {
    msg: new Msg(DcmMethod.Connect, 0, ms).handle(id),
    done(m) { o.outSessionHandle = m.got(0); return rcOk; },
  };
}

export function simple(method: DcmMethod, fn: string, handle: unknown): Spec {
  return { msg: new Msg(method).handle(handleArg(fn, 'handle', handle)), done: () => rcOk };
}

/** DcmCloseHandle: DCM ends the object; then this process closes its handle (also when DCM already revoked it). */
export function closeAfter(p: Process, handle: Handle, rc: Retcode): Retcode {
  if (rc !== rcOk && rc !== rcHandleRevoked) return rc;
  p.KnHandleClose(handle);
  links.get(p)?.handles.delete(handle);
  return rcOk;
}

/** DcmSubscribeToEvents, before its call to DCM: checks and the local subscription (rcOk to go on). */
export function subscribeLocal(p: Process, fn: string, handle: unknown, notice: unknown, evMask: unknown): Retcode {
  const h = handleArg(fn, 'handle', handle), n = handleArg(fn, 'notice', notice), mask = u32Arg(fn, 'evMask', evMask);
  if (mask === 0 || (mask & ~DCM_EVENT_MASK) !== 0) return rcInvalidArgument;
  return p.KnNoticeSubscribeToObject(n, h, mask, DCM_EVENT_ID);
}

export function watched(p: Process, handle: Handle, notice: Handle, rc: Retcode): Retcode {
  if (rc !== rcOk) p.KnNoticeUnsubscribeFromObject(notice, handle);
  return rc;
}
