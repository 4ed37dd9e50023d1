/**
 * `services/ocap.h`: rights (permission mask) bits. The names are the SDK's; the values are
 * kos-ipc's (the SDK's are not public): bits 0..15 are the general part, bits 16..31 the part
 * specific to a kind of resource. abi/kernel.mjs declares them once for the core and this layer.
 */
export {
  OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID, OCAP_HANDLE_SET_EVENT, OCAP_HANDLE_GET_EVENT, OCAP_HANDLE_COPY,
  OCAP_IPC_CALL, OCAP_IPC_RECV, OCAP_IPC_LISTEN, OCAP_IPC_SYNC, OCAP_IPC_CLIENT, OCAP_IPC_LISTENER, OCAP_TASK_SELF,
  OCAP_RIGHTS_SAME,
} from '../abi.js';

/** The server IPC rights of a listener (Recv, Reply): OCAP_IPC_RECV. */
export { OCAP_IPC_RECV as OCAP_IPC_SERVER } from '../abi.js';

/**
 * Bit `n` (0..15) of the specific part of a rights mask: a resource provider lays out the
 * rights of its user objects with it (1 << (16 + n)).
 */
export function OCAP_HANDLE_SPEC(n: number): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 15) {
    throw new RangeError(`OCAP_HANDLE_SPEC: n must be an integer from 0 to 15, got ${String(n)}`);
  }
  return (1 << (16 + n)) >>> 0;
}
