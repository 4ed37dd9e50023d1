/**
 * `kos-ipc/gen/runtime`: what the modules `kos-ipc gen` writes import (as `rt`), and what
 * compileIdl builds its classes from: message and struct views with the codec of every IDL type
 * (rt_view.ts, rt_codecs.ts), and the proxy and dispatcher machinery (rt_rpc.ts). The types a
 * generated module names are re-exported here, so that it imports from one place.
 */
export {
  NkView, NkMessage, UInt8, UInt16, UInt32, UInt64, SInt8, SInt16, SInt32, SInt64, INTEGERS, Handle,
  type NkCodec, type NkHandleDesc,
} from './rt_view.js';
export { string, bytes, sequence, array, struct, union, store, set, toPlain, type ViewClass, type UnionCodec } from './rt_codecs.js';
export {
  NkProxy, method, proxyInit, initParts, proxyCall, proxyCallAsync, callOp, callOpAsync, interfaceDispatch, componentDispatch,
  entityDispatch, type NkMethodInfo, type NkInterface, type NkComponentEntry, type MessageClass, type NkProcessOptions,
} from './rt_rpc.js';
export { nk_arena_init, type NkArena } from '../nk/arena.js';
export type { nk_transport } from '../nk/transport.js';
export type { nk_err_t, nk_iid_t, nk_mid_t } from '../nk/types.js';
export type { IdlInterface } from '../nk/idl_layout.js';
