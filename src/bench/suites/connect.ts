/**
 * What a new connection costs, up to and including its first call, in one realm with the Async
 * forms: the static channel's (ServiceLocatorConnect, which looks the channel up), the kernel's
 * connection manager's (KnCmConnect, KnCmListen, KnCmAccept, then closing both ends) and DCM's
 * (DcmCreateConnection, DcmListen, DcmAccept with a callable handle, DcmConnect, the DCM handles
 * closed, then the callable). Each sample is one whole connection and its first call, answered
 * by the server in the same loop.
 */
import { Kernel } from '../../kernel.js';
import type { Process } from '../../process.js';
import { rcOk, retcodeName, type Retcode } from '../../rtl/retcode.js';
import { INVALID_HANDLE, INFINITE_TIMEOUT } from '../../nk/types.js';
import { HANDLE_TYPE_USER_FIRST, OCAP_HANDLE_TRANSFER, OCAP_IPC_CALL } from '../../abi.js';
import { DCM_CONNECTION } from '../../dcm/constants.js';
import { measureAsync } from '../measure.js';
import { KosCall, KosServe } from '../kos_msgs.js';
import type { Measurement } from '../stats.js';
import type { RunContext } from '../context.js';

function ok(what: string, rc: Retcode): void {
  if (rc !== rcOk) throw new Error(`${what} returned ${retcodeName(rc)}`);
}

async function system(ctx: RunContext): Promise<{ k: Kernel; server: Process; client: Process }> {
  const k = await Kernel.create({ spin: 0 });
  ctx.defer(() => k.shutdown());
  return { k, server: k.createProcess('Server'), client: k.createProcess('Client') };
}

/** One call through `handle`, received and answered on `listener` by the server. */
async function firstCall(client: Process, server: Process, c: KosCall, s: KosServe, handle: number, listener: number): Promise<void> {
  c.before();
  const call = client.CallAsync(handle, c.out, c.inn);
  ok('RecvAsync', await server.RecvAsync(listener, s.hin));
  s.answer();
  ok('Reply', server.Reply(listener, s.hout));
  c.after(await call);
}

/** A static channel: the client looks it up (ServiceLocatorConnect) and calls. */
export async function connectStatic(ctx: RunContext, sizeBytes: number): Promise<Measurement> {
  const { k, server, client } = await system(ctx);
  k.connect(client, server, 'bench');
  const lh = server.ServiceLocatorRegister('bench', null, 0);
  const c = new KosCall(client, sizeBytes, false), s = new KosServe(server, sizeBytes, false);
  return (await measureAsync(async () => {
    await firstCall(client, server, c, s, client.ServiceLocatorConnect('bench'), lh);
  }, ctx.spec)).measurement;
}

/** KnCmConnect / KnCmListen / KnCmAccept on a new listener, a call, both ends closed. */
export async function connectKnCm(ctx: RunContext, sizeBytes: number): Promise<Measurement> {
  const { server, client } = await system(ctx);
  const c = new KosCall(client, sizeBytes, false), s = new KosServe(server, sizeBytes, false);
  const conn: { handle?: number } = {}, who: { client?: string; service?: string } = {}, acc: { handle?: number } = {};
  return (await measureAsync(async () => {
    const connecting = client.KnCmConnectAsync('Server', 'Server.echo', INFINITE_TIMEOUT, conn);
    ok('KnCmListenAsync', await server.KnCmListenAsync(null, INFINITE_TIMEOUT, who));
    ok('KnCmAccept', server.KnCmAccept(who.client!, who.service!, 0, INVALID_HANDLE, acc));
    ok('KnCmConnectAsync', await connecting);
    await firstCall(client, server, c, s, conn.handle!, acc.handle!);
    ok('KnHandleClose', client.KnHandleClose(conn.handle!));
    ok('KnHandleClose', server.KnHandleClose(acc.handle!));
  }, ctx.spec)).measurement;
}

/**
 * DCM: the client asks for a channel, the server listens and accepts with its callable handle,
 * the client gets it, both close their DCM handles, the client calls and closes its callable.
 */
export async function connectDcm(ctx: RunContext, sizeBytes: number): Promise<Measurement> {
  const { k, server, client } = await system(ctx);
  k.connect(server, DCM_CONNECTION, DCM_CONNECTION);
  k.connect(client, DCM_CONNECTION, DCM_CONNECTION);
  ok('DcmInitAsync', await server.DcmInitAsync());
  ok('DcmInitAsync', await client.DcmInitAsync());
  const pub: { outPubHandle?: number } = {};
  ok('DcmPublishEndpointAsync', await server.DcmPublishEndpointAsync('Server.echo', 'Echo', server.KosTaskGetHandle(server.KosTaskGetSelf()), pub));
  const sub: { outSubscrHandle?: number } = {};
  ok('DcmSetSubscriptionAsync', await client.DcmSetSubscriptionAsync('Echo', null, null, INVALID_HANDLE, sub));
  const note = { outServerHandle: INVALID_HANDLE };
  ok('DcmReadPubQueueAsync', await client.DcmReadPubQueueAsync(sub.outSubscrHandle!, 0, note));
  const l: { listener?: number } = {}, cal: { handle?: number } = {};
  ok('KnHandleCreateListener', server.KnHandleCreateListener(l));
  ok('KnHandleCreateUserObjectEx', server.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL | OCAP_HANDLE_TRANSFER, null, l.listener!, 0, cal));
  const self = client.KosTaskGetHandle(client.KosTaskGetSelf());
  const c = new KosCall(client, sizeBytes, false), s = new KosServe(server, sizeBytes, false);
  const conn: { outConnectionId?: number } = {}, req: { outConnectionId?: number } = {}, got: { outSessionHandle?: number } = {};
  return (await measureAsync(async () => {
    ok('DcmCreateConnectionAsync', await client.DcmCreateConnectionAsync('Echo', 'Server.echo', note.outServerHandle, self, conn));
    ok('DcmListenAsync', await server.DcmListenAsync(pub.outPubHandle!, INFINITE_TIMEOUT, req));
    ok('DcmAcceptAsync', await server.DcmAcceptAsync(req.outConnectionId!, cal.handle!, INVALID_HANDLE));
    ok('DcmCloseHandleAsync', await server.DcmCloseHandleAsync(req.outConnectionId!));
    ok('DcmConnectAsync', await client.DcmConnectAsync(conn.outConnectionId!, INFINITE_TIMEOUT, got));
    ok('DcmCloseHandleAsync', await client.DcmCloseHandleAsync(conn.outConnectionId!));
    await firstCall(client, server, c, s, got.outSessionHandle!, l.listener!);
    ok('KnHandleClose', client.KnHandleClose(got.outSessionHandle!));
  }, ctx.spec)).measurement;
}
