// The SDK's ping server (server.c), line by line: a Ping implementation that adds its step,
// the echo.Server entity with one echo.Ping component, and the recv / dispatch / reply loop
// over NkKosTransport. Runs in a worker (blocking calls) until the kernel shuts down.
import {
  ServiceLocatorRegister, NkKosTransport, NkKosTransport_Init, NK_NULL, NK_EOK, INVALID_HANDLE,
  nk_req_reset, nk_transport_recv, nk_transport_reply,
} from 'kos-ipc';
import { echo_Ping_component, echo_Ping_component_init } from './generated/echo/Ping.cdl.js';
import {
  echo_Server_entity, echo_Server_entity_init, echo_Server_entity_dispatch, echo_Server_entity_req,
  echo_Server_entity_res,
} from './generated/echo/Server.edl.js';

/* The Ping method: result = value + step. */
function Ping_impl(self, req, reqArena, res, resArena) {
  res.result = req.value + self.step;
  return NK_EOK;
}

/* An object implementing the echo.Ping interface. */
function CreateIPingImpl(step) {
  return { ops: { Ping: Ping_impl }, step };
}

const handle = ServiceLocatorRegister('server_connection', null, 0);
if (handle === INVALID_HANDLE) throw new Error('no channel "server_connection"');

const transport = new NkKosTransport();
NkKosTransport_Init(transport, handle, NK_NULL, 0);

const req = new echo_Server_entity_req();
const res = new echo_Server_entity_res();

const component = new echo_Ping_component();
echo_Ping_component_init(component, CreateIPingImpl(3));
const entity = new echo_Server_entity();
echo_Server_entity_init(entity, component);

for (;;) {
  nk_req_reset(req.base_);
  /* Wait for a request; it fails when the kernel shuts down. */
  if (nk_transport_recv(transport.base, req.base_, req.arena_) !== NK_EOK) break;
  echo_Server_entity_dispatch(entity, req.base_, req.arena_, res.base_, res.arena_);
  nk_transport_reply(transport.base, res.base_, res.arena_);
}
