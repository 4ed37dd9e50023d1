// The KnCm client: asks Server for a channel to Server.echo (KnCmConnect), calls it, says "bye"
// and closes it, and connects again; then asks for a service the server does not offer.
import { KnCmConnect, KnHandleClose, retcodeName, rcOk } from 'kos-ipc';
import { call, say } from '../common/text.mjs';

for (const [service, lines] of [['Server.echo', ['hello', 'dynamic channel', 'bye']], ['Server.echo', ['once more', 'bye']], ['Server.other', []]]) {
  say(`Client: KnCmConnect("Server", "${service}")`);
  const got = {};
  const rc = KnCmConnect('Server', service, 1000, got);
  say(`Client: ${retcodeName(rc)}${rc === rcOk ? `, rsid ${got.rsid}` : ''}`);
  if (rc !== rcOk) continue;
  for (const line of lines) {
    const [rc2, answer] = call(got.handle, line);
    say(`Client: ${line} -> ${rc2 === rcOk ? answer : retcodeName(rc2)}`);
  }
  KnHandleClose(got.handle);
}
