/**
 * Proxies and dispatchers for generated code (as nk-gen-c's output in public projects has them, docs/sources.md): what the
 * generated `X_proxy_init`, `X_M` (and `X_MAsync`), `X_interface_dispatch`,
 * `C_component_dispatch` and `E_entity_dispatch` run, driven by tables the generator writes.
 *
 * Proxy call (nk-gen-c's `X_M_proxy`): nk_req_reset, nk_msg_set_method_id and nk_msg_set_ncaps
 * on the request and on the response buffer, then nk_transport_call (or nk_transport_callAsync).
 *
 * Interface dispatch: when the request's iid is `iid`, the method its mid names runs on the
 * server object (`impl.ops.M(impl, req, reqArena, res, resArena)`) over views of the buffers;
 * the response header is reset to a results response first (kos-ipc: so a previous error flag
 * never leaks into the next answer). Afterwards, with an NK_EOK result:
 * - extended errors (`--extended-errors`): if the method marked the response as an error
 *   (`nk_err_reset`), it becomes the error struct (nk_err_reset with its size, ncaps = the error
 *   handles), else the results struct (nk_req_reset with its size, ncaps = the result handles);
 * - the older convention: the results struct. A method may instead return NK_ELOGIC_MAKE(code):
 *   the response becomes the error struct, `code` goes into the first error parameter (which
 *   must then be an integer) and the dispatch returns NK_EOK.
 * The response then gets the request's iid and mid. An unknown mid returns NK_ENOENT and
 * (kos-ipc) answers with a 24-byte error response; an unknown iid returns NK_ENOENT and leaves
 * the response alone (nk-gen-c), except at the entity, which answers as for an unknown mid.
 */
import type { NkArena } from '../nk/arena.js';
import type { IdlInterface } from '../nk/idl_layout.js';
import { nk_transport_call, nk_transport_callAsync, type nk_transport } from '../nk/transport.js';
import {
  nk_err_reset, nk_message_get_iid, nk_message_get_mid, nk_message_set_iid, nk_message_set_mid, nk_msg_check_err,
  nk_msg_set_method_id, nk_msg_set_ncaps, nk_req_reset,
} from '../services/rtl/nk_msg.js';
import {
  INVALID_RIID, NK_ELOGIC_CHECK, NK_ELOGIC_GET, NK_ENOENT, NK_EOK, NK_MESSAGE_SIZE, type nk_err_t, type nk_iid_t,
} from '../nk/types.js';
import type { NkCodec, NkMessage } from './rt_view.js';
import { describe } from '../describe.js';

/** A generated message class: `new X(base_?, arena_?)`. */
export type MessageClass<M extends NkMessage = NkMessage> = new (base_?: Uint8Array, arena_?: NkArena | null) => M;

/** What the proxy and the dispatcher need of one method. */
export interface NkMethodInfo {
  /** `echo_Ping_Ping`: names the method in messages. */
  readonly fn: string;
  readonly name: string;
  readonly mid: number;
  readonly Req: MessageClass;
  readonly Res: MessageClass;
  readonly reqSize: number;
  readonly reqHandles: number;
  readonly resSize: number;
  readonly resHandles: number;
  readonly errSize: number;
  readonly errHandles: number;
  /** The first error parameter when it is an integer: [codec, offset]. */
  readonly logic: readonly [NkCodec, number] | null;
}

/** A method's table entry (the generator writes one per IDL method). */
export function method(info: NkMethodInfo): NkMethodInfo {
  return Object.freeze(info);
}

/** What every interface object has: its table of methods (a server's, or a proxy's). */
export interface NkInterface {
  readonly ops: object;
}

type Op = (self: NkInterface, req: NkMessage, reqArena: NkArena | null, res: NkMessage, resArena: NkArena | null) => nk_err_t;
type AsyncOp = (self: NkInterface, req: NkMessage, reqArena: NkArena | null, res: NkMessage, resArena: NkArena | null) => Promise<nk_err_t>;

/** The client side of an interface: a transport and the RIID of the server's endpoint. */
export class NkProxy {
  /** The transport its calls go through (set by X_proxy_init). */
  transport: nk_transport | null = null;
  /** The RIID its requests carry (set by X_proxy_init). */
  iid: nk_iid_t = INVALID_RIID;
}

/** X_proxy_init: binds `proxy` to `transport` and the endpoint `iid`. */
export function proxyInit(fn: string, Proxy: new () => NkProxy, proxy: NkProxy, transport: nk_transport, iid: nk_iid_t): void {
  if (!(proxy instanceof Proxy)) throw new TypeError(`${fn}: proxy must be a ${Proxy.name} (new ${Proxy.name}()), got ${describe(proxy)}`);
  if (!transport || typeof transport !== 'object' || !('ops' in transport)) {
    throw new TypeError(`${fn}: transport must be an nk_transport (transport.base of an NkKosTransport), got ${describe(transport)}`);
  }
  if (typeof iid !== 'number' || !Number.isInteger(iid) || iid < 0 || iid > 0xffff) {
    throw new RangeError(`${fn}: iid must be a RIID from 0 to 65535 (ServiceLocatorGetRiid), got ${describe(iid)}`);
  }
  proxy.transport = transport;
  proxy.iid = iid;
}

function checkMessages(fn: string, m: NkMethodInfo, req: unknown, res: unknown): void {
  if (!(req instanceof m.Req)) throw new TypeError(`${fn}: req must be a ${m.Req.name}, got ${describe(req)}`);
  if (!(res instanceof m.Res)) throw new TypeError(`${fn}: res must be a ${m.Res.name}, got ${describe(res)}`);
}

/** Stamps the request and the response buffer of `m` for proxy `self`; returns the proxy. */
function stamp(self: unknown, m: NkMethodInfo, req: NkMessage, res: NkMessage): NkProxy {
  const fn = `${m.fn}_proxy`;
  if (!(self instanceof NkProxy) || self.transport === null) {
    throw new TypeError(`${fn}: the proxy is not initialised; call the interface's _proxy_init(proxy, transport.base, riid) first`);
  }
  checkMessages(fn, m, req, res);
  nk_req_reset(req.base_, m.reqSize);
  nk_msg_set_method_id(req.base_, self.iid, m.mid);
  nk_msg_set_ncaps(req.base_, m.reqHandles);
  nk_req_reset(res.base_, m.resSize);
  nk_msg_set_method_id(res.base_, self.iid, m.mid);
  nk_msg_set_ncaps(res.base_, m.resHandles);
  return self;
}

const arenaOr = (a: NkArena | null | undefined, own: NkArena | null): NkArena | null => (a === undefined ? own : a);

/** The proxy's routine of `m`: stamp, then nk_transport_call. An undefined arena is the message's own. */
export function proxyCall(self: NkInterface, m: NkMethodInfo, req: NkMessage, reqArena: NkArena | null | undefined,
  res: NkMessage, resArena: NkArena | null | undefined): nk_err_t {
  const p = stamp(self, m, req, res);
  return nk_transport_call(p.transport!, req.base_, arenaOr(reqArena, req.arena_), res.base_, arenaOr(resArena, res.arena_));
}

/** proxyCall without blocking the thread. */
export function proxyCallAsync(self: NkInterface, m: NkMethodInfo, req: NkMessage, reqArena: NkArena | null | undefined,
  res: NkMessage, resArena: NkArena | null | undefined): Promise<nk_err_t> {
  try {
    const p = stamp(self, m, req, res);
    return nk_transport_callAsync(p.transport!, req.base_, arenaOr(reqArena, req.arena_), res.base_, arenaOr(resArena, res.arena_));
  } catch (e) {
    return Promise.reject(e);
  }
}

function opOf(fn: string, self: unknown, name: string): Op | undefined {
  const ops = (self as { ops?: unknown } | null)?.ops;
  if (!ops || typeof ops !== 'object') {
    throw new TypeError(`${fn}: self must be an interface object with an ops table (a proxy's base, or a server object), got ${describe(self)}`);
  }
  const f = (ops as Record<string, unknown>)[name];
  return typeof f === 'function' ? (f as Op) : undefined;
}

/** X_M(self, ...): calls self.ops.M, as the C wrapper does. */
export function callOp(fn: string, name: string, self: NkInterface, req: NkMessage, reqArena: NkArena | null | undefined,
  res: NkMessage, resArena: NkArena | null | undefined): nk_err_t {
  const f = opOf(fn, self, name);
  if (!f) throw new TypeError(`${fn}: self.ops has no ${name} method`);
  return f(self, req, arenaOr(reqArena, req.arena_), res, arenaOr(resArena, res.arena_));
}

/** X_MAsync(self, ...): self.ops.MAsync when it has one, else self.ops.M's result. */
export function callOpAsync(fn: string, name: string, self: NkInterface, req: NkMessage, reqArena: NkArena | null | undefined,
  res: NkMessage, resArena: NkArena | null | undefined): Promise<nk_err_t> {
  try {
    const fa = opOf(fn, self, `${name}Async`) as unknown as AsyncOp | undefined;
    if (fa) return fa(self, req, arenaOr(reqArena, req.arena_), res, arenaOr(resArena, res.arena_));
    return Promise.resolve(callOp(fn, name, self, req, reqArena, res, resArena));
  } catch (e) {
    return Promise.reject(e);
  }
}

function buffers(fn: string, req: unknown, res: unknown): void {
  if (!(req instanceof Uint8Array)) throw new TypeError(`${fn}: req must be a Uint8Array constant part (a message's base_), got ${describe(req)}`);
  if (!(res instanceof Uint8Array)) throw new TypeError(`${fn}: res must be a Uint8Array constant part (a message's base_), got ${describe(res)}`);
}

/** Answers a request nobody serves: a 24-byte error response with the request's iid and mid. */
function unknown(req: Uint8Array, res: Uint8Array): nk_err_t {
  const iid = nk_message_get_iid(req), mid = nk_message_get_mid(req);
  nk_err_reset(res, NK_MESSAGE_SIZE);
  nk_msg_set_method_id(res, iid, mid);
  return NK_ENOENT;
}

/** X_interface_dispatch (see the rules at the top of this file). */
export function interfaceDispatch(fn: string, methods: readonly NkMethodInfo[], extended: boolean, impl: NkInterface, iid: nk_iid_t,
  req: Uint8Array, reqArena: NkArena | null, res: Uint8Array, resArena: NkArena | null): nk_err_t {
  buffers(fn, req, res);
  if (nk_message_get_iid(req) !== iid) return NK_ENOENT;
  const mid = nk_message_get_mid(req);
  const m = methods[mid];
  if (!m) return unknown(req, res);
  const f = opOf(fn, impl, m.name);
  if (!f) throw new TypeError(`${fn}: the server object's ops has no ${m.name} method`);
  nk_req_reset(res, m.resSize);
  const r = new m.Res(res, resArena);
  let rc = f(impl, new m.Req(req, reqArena), reqArena, r, resArena);
  if (rc === NK_EOK && extended && nk_msg_check_err(res)) {
    nk_err_reset(res, m.errSize);
    nk_msg_set_ncaps(res, m.errHandles);
  } else if (rc === NK_EOK) {
    nk_req_reset(res, m.resSize);
    nk_msg_set_ncaps(res, m.resHandles);
  } else if (!extended && NK_ELOGIC_CHECK(rc)) {
    nk_err_reset(res, m.errSize);
    if (m.logic) writeLogic(m.logic, r, NK_ELOGIC_GET(rc));
    nk_msg_set_ncaps(res, m.errHandles);
    rc = NK_EOK;
  }
  nk_message_set_iid(res, iid);
  nk_message_set_mid(res, mid);
  return rc;
}

/** Writes a logical error code into an integer field as C assignment does (modulo 2^bits). */
function writeLogic([codec, at]: readonly [NkCodec, number], r: NkMessage, code: number): void {
  const bits = BigInt(codec.size * 8);
  const signed = codec.idl.startsWith('S');
  const v = signed ? BigInt.asIntN(Number(bits), BigInt(code)) : BigInt.asUintN(Number(bits), BigInt(code));
  codec.put(r, at, codec.size === 8 ? v : Number(v), `${r.constructor.name}.err_`);
}

/** One row of a component's dispatch table: an endpoint, or a component instance. */
export type NkComponentEntry =
  | { readonly endpoint: string; readonly iid: number;
      dispatch(impl: NkInterface, iid: nk_iid_t, req: Uint8Array, reqArena: NkArena | null, res: Uint8Array, resArena: NkArena | null): nk_err_t }
  | { readonly instance: string; readonly offset: number; readonly iidMax: number;
      dispatch(c: object, iidOffset: number, req: Uint8Array, reqArena: NkArena | null, res: Uint8Array, resArena: NkArena | null): nk_err_t };

/** What a process class (EDL) declares to the kernel: ProcessOptions' endpoints (RIID order) and interfaces. */
export interface NkProcessOptions {
  endpoints: { name: string; interface: string }[];
  interfaces: Record<string, IdlInterface>;
}

/** C_component_dispatch: routes by iid - iidOffset to an endpoint's interface or an instance. */
export function componentDispatch(fn: string, table: readonly NkComponentEntry[], component: object, iidOffset: number,
  req: Uint8Array, reqArena: NkArena | null, res: Uint8Array, resArena: NkArena | null): nk_err_t {
  buffers(fn, req, res);
  const riid = nk_message_get_iid(req);
  if (riid < iidOffset) return NK_ENOENT;
  const local = riid - iidOffset;
  for (const e of table) {
    const part = (component as Record<string, unknown>)['endpoint' in e ? e.endpoint : e.instance];
    if ('endpoint' in e) {
      if (local !== e.iid) continue;
      if (!part) throw new TypeError(`${fn}: endpoint ${e.endpoint} has no server object; give it to the _init function`);
      return e.dispatch(part as NkInterface, riid, req, reqArena, res, resArena);
    }
    if (local < e.offset || local >= e.offset + e.iidMax) continue;
    if (!part) throw new TypeError(`${fn}: component instance ${e.instance} is missing; give it to the _init function`);
    return e.dispatch(part as object, iidOffset + e.offset, req, reqArena, res, resArena);
  }
  return NK_ENOENT;
}

/** E_entity_dispatch: component dispatch from RIID 0; an unknown RIID gets an error response. */
export function entityDispatch(fn: string, table: readonly NkComponentEntry[], iidMax: number, entity: object,
  req: Uint8Array, reqArena: NkArena | null, res: Uint8Array, resArena: NkArena | null): nk_err_t {
  const rc = componentDispatch(fn, table, entity, 0, req, reqArena, res, resArena);
  return rc === NK_ENOENT && nk_message_get_iid(req) >= iidMax ? unknown(req, res) : rc;
}

/** C_component_init / E_entity_init: gives the component its parts (server objects and instances). */
export function initParts(fn: string, C: new () => object, self: object, names: readonly string[], parts: readonly unknown[]): void {
  if (!(self instanceof C)) throw new TypeError(`${fn}: the first argument must be a ${C.name} (new ${C.name}()), got ${describe(self)}`);
  names.forEach((n, i) => {
    const p = parts[i];
    if (!p || typeof p !== 'object') throw new TypeError(`${fn}: ${n} must be an object (a server object or a component), got ${describe(p)}`);
    (self as Record<string, unknown>)[n] = p;
  });
}
