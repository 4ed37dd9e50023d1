/**
 * The DCM client library (dcm/dcm_api.h, seed 003) as methods of Process (process.ts installs
 * them on its prototype; dcm_api.ts gives the top-level functions of a worker): every Dcm*
 * function but DcmUnsubscribeFromEvents is one request to the DCM program (requests.ts).
 * @internal
 */
import type { Process } from '../process.js';
import { handleArg } from '../args.js';
import { INVALID_HANDLE, type Handle } from '../nk/types.js';
import { rcOk, type Retcode } from '../rtl/retcode.js';
import type { DcmHandle } from './constants.js';
import { DcmMethod } from './protocol.js';
import {
  runSync, runAsync, linkOf, init, fini, forget, publish, listen, accept, subscribe, read, create, connect, simple,
  closeAfter, subscribeLocal, watched,
} from './requests.js';

type Out<K extends string, V> = { [P in K]?: V };

/** The dcm_api.h methods of Process (process.ts installs them on its prototype). */
export interface DcmMethods {
  /** Connects this process to DCM (the static channel `kl.core.DCM`); rcNotConnected when it has none. */
  DcmInit(): Retcode;
  /** DcmInit without blocking the thread. */
  DcmInitAsync(): Promise<Retcode>;
  /** Ends this process's DCM connection: every DCM handle of it is closed, what it published unpublished. */
  DcmFini(): void;
  /** DcmFini without blocking the thread. */
  DcmFiniAsync(): Promise<void>;
  /** Publishes endpoint `endpointName` of interface `endpointType` for server `serverHandle`; out.outPubHandle. */
  DcmPublishEndpoint(endpointName: string, endpointType: string, serverHandle: Handle, out: Out<'outPubHandle', DcmHandle>): Retcode;
  /** DcmPublishEndpoint without blocking the thread. */
  DcmPublishEndpointAsync(endpointName: string, endpointType: string, serverHandle: Handle, out: Out<'outPubHandle', DcmHandle>): Promise<Retcode>;
  /** Waits up to `msec` for a client's request to publication `pubHandle`; out.outConnectionId (+ outClientHandle, outClientName when present). */
  DcmListen(pubHandle: DcmHandle, msec: number, out: Out<'outConnectionId' | 'outClientHandle', Handle> & Out<'outClientName', string>): Retcode;
  /** DcmListen without blocking the thread. */
  DcmListenAsync(pubHandle: DcmHandle, msec: number, out: Out<'outConnectionId' | 'outClientHandle', Handle> & Out<'outClientName', string>): Promise<Retcode>;
  /** Accepts request `connectionId`: callable `sessionHandle` goes to the client, tagged with `badgeHandle` (or INVALID_HANDLE). */
  DcmAccept(connectionId: DcmHandle, sessionHandle: Handle, badgeHandle: Handle): Retcode;
  /** DcmAccept without blocking the thread. */
  DcmAcceptAsync(connectionId: DcmHandle, sessionHandle: Handle, badgeHandle: Handle): Promise<Retcode>;
  /** A subscription to publications of interface `endpointType`, filtered by the optional rest; out.outSubscrHandle. */
  DcmSetSubscription(endpointType: string, endpointName: string | null, serverName: string | null, serverHandle: Handle,
    out: Out<'outSubscrHandle', DcmHandle>): Retcode;
  /** DcmSetSubscription without blocking the thread. */
  DcmSetSubscriptionAsync(endpointType: string, endpointName: string | null, serverName: string | null, serverHandle: Handle,
    out: Out<'outSubscrHandle', DcmHandle>): Promise<Retcode>;
  /** Takes the oldest notification of subscription `subscrHandle`, waiting up to `msec`; out.outPubStatus (+ outServerHandle, outServerName, outEndpointName when present). */
  DcmReadPubQueue(subscrHandle: DcmHandle, msec: number,
    out: Out<'outServerHandle', Handle> & Out<'outServerName' | 'outEndpointName', string> & Out<'outPubStatus', number>): Retcode;
  /** DcmReadPubQueue without blocking the thread. */
  DcmReadPubQueueAsync(subscrHandle: DcmHandle, msec: number,
    out: Out<'outServerHandle', Handle> & Out<'outServerName' | 'outEndpointName', string> & Out<'outPubStatus', number>): Promise<Retcode>;
  /** A request for a channel to endpoint `endpointName` (or any) of interface `endpointType` of server `serverHandle`; out.outConnectionId. */
  DcmCreateConnection(endpointType: string, endpointName: string | null, serverHandle: Handle, clientHandle: Handle,
    out: Out<'outConnectionId', DcmHandle>): Retcode;
  /** DcmCreateConnection without blocking the thread. */
  DcmCreateConnectionAsync(endpointType: string, endpointName: string | null, serverHandle: Handle, clientHandle: Handle,
    out: Out<'outConnectionId', DcmHandle>): Promise<Retcode>;
  /** Waits up to `msec` for the server's answer to request `connectionId`; out.outSessionHandle (a callable handle). */
  DcmConnect(connectionId: DcmHandle, msec: number, out: Out<'outSessionHandle', Handle>): Retcode;
  /** DcmConnect without blocking the thread. */
  DcmConnectAsync(connectionId: DcmHandle, msec: number, out: Out<'outSessionHandle', Handle>): Promise<Retcode>;
  /** Closes a DCM handle (unpublish, unsubscribe, withdraw a request, refuse a request). */
  DcmCloseHandle(handle: DcmHandle): Retcode;
  /** DcmCloseHandle without blocking the thread. */
  DcmCloseHandleAsync(handle: DcmHandle): Promise<Retcode>;
  /** Ends the DcmListen, DcmReadPubQueue or DcmConnect waiting on `handle` in another thread (rcIpcInterrupt). */
  DcmInterruptBlockingCall(handle: DcmHandle): Retcode;
  /** DcmInterruptBlockingCall without blocking the thread. */
  DcmInterruptBlockingCallAsync(handle: DcmHandle): Promise<Retcode>;
  /** Makes `notice` receive the `evMask` DCM events of `handle` (entry id DCM_EVENT_ID). */
  DcmSubscribeToEvents(handle: DcmHandle, notice: Handle, evMask: number): Retcode;
  /** DcmSubscribeToEvents without blocking the thread. */
  DcmSubscribeToEventsAsync(handle: DcmHandle, notice: Handle, evMask: number): Promise<Retcode>;
  /** Stops `notice` receiving the events of `handle`. */
  DcmUnsubscribeFromEvents(handle: DcmHandle, notice: Handle): Retcode;
}

/** The implementations of DcmMethods, with `this` the Process. */
export const dcmMethods: DcmMethods & ThisType<Process> = {
  DcmInit() { return runSync(this, 'DcmInit', init(this)); },
  DcmInitAsync() { return runAsync(this, 'DcmInitAsync', () => init(this)); },
  DcmFini() {
    if (linkOf(this).channel !== INVALID_HANDLE) runSync(this, 'DcmFini', fini());
    forget(this);
  },
  async DcmFiniAsync() {
    if (linkOf(this).channel !== INVALID_HANDLE) await runAsync(this, 'DcmFiniAsync', fini);
    forget(this);
  },
  DcmPublishEndpoint(endpointName, endpointType, serverHandle, out) {
    return runSync(this, 'DcmPublishEndpoint', publish('DcmPublishEndpoint', endpointName, endpointType, serverHandle, out));
  },
  DcmPublishEndpointAsync(endpointName, endpointType, serverHandle, out) {
    return runAsync(this, 'DcmPublishEndpointAsync', () => publish('DcmPublishEndpointAsync', endpointName, endpointType, serverHandle, out));
  },
  DcmListen(pubHandle, msec, out) { return runSync(this, 'DcmListen', listen('DcmListen', pubHandle, msec, out)); },
  DcmListenAsync(pubHandle, msec, out) { return runAsync(this, 'DcmListenAsync', () => listen('DcmListenAsync', pubHandle, msec, out)); },
  DcmAccept(connectionId, sessionHandle, badgeHandle) {
    return runSync(this, 'DcmAccept', accept('DcmAccept', connectionId, sessionHandle, badgeHandle));
  },
  DcmAcceptAsync(connectionId, sessionHandle, badgeHandle) {
    return runAsync(this, 'DcmAcceptAsync', () => accept('DcmAcceptAsync', connectionId, sessionHandle, badgeHandle));
  },
  DcmSetSubscription(endpointType, endpointName, serverName, serverHandle, out) {
    return runSync(this, 'DcmSetSubscription', subscribe('DcmSetSubscription', endpointType, endpointName, serverName, serverHandle, out));
  },
  DcmSetSubscriptionAsync(endpointType, endpointName, serverName, serverHandle, out) {
    return runAsync(this, 'DcmSetSubscriptionAsync',
      () => subscribe('DcmSetSubscriptionAsync', endpointType, endpointName, serverName, serverHandle, out));
  },
  DcmReadPubQueue(subscrHandle, msec, out) { return runSync(this, 'DcmReadPubQueue', read('DcmReadPubQueue', subscrHandle, msec, out)); },
  DcmReadPubQueueAsync(subscrHandle, msec, out) {
    return runAsync(this, 'DcmReadPubQueueAsync', () => read('DcmReadPubQueueAsync', subscrHandle, msec, out));
  },
  DcmCreateConnection(endpointType, endpointName, serverHandle, clientHandle, out) {
    return runSync(this, 'DcmCreateConnection', create('DcmCreateConnection', endpointType, endpointName, serverHandle, clientHandle, out));
  },
  DcmCreateConnectionAsync(endpointType, endpointName, serverHandle, clientHandle, out) {
    return runAsync(this, 'DcmCreateConnectionAsync',
      () => create('DcmCreateConnectionAsync', endpointType, endpointName, serverHandle, clientHandle, out));
  },
  DcmConnect(connectionId, msec, out) { return runSync(this, 'DcmConnect', connect('DcmConnect', connectionId, msec, out)); },
  DcmConnectAsync(connectionId, msec, out) { return runAsync(this, 'DcmConnectAsync', () => connect('DcmConnectAsync', connectionId, msec, out)); },
  DcmCloseHandle(handle) {
    const spec = simple(DcmMethod.Close, 'DcmCloseHandle', handle);
    return closeAfter(this, handle, runSync(this, 'DcmCloseHandle', spec));
  },
  async DcmCloseHandleAsync(handle) {
    const rc = await runAsync(this, 'DcmCloseHandleAsync', () => simple(DcmMethod.Close, 'DcmCloseHandleAsync', handle));
    return closeAfter(this, handle, rc);
  },
  DcmInterruptBlockingCall(handle) {
    return runSync(this, 'DcmInterruptBlockingCall', simple(DcmMethod.Interrupt, 'DcmInterruptBlockingCall', handle));
  },
  DcmInterruptBlockingCallAsync(handle) {
    return runAsync(this, 'DcmInterruptBlockingCallAsync', () => simple(DcmMethod.Interrupt, 'DcmInterruptBlockingCallAsync', handle));
  },
  DcmSubscribeToEvents(handle, notice, evMask) {
    const rc = subscribeLocal(this, 'DcmSubscribeToEvents', handle, notice, evMask);
    if (rc !== rcOk) return rc;
    return watched(this, handle, notice, runSync(this, 'DcmSubscribeToEvents', simple(DcmMethod.Watch, 'DcmSubscribeToEvents', handle)));
  },
  async DcmSubscribeToEventsAsync(handle, notice, evMask) {
    const rc = subscribeLocal(this, 'DcmSubscribeToEventsAsync', handle, notice, evMask);
    if (rc !== rcOk) return rc;
    const w = await runAsync(this, 'DcmSubscribeToEventsAsync', () => simple(DcmMethod.Watch, 'DcmSubscribeToEventsAsync', handle));
    return watched(this, handle, notice, w);
  },
  DcmUnsubscribeFromEvents(handle, notice) {
    const fn = 'DcmUnsubscribeFromEvents';
    return this.KnNoticeUnsubscribeFromObject(handleArg(fn, 'notice', notice), handleArg(fn, 'handle', handle));
  },
};
