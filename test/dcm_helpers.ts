// Shared steps of the DCM tests: a system whose processes are connected to kl.core.DCM, and the
// seed's server and client steps with the Async forms (in-realm processes).
import * as assert from 'uvu/assert';
import {
  rcOk, rcTimeout, retcodeName, INVALID_HANDLE, INFINITE_TIMEOUT, HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL, OCAP_HANDLE_TRANSFER,
  INVALID_RIID, DCM_CONNECTION, nk_msg_get_self, type Kernel, type Process,
} from 'kos-ipc';
import { outMsg, inMsg, valueOf, newKernel, is, syncObject } from './helpers.js';

/** A kernel whose processes `names` exist, each with a channel to DCM, and have called DcmInit. */
export async function dcmSystem(...names: string[]): Promise<{ kernel: Kernel; p: Record<string, Process> }> {
  const kernel = await newKernel();
  const p: Record<string, Process> = {};
  for (const n of names) {
    p[n] = kernel.createProcess(n);
    kernel.connect(n, DCM_CONNECTION, DCM_CONNECTION);
  }
  for (const n of names) is(await p[n]!.DcmInitAsync(), rcOk, `DcmInit of ${n}`);
  return { kernel, p };
}

export const taskHandle = (p: Process): number => p.KosTaskGetHandle(p.KosTaskGetSelf());

/** Publishes `name` of interface `type` with the server's own task handle: the publication handle. */
export async function publish(server: Process, name: string, type = 'Echo', serverHandle = taskHandle(server)): Promise<number> {
  const out: { outPubHandle?: number } = {};
  is(await server.DcmPublishEndpointAsync(name, type, serverHandle, out), rcOk, `publish ${name}`);
  return out.outPubHandle!;
}

/** A subscription handle (filters as given). */
export async function subscribe(client: Process, type = 'Echo', name: string | null = null, serverName: string | null = null,
  serverHandle = INVALID_HANDLE): Promise<number> {
  const out: { outSubscrHandle?: number } = {};
  is(await client.DcmSetSubscriptionAsync(type, name, serverName, serverHandle, out), rcOk, 'DcmSetSubscription');
  return out.outSubscrHandle!;
}

export interface PubNote { status: number; server: number; serverName: string; endpoint: string }

/** Reads every notification the subscription holds now (msec 0), with every optional output. */
export async function drain(client: Process, sub: number): Promise<PubNote[]> {
  const all: PubNote[] = [];
  for (;;) {
    const o = { outServerHandle: INVALID_HANDLE, outServerName: '', outEndpointName: '', outPubStatus: 0 };
    const rc = await client.DcmReadPubQueueAsync(sub, 0, o);
    // rcTimeout: the queue is empty; any other code is a failure, not an empty queue
    if (rc === rcTimeout) return all;
    assert.is(retcodeName(rc), retcodeName(rcOk), 'DcmReadPubQueueAsync');
    all.push({ status: o.outPubStatus, server: o.outServerHandle, serverName: o.outServerName, endpoint: o.outEndpointName });
  }
}

/** The server's side of serving: a listener and a callable on it for RIID `riid` with `context`. */
export function callable(server: Process, context: unknown = 'session', riid = 4): { listener: number; callable: number } {
  const l: { listener?: number } = {};
  is(server.KnHandleCreateListener(l), rcOk);
  const c: { handle?: number } = {};
  is(server.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL | OCAP_HANDLE_TRANSFER, context, l.listener!, riid, c), rcOk);
  return { listener: l.listener!, callable: c.handle! };
}

/**
 * The whole exchange: `client` asks for `endpoint` of `server` (identified by serverHandle, a
 * handle the client holds), the server listens and accepts with `session` (and `badge`): the
 * client's callable handle.
 */
export async function connectThrough(client: Process, server: Process, pub: number, serverHandle: number, endpoint: string,
  session: number, badge = INVALID_HANDLE): Promise<number> {
  const conn: { outConnectionId?: number } = {};
  is(await client.DcmCreateConnectionAsync('Echo', endpoint, serverHandle, taskHandle(client), conn), rcOk, 'DcmCreateConnection');
  const req: { outConnectionId?: number } = {};
  is(await server.DcmListenAsync(pub, 1000, req), rcOk, 'DcmListen');
  is(await server.DcmAcceptAsync(req.outConnectionId!, session, badge), rcOk, 'DcmAccept');
  is(await server.DcmCloseHandleAsync(req.outConnectionId!), rcOk);
  const got: { outSessionHandle?: number } = {};
  is(await client.DcmConnectAsync(conn.outConnectionId!, INFINITE_TIMEOUT, got), rcOk, 'DcmConnect');
  is(await client.DcmCloseHandleAsync(conn.outConnectionId!), rcOk);
  return got.outSessionHandle!;
}

/**
 * One call through callable `session` with INVALID_RIID and method `mid`, served on `listener`:
 * the server reads its context through base_.self. Returns the call's Retcode and the context.
 */
export async function callThrough(client: Process, server: Process, session: number, listener: number, v: number, mid = 0): Promise<{ rc: number; context: unknown; iid: number }> {
  const reply = inMsg();
  const call = client.CallAsync(session, outMsg(v, { riid: INVALID_RIID, mid }).hdr, reply.hdr);
  let context: unknown, iid = -1;
  const got = inMsg();
  // a Recv that a refused call leaves waiting is interrupted, so it cannot take the next call
  const sync = syncObject(server);
  const served = server.RecvExAsync(listener, got.hdr, INFINITE_TIMEOUT, sync).then((rc) => {
    if (rc !== rcOk) return;
    iid = new DataView(got.buf.buffer).getUint16(8, true);
    const desc = nk_msg_get_self(got.buf);
    const out: { badge?: unknown } = {};
    if (server.nk_get_badge_op(desc, OCAP_IPC_CALL, out) === 0) context = out.badge;
    const res = outMsg(valueOf(got) + 1);
    res.hdr.threadId = got.hdr.threadId;
    is(server.Reply(listener, res.hdr), rcOk);
  });
  const rc = await call;
  if (rc === rcOk) {
    await served;
    assert.is(valueOf(reply), v + 1);
  } else if (server.KnIpcSetInterrupt(sync) === rcOk) {
    await served;
  }
  server.KnHandleClose(sync);
  return { rc, context, iid };
}
