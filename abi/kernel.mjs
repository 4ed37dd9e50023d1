// The kernel core's ABI: the one declaration both sides are generated from.
//
// scripts/gen-abi.mjs reads this module and writes assembly/abi.ts (for the core) and
// src/abi.ts (for the TypeScript layer); `npm run build` runs it first. Nothing here is typed
// twice: statuses, limits, the host-visible layouts and the exports with their parameters and
// result words are declared once, and test/abi.test.ts checks the built module against it.
//
// The calling convention (docs/architecture.md, "The system-call interface"):
// - every export returns one i32 status from `statuses`;
// - its first parameter is the caller: a Tid (a thread of a process) or ADMIN (the realm that
//   owns the Kernel; in a worker realm, its boot thread's Tid stands for it);
// - values come back in the result words of the caller's record (`results` below): a thread's
//   record, or the admin record for ADMIN;
// - ST_LOCK_BUSY means nothing was done: wait on the lock word and call again.

/** Status codes: the first element of each entry is its value's name, the second the Retcode it
 * becomes at the API (null: never reaches the API as a code), the third what it means. */
export const statuses = [
  ['ST_OK', 'rcOk', 'done'],
  ['ST_WOULD_BLOCK', null, 'the caller must wait on its wait cell, then read the status (T_STATUS, or k_finish), or stop waiting with k_cancel'],
  ['ST_INVALID_MSG', 'rcInvalidArgument', 'malformed message: header size, lengths, a descriptor, a response that does not fit'],
  ['ST_BAD_HANDLE', 'rcInvalidArgument', 'the handle value names no live entry of the caller\'s handle table'],
  ['ST_WRONG_TYPE', 'rcInvalidOperation', 'the handle names an object of the wrong kind for this call'],
  ['ST_NO_RIGHTS', 'rcNoCapability', 'the handle\'s rights do not allow this call'],
  ['ST_NOT_CONNECTED', 'rcNotConnected', 'the peer end of the channel is gone'],
  ['ST_TIMEOUT', 'rcTimeout', 'the wait timed out'],
  ['ST_INTERRUPTED', 'rcIpcInterrupt', 'interrupted through an IPC sync object'],
  ['ST_DENIED', 'rcSecurityDisallow', 'the security policy denied the message'],
  ['ST_NO_MEMORY', 'rcOutOfMemory', 'kernel memory is exhausted'],
  ['ST_LOCK_BUSY', null, 'the kernel lock is held by another thread: nothing was done, call again'],
  ['ST_DEADLOCK', null, 'a blocking call whose only possible peers run on the caller\'s own thread (the layer throws)'],
  ['ST_NO_CALL', 'rcInvalidArgument', 'Reply: no received call matches (nothing received, or an unknown threadId)'],
  ['ST_CALLER_GONE', 'rcNotConnected', 'Reply: the caller stopped waiting (timed out, interrupted or ended)'],
  ['ST_TOO_LARGE', 'rcBufferTooLarge', 'message larger than MAX_MESSAGE'],
  ['ST_QUOTA', 'rcQuotaExceeded', 'a kernel table is full'],
  ['ST_DEAD', 'rcNotConnected', 'the calling thread or its process is ending or ended'],
  ['ST_BAD_ARG', 'rcInvalidArgument', 'a bad argument other than a handle or a message (an index, a name, a thread state)'],
  ['ST_EXISTS', 'rcAlreadyExists', 'a name is already registered'],
  ['ST_IN_USE', 'rcBusy', 'process.free: a call in flight still uses the buffer in place'],
  ['ST_NOT_FOUND', 'rcResourceNotFound', 'a name (channel, endpoint) or a context is not known'],
  ['ST_REVOKED', 'rcHandleRevoked', 'the handle was revoked: every call with it fails until it is closed'],
  ['ST_TRANSFER_DENIED', 'rcSecurityDisallow', 'a handle in the message may not be transferred so: no OCAP_HANDLE_TRANSFER, or rights wider than the sender\'s'],
  ['ST_NOT_PERMITTED', 'rcInvalidOperation', 'the object does not allow this operation from this caller (a process closing its own task handle)'],
  ['ST_ABORTED', 'rcAbort', 'the wait was ended by KnNoticeDropAndWake'],
];

/** Fixed sizes of the kernel, shared by the core and the host. */
export const limits = {
  MAX_PROCS: [1024, 'processes alive at once (the process table grows up to it)'],
  PROC_BITS: [10, 'bits of a process index in a handle value'],
  MAX_THREADS: [4096, 'thread records (worker threads and logical Async threads) at once'],
  TID_INDEX_BITS: [13, 'low bits of a Tid that hold its record index + 1 (the rest is a generation)'],
  HANDLE_SLOT_BITS: [17, 'bits of a handle table slot in a handle value'],
  MAX_HANDLES_PER_PROC: [131071, 'handles one process may hold (its table grows up to it)'],
  HANDLE_GEN_BITS: [5, 'bits of a slot generation in a handle value'],
  MAX_OBJECTS: [1048576, 'kernel objects in all (channels, listeners, sync objects, user objects, badges, notices, tasks)'],
  MAX_SLOTS: [65535, 'calls received and not yet answered, in all'],
  MAX_SUBSCRIPTIONS: [1048576, 'notice subscriptions ("resource-event mask" entries) in all'],
  MAX_EVENTS: [1048576, 'notifications waiting in notice receivers, in all'],
  MAX_NAMES: [65536, 'static channel names (each end of a channel is one)'],
  MAX_ENDPOINTS: [65536, 'endpoint names of server processes'],
  MAX_RULES: [256, 'security policy rules'],
  MAX_SHAPES: [512, 'declared message shapes (a power of two)'],
  SHAPE_MAX_DESC: [14, 'arena descriptors one message shape may list'],
  MAX_NCAPS: [64, 'handles one message may carry (descriptors after the header)'],
  MAX_CONTEXT: [4096, 'bytes of an encoded context value (user objects, badges)'],
  NAME_MAX: [48, 'bytes of UTF-8 in a channel or endpoint name'],
  MAX_MESSAGE: [4 << 20, 'largest message (constant part + arena) the kernel carries'],
  STAGE_KEEP: [16384, 'staging bytes a thread keeps between calls: a larger staging buffer goes back to the heap after the call'],
  ADMIN: [0x40000000, 'the caller id of the realm that owns the Kernel (never a Tid: a Tid\'s index bits are never 0)'],
};

/**
 * Addresses and record layouts the host reads or writes directly. `record` fields are byte
 * offsets inside a thread record (the admin record has the same result words).
 */
export const layout = {
  LOCK_ADDR: [0x40400, 'the kernel lock word (owner id, 0 when free); +4 counts realms sleeping on it'],
  ADMIN_RECORD: [0x40440, 'the admin caller\'s record: result words at the offsets of a thread record'],
  SCRATCH: [0x40480, 'a 4 KiB area the admin caller fills with names and shape descriptors'],
  SCRATCH_SIZE: [4096, 'bytes of the scratch area'],
  KERNEL_END: [0x100000, 'end of the kernel\'s fixed tables: kernel memory above is the heap'],
  T_CELL: [0, 'wait cell (futex word): 0 while the syscall is in flight, 2 while in flight and a waiter sleeps on it (the host sets 2; the core then wakes it), 1 once completed'],
  T_R0: [4, 'result word 0'],
  T_R1: [8, 'result word 1'],
  T_R2: [12, 'result word 2'],
  T_R3: [16, 'result word 3'],
  T_RX_CLEN: [20, 'received: bytes of the constant part'],
  T_RX_ALEN: [24, 'received: bytes of the arena'],
  T_RX_TASK: [28, 'Recv: the sender\'s TaskId'],
  T_RX_TOKEN: [32, 'Recv: the call token (SMsgHdr.threadId) that names the received call'],
  T_RX_HANDLE: [36, 'Recv: the server handle value the request came in on'],
  T_STATUS: [40, 'the completed syscall\'s status: valid once the cell is 1 (what k_finish would return)'],
  T_TID: [44, 'the Tid the record stands for now; it changes when the record is freed, and again when reused'],
  T_HOST_END: [48, 'first byte of a thread record that only the core uses'],
  THREAD_SIZE: [128, 'bytes of a thread record'],
  NK_MESSAGE_SIZE: [24, 'sizeof(struct nk_message)'],
  NK_OFF_SIZE: [0, 'nk_message.size, u32: bytes of the constant part'],
  NK_OFF_TYPE: [4, 'nk_message.type, u32: NK_MSG_TYPE_REQ (0) or NK_MSG_TYPE_ERR (1)'],
  NK_OFF_IID: [8, 'nk_message.iid, u16: RIID'],
  NK_OFF_MID: [10, 'nk_message.mid, u16: method id'],
  NK_OFF_NCAPS: [12, 'nk_message.ncaps, u32: handles carried (their descriptors follow the header)'],
  NK_OFF_SELF: [16, 'nk_message.self, u32: on a request made through a callable handle, the kernel writes its dereference key here'],
  NK_OFF_SELF_RIGHTS: [20, 'nk_message.selfRights, u32: the rights of that callable handle (0 otherwise)'],
  NK_HANDLE_DESC_SIZE: [16, 'sizeof(nk_handle_desc_t): handle u32, rights u32, badge u32, flags u32'],
  NK_HD_HANDLE: [0, 'nk_handle_desc_t.handle'],
  NK_HD_RIGHTS: [4, 'nk_handle_desc_t.rights'],
  NK_HD_BADGE: [8, 'nk_handle_desc_t.badge: sent: a badge handle (or INVALID_HANDLE); received: a dereference\'s context key (0 none)'],
  NK_HD_FLAGS: [12, 'nk_handle_desc_t.flags: bit 0 set when the handle came by dereference'],
  STATS: [0x40480, 'k_stats writes its counters here (the scratch area), one u32 each, in STAT_NAMES order'],
};

/**
 * Rights (permission mask bits, services/ocap.h), event mask bits (handle/event_descr.h) and
 * user handle types (handle/handletype.h): the SDK's names, kos-ipc's values (the SDK's are not
 * public). Bits 0..15 are the general part, 16..31 the part specific to a kind of resource.
 */
export const capabilities = {
  OCAP_HANDLE_TRANSFER: [0x1, 'the handle may be transferred (and sent back, dereferenced) in a message'],
  OCAP_HANDLE_GET_SID: [0x2, 'KnHandleGetSidByHandle may read the resource\'s SID'],
  OCAP_HANDLE_SET_EVENT: [0x4, 'KnNoticeSetObjectEvent may signal events on the resource'],
  OCAP_HANDLE_GET_EVENT: [0x8, 'a notice receiver may subscribe to the resource\'s events'],
  OCAP_HANDLE_COPY: [0x10, 'KnHandleCopy may duplicate the handle'],
  OCAP_IPC_CALL: [0x10000, 'IPC client: Call on the handle (a channel\'s client end, a callable handle)'],
  OCAP_IPC_RECV: [0x20000, 'IPC server: Recv and Reply on the handle (a listener)'],
  OCAP_IPC_LISTEN: [0x40000, 'a listener: channels may be added to it (KnHandleConnect, KnHandleCreateUserObjectEx)'],
  OCAP_IPC_SYNC: [0x80000, 'an IPC sync object: KnIpcSetInterrupt and KnIpcClearInterrupt'],
  OCAP_IPC_CLIENT: [0x10003, 'the rights of a client IPC handle the kernel makes: OCAP_IPC_CALL | OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_SID'],
  OCAP_IPC_LISTENER: [0x60003, 'the rights of a listener handle the kernel makes: OCAP_IPC_RECV | OCAP_IPC_LISTEN | OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_SID'],
  OCAP_TASK_SELF: [0x1b, 'the rights of a process\'s own task handle: OCAP_HANDLE_TRANSFER | OCAP_HANDLE_GET_SID | OCAP_HANDLE_GET_EVENT | OCAP_HANDLE_COPY'],
  OCAP_RIGHTS_SAME: [0xffffffff, 'a handle descriptor\'s rights that ask for the sender\'s own rights'],
  EVENT_OBJECT_DESTROYED: [0x1, 'the resource ended (its last handle closed or revoked)'],
  EVENT_TASK_COMPLETED: [0x10000, 'a task (process) ended'],
  EVENT_BADGE_CLOSED: [0x20000, 'every handle of a badge\'s transfer subtree is closed or revoked'],
  EVENT_USER_MASK: [0xff000000, 'the bits KnNoticeSetObjectEvent may signal: OBJECT_EVENT_USER(0..7)'],
  HANDLE_TYPE_USER_FIRST: [0x10000, 'the first type KnHandleCreateUserObject accepts'],
  HANDLE_TYPE_USER_LAST: [0x1ffff, 'the last type KnHandleCreateUserObject accepts'],
};

/** The counters k_stats writes, in order (kernel.stats() returns them by these names). */
export const stats = ['processes', 'threads', 'objects', 'handles', 'badges', 'notices', 'subscriptions', 'events', 'slots', 'userObjects', 'listeners', 'channels', 'syncObjects', 'tasks', 'callables', 'revokedHandles', 'heapBytes', 'stagingBytes'];

/**
 * The exports, in order. `params` after the caller; `results` name the result words the export
 * writes on ST_OK (r0, r1, ... in order). `caller`: 'thread' (a Tid), 'admin' (ADMIN, or a
 * worker realm's boot Tid where noted), 'any'.
 */
export const exports = [
  { name: 'k_abi', caller: 'admin', params: [], results: ['hash'], doc: 'the hash of this declaration the core was built from' },
  { name: 'k_init', caller: 'admin', params: ['key'], results: [], doc: 'zeroes the kernel tables; `key` scrambles handle values' },
  { name: 'k_proc_create', caller: 'admin', params: ['realm', 'cls'], results: ['proc', 'taskId'], doc: 'a new process running in `realm`, of policy class `cls`' },
  { name: 'k_proc_terminate', caller: 'admin', params: ['proc'], results: [], doc: 'ends a process: cancels its waits, closes its handles, frees its memory' },
  { name: 'k_proc_add_realm', caller: 'admin', params: ['proc', 'realm'], results: [], doc: 'the process gains threads in another realm (kernel.spawnThread)' },
  { name: 'k_realm_release', caller: 'admin', params: ['proc', 'realm'], results: [], doc: 'the process\'s threads in `realm` ended: cancel and free them' },
  { name: 'k_thread_alloc', caller: 'admin', params: ['proc', 'realm'], results: ['tid', 'record'], doc: 'a thread record for `proc` in `realm` (a worker realm calls with its boot Tid)' },
  { name: 'k_connect', caller: 'admin', params: ['client', 'server', 'name', 'len'], results: [], doc: 'a static channel named by the UTF-8 bytes at [name, name + len)' },
  { name: 'k_endpoint', caller: 'admin', params: ['proc', 'riid', 'name', 'len'], results: [], doc: 'an endpoint name of a server process and its RIID' },
  { name: 'k_shape_add', caller: 'admin', params: ['proc', 'riid', 'mid', 'kind', 'min', 'max', 'ndesc', 'desc'], results: [], doc: 'declares a message shape (descriptor triples at `desc`, in the scratch area)' },
  { name: 'k_policy_reset', caller: 'admin', params: ['defaultGrant'], results: [], doc: 'empties the policy; the default decides' },
  { name: 'k_policy_add', caller: 'admin', params: ['events', 'src', 'dst', 'iid', 'mid', 'grant'], results: [], doc: 'appends a policy rule' },
  { name: 'k_sl_lookup', caller: 'thread', params: ['server', 'name', 'len'], results: ['handle'], doc: 'the handle of static channel `name` (server != 0: the listener end)' },
  { name: 'k_sl_riid', caller: 'thread', params: ['handle', 'name', 'len'], results: ['riid'], doc: 'the RIID of endpoint `name` of the server behind client handle `handle`' },
  { name: 'k_call', caller: 'thread', params: ['handle', 'oc', 'oclen', 'oa', 'oalen', 'ic', 'iccap', 'ia', 'iacap', 'sync', 'flags'], results: ['remote'], doc: 'Call: ST_WOULD_BLOCK once queued or delivered; then `remote` (r0) is 1 when the server has threads in another realm than the caller' },
  { name: 'k_recv', caller: 'thread', params: ['handle', 'ic', 'iccap', 'ia', 'iacap', 'sync', 'flags'], results: [], doc: 'Recv: ST_OK with a request, or ST_WOULD_BLOCK' },
  { name: 'k_reply', caller: 'thread', params: ['handle', 'oc', 'oclen', 'oa', 'oalen', 'token'], results: [], doc: 'Reply to the call `token` names (0: the oldest received)' },
  { name: 'k_finish', caller: 'thread', params: [], results: [], doc: 'after the wait cell flipped: the completed syscall\'s status, as T_STATUS holds it (reading T_STATUS and checking T_TID does the same without entering the core)' },
  { name: 'k_cancel', caller: 'thread', params: ['reason'], results: [], doc: 'stops waiting with status `reason`; the final status (the completion wins a race)' },
  { name: 'k_close', caller: 'thread', params: ['handle'], results: [], doc: 'KnHandleClose' },
  { name: 'k_sync_create', caller: 'thread', params: ['autoclear'], results: ['handle'], doc: 'KnIpcCreateSyncObject(Ex)' },
  { name: 'k_sync_set', caller: 'thread', params: ['handle', 'on'], results: [], doc: 'KnIpcSetInterrupt (on = 1) / KnIpcClearInterrupt (on = 0)' },
  { name: 'k_alloc', caller: 'thread', params: ['bytes'], results: ['addr'], doc: 'process.alloc: a heap block owned by the caller\'s process' },
  { name: 'k_free', caller: 'thread', params: ['addr'], results: [], doc: 'process.free' },
  { name: 'k_stage', caller: 'thread', params: ['bytes'], results: ['addr', 'capacity'], doc: 'the thread\'s staging buffer, grown to at least `bytes`; `bytes` 0: a buffer larger than STAGE_KEEP goes back to the heap (addr and capacity 0)' },
  { name: 'k_unlock_after_trap', caller: 'any', params: [], results: [], doc: 'a trap escaped the core while the caller held the lock: release it' },
  { name: 'k_unlock_if_dead_owner', caller: 'admin', params: [], results: ['released'], doc: 'after a worker stopped: releases the lock if its owner thread no longer exists, and wakes every thread whose syscall completed' },
  { name: 'k_digest', caller: 'admin', params: [], results: ['hash'], doc: 'a hash of every kernel table (not the lock line, the admin record or the scratch area): tests compare it before and after a refused call' },
  { name: 'k_stats', caller: 'admin', params: [], results: [], doc: 'writes the kernel\'s counts at STATS, in the order of `stats`' },
  { name: 'k_task_handle', caller: 'thread', params: [], results: ['handle'], doc: 'KosTaskGetHandle(KosTaskGetSelf()): the process\'s own task handle' },
  { name: 'k_user_create', caller: 'thread', params: ['type', 'rights', 'ctx', 'ctxLen', 'ipcChannel', 'riid'], results: ['handle', 'key'], doc: 'KnHandleCreateUserObject(Ex): a user object, or a callable handle when rights hold OCAP_IPC_CALL; the encoded context is at [ctx, ctx + ctxLen)' },
  { name: 'k_listener_create', caller: 'thread', params: [], results: ['handle'], doc: 'KnHandleCreateListener' },
  { name: 'k_handle_connect', caller: 'thread', params: ['listener'], results: ['listener', 'server', 'client'], doc: 'KnHandleConnect: a channel to `listener` (INVALID_HANDLE: a new one)' },
  { name: 'k_badge_create', caller: 'thread', params: ['notice', 'eventId', 'ctx', 'ctxLen'], results: ['handle', 'key'], doc: 'KnHandleCreateBadge' },
  { name: 'k_handle_copy', caller: 'thread', params: ['handle', 'rights', 'badge'], results: ['handle'], doc: 'KnHandleCopy: a descendant in the caller\'s own table' },
  { name: 'k_handle_revoke', caller: 'thread', params: ['handle', 'close'], results: [], doc: 'KnHandleRevoke (close = 1) / KnHandleRevokeEx' },
  { name: 'k_handle_revoke_subtree', caller: 'thread', params: ['handle', 'badge'], results: [], doc: 'KnHandleRevokeSubtree' },
  { name: 'k_handle_sid', caller: 'thread', params: ['handle'], results: ['sid'], doc: 'KnHandleGetSidByHandle' },
  { name: 'k_context', caller: 'thread', params: ['key', 'dst', 'cap'], results: ['length'], doc: 'copies the encoded context that dereference key `key` names (an object the caller\'s process made) to [dst, dst + cap)' },
  { name: 'k_notice_create', caller: 'thread', params: [], results: ['handle'], doc: 'KnNoticeCreate' },
  { name: 'k_notice_subscribe', caller: 'thread', params: ['notice', 'object', 'mask', 'eventId'], results: [], doc: 'KnNoticeSubscribeToObject' },
  { name: 'k_notice_unsubscribe', caller: 'thread', params: ['notice', 'byObject', 'value'], results: [], doc: 'KnNoticeUnsubscribeFromEvent (byObject 0: value is an eventId) / KnNoticeUnsubscribeFromObject (1: value is a handle)' },
  { name: 'k_notice_get', caller: 'thread', params: ['notice', 'countMax', 'dst', 'flags'], results: ['count'], doc: 'KnNoticeGetEvent: takes up to countMax events into [dst, dst + 8 * countMax) (eventId u32, mask u32); ST_WOULD_BLOCK when none and flags allow waiting' },
  { name: 'k_notice_set_event', caller: 'thread', params: ['object', 'mask'], results: [], doc: 'KnNoticeSetObjectEvent' },
  { name: 'k_notice_drop', caller: 'thread', params: ['notice', 'forbid'], results: [], doc: 'KnNoticeDropAndWake' },
  { name: 'k_proc_name', caller: 'admin', params: ['proc', 'name', 'len'], results: [], doc: 'the name (class) of process `proc`, at [name, name + len) in the scratch area: KnCmConnect finds servers by it, KnCmListen reports clients by it' },
  { name: 'k_cm_connect', caller: 'thread', params: ['server', 'serverLen', 'service', 'serviceLen', 'flags'], results: ['handle', 'rsid'], doc: 'KnCmConnect: names at [server, +serverLen) and [service, +serviceLen); ST_WOULD_BLOCK once queued (flags: 1 may wait, 2 blocks the thread); the results once it completes ST_OK' },
  { name: 'k_cm_listen', caller: 'thread', params: ['dst', 'flags'], results: ['clientLen', 'serviceLen'], doc: 'KnCmListen: the oldest request waiting, as the client name then the service at [dst, dst + 2 * NAME_MAX); ST_WOULD_BLOCK when none and flags allow waiting (ST_OK after the wake: ask again)' },
  { name: 'k_cm_accept', caller: 'thread', params: ['names', 'clientLen', 'serviceLen', 'rsid', 'listener'], results: ['handle'], doc: 'KnCmAccept: the request of the client and service named at `names` gets a channel on `listener` (INVALID_HANDLE: a new one)' },
  { name: 'k_cm_drop', caller: 'thread', params: ['names', 'clientLen', 'serviceLen'], results: [], doc: 'KnCmDrop: the request of the client and service named at `names` is refused' },
];
