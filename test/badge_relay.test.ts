// A badge travels with the subtree its transfer started, also when a relay closes its own copy
// (docs/dcm.md, "A relay and a badge"): DCM passes a server's callable to a client this way.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  rcOk, rcHandleRevoked, HANDLE_TYPE_USER_FIRST, OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID, OCAP_RIGHTS_SAME,
  EVENT_BADGE_CLOSED, nk_msg_set_ncaps, nk_msg_set_handle, nk_msg_get_handle, nk_handle_desc, type Process,
} from 'kos-ipc';
import { outMsg, inMsg, newKernel, shutdownAll, is } from './helpers.js';

test.after.each(shutdownAll);

/** Sends `h` (with `badge`) from `from` to `to` over channel `id`: the handle `to` receives. */
async function send(from: Process, to: Process, id: string, h: number, badge = 0): Promise<number> {
  const req = outMsg(0, { size: 64 });
  nk_msg_set_ncaps(req.buf, 1);
  nk_msg_set_handle(req.buf, 0, nk_handle_desc(h, OCAP_RIGHTS_SAME, badge));
  const reply = inMsg();
  const call = from.CallAsync(from.ServiceLocatorConnect(id), req.hdr, reply.hdr);
  const got = inMsg(64);
  const l = to.ServiceLocatorRegister(id, null, 0);
  is(await to.RecvAsync(l, got.hdr), rcOk);
  const res = outMsg(0);
  res.hdr.threadId = got.hdr.threadId;
  is(to.Reply(l, res.hdr), rcOk);
  is(await call, rcOk);
  return nk_msg_get_handle(got.buf, 0).handle;
}

test('a relay that passes a badged handle on and closes its copy leaves the badge on the next holder', async () => {
  const kernel = await newKernel();
  const a = kernel.createProcess('A'), relay = kernel.createProcess('Relay'), c = kernel.createProcess('C');
  kernel.connect(a, relay, 'ar');
  kernel.connect(relay, c, 'rc');
  const res: { handle?: number } = {};
  is(a.KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST, OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_SID, 'resource', res), rcOk);
  const n: { notice?: number } = {};
  is(a.KnNoticeCreate(n), rcOk);
  const b: { handle?: number } = {};
  is(a.KnHandleCreateBadge(n.notice!, 7, 'for C', b), rcOk);
  const inRelay = await send(a, relay, 'ar', res.handle!, b.handle!);
  const inC = await send(relay, c, 'rc', inRelay);
  is(relay.KnHandleClose(inRelay), rcOk);
  const sid: { sid?: number } = {};
  is(c.KnHandleGetSidByHandle(inC, sid), rcOk);
  is(a.KnHandleRevokeSubtree(res.handle!, b.handle!), rcOk);
  is(c.KnHandleGetSidByHandle(inC, sid), rcHandleRevoked, 'C\'s copy was in the badge\'s subtree');
  const events: { eventId: number; eventMask: number }[] = [];
  const count: { count?: number } = {};
  is(await a.KnNoticeGetEventAsync(n.notice!, 0, 4, events, count), rcOk);
  assert.equal(events.slice(0, count.count).map((e) => [e.eventId, (e.eventMask & EVENT_BADGE_CLOSED) !== 0]), [[7, true]]);
});

test.run();
