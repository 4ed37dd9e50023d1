/**
 * kos-ipc: KasperskyOS IPC emulated for JavaScript. The root exports every public name; the
 * subpaths mirror the SDK headers (`kos-ipc/coresrv/syscalls` for `coresrv/syscalls.h`, ...).
 * Types first, then values, module by module.
 */
export type { KernelOptions, ProcessOptions, Endpoints } from './kernel.js';
export type { ProcessExit } from './process.js';
export type { InitDescription, InitEntity, InitConnection } from './init.js';
export type { Policy, PolicyRule, PolicyEvent } from './policy.js';
export type { Interfaces } from './shapes.js';
export type { Handle, nk_iid_t, nk_mid_t, nk_err_t, TaskId, Tid, nk_rights_t, nk_sid_t, nk_handle_desc_t } from './nk/types.js';
export type { EventDesc } from './notice_calls.js';
export type { KosTask } from './task.js';
export type { DcmHandle, DcmPubStatus } from './dcm/constants.js';
export type { KernelStats, KernelMemory } from './kernel.js';
export type { NkTypedArray, NkElementType } from './nk/arena.js';
export type { NkMessageField } from './nk/message_layout.js';
export type {
  DescriptorShape, MessageShape, MethodShapes, MessageKind, ShapeRule, ShapeCheck,
} from './nk/message_shape.js';
export type {
  IdlTypes, IdlParams, IdlMethod, RawMethod, IdlInterface, TypeLayout, FieldLayout, MessageLayout,
  MethodLayout, IdlUnion, StructLayout, UnionLayout,
} from './nk/idl_layout.js';
export type { Retcode } from './rtl/retcode.js';
export type {
  nk_transport, nk_transport_ops, nk_transport_call_fn, nk_transport_recv_fn, nk_transport_reply_fn,
  nk_transport_call_async_fn, nk_transport_recv_async_fn,
} from './nk/transport.js';

export { Kernel } from './kernel.js';
export { Process } from './process.js';
export { thisProcess } from './current.js';
export {
  Call, CallEx, Recv, RecvEx, Reply, CallAsync, CallExAsync, RecvAsync, RecvExAsync,
} from './coresrv/syscalls.js';
export { ServiceLocatorRegister, ServiceLocatorConnect, ServiceLocatorGetRiid } from './coresrv/sl/sl_api.js';
export {
  KnIpcCreateSyncObject, KnIpcCreateSyncObjectEx, KnIpcSetInterrupt, KnIpcClearInterrupt,
} from './coresrv/ipc/ipc_api.js';
export {
  KnHandleClose, KnHandleCreateUserObject, KnHandleCreateUserObjectEx, KnHandleCreateListener, KnHandleConnect,
  KnHandleCreateBadge, KnHandleCopy, KnHandleRevoke, KnHandleRevokeEx, KnHandleRevokeSubtree, KnHandleGetSidByHandle,
} from './coresrv/handle/handle_api.js';
export {
  KnNoticeCreate, KnNoticeSubscribeToObject, KnNoticeUnsubscribeFromEvent, KnNoticeUnsubscribeFromObject,
  KnNoticeGetEvent, KnNoticeGetEventAsync, KnNoticeSetObjectEvent, KnNoticeDropAndWake, NOTICE_COUNT_MAX,
} from './coresrv/handle/notice_api.js';
export { KosTaskGetSelf, KosTaskGetHandle } from './kos/task.js';
export {
  KnCmConnect, KnCmConnectAsync, KnCmListen, KnCmListenAsync, KnCmAccept, KnCmDrop,
} from './coresrv/cm/cm_api.js';
export {
  DcmInit, DcmInitAsync, DcmFini, DcmFiniAsync, DcmPublishEndpoint, DcmPublishEndpointAsync, DcmListen, DcmListenAsync,
  DcmAccept, DcmAcceptAsync, DcmSetSubscription, DcmSetSubscriptionAsync, DcmReadPubQueue, DcmReadPubQueueAsync,
  DcmCreateConnection, DcmCreateConnectionAsync, DcmConnect, DcmConnectAsync, DcmCloseHandle, DcmCloseHandleAsync,
  DcmInterruptBlockingCall, DcmInterruptBlockingCallAsync, DcmSubscribeToEvents, DcmSubscribeToEventsAsync,
  DcmUnsubscribeFromEvents, DCM_PUBLICATION_CHANGED, DCM_CLIENT_CONNECTED, DCM_BLOCKING_CALL_INTERRUPTED,
  DCM_CLIENT_RELEASED_BY_SERVER, DCM_EVENT_MASK, DCM_EVENT_ID, DCM_PUBLISHED, DCM_UNPUBLISHED, DCM_NAME_SIZE, DCM_CONNECTION,
} from './dcm/dcm_api.js';
export {
  OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID, OCAP_HANDLE_SET_EVENT, OCAP_HANDLE_GET_EVENT, OCAP_HANDLE_COPY,
  OCAP_IPC_CALL, OCAP_IPC_RECV, OCAP_IPC_LISTEN, OCAP_IPC_SYNC, OCAP_IPC_CLIENT, OCAP_IPC_LISTENER, OCAP_IPC_SERVER,
  OCAP_TASK_SELF, OCAP_RIGHTS_SAME, OCAP_HANDLE_SPEC,
} from './services/ocap.js';
export {
  EVENT_OBJECT_DESTROYED, EVENT_TASK_COMPLETED, EVENT_BADGE_CLOSED, EVENT_USER_MASK, OBJECT_EVENT_SPEC, OBJECT_EVENT_USER,
} from './handle/event_descr.js';
export { HANDLE_TYPE_USER_FIRST, HANDLE_TYPE_USER_LAST } from './handle/handletype.js';
export {
  SMsgHdr, PackOutMsg, PackInMsg, nk_req_reset, nk_err_reset, nk_msg_set_method_id, nk_msg_set_ncaps,
  nk_msg_check_err, nk_message_get_size, nk_message_set_size, nk_message_get_type, nk_message_make_req,
  nk_message_get_iid, nk_message_set_iid, nk_message_get_mid, nk_message_set_mid, nk_message_get_ncaps,
  nk_message_set_ncaps, nk_msg_set_handle, nk_msg_get_handle, nk_msg_get_self,
} from './services/rtl/nk_msg.js';
export {
  NK_ARENA_ALIGN, NkArena, nk_arena_init, nk_arena_reset, nk_arena_used, nk_arena_capacity,
  nk_arena_store, nk_arena_alloc, nk_arena_get, nk_arena_store_string, nk_arena_get_string,
} from './nk/arena.js';
export {
  INVALID_HANDLE, INVALID_RIID, INFINITE_TIMEOUT, NK_EOK, NK_EPERM, NK_ENOENT, NK_ENOMEM, NK_EINVAL,
  NK_EBADMSG, NK_EIO, NK_ENOSYS, NK_EMSGSIZE, NK_ENOTCONN, NK_ELOGIC_MAKE, NK_ELOGIC_CHECK, NK_ELOGIC_GET,
  nkErrorName, NK_NULL, NK_TRUE, NK_FALSE, NK_MESSAGE_SIZE, NK_PTR_SIZE, NK_HANDLE_DESC_SIZE,
  nk_handle_desc, nk_get_handle, nk_get_rights, nk_is_handle_dereferenced, nk_get_badge_op,
} from './nk/types.js';
export {
  NK_MESSAGE_FIELDS, NK_MSG_TYPE_REQ, NK_MSG_TYPE_ERR, NK_PTR_FIELDS, NK_PTR_ALIGN, NK_HANDLE_DESC_FIELDS,
  NK_HANDLE_DESC_DEREFERENCED,
} from './nk/message_layout.js';
export {
  MAX_SHAPE_DESCRIPTORS, NK_MAX_MESSAGE, validateMessageShape, checkMessageShape,
} from './nk/message_shape.js';
export {
  idlMessageLayout, idlMethodLayout, idlTypeLayout, idlStructLayout, idlUnionLayout, interfaceShapes, NK_UNION_TAG_SIZE,
} from './nk/idl_layout.js';
export {
  RC_CUSTOMER_FALSE, RC_CUSTOMER_TRUE, RC_SPACE_GENERAL, RC_SPACE_KERNEL, RC_SPACE_DRIVERS, MAKE_RETCODE,
  RC_GET_CUSTOMER, RC_GET_SPACE, RC_GET_FACILITY, RC_GET_CODE, rcOk, rcInvalidArgument, rcNotConnected,
  rcOutOfMemory, rcBufferTooSmall, rcInternalError, rcTransferError, rcReceiveError, rcSourceFault,
  rcTargetFault, rcIpcInterrupt, rcRestart, rcFail, rcNoCapability, rcNotReady, rcUnimplemented,
  rcBufferTooLarge, rcBusy, rcResourceNotFound, rcTimeout, rcSecurityDisallow, rcFutexWouldBlock, rcAbort,
  rcInvalidThreadState, rcAlreadyExists, rcInvalidOperation, rcHandleRevoked, rcQuotaExceeded,
  rcDeviceNotFound, retcodeName,
} from './rtl/retcode.js';
export {
  nk_transport_call, nk_transport_recv, nk_transport_reply, nk_transport_callAsync, nk_transport_recvAsync,
} from './nk/transport.js';
export { NkKosTransport, NkKosTransport_Init, kosTransportInit, nkErrorOf } from './coresrv/nk/transport-kos.js';
