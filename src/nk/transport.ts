/**
 * `nk/transport.h`: the transport interface generated proxies and dispatchers talk through. A
 * transport is an object whose `ops` table has the routines; `nk_transport_call`,
 * `nk_transport_recv` and `nk_transport_reply` dispatch through it, as the SDK's do
 * (`transport.base.ops->call(...)`). `coresrv/nk/transport-kos.ts` provides the one over
 * Call/Recv/Reply (NkKosTransport).
 *
 * The SDK table has call, recv and reply. kos-ipc adds the two routines that wait without
 * blocking the thread, `callAsync` and `recvAsync` (DESIGN.md: every blocking call has an Async
 * twin), reached through `nk_transport_callAsync` and `nk_transport_recvAsync`. Reply never
 * waits, so it has no twin.
 *
 * Messages are constant parts (`Uint8Array`, the C `struct nk_message *`: the `base_` of a
 * generated request or response) and arenas (`NkArena`, or null when a method has no
 * variable-size parameters, like the C NULL).
 */
import { NkArena } from './arena.js';
import type { nk_err_t } from './types.js';
import { describe } from '../describe.js';

/** #nk_transport_call function type: send `req` and wait for the response in `res`. */
export type nk_transport_call_fn = (t: nk_transport, req: Uint8Array, reqArena: NkArena | null,
  res: Uint8Array, resArena: NkArena | null) => nk_err_t;
/** #nk_transport_recv function type: wait for a request into `req`. */
export type nk_transport_recv_fn = (t: nk_transport, req: Uint8Array, reqArena: NkArena | null) => nk_err_t;
/** #nk_transport_reply function type: answer the request received last with `res`. */
export type nk_transport_reply_fn = (t: nk_transport, res: Uint8Array, resArena: NkArena | null) => nk_err_t;
/** nk_transport_call without blocking the thread. */
export type nk_transport_call_async_fn = (t: nk_transport, req: Uint8Array, reqArena: NkArena | null,
  res: Uint8Array, resArena: NkArena | null) => Promise<nk_err_t>;
/** nk_transport_recv without blocking the thread. */
export type nk_transport_recv_async_fn = (t: nk_transport, req: Uint8Array, reqArena: NkArena | null) => Promise<nk_err_t>;

/** Transport function table. */
export interface nk_transport_ops {
  /** Synchronous call routine. */
  readonly call: nk_transport_call_fn;
  /** Receive a request routine. */
  readonly recv: nk_transport_recv_fn;
  /** Send a reply routine. */
  readonly reply: nk_transport_reply_fn;
  /** The call routine without blocking the thread. */
  readonly callAsync: nk_transport_call_async_fn;
  /** The receive routine without blocking the thread. */
  readonly recvAsync: nk_transport_recv_async_fn;
}

/** Transport interface: a pointer to its function table (null until the transport is initialised). */
export interface nk_transport {
  readonly ops: nk_transport_ops | null;
}


type OpName = keyof nk_transport_ops;

/** The routine `op` of `t`, or a TypeError that says what `t` should be. */
function opOf<K extends OpName>(fn: string, t: unknown, op: K): nk_transport_ops[K] {
  if (!t || typeof t !== 'object' || !('ops' in t)) {
    throw new TypeError(`${fn}: t must be an nk_transport (transport.base of an NkKosTransport), got ${describe(t)}`);
  }
  const ops = (t as nk_transport).ops;
  if (ops === null) {
    throw new TypeError(`${fn}: the transport is not initialised; call NkKosTransport_Init(transport, handle, NK_NULL, 0) first`);
  }
  const f = (ops as Partial<nk_transport_ops> | undefined)?.[op];
  if (typeof f !== 'function') {
    throw new TypeError(`${fn}: the transport's ops table has no ${op} routine (got ${describe(f)})`);
  }
  return f as nk_transport_ops[K];
}

function bufferOf(fn: string, name: string, b: unknown): Uint8Array {
  if (!(b instanceof Uint8Array)) {
    throw new TypeError(`${fn}: ${name} must be a Uint8Array constant part (a generated message's base_), got ${describe(b)}`);
  }
  return b;
}

function arenaOf(fn: string, name: string, a: unknown): NkArena | null {
  if (a === undefined || a === null) return null;
  if (!(a instanceof NkArena)) {
    throw new TypeError(`${fn}: ${name} must be an NkArena (from nk_arena_init) or null, got ${describe(a)}`);
  }
  return a;
}

/**
 * Sends the request `req` (its arena `reqArena`) through `t` and waits for the response into
 * `res`/`resArena`. The constant part must already hold the RIID and MID (a generated proxy
 * stamps them). Returns the transport's nk_err_t (NK_EOK on success).
 */
export function nk_transport_call(t: nk_transport, req: Uint8Array, reqArena: NkArena | null,
  res: Uint8Array, resArena: NkArena | null): nk_err_t {
  const fn = 'nk_transport_call';
  const f = opOf(fn, t, 'call');
  return f(t, bufferOf(fn, 'req', req), arenaOf(fn, 'reqArena', reqArena), bufferOf(fn, 'res', res), arenaOf(fn, 'resArena', resArena));
}

/** Waits for a request on `t` into `req`/`reqArena`. Returns the transport's nk_err_t. */
export function nk_transport_recv(t: nk_transport, req: Uint8Array, reqArena: NkArena | null): nk_err_t {
  const fn = 'nk_transport_recv';
  const f = opOf(fn, t, 'recv');
  return f(t, bufferOf(fn, 'req', req), arenaOf(fn, 'reqArena', reqArena));
}

/** Answers, through `t`, the request received last with `res`/`resArena`. Returns the transport's nk_err_t. */
export function nk_transport_reply(t: nk_transport, res: Uint8Array, resArena: NkArena | null): nk_err_t {
  const fn = 'nk_transport_reply';
  const f = opOf(fn, t, 'reply');
  return f(t, bufferOf(fn, 'res', res), arenaOf(fn, 'resArena', resArena));
}

/** nk_transport_call without blocking the thread: resolves to the nk_err_t. Bad arguments reject. */
export function nk_transport_callAsync(t: nk_transport, req: Uint8Array, reqArena: NkArena | null,
  res: Uint8Array, resArena: NkArena | null): Promise<nk_err_t> {
  const fn = 'nk_transport_callAsync';
  try {
    const f = opOf(fn, t, 'callAsync');
    return f(t, bufferOf(fn, 'req', req), arenaOf(fn, 'reqArena', reqArena), bufferOf(fn, 'res', res), arenaOf(fn, 'resArena', resArena));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** nk_transport_recv without blocking the thread: resolves to the nk_err_t. Bad arguments reject. */
export function nk_transport_recvAsync(t: nk_transport, req: Uint8Array, reqArena: NkArena | null): Promise<nk_err_t> {
  const fn = 'nk_transport_recvAsync';
  try {
    const f = opOf(fn, t, 'recvAsync');
    return f(t, bufferOf(fn, 'req', req), arenaOf(fn, 'reqArena', reqArena));
  } catch (e) {
    return Promise.reject(e);
  }
}
