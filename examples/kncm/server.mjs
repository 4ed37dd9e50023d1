// The KnCm server: waits for connection requests (KnCmListen), drops those for services it does
// not offer (KnCmDrop), accepts the others on a new listener each (KnCmAccept), answers that
// channel's calls with the text upper-cased until the client says "bye", then closes its end.
import { KnCmListen, KnCmAccept, KnCmDrop, KnHandleClose, Recv, Reply, SMsgHdr, PackInMsg, rcOk, INFINITE_TIMEOUT, INVALID_HANDLE } from 'kos-ipc';
import { message, pack, text, say } from '../common/text.mjs';

const req = message(), res = message();
const inn = new SMsgHdr(); PackInMsg(inn, req.buf, req.arena);
for (;;) {
  const who = {};
  if (KnCmListen(null, INFINITE_TIMEOUT, who) !== rcOk) break;
  if (who.service !== 'Server.echo') {
    say(`Server: ${who.client} asks for ${who.service}: dropped`);
    KnCmDrop(who.client, who.service);
    continue;
  }
  say(`Server: ${who.client} asks for ${who.service}: accepted`);
  const accepted = {};
  KnCmAccept(who.client, who.service, 0, INVALID_HANDLE, accepted);
  for (let line = ''; line !== 'bye' && Recv(accepted.handle, inn) === rcOk;) {
    line = text(req);
    const out = pack(res, line.toUpperCase());
    out.threadId = inn.threadId;
    Reply(accepted.handle, out);
  }
  KnHandleClose(accepted.handle);
}
