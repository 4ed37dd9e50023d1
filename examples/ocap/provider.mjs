// The resource provider of the SDK's OCap scenario (libkos_handles_simple_scenario), on the
// generated dispatcher. It owns one user resource; each OpenResource hands the consumer a
// descendant of the resource's handle, tagged with a new badge (a resource transfer context)
// whose context is the provider's per-client state. A handle sent back is a dereference: the
// provider gets its own handle and that state back. CloseResource revokes the consumer's
// subtree. A notice receiver reports what happens to the badges and to the consumer's task.
import {
  ServiceLocatorRegister, NkKosTransport, NkKosTransport_Init, NK_NULL, NK_EOK, NK_EPERM, INVALID_HANDLE,
  nk_req_reset, nk_transport_recvAsync, nk_transport_reply, nk_handle_desc, nk_get_handle, nk_get_rights,
  nk_is_handle_dereferenced, nk_get_badge_op, nkErrorName, KnHandleCreateUserObject, KnHandleCreateBadge,
  KnHandleRevokeSubtree, KnHandleClose, KnNoticeCreate, KnNoticeSubscribeToObject, KnNoticeGetEvent,
  KnNoticeGetEventAsync, HANDLE_TYPE_USER_FIRST, OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID,
  EVENT_BADGE_CLOSED, EVENT_TASK_COMPLETED, INFINITE_TIMEOUT, rcOk, rcTimeout, retcodeName,
} from 'kos-ipc';
import {
  Provider_entity, Provider_entity_init, Provider_entity_dispatch, Provider_entity_req, Provider_entity_res,
} from './generated/Provider.edl.js';
import { RESOURCE_USE, rightsName, eventName, log } from './resource.mjs';

function ok(what, rc) {
  if (rc !== rcOk) throw new Error(`${what} returned ${retcodeName(rc)}`);
  return rc;
}

/* The resource: its context, and its handle, the root of its inheritance tree. */
const lamp = { id: 1, name: 'lamp', uses: 0 };
const created = {};
ok('KnHandleCreateUserObject', KnHandleCreateUserObject(HANDLE_TYPE_USER_FIRST,
  OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_SID | RESOURCE_USE, lamp, created));
const resourceHandle = created.handle;
log(`provider: KnHandleCreateUserObject(resource "${lamp.name}") -> rcOk, rights ${rightsName(OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_SID | RESOURCE_USE)}`);

/* The notice receiver: entry 0 is the consumer's task, entry n the badge of client n. */
const receiver = {};
ok('KnNoticeCreate', KnNoticeCreate(receiver));
const notice = receiver.notice;
const TASK_ENTRY = 0;
const clients = new Map();   // entry id -> { client, resource, badge }: the transfer contexts
let consumerEnded = false;

/* SimpleOCap.OpenResource: a new badge for this transfer, and the resource handle with it. */
function OpenResource(self, req, reqArena, res, resArena) {
  if (req.ID !== lamp.id) return NK_EPERM;
  const client = self.next++;
  const transfer = { client, resource: lamp, badge: INVALID_HANDLE };
  const badge = {};
  ok('KnHandleCreateBadge', KnHandleCreateBadge(notice, client, transfer, badge));
  transfer.badge = badge.handle;
  clients.set(client, transfer);
  res.handle = nk_handle_desc(resourceHandle, OCAP_HANDLE_TRANSFER | RESOURCE_USE, transfer.badge);
  log(`provider: OpenResource(${req.ID}): KnHandleCreateBadge(entry ${client}) -> rcOk; the handle goes with rights ${rightsName(nk_get_rights(res.handle))} and badge ${client}`);
  return NK_EOK;
}

/* The transfer context of a handle the consumer sent back, when it may do `operation`. */
function transferOf(method, desc, operation) {
  const dereferenced = nk_is_handle_dereferenced(desc) !== 0;
  const got = {};
  const err = nk_get_badge_op(desc, operation, got);
  const own = nk_get_handle(desc) === resourceHandle ? 'its own resource handle' : 'another handle';
  log(`provider: ${method}: ${dereferenced ? `dereferenced (${own} came back)` : 'transferred'}, rights ${rightsName(nk_get_rights(desc))}; ` +
    `nk_get_badge_op(RESOURCE_USE) -> ${nkErrorName(err)}${err === NK_EOK ? `: client ${got.badge.client} of "${got.badge.resource.name}"` : ''}`);
  return err === NK_EOK ? got.badge : null;
}

/* SimpleOCap.UseResource: result = param * 2, for a holder of RESOURCE_USE. */
function UseResource(self, req, reqArena, res, resArena) {
  const transfer = transferOf('UseResource', req.handle, RESOURCE_USE);
  if (transfer === null) return NK_EPERM;
  transfer.resource.uses++;
  res.result = (req.param * 2) & 0xff;
  return NK_EOK;
}

/* SimpleOCap.CloseResource: revokes the consumer's subtree of this transfer, drops the badge. */
function CloseResource(self, req, reqArena, res, resArena) {
  const transfer = transferOf('CloseResource', req.handle, RESOURCE_USE);
  if (transfer === null) return NK_EPERM;
  const rc = KnHandleRevokeSubtree(resourceHandle, transfer.badge);
  const closed = KnHandleClose(transfer.badge);
  clients.delete(transfer.client);
  log(`provider: CloseResource: KnHandleRevokeSubtree(resource, badge ${transfer.client}) -> ${retcodeName(rc)}; KnHandleClose(badge ${transfer.client}) -> ${retcodeName(closed)}`);
  return NK_EOK;
}

/* TaskWatch.Watch: subscribes the receiver to the end of the task whose handle came. */
function Watch(self, req, reqArena, res, resArena) {
  const task = nk_get_handle(req.task);
  const rc = KnNoticeSubscribeToObject(notice, task, EVENT_TASK_COMPLETED, TASK_ENTRY);
  log(`provider: Watch: the consumer's task handle came by transfer; KnNoticeSubscribeToObject(EVENT_TASK_COMPLETED, entry ${TASK_ENTRY}) -> ${retcodeName(rc)}`);
  return NK_EOK;
}

/* What the receiver reports: a client's badge closed frees its state; the task's end ends the provider. */
function report(events, count) {
  for (const { eventId, eventMask } of events.slice(0, count)) {
    if (eventId === TASK_ENTRY) {
      log(`provider: notice: entry ${eventId} (the consumer's task): ${eventName(eventMask)}`);
      consumerEnded = true;
      continue;
    }
    const transfer = clients.get(eventId);
    if ((eventMask & EVENT_BADGE_CLOSED) !== 0 && transfer !== undefined) {
      clients.delete(eventId);
      log(`provider: notice: entry ${eventId}: ${eventName(eventMask)}: every handle of client ${eventId} is gone; KnHandleClose(badge ${eventId}) -> ${retcodeName(KnHandleClose(transfer.badge))}`);
    } else {
      log(`provider: notice: entry ${eventId}: ${eventName(eventMask)}`);
    }
  }
}

/* Takes and reports every notification pending now (closing a badge may post another). */
const events = [];
function drain() {
  const got = {};
  for (;;) {
    const rc = KnNoticeGetEvent(notice, 0, 8, events, got);
    if (rc === rcTimeout) return;
    ok('KnNoticeGetEvent', rc);
    report(events, got.count);
  }
}

const handle = ServiceLocatorRegister('provider_connection', null, 0);
if (handle === INVALID_HANDLE) throw new Error('no channel "provider_connection"');
const transport = new NkKosTransport();
NkKosTransport_Init(transport, handle, NK_NULL, 0);
const entity = new Provider_entity();
Provider_entity_init(entity, { ops: { OpenResource, UseResource, CloseResource }, next: 1 }, { ops: { Watch } });
const req = new Provider_entity_req();
const res = new Provider_entity_res();

/* The server loop. It reports first what the consumer did before this request, and before it
 * replies what the request caused, so the trace follows the order of events. */
async function serve() {
  for (;;) {
    nk_req_reset(req.base_);
    if (await nk_transport_recvAsync(transport.base, req.base_, req.arena_) !== NK_EOK) return;
    drain();
    Provider_entity_dispatch(entity, req.base_, req.arena_, res.base_, res.arena_);
    drain();
    const err = nk_transport_reply(transport.base, res.base_, res.arena_);
    if (err !== NK_EOK) throw new Error(`reply: ${nkErrorName(err)}`);
  }
}

/* The receiver's loop, for what happens between requests; ends with the consumer. */
async function watchNotices() {
  const mine = [], got = {};
  while (!consumerEnded) {
    ok('KnNoticeGetEventAsync', await KnNoticeGetEventAsync(notice, INFINITE_TIMEOUT, 8, mine, got));
    report(mine, got.count);
    drain();
  }
  /* Closing the listener ends the pending Recv (rcNotConnected), so the server loop returns. */
  log(`provider: KnHandleClose(listener) -> ${retcodeName(KnHandleClose(handle))}; the provider ends`);
}

/* The worker stays alive while an Async call of its process waits, then ends with its loops. */
await Promise.all([serve(), watchNotices()]);
