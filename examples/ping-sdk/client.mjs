// The SDK's ping client (client.c), line by line: a proxy over NkKosTransport calls Ping ten
// times, each time sending back the result it got. Runs in a worker (blocking calls).
import {
  ServiceLocatorConnect, ServiceLocatorGetRiid, NkKosTransport, NkKosTransport_Init, NK_NULL,
  INVALID_HANDLE, INVALID_RIID, rcOk,
} from 'kos-ipc';
import {
  echo_Ping_proxy, echo_Ping_proxy_init, echo_Ping_Ping, echo_Ping_Ping_req, echo_Ping_Ping_res,
} from './generated/echo/Ping.idl.js';

const EXAMPLE_VALUE_TO_SEND = 777;

console.log("Hello I'm client");

/* The client IPC handle of the connection named "server_connection". */
const handle = ServiceLocatorConnect('server_connection');
if (handle === INVALID_HANDLE) throw new Error('no channel "server_connection"');

/* IPC transport for interaction with the server. */
const transport = new NkKosTransport();
NkKosTransport_Init(transport, handle, NK_NULL, 0);

/* The RIID of endpoint ping_impl of component instance ping_comp. */
const riid = ServiceLocatorGetRiid(handle, 'ping_comp.ping_impl');
if (riid === INVALID_RIID) throw new Error('no endpoint "ping_comp.ping_impl"');

const proxy = new echo_Ping_proxy();
echo_Ping_proxy_init(proxy, transport.base, riid);

const req = new echo_Ping_Ping_req();
const res = new echo_Ping_Ping_res();

req.value = EXAMPLE_VALUE_TO_SEND;
for (let i = 0; i < 10; ++i) {
  /* The calling thread blocks until the server's response arrives. */
  if (echo_Ping_Ping(proxy.base, req, null, res, null) === rcOk) {
    console.log(`result = ${res.result}`);
    req.value = res.result;
  } else {
    console.log('Failed to call echo.Ping.Ping()');
  }
}
