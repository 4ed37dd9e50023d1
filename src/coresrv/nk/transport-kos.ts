/**
 * `coresrv/nk/transport-kos.h`: NkKosTransport, the nk_transport over the kernel's Call, Recv
 * and Reply (seed 004: "initialize it by using the NkKosTransport_Init() method and pass the IPC
 * handle of the utilized channel as the second argument").
 *
 *   const transport = new NkKosTransport();
 *   NkKosTransport_Init(transport, handle, NK_NULL, 0);      // inside a spawned worker
 *   process.NkKosTransport_Init(transport, handle, NK_NULL, 0) // an in-realm process
 *   echo_Ping_proxy_init(proxy, transport.base, riid);
 *
 * A client passes its client IPC handle, a server its listener handle. The transport is bound
 * to the process that initialised it. Its routines (reached through nk_transport_call, ...):
 *
 * - call / callAsync: PackOutMsg(req, reqArena), PackInMsg(res, resArena), then Call / CallAsync
 *   on the handle;
 * - recv / recvAsync: PackInMsg(req, reqArena), then Recv / RecvAsync; the caller's thread id is
 *   remembered for the next reply;
 * - reply: PackOutMsg(res, resArena), then Reply to the call the last successful recv took (its
 *   token; 0, the oldest call not yet answered, when there was none). A successful reply
 *   forgets the token; a refused one keeps it, so a second reply never reaches another caller
 *   (when the kernel has ended that call, the second reply returns NK_EINVAL).
 *
 * Each returns an nk_err_t: the kernel's Retcode mapped by nkErrorOf (table below), or
 * NK_EINVAL from PackOutMsg/PackInMsg for a constant part shorter than 24 bytes.
 *
 * | Retcode                               | nk_err_t     |
 * |---------------------------------------|--------------|
 * | rcOk                                  | NK_EOK       |
 * | rcSecurityDisallow, rcNoCapability    | NK_EPERM     |
 * | rcInvalidArgument, rcInvalidOperation | NK_EINVAL    |
 * | rcNotConnected                        | NK_ENOTCONN  |
 * | rcBufferTooLarge                      | NK_EMSGSIZE  |
 * | rcUnimplemented                       | NK_ENOSYS    |
 * | rcOutOfMemory, rcQuotaExceeded        | NK_ENOMEM    |
 * | any other                             | NK_EIO       |
 */
import { thisProcess } from '../../current.js';
import type { Process } from '../../process.js';
import type { NkArena } from '../../nk/arena.js';
import type { nk_transport, nk_transport_ops } from '../../nk/transport.js';
import { PackInMsg, PackOutMsg, SMsgHdr } from '../../services/rtl/nk_msg.js';
import {
  INVALID_HANDLE, NK_EINVAL, NK_EIO, NK_EMSGSIZE, NK_ENOMEM, NK_ENOSYS, NK_ENOTCONN, NK_EOK, NK_EPERM,
  type Handle, type nk_err_t,
} from '../../nk/types.js';
import {
  rcBufferTooLarge, rcInvalidArgument, rcInvalidOperation, rcNoCapability, rcNotConnected, rcOk,
  rcOutOfMemory, rcQuotaExceeded, rcSecurityDisallow, rcUnimplemented, type Retcode,
} from '../../rtl/retcode.js';
import { describe } from '../../describe.js';

const ERRORS = new Map<Retcode, nk_err_t>([
  [rcOk, NK_EOK],
  [rcSecurityDisallow, NK_EPERM], [rcNoCapability, NK_EPERM],
  [rcInvalidArgument, NK_EINVAL], [rcInvalidOperation, NK_EINVAL],
  [rcNotConnected, NK_ENOTCONN],
  [rcBufferTooLarge, NK_EMSGSIZE],
  [rcUnimplemented, NK_ENOSYS],
  [rcOutOfMemory, NK_ENOMEM], [rcQuotaExceeded, NK_ENOMEM],
]);

/** The nk_err_t the KOS transport returns for the kernel's Retcode `rc` (table above). */
export function nkErrorOf(rc: Retcode): nk_err_t {
  if (typeof rc !== 'number' || !Number.isInteger(rc)) {
    throw new TypeError(`nkErrorOf: rc must be an integer Retcode, got ${typeof rc} ${String(rc)}`);
  }
  return ERRORS.get(rc | 0) ?? NK_EIO;
}

/** What an initialised transport knows: its process, its handle, the thread to answer. */
interface KosState {
  process: Process;
  handle: Handle;
  /** Headers reused by the blocking routines (never two at once on one thread). */
  out: SMsgHdr;
  inn: SMsgHdr;
  /** The reply token (msgIn.threadId) of the call the last successful recv took; 0: none. */
  threadId: number;
}

const states = new WeakMap<nk_transport, KosState>();

function stateOf(t: nk_transport): KosState {
  const s = states.get(t);
  if (!s) throw new TypeError('NkKosTransport: this nk_transport is not an initialised NkKosTransport base');
  return s;
}

function afterRecv(s: KosState, hdr: SMsgHdr, rc: Retcode): nk_err_t {
  if (rc === rcOk) s.threadId = hdr.threadId;
  return nkErrorOf(rc);
}

const KOS_OPS: nk_transport_ops = Object.freeze({
  call(t: nk_transport, req: Uint8Array, reqArena: NkArena | null, res: Uint8Array, resArena: NkArena | null): nk_err_t {
    const s = stateOf(t);
    const e = PackOutMsg(s.out, req, reqArena);
    if (e !== NK_EOK) return e;
    const f = PackInMsg(s.inn, res, resArena);
    if (f !== NK_EOK) return f;
    return nkErrorOf(s.process.Call(s.handle, s.out, s.inn));
  },
  recv(t: nk_transport, req: Uint8Array, reqArena: NkArena | null): nk_err_t {
    const s = stateOf(t);
    const e = PackInMsg(s.inn, req, reqArena);
    if (e !== NK_EOK) return e;
    return afterRecv(s, s.inn, s.process.Recv(s.handle, s.inn));
  },
  reply(t: nk_transport, res: Uint8Array, resArena: NkArena | null): nk_err_t {
    const s = stateOf(t);
    const e = PackOutMsg(s.out, res, resArena);
    if (e !== NK_EOK) return e;
    s.out.threadId = s.threadId;
    const rc = s.process.Reply(s.handle, s.out);
    // answered: forget the token; refused: keep it, so a retry never goes to another caller
    if (rc === rcOk) s.threadId = 0;
    return nkErrorOf(rc);
  },
  async callAsync(t: nk_transport, req: Uint8Array, reqArena: NkArena | null, res: Uint8Array, resArena: NkArena | null): Promise<nk_err_t> {
    const s = stateOf(t);
    // fresh headers: calls in flight at once must not share them
    const out = new SMsgHdr(), inn = new SMsgHdr();
    const e = PackOutMsg(out, req, reqArena);
    if (e !== NK_EOK) return e;
    const f = PackInMsg(inn, res, resArena);
    if (f !== NK_EOK) return f;
    return nkErrorOf(await s.process.CallAsync(s.handle, out, inn));
  },
  async recvAsync(t: nk_transport, req: Uint8Array, reqArena: NkArena | null): Promise<nk_err_t> {
    const s = stateOf(t);
    const inn = new SMsgHdr();
    const e = PackInMsg(inn, req, reqArena);
    if (e !== NK_EOK) return e;
    return afterRecv(s, inn, await s.process.RecvAsync(s.handle, inn));
  },
});

const UNINITIALISED: nk_transport = Object.freeze({ ops: null });

/** The KOS transport: `base` is its nk_transport, `handle` the IPC handle it was initialised with. */
export class NkKosTransport {
  /** The nk_transport to give proxies (`X_proxy_init(proxy, transport.base, riid)`) and nk_transport_*. */
  base: nk_transport = UNINITIALISED;
  /** The IPC handle: a client IPC handle, or a server's listener handle. */
  handle: Handle = INVALID_HANDLE;
}


/**
 * NkKosTransport_Init for process `process` (what `process.NkKosTransport_Init` and, inside a
 * worker, the top-level NkKosTransport_Init call): binds `transport` to `handle` of `process`.
 * `view` and `size` are the SDK's third and fourth arguments, whose meaning is not public;
 * kos-ipc accepts only NK_NULL and 0, as every SDK example passes.
 */
export function kosTransportInit(process: Process, transport: NkKosTransport, handle: Handle, view: null, size: number): void {
  const fn = 'NkKosTransport_Init';
  if (!(transport instanceof NkKosTransport)) {
    throw new TypeError(`${fn}: transport must be an NkKosTransport (new NkKosTransport()), got ${describe(transport)}`);
  }
  if (typeof handle !== 'number' || !Number.isInteger(handle)) {
    throw new TypeError(`${fn}: handle must be an IPC handle (an integer), got ${describe(handle)}`);
  }
  if (view !== null && view !== undefined) {
    throw new TypeError(`${fn}: the third argument must be NK_NULL (kos-ipc gives it no meaning), got ${describe(view)}`);
  }
  if (size !== 0) throw new TypeError(`${fn}: the fourth argument must be 0 (kos-ipc gives it no meaning), got ${describe(size)}`);
  const base: nk_transport = { ops: KOS_OPS };
  states.set(base, { process, handle: handle >>> 0, out: new SMsgHdr(), inn: new SMsgHdr(), threadId: 0 });
  transport.base = base;
  transport.handle = handle >>> 0;
}

/**
 * Initialises `transport` over IPC handle `handle` of the current process (inside a worker
 * started by kernel.spawn). Pass NK_NULL and 0 as the last two arguments. Elsewhere call
 * `process.NkKosTransport_Init(...)` on the Process.
 */
export function NkKosTransport_Init(transport: NkKosTransport, handle: Handle, view: null, size: number): void {
  kosTransportInit(thisProcess(), transport, handle, view, size);
}

export { NK_NULL } from '../../nk/types.js';
