// The resource consumer of the SDK's OCap scenario, on the generated proxies. It hands the
// provider its task handle, opens the resource twice, uses the first handle, drops the second
// one itself, has the first one closed by the provider (CloseResource revokes it), and finds it
// revoked. Runs in a worker (blocking calls).
import {
  ServiceLocatorConnect, ServiceLocatorGetRiid, Call, SMsgHdr, PackOutMsg, PackInMsg, nkErrorOf, nkErrorName,
  nk_handle_desc, nk_get_handle, nk_get_rights, KosTaskGetSelf, KosTaskGetHandle, KnHandleClose,
  INVALID_HANDLE, INVALID_RIID, NK_EOK, rcOk, retcodeName,
} from 'kos-ipc';
import {
  SimpleOCap_proxy, SimpleOCap_proxy_init, SimpleOCap_OpenResource, SimpleOCap_OpenResource_req,
  SimpleOCap_OpenResource_res, SimpleOCap_UseResource, SimpleOCap_UseResource_req, SimpleOCap_UseResource_res,
  SimpleOCap_CloseResource, SimpleOCap_CloseResource_req, SimpleOCap_CloseResource_res,
} from './generated/SimpleOCap.idl.js';
import { TaskWatch_proxy, TaskWatch_proxy_init, TaskWatch_Watch, TaskWatch_Watch_req, TaskWatch_Watch_res } from './generated/TaskWatch.idl.js';
import { rightsName, log } from './resource.mjs';

const channel = ServiceLocatorConnect('provider_connection');
if (channel === INVALID_HANDLE) throw new Error('no channel "provider_connection"');

/* The proxies' transport: Call on the channel. It keeps the kernel's Retcode of the last call,
 * for the trace: the nk_err_t of a Retcode that has none of its own (rcHandleRevoked) is NK_EIO. */
let lastRc = rcOk;
const msgOut = new SMsgHdr(), msgIn = new SMsgHdr();
const transport = {
  ops: {
    call(t, req, reqArena, res, resArena) {
      PackOutMsg(msgOut, req, reqArena);
      PackInMsg(msgIn, res, resArena);
      lastRc = Call(channel, msgOut, msgIn);
      return nkErrorOf(lastRc);
    },
  },
};

function proxy(Proxy, init, endpoint) {
  const riid = ServiceLocatorGetRiid(channel, endpoint);
  if (riid === INVALID_RIID) throw new Error(`no endpoint "${endpoint}"`);
  const p = new Proxy();
  init(p, transport, riid);
  return p;
}
const resource = proxy(SimpleOCap_proxy, SimpleOCap_proxy_init, 'Provider.resource');
const watch = proxy(TaskWatch_proxy, TaskWatch_proxy_init, 'Provider.watch');

function ok(what, err) {
  if (err !== NK_EOK) throw new Error(`${what} returned ${nkErrorName(err)} (${retcodeName(lastRc)})`);
}

/* Watch: my own task handle goes to the provider (a transfer: the provider gets a descendant). */
const wreq = new TaskWatch_Watch_req(), wres = new TaskWatch_Watch_res();
wreq.task = nk_handle_desc(KosTaskGetHandle(KosTaskGetSelf()));
ok('Watch', TaskWatch_Watch(watch.base, wreq, null, wres, null));
log('consumer: Watch(KosTaskGetHandle(KosTaskGetSelf())) -> NK_EOK');

/* OpenResource: the response carries a descendant of the provider's resource handle. */
function open(id) {
  const req = new SimpleOCap_OpenResource_req(), res = new SimpleOCap_OpenResource_res();
  req.ID = id;
  ok('OpenResource', SimpleOCap_OpenResource(resource.base, req, null, res, null));
  const h = nk_get_handle(res.handle);
  log(`consumer: OpenResource(${id}) -> NK_EOK: a handle with rights ${rightsName(nk_get_rights(res.handle))}`);
  return h;
}

/* UseResource: the handle goes back to its provider (a dereference). */
function use(h, param) {
  const req = new SimpleOCap_UseResource_req(), res = new SimpleOCap_UseResource_res();
  req.handle = nk_handle_desc(h);
  req.param = param;
  const err = SimpleOCap_UseResource(resource.base, req, null, res, null);
  log(`consumer: UseResource(handle, ${param}) -> ${nkErrorName(err)}` +
    (err === NK_EOK ? `: result ${res.result}` : `: Call returned ${retcodeName(lastRc)}`));
}

const first = open(1);
use(first, 21);
const second = open(1);

/* The second handle is dropped without CloseResource: its badge's transfer subtree empties. */
log('consumer: KnHandleClose(second handle)');
if (KnHandleClose(second) !== rcOk) throw new Error('KnHandleClose failed');

const creq = new SimpleOCap_CloseResource_req(), cres = new SimpleOCap_CloseResource_res();
creq.handle = nk_handle_desc(first);
ok('CloseResource', SimpleOCap_CloseResource(resource.base, creq, null, cres, null));
log('consumer: CloseResource(first handle) -> NK_EOK');

/* The first handle is revoked: every call with it fails, until it is closed. */
use(first, 22);
log(`consumer: KnHandleClose(first handle) -> ${retcodeName(KnHandleClose(first))}`);
log('consumer: ends');
