/**
 * `dcm/dcm_api.h` (SDK 1.3; also at `kos-ipc/coresrv/dcm/dcm_api`, the 1.4 path): the client
 * library of DCM, the Dynamic Connection Manager, for the current process (inside a worker).
 * Each function is the method of the same name on Process. The prototypes are reconstructed
 * (the SDK's table lost them): names of functions and of the parameters the seed quotes are
 * exact, their order and the out objects are kos-ipc's; docs/dcm.md says which is which.
 */
import { thisProcess } from '../current.js';
import type { Retcode } from '../rtl/retcode.js';
import type { Handle } from '../nk/types.js';
import type { DcmHandle } from './constants.js';

export {
  DCM_PUBLICATION_CHANGED, DCM_CLIENT_CONNECTED, DCM_BLOCKING_CALL_INTERRUPTED, DCM_CLIENT_RELEASED_BY_SERVER,
  DCM_EVENT_MASK, DCM_EVENT_ID, DCM_PUBLISHED, DCM_UNPUBLISHED, DCM_NAME_SIZE, DCM_CONNECTION,
} from './constants.js';
export type { DcmHandle, DcmPubStatus } from './constants.js';
export { INFINITE_TIMEOUT, INVALID_HANDLE, INVALID_RIID } from '../nk/types.js';

type ListenOut = { outConnectionId?: DcmHandle; outClientHandle?: Handle; outClientName?: string };
type ReadOut = { outServerHandle?: Handle; outServerName?: string; outEndpointName?: string; outPubStatus?: number };

/** Connects the current process to DCM; rcNotConnected when it has no channel `kl.core.DCM`. */
export function DcmInit(): Retcode { return thisProcess().DcmInit(); }
/** DcmInit without blocking the thread. */
export function DcmInitAsync(): Promise<Retcode> { return thisProcess().DcmInitAsync(); }
/** Ends the DCM connection: every DCM handle of the process is closed. */
export function DcmFini(): void { thisProcess().DcmFini(); }
/** DcmFini without blocking the thread. */
export function DcmFiniAsync(): Promise<void> { return thisProcess().DcmFiniAsync(); }
/** Publishes an endpoint; out.outPubHandle. */
export function DcmPublishEndpoint(endpointName: string, endpointType: string, serverHandle: Handle,
  out: { outPubHandle?: DcmHandle }): Retcode {
  return thisProcess().DcmPublishEndpoint(endpointName, endpointType, serverHandle, out);
}
/** DcmPublishEndpoint without blocking the thread. */
export function DcmPublishEndpointAsync(endpointName: string, endpointType: string, serverHandle: Handle,
  out: { outPubHandle?: DcmHandle }): Promise<Retcode> {
  return thisProcess().DcmPublishEndpointAsync(endpointName, endpointType, serverHandle, out);
}
/** Waits up to `msec` for a client's request to a publication; out.outConnectionId (+ outClientHandle, outClientName). */
export function DcmListen(pubHandle: DcmHandle, msec: number, out: ListenOut): Retcode {
  return thisProcess().DcmListen(pubHandle, msec, out);
}
/** DcmListen without blocking the thread. */
export function DcmListenAsync(pubHandle: DcmHandle, msec: number, out: ListenOut): Promise<Retcode> {
  return thisProcess().DcmListenAsync(pubHandle, msec, out);
}
/** Accepts a client's request: the callable handle goes to the client, its transfer tagged with a badge (or INVALID_HANDLE). */
export function DcmAccept(connectionId: DcmHandle, sessionHandle: Handle, badgeHandle: Handle): Retcode {
  return thisProcess().DcmAccept(connectionId, sessionHandle, badgeHandle);
}
/** DcmAccept without blocking the thread. */
export function DcmAcceptAsync(connectionId: DcmHandle, sessionHandle: Handle, badgeHandle: Handle): Promise<Retcode> {
  return thisProcess().DcmAcceptAsync(connectionId, sessionHandle, badgeHandle);
}
/** Subscribes to publications of an interface (optional filters: null / INVALID_HANDLE); out.outSubscrHandle. */
export function DcmSetSubscription(endpointType: string, endpointName: string | null, serverName: string | null,
  serverHandle: Handle, out: { outSubscrHandle?: DcmHandle }): Retcode {
  return thisProcess().DcmSetSubscription(endpointType, endpointName, serverName, serverHandle, out);
}
/** DcmSetSubscription without blocking the thread. */
export function DcmSetSubscriptionAsync(endpointType: string, endpointName: string | null, serverName: string | null,
  serverHandle: Handle, out: { outSubscrHandle?: DcmHandle }): Promise<Retcode> {
  return thisProcess().DcmSetSubscriptionAsync(endpointType, endpointName, serverName, serverHandle, out);
}
/** Takes the oldest publication notification, waiting up to `msec`; out.outPubStatus (+ the optional outputs). */
export function DcmReadPubQueue(subscrHandle: DcmHandle, msec: number, out: ReadOut): Retcode {
  return thisProcess().DcmReadPubQueue(subscrHandle, msec, out);
}
/** DcmReadPubQueue without blocking the thread. */
export function DcmReadPubQueueAsync(subscrHandle: DcmHandle, msec: number, out: ReadOut): Promise<Retcode> {
  return thisProcess().DcmReadPubQueueAsync(subscrHandle, msec, out);
}
/** A request for a channel to a server's endpoint; out.outConnectionId. */
export function DcmCreateConnection(endpointType: string, endpointName: string | null, serverHandle: Handle,
  clientHandle: Handle, out: { outConnectionId?: DcmHandle }): Retcode {
  return thisProcess().DcmCreateConnection(endpointType, endpointName, serverHandle, clientHandle, out);
}
/** DcmCreateConnection without blocking the thread. */
export function DcmCreateConnectionAsync(endpointType: string, endpointName: string | null, serverHandle: Handle,
  clientHandle: Handle, out: { outConnectionId?: DcmHandle }): Promise<Retcode> {
  return thisProcess().DcmCreateConnectionAsync(endpointType, endpointName, serverHandle, clientHandle, out);
}
/** Waits up to `msec` for the server's answer; out.outSessionHandle (a callable handle). */
export function DcmConnect(connectionId: DcmHandle, msec: number, out: { outSessionHandle?: Handle }): Retcode {
  return thisProcess().DcmConnect(connectionId, msec, out);
}
/** DcmConnect without blocking the thread. */
export function DcmConnectAsync(connectionId: DcmHandle, msec: number, out: { outSessionHandle?: Handle }): Promise<Retcode> {
  return thisProcess().DcmConnectAsync(connectionId, msec, out);
}
/** Closes a DCM handle. */
export function DcmCloseHandle(handle: DcmHandle): Retcode { return thisProcess().DcmCloseHandle(handle); }
/** DcmCloseHandle without blocking the thread. */
export function DcmCloseHandleAsync(handle: DcmHandle): Promise<Retcode> { return thisProcess().DcmCloseHandleAsync(handle); }
/** Ends a DcmListen, DcmReadPubQueue or DcmConnect waiting on `handle` in another thread. */
export function DcmInterruptBlockingCall(handle: DcmHandle): Retcode { return thisProcess().DcmInterruptBlockingCall(handle); }
/** DcmInterruptBlockingCall without blocking the thread. */
export function DcmInterruptBlockingCallAsync(handle: DcmHandle): Promise<Retcode> {
  return thisProcess().DcmInterruptBlockingCallAsync(handle);
}
/** Makes a notice receiver receive DCM events of a DCM handle. */
export function DcmSubscribeToEvents(handle: DcmHandle, notice: Handle, evMask: number): Retcode {
  return thisProcess().DcmSubscribeToEvents(handle, notice, evMask);
}
/** DcmSubscribeToEvents without blocking the thread. */
export function DcmSubscribeToEventsAsync(handle: DcmHandle, notice: Handle, evMask: number): Promise<Retcode> {
  return thisProcess().DcmSubscribeToEventsAsync(handle, notice, evMask);
}
/** Stops a notice receiver receiving the events of a DCM handle. */
export function DcmUnsubscribeFromEvents(handle: DcmHandle, notice: Handle): Retcode {
  return thisProcess().DcmUnsubscribeFromEvents(handle, notice);
}
