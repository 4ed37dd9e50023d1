// The SDK's echo, on kos-ipc: a client and a server process in one realm, one static channel.
import { Kernel, SMsgHdr, PackOutMsg, PackInMsg, nk_req_reset, nk_msg_set_method_id,
  nk_arena_init, nk_arena_store_string, nk_arena_get_string, retcodeName } from 'kos-ipc';

const kernel = await Kernel.create();
const server = kernel.createProcess('Server', { endpoints: { main: 'Echo' } });
const client = kernel.createProcess('Client');
kernel.connect('Client', 'Server', 'server_connection');      // init.yaml: connections

const sh = server.ServiceLocatorRegister('server_connection', null, 0);
const ch = client.ServiceLocatorConnect('server_connection');
const riid = client.ServiceLocatorGetRiid(ch, 'Server.main');

// client: Echo(in string<256> value) -> constant part 32 bytes (header + nk_ptr_t), arena 257
const req = new Uint8Array(32), reqArena = nk_arena_init(new Uint8Array(257));
nk_req_reset(req); nk_msg_set_method_id(req, riid, 0);
nk_arena_store_string(reqArena, req, 24, 'Hello from client to server!');
const msgReq = new SMsgHdr(); PackOutMsg(msgReq, req, reqArena);
const res = new Uint8Array(32), resArena = nk_arena_init(new Uint8Array(257));
const msgRes = new SMsgHdr(); PackInMsg(msgRes, res, resArena);
const call = client.CallAsync(ch, msgReq, msgRes);

// server: receive, answer with the text upper-cased
const sreq = new Uint8Array(32), sArena = nk_arena_init(new Uint8Array(257));
const msgIn = new SMsgHdr(); PackInMsg(msgIn, sreq, sArena);
console.log('Recv:', retcodeName(await server.RecvAsync(sh, msgIn)), 'from task', msgIn.sender);
const text = nk_arena_get_string(sArena, sreq, 24);
const sres = new Uint8Array(32), sresArena = nk_arena_init(new Uint8Array(257));
nk_req_reset(sres); nk_msg_set_method_id(sres, riid, 0);
nk_arena_store_string(sresArena, sres, 24, text.toUpperCase());
const msgOut = new SMsgHdr(); PackOutMsg(msgOut, sres, sresArena);
console.log('Reply:', retcodeName(server.Reply(sh, msgOut)));

console.log('Call:', retcodeName(await call), '->', nk_arena_get_string(resArena, res, 24));
await kernel.shutdown();
