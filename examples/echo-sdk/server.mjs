// The SDK's echo server, on the generated dispatcher: its Echo method answers with the string
// upper-cased; the recv / dispatch / reply loop runs over NkKosTransport in a worker until the
// kernel shuts down.
import {
  ServiceLocatorRegister, NkKosTransport, NkKosTransport_Init, NK_NULL, NK_EOK, NK_EBADMSG,
  INVALID_HANDLE, nk_req_reset, nk_arena_reset, nk_transport_recv, nk_transport_reply,
} from 'kos-ipc';
import {
  Server_entity, Server_entity_init, Server_entity_dispatch, Server_entity_req, Server_entity_res,
} from './generated/Server.edl.js';

/* The Echo method: a request whose string cannot be read is a bad message. */
function Echo_impl(self, req, reqArena, res, resArena) {
  const text = req.value;
  if (text === null) return NK_EBADMSG;
  res.result = text.toUpperCase();
  return NK_EOK;
}

const handle = ServiceLocatorRegister('server_connection', null, 0);
if (handle === INVALID_HANDLE) throw new Error('no channel "server_connection"');
const transport = new NkKosTransport();
NkKosTransport_Init(transport, handle, NK_NULL, 0);

const req = new Server_entity_req();
const res = new Server_entity_res();
const entity = new Server_entity();
Server_entity_init(entity, { ops: { Echo: Echo_impl } });

for (;;) {
  nk_req_reset(req.base_);
  nk_arena_reset(req.arena_);
  nk_arena_reset(res.arena_);
  if (nk_transport_recv(transport.base, req.base_, req.arena_) !== NK_EOK) break;
  Server_entity_dispatch(entity, req.base_, req.arena_, res.base_, res.arena_);
  nk_transport_reply(transport.base, res.base_, res.arena_);
}
