/**
 * kos-ipc: KasperskyOS IPC emulated for JavaScript. The root re-exports every module; the
 * subpaths mirror the SDK headers (`kos-ipc/coresrv/syscalls` for `coresrv/syscalls.h`, ...).
 */
export { Kernel, type KernelOptions, type ProcessOptions, type Endpoints } from './kernel.js';
export { Process, type ProcessExit } from './process.js';
export { thisProcess } from './current.js';
export type { InitDescription, InitEntity, InitConnection } from './init.js';
export type { Policy, PolicyRule, PolicyEvent } from './policy.js';
export * from './coresrv/syscalls.js';
export * from './coresrv/sl/sl_api.js';
export * from './coresrv/ipc/ipc_api.js';
export * from './coresrv/handle/handle_api.js';
export * from './services/rtl/nk_msg.js';
export * from './nk/arena.js';
export * from './nk/types.js';
export * from './nk/message_layout.js';
export * from './nk/message_shape.js';
export * from './nk/idl_layout.js';
export type { Interfaces } from './shapes.js';
export * from './rtl/retcode.js';
export {
  nk_transport_call, nk_transport_recv, nk_transport_reply, nk_transport_callAsync, nk_transport_recvAsync,
  type nk_transport, type nk_transport_ops, type nk_transport_call_fn, type nk_transport_recv_fn,
  type nk_transport_reply_fn, type nk_transport_call_async_fn, type nk_transport_recv_async_fn,
} from './nk/transport.js';
export { NkKosTransport, NkKosTransport_Init, kosTransportInit, nkErrorOf } from './coresrv/nk/transport-kos.js';
