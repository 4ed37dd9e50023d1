// The DCM server: publishes Server.echo (interface Echo) with its own task handle, listens for
// clients, refuses Mallory by name and accepts the others with one callable handle, each
// transfer tagged with a badge that carries the client's name. It answers a session's calls with
// the text upper-cased and, at its second call, revokes that session through its badge.
import {
  DcmInit, DcmPublishEndpoint, DcmListen, DcmAccept, DcmCloseHandle, KosTaskGetSelf, KosTaskGetHandle,
  KnHandleCreateListener, KnHandleCreateUserObjectEx, KnHandleCreateBadge, KnHandleRevokeSubtree,
  KnNoticeCreate, KnNoticeGetEvent, Recv, Reply, SMsgHdr, PackInMsg, nk_msg_get_self, nk_get_badge_op,
  rcOk, INFINITE_TIMEOUT, INVALID_HANDLE, HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL, OCAP_HANDLE_TRANSFER,
  EVENT_BADGE_CLOSED,
} from 'kos-ipc';
import { message, pack, text, say } from '../common/text.mjs';

DcmInit();
say('Server: publishing Server.echo (interface Echo)');
const pub = {};
DcmPublishEndpoint('Server.echo', 'Echo', KosTaskGetHandle(KosTaskGetSelf()), pub);

// the channel the sessions use: a listener, and one callable handle for endpoint 0 on it
const listener = {};
KnHandleCreateListener(listener);
const session = {};
KnHandleCreateUserObjectEx(HANDLE_TYPE_USER_FIRST, OCAP_IPC_CALL | OCAP_HANDLE_TRANSFER, 'Server.echo', listener.listener, 0, session);
const notice = {};
KnNoticeCreate(notice);

const req = message(), res = message();
const inn = new SMsgHdr(); PackInMsg(inn, req.buf, req.arena);
for (;;) {
  const request = { outClientName: '', outConnectionId: INVALID_HANDLE };
  if (DcmListen(pub.outPubHandle, INFINITE_TIMEOUT, request) !== rcOk) break;
  const client = request.outClientName;
  if (client === 'Mallory') {
    say(`Server: ${client} asks for Server.echo: refused`);
    DcmCloseHandle(request.outConnectionId);
    continue;
  }
  say(`Server: ${client} asks for Server.echo: accepted, with a badge`);
  const badge = {};
  KnHandleCreateBadge(notice.notice, 1, client, badge);
  DcmAccept(request.outConnectionId, session.handle, badge.handle);
  DcmCloseHandle(request.outConnectionId);
  for (let n = 1; n <= 2; n++) {
    if (Recv(listener.listener, inn) !== rcOk) break;
    const who = {};
    nk_get_badge_op(nk_msg_get_self(req.buf), OCAP_IPC_CALL, who);
    say(`Server: "${text(req)}" from ${who.badge}'s session`);
    if (n === 2) {
      say(`Server: that was ${who.badge}'s second call: revoking the session`);
      KnHandleRevokeSubtree(session.handle, badge.handle);
      const events = [], count = {};
      if (KnNoticeGetEvent(notice.notice, 0, 1, events, count) === rcOk && (events[0].eventMask & EVENT_BADGE_CLOSED)) {
        say(`Server: ${who.badge}'s session is closed`);
      }
    }
    const out = pack(res, text(req).toUpperCase());
    out.threadId = inn.threadId;
    Reply(listener.listener, out);
  }
}
