// The return codes of docs/api/Dcm*.md and KnCm*.md that the behaviour files do not reach: each
// provoked once, in the order of the pages.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  rcOk, rcSecurityDisallow, rcHandleRevoked, rcInvalidArgument, rcInvalidOperation, rcNoCapability,
  INVALID_HANDLE, INFINITE_TIMEOUT, HANDLE_TYPE_USER_FIRST, OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID, OCAP_IPC_CALL,
  OCAP_IPC_RECV, DCM_CONNECTION, DCM_PUBLICATION_CHANGED, nk_msg_set_ncaps, nk_msg_set_handle, nk_msg_get_handle,
  nk_handle_desc, OCAP_RIGHTS_SAME, type Process,
} from 'kos-ipc';
import { outMsg, inMsg, newKernel, shutdownAll, is } from './helpers.js';
import { dcmSystem, taskHandle, publish, subscribe, drain, callable } from './dcm_helpers.js';

test.after.each(shutdownAll);

function userObject(p: Process, rights = OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_SID): number {
  const o: { handle?: number } = {};
  is(p.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, rights, null, o), rcOk);
  return o.handle!;
}

/** A request of `c` waiting at `pub` of `s`, received by `s`: its request handle and c's connection handle. */
async function listened(s: Process, c: Process, pub: number): Promise<{ req: number; conn: number }> {
  const sh = (await drain(c, await subscribe(c)))[0]!.server;
  const conn: { outConnectionId?: number } = {};
  is(await c.DcmCreateConnectionAsync('Echo', null, sh, taskHandle(c), conn), rcOk);
  const req: { outConnectionId?: number } = {};
  is(await s.DcmListenAsync(pub, 0, req), rcOk);
  return { req: req.outConnectionId!, conn: conn.outConnectionId! };
}

test('DcmInit: rcSecurityDisallow when the policy denies the request to DCM', async () => {
  const kernel = await newKernel({ policy: { default: 'grant', rules: [{ src: 'Client', dst: DCM_CONNECTION, iid: 0, mid: 1, decision: 'deny' }] } });
  const c = kernel.createProcess('Client');
  kernel.connect(c, DCM_CONNECTION, DCM_CONNECTION);
  is(await c.DcmInitAsync(), rcSecurityDisallow);
});

test('DcmPublishEndpoint: a revoked serverHandle gives rcHandleRevoked, a DCM handle rcInvalidArgument', async () => {
  const kernel = await newKernel();
  const s = kernel.createProcess('Server'), other = kernel.createProcess('Other');
  kernel.connect(s, DCM_CONNECTION, DCM_CONNECTION);
  kernel.connect(other, s, 'give');
  is(await s.DcmInitAsync(), rcOk);
  // a handle of Other's object in Server's table, then revoked by Other
  const h = userObject(other);
  const req = outMsg(0, { size: 64 });
  nk_msg_set_ncaps(req.buf, 1);
  nk_msg_set_handle(req.buf, 0, nk_handle_desc(h, OCAP_RIGHTS_SAME));
  const reply = inMsg();
  const call = other.CallAsync(other.ServiceLocatorConnect('give'), req.hdr, reply.hdr);
  const got = inMsg(64);
  const l = s.ServiceLocatorRegister('give', null, 0);
  is(await s.RecvAsync(l, got.hdr), rcOk);
  const res = outMsg(0); res.hdr.threadId = got.hdr.threadId;
  is(s.Reply(l, res.hdr), rcOk);
  is(await call, rcOk);
  const received = nk_msg_get_handle(got.buf, 0).handle;
  is(other.KnHandleRevokeEx(h, false), rcOk);
  is(await s.DcmPublishEndpointAsync('e', 'Echo', received, {}), rcHandleRevoked);
  const sub = await subscribe(s);
  is(await s.DcmPublishEndpointAsync('e', 'Echo', sub, {}), rcInvalidArgument);
});

test('DcmAccept: a sessionHandle without OCAP_HANDLE_TRANSFER gives rcSecurityDisallow; a bad badge rcInvalidArgument, a handle that is not a badge rcInvalidOperation', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!;
  const pub = await publish(s, 'e');
  const { req } = await listened(s, p.Client!, pub);
  const l: { listener?: number } = {};
  is(s.KnHandleCreateListener(l), rcOk);
  const weak: { handle?: number } = {};
  is(s.KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL, null, l.listener!, 0, weak), rcOk);
  is(await s.DcmAcceptAsync(req, weak.handle!, INVALID_HANDLE), rcSecurityDisallow);
  const { callable: cal } = callable(s);
  is(await s.DcmAcceptAsync(req, cal, 0x1234), rcInvalidArgument);
  is(await s.DcmAcceptAsync(req, cal, userObject(s)), rcInvalidOperation);
  is(await s.DcmAcceptAsync(req, cal, INVALID_HANDLE), rcOk, 'none of those changed anything');
});

test('DcmConnect: rcHandleRevoked when the server revoked the session before it reached the client', async () => {
  const { p } = await dcmSystem('Server', 'Client');
  const s = p.Server!, c = p.Client!;
  const pub = await publish(s, 'e');
  const { req, conn } = await listened(s, c, pub);
  const { callable: cal } = callable(s);
  const n: { notice?: number } = {};
  is(s.KnNoticeCreate(n), rcOk);
  const b: { handle?: number } = {};
  is(s.KnHandleCreateBadge(n.notice!, 1, null, b), rcOk);
  is(await s.DcmAcceptAsync(req, cal, b.handle!), rcOk);
  is(s.KnHandleRevokeSubtree(cal, b.handle!), rcOk);
  const out: { outSessionHandle?: number } = {};
  is(await c.DcmConnectAsync(conn, 0, out), rcHandleRevoked);
  assert.is(out.outSessionHandle, INVALID_HANDLE);
});

test('DcmSubscribeToEvents: a notice that is not a notice receiver gives rcInvalidOperation', async () => {
  const { p } = await dcmSystem('Client');
  const sub = await subscribe(p.Client!);
  is(await p.Client!.DcmSubscribeToEventsAsync(sub, userObject(p.Client!), DCM_PUBLICATION_CHANGED), rcInvalidOperation);
});

test('KnCmConnect: a process whose own name is longer than 48 bytes gives rcInvalidArgument', async () => {
  const kernel = await newKernel();
  kernel.createProcess('Server');
  const long = kernel.createProcess('L'.repeat(49));
  is(await long.KnCmConnectAsync('Server', 'svc', 10, {}), rcInvalidArgument);
});

test('KnCmAccept: a revoked listener gives rcHandleRevoked, one without OCAP_IPC_LISTEN rcNoCapability', async () => {
  const kernel = await newKernel();
  const owner = kernel.createProcess('Owner'), server = kernel.createProcess('Server'), client = kernel.createProcess('Client');
  kernel.connect(owner, server, 'give');
  const l: { listener?: number } = {};
  is(owner.KnHandleCreateListener(l), rcOk);
  const give = async (rights: number): Promise<number> => {
    const req = outMsg(0, { size: 64 });
    nk_msg_set_ncaps(req.buf, 1);
    nk_msg_set_handle(req.buf, 0, nk_handle_desc(l.listener!, rights));
    const reply = inMsg();
    const call = owner.CallAsync(owner.ServiceLocatorConnect('give'), req.hdr, reply.hdr);
    const got = inMsg(64);
    const sl = server.ServiceLocatorRegister('give', null, 0);
    is(await server.RecvAsync(sl, got.hdr), rcOk);
    const res = outMsg(0); res.hdr.threadId = got.hdr.threadId;
    is(server.Reply(sl, res.hdr), rcOk);
    is(await call, rcOk);
    return nk_msg_get_handle(got.buf, 0).handle;
  };
  const narrow = await give(OCAP_IPC_RECV | OCAP_HANDLE_TRANSFER);
  const full = await give(OCAP_RIGHTS_SAME);
  const pending = client.KnCmConnectAsync('Server', 'svc', INFINITE_TIMEOUT, {});
  is(await server.KnCmListenAsync(null, INFINITE_TIMEOUT, {}), rcOk);
  is(server.KnCmAccept('Client', 'svc', 0, narrow, {}), rcNoCapability);
  is(owner.KnHandleRevokeEx(l.listener!, false), rcOk);
  is(server.KnCmAccept('Client', 'svc', 0, full, {}), rcHandleRevoked);
  is(server.KnCmAccept('Client', 'svc', 0, INVALID_HANDLE, {}), rcOk);
  is(await pending, rcOk);
});

test.run();
