// The SDK's echo client, on the generated proxy: sends a string to the server's main endpoint
// and prints the answer. Runs in a worker (blocking calls).
import {
  ServiceLocatorConnect, ServiceLocatorGetRiid, NkKosTransport, NkKosTransport_Init, NK_NULL,
  INVALID_HANDLE, INVALID_RIID, NK_EOK, nkErrorName, nk_arena_reset,
} from 'kos-ipc';
import {
  Echo_proxy, Echo_proxy_init, Echo_Echo, Echo_Echo_req, Echo_Echo_res,
} from './generated/Echo.idl.js';

const handle = ServiceLocatorConnect('server_connection');
if (handle === INVALID_HANDLE) throw new Error('no channel "server_connection"');
const transport = new NkKosTransport();
NkKosTransport_Init(transport, handle, NK_NULL, 0);

const riid = ServiceLocatorGetRiid(handle, 'Server.main');
if (riid === INVALID_RIID) throw new Error('no endpoint "Server.main"');
const proxy = new Echo_proxy();
Echo_proxy_init(proxy, transport.base, riid);

/* The request's arena (Echo_Echo_req_arena_size bytes) holds the string. */
const req = new Echo_Echo_req();
const res = new Echo_Echo_res();
for (const text of ['Hello from client to server!', 'KasperskyOS IPC in JavaScript']) {
  nk_arena_reset(req.arena_);
  req.value = text;
  const rc = Echo_Echo(proxy.base, req, req.arena_, res, res.arena_);
  if (rc !== NK_EOK) throw new Error(`Echo failed: ${nkErrorName(rc)}`);
  console.log(`Echo: ${res.result}`);
}
