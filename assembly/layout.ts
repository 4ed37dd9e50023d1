// The kernel's memory map. Every instance of this module (one per realm: the main thread and
// each worker) sees the same kernel state in the one shared memory: nothing lives in an
// instance's own data. The fixed part sits at addresses fixed at compile time; the tables grow
// in chunks taken from the heap (table.ts), found through directories in the fixed part, so a
// record never moves once made. Addresses and offsets the host also uses come from abi.ts
// (generated from abi/kernel.mjs).
//
//   0x0000_0000 +----------------------------+
//               | reserved for the host      |  64 KiB, never touched by the core
//   0x0001_0000 +----------------------------+
//               | static data (read-only)    |  abort strings only (--memoryBase 65536)
//   KBASE       +----------------------------+  0x0004_0000
//               | header (1 KiB)             |  key, sequences, heap free lists, table states
//   LOCK_ADDR   | lock line (64 B)           |  the kernel lock, alone on its cache line
//   ADMIN_RECORD| admin record (64 B)        |  result words of admin calls
//   SCRATCH     | scratch (4 KiB)            |  names and shape descriptors from the admin; k_stats
//   DIRS        | table directories          |  chunk addresses of every growable table
//   RULES       | policy rules               |  MAX_RULES x 16 B
//   SHAPES      | message shapes             |  4 B per process + MAX_SHAPES x 192 B (shapes.ts)
//   CAPS_SEEN   | descriptors being delivered|  MAX_NCAPS x 12 B (transfer.ts)
//   FIXED_END   +----------------------------+  must not pass KERNEL_END (k_init checks)
//   KERNEL_END  +----------------------------+  0x0010_0000
//               | heap: table chunks (never  |  chunks are bumped off the top; process.alloc
//               | freed), process.alloc and  |  buffers and staging buffers are size-classed
//               | staging buffers, contexts  |  blocks with free lists (heap.ts)
//               +----------------------------+

import {
  LOCK_ADDR, ADMIN_RECORD, SCRATCH, SCRATCH_SIZE, MAX_PROCS, MAX_THREADS, MAX_OBJECTS, MAX_SLOTS,
  MAX_SUBSCRIPTIONS, MAX_EVENTS, MAX_NAMES, MAX_ENDPOINTS, MAX_RULES, MAX_SHAPES, T_HOST_END,
  THREAD_SIZE, T_STATUS, MAX_NCAPS,
} from './abi';

export const KBASE: u32 = 0x40000;

// ---- header fields (offsets from KBASE) ------------------------------------------------------
export const H_KEY: u32 = 0;          // handle scramble key
export const H_HEAP_TOP: u32 = 4;     // next unused heap byte
export const H_TASK_SEQ: u32 = 8;     // last TaskId handed out
export const H_SID_SEQ: u32 = 12;     // last SID handed out
export const H_POLICY_N: u32 = 16;    // number of policy rules
export const H_POLICY_DEFAULT: u32 = 20; // 1 = grant, 0 = deny
export const H_HANDLES: u32 = 24;     // live handles, all processes
export const H_REVOKED: u32 = 28;     // revoked handles not yet closed, all processes
export const H_KINDS: u32 = 32;       // live objects per kind: 16 x 4 B (K_*)
export const H_FREELISTS: u32 = 128;  // heap size classes: 32 x 4 B
// table states (table.ts): made, free head, live; 16 B each
export const H_TABLES: u32 = 256;
export const TB_PROCS: u32 = H_TABLES;
export const TB_THREADS: u32 = H_TABLES + 16;
export const TB_OBJECTS: u32 = H_TABLES + 32;
export const TB_SLOTS: u32 = H_TABLES + 128; // alone on its cache line: every call writes it
export const TB_SUBS: u32 = H_TABLES + 64;
export const TB_EVENTS: u32 = H_TABLES + 80;
export const TB_NAMES: u32 = H_TABLES + 96;
export const TB_ENDPOINTS: u32 = H_TABLES + 112;
export const HDR_SIZE: u32 = 1024;

export const LOCK_LINE: u32 = 64;
export const ADMIN_RECORD_SIZE: u32 = 64;

// ---- growable tables: record size, log2 of the records per chunk, the directory ------------
// (PROC_CHUNK_BITS and HANDLE_CHUNK_BITS are not abi.ts's PROC_BITS, the bits of the process in
// a handle value.)
export const PROC_SIZE: u32 = 64;
export const PROC_CHUNK_BITS: u32 = 6;
export const OBJ_SIZE: u32 = 80;
export const OBJ_BITS: u32 = 10;
export const SLOT_SIZE: u32 = 32;
export const SLOT_BITS: u32 = 10;
export const SUB_SIZE: u32 = 32;
export const SUB_BITS: u32 = 10;
export const EVENT_SIZE: u32 = 16;
export const EVENT_BITS: u32 = 10;
export const NAME_SIZE: u32 = 64;
export const NAME_BITS: u32 = 8;
export const THREAD_BITS: u32 = 8;
export const HANDLE_SIZE: u32 = 48;
export const HANDLE_CHUNK_BITS: u32 = 8;   // per-process tables: 256 handles a chunk

// @ts-ignore: decorator
@inline function chunks(max: u32, bits: u32): u32 { return (max + (1 << bits) - 1) >> bits; }

export const DIRS: u32 = SCRATCH + SCRATCH_SIZE;
export const DIR_PROCS: u32 = DIRS;
export const DIR_THREADS: u32 = DIR_PROCS + (chunks(MAX_PROCS, PROC_CHUNK_BITS) << 2);
export const DIR_OBJECTS: u32 = DIR_THREADS + (chunks(MAX_THREADS, THREAD_BITS) << 2);
export const DIR_SLOTS: u32 = DIR_OBJECTS + (chunks(MAX_OBJECTS, OBJ_BITS) << 2);
export const DIR_SUBS: u32 = DIR_SLOTS + (chunks(MAX_SLOTS, SLOT_BITS) << 2);
export const DIR_EVENTS: u32 = DIR_SUBS + (chunks(MAX_SUBSCRIPTIONS, SUB_BITS) << 2);
export const DIR_NAMES: u32 = DIR_EVENTS + (chunks(MAX_EVENTS, EVENT_BITS) << 2);
export const DIR_ENDPOINTS: u32 = DIR_NAMES + (chunks(MAX_NAMES, NAME_BITS) << 2);
export const DIRS_END: u32 = DIR_ENDPOINTS + (chunks(MAX_ENDPOINTS, NAME_BITS) << 2);

export const RULE_SIZE: u32 = 16;
export const RULES: u32 = DIRS_END;

// Message shapes (shapes.ts): a count per process, then the records.
export const SHAPE_SIZE: u32 = 192;
export const SHAPES: u32 = RULES + MAX_RULES * RULE_SIZE;
export const SHAPE_RECORDS: u32 = SHAPES + MAX_PROCS * 4;

export const TABLES_END: u32 = SHAPE_RECORDS + MAX_SHAPES * SHAPE_SIZE;

// What capsCheck resolved for each descriptor of the message being delivered (transfer.ts): the
// sender's handle id, the rights asked, the badge object (+ 1). Used under the kernel lock only,
// between the check and the delivery of one message, so a sender that rewrites its descriptors
// meanwhile (an in-place buffer, another thread) cannot change what is delivered.
export const CAPS_SEEN: u32 = TABLES_END;
export const CAPS_SEEN_SIZE: u32 = 12;
export const FIXED_END: u32 = CAPS_SEEN + MAX_NCAPS * CAPS_SEEN_SIZE;

// ---- process record ------------------------------------------------------------------------
export const P_STATE: u32 = 0;   // PS_FREE, PS_ALIVE or PS_DYING (no new syscalls)
export const P_REALM: u32 = 4;   // realm (thread of JavaScript) that runs this process
export const P_CLASS: u32 = 8;   // class id (EDL name interned by the host), for the policy
export const P_TASK: u32 = 12;   // TaskId
export const P_ALLOCS: u32 = 16; // heap blocks owned (block address of the list head, 0 none)
export const P_HANDLES: u32 = 20; // live handles
export const P_MULTI: u32 = 24;  // 1 when the process also has threads in other realms
export const P_HDIR: u32 = 28;   // its handle table: directory of chunks (heap address, 0 none)
export const P_HDIR_CAP: u32 = 32; // entries the directory holds
export const P_HMADE: u32 = 36;  // handle slots made
export const P_HFREE_HEAD: u32 = 40; // free slots, oldest first (slot + 1)
export const P_HFREE_TAIL: u32 = 44;
export const P_TASK_OBJ: u32 = 48; // its task object (index + 1)
export const P_TASK_HANDLE: u32 = 52; // its own task handle (value)
export const P_LINK: u32 = 56;   // free list link (table.ts)
export const P_REVOKED: u32 = 60; // revoked handles not yet closed (they hold slots)

export const PS_FREE: i32 = 0;
export const PS_ALIVE: i32 = 1;
export const PS_DYING: i32 = 2;

// ---- thread record -------------------------------------------------------------------------
// The first T_HOST_END bytes are the host's (abi.ts: wait cell, result words, what was
// received, the completed syscall's status T_STATUS and the record's current Tid T_TID); the
// core's own fields follow. Cache lines: the first 64 bytes hold everything another thread
// writes into the record while it waits (what was received, the status, the state, the object
// and reply slot it waits on) and the thread itself reads when it wakes; the second holds the
// thread's own descriptors, which others only read and which a syscall rewrites only when they
// changed (put() below), so a call that reuses its buffers leaves that line shared and clean.
export const T_RC: u32 = T_STATUS;           // status of the completed syscall (host-visible)
export const T_STATE: u32 = T_HOST_END;
export const T_OBJ: u32 = T_HOST_END + 4;    // object the thread waits on (index + 1)
export const T_SYNC: u32 = T_HOST_END + 8;   // IPC sync object named by CallEx/RecvEx (index + 1)
export const T_SLOT: u32 = T_HOST_END + 12;  // reply slot (index + 1) while waiting for a reply
export const T_PROC: u32 = T_HOST_END + 16;
export const T_NEXT: u32 = T_HOST_END + 20;  // queue link (thread index + 1); free list link
export const T_PREV: u32 = T_HOST_END + 24;
export const T_OUT_C: u32 = T_HOST_END + 28; // request / response constant part (address)
export const T_OUT_CLEN: u32 = T_HOST_END + 32;
export const T_OUT_A: u32 = T_HOST_END + 36; // arena (address) and used bytes
export const T_OUT_ALEN: u32 = T_HOST_END + 40;
export const T_IN_C: u32 = T_HOST_END + 44;  // receive buffers: constant part and arena, capacities
export const T_IN_CCAP: u32 = T_HOST_END + 48;
export const T_IN_A: u32 = T_HOST_END + 52;
export const T_IN_ACAP: u32 = T_HOST_END + 56;
export const T_STAGE: u32 = T_HOST_END + 60; // staging buffer (address) and capacity
export const T_STAGE_CAP: u32 = T_HOST_END + 64;
export const T_REALM: u32 = T_HOST_END + 68;
export const T_CHANNEL: u32 = T_HOST_END + 72; // Call: the channel or callable it was made on (index + 1)
export const T_CALL_HID: u32 = T_HOST_END + 76; // Call: the handle it was made with (handle id + 1)
export const T_END: u32 = T_HOST_END + 80;

/** Stores `v` at `a` unless it is there already: a line only read by others stays clean. */
// @ts-ignore: decorator
@inline export function put(a: u32, v: u32): void {
  if (load<u32>(a) != v) store<u32>(a, v);
}

export const TS_FREE: i32 = 0;
export const TS_IDLE: i32 = 1;      // no syscall in flight (TS_DONE counts as idle too)
export const TS_QUEUED: i32 = 2;     // Call: in the listener's call queue, not yet received
export const TS_WAIT_REPLY: i32 = 3; // Call: received by the server, waiting for Reply
export const TS_WAIT_RECV: i32 = 4;  // Recv: waiting for a request
export const TS_DONE: i32 = 5;       // completed; T_RC holds the status (k_finish makes it TS_IDLE; a new syscall may start from it)
export const TS_WAIT_NOTICE: i32 = 6; // KnNoticeGetEvent: waiting for a notification
export const TS_WAIT_CM_CONNECT: i32 = 7; // KnCmConnect: queued at the server's task (cm.ts)
export const TS_WAIT_CM_LISTEN: i32 = 8;  // KnCmListen: waiting for a connect request (cm.ts)

// ---- kernel object -------------------------------------------------------------------------
export const O_KIND: u32 = 0;
export const O_REFS: u32 = 4;    // live handles naming this object; free list link when free
export const O_FLAGS: u32 = 8;
export const O_OWNER: u32 = 12;  // process index + 1 (listener: server; others: creator)
export const O_SUBS: u32 = 64;   // subscriptions to this object (subscription index + 1)
export const O_SIGNALED: u32 = 68; // state events that happened (a late subscriber gets them)
export const O_GEN: u32 = 72;    // bumps when the record is freed (dereference keys)
export const O_SID: u32 = 76;    // the resource's SID
// listener
export const O_CALL_HEAD: u32 = 16; // threads queued in Call (thread index + 1)
export const O_CALL_TAIL: u32 = 20;
export const O_RECV_HEAD: u32 = 24; // threads waiting in Recv
export const O_RECV_TAIL: u32 = 28;
export const O_SLOT_HEAD: u32 = 32; // reply slots: calls received, not yet answered
export const O_SLOT_TAIL: u32 = 36;
export const O_CLIENTS: u32 = 40;   // channels and callables attached (object index + 1)
export const O_CHANNELS: u32 = 44;  // how many
export const O_FIRST_REALM: u32 = 48; // realm of the first client attached, + 1 (deadlock guard)
export const O_MULTI_REALM: u32 = 52; // 1 when clients of several realms are attached
export const O_SPARE_SLOT: u32 = 56; // a free reply slot kept for the next call (index + 1; slots.ts)
// channel (a static channel's client end) and callable
export const O_LISTENER: u32 = 16;  // object index + 1
export const O_CLIENT: u32 = 20;    // channel: client process index + 1
export const O_SERVER: u32 = 24;    // server process index + 1
export const O_CL_NEXT: u32 = 28;   // the listener's list of clients
export const O_CL_PREV: u32 = 32;
export const O_RIID: u32 = 36;      // callable: the endpoint's RIID
// user object, callable and badge: the encoded context (context.ts)
export const O_CTX: u32 = 40;       // heap address, 0 none
export const O_CTX_LEN: u32 = 44;
export const O_TYPE: u32 = 48;      // user object: its type
// badge
export const O_NOTICE: u32 = 16;    // the notice told of it (object index + 1; cleared when it ends)
export const O_EVID: u32 = 20;      // the entry id it is told with
export const O_ZONE: u32 = 24;      // live handles in its zone (handles.ts)
export const O_ZONE_USED: u32 = 28; // 1 once a handle entered its zone
// notice receiver
export const O_WAIT_HEAD: u32 = 16; // threads waiting in KnNoticeGetEvent
export const O_WAIT_TAIL: u32 = 20;
export const O_EV_HEAD: u32 = 24;   // pending events (event index + 1), oldest first
export const O_EV_TAIL: u32 = 28;
export const O_OWN_SUBS: u32 = 32;  // subscriptions of this receiver (subscription index + 1)
export const O_EV_COUNT: u32 = 36;
// task (a process)
export const O_TASK_PROC: u32 = 16; // process index + 1 while it lives
export const O_CM_HEAD: u32 = 20;   // KnCmConnect requests to this process (thread index + 1), oldest first
export const O_CM_TAIL: u32 = 24;
export const O_CML_HEAD: u32 = 28;  // its threads waiting in KnCmListen
export const O_CML_TAIL: u32 = 32;

export const K_FREE: i32 = 0;
export const K_CHANNEL: i32 = 1;
export const K_LISTENER: i32 = 2;
export const K_SYNC: i32 = 3;
export const K_USER: i32 = 4;
export const K_CALLABLE: i32 = 5;
export const K_BADGE: i32 = 6;
export const K_NOTICE: i32 = 7;
export const K_TASK: i32 = 8;
export const K_COUNT: i32 = 9;

export const OF_CLOSED: i32 = 1;     // listener: server side gone; channel, callable: disconnected
export const OF_SYNC_SET: i32 = 1;
export const OF_SYNC_AUTOCLEAR: i32 = 2;
export const OF_NOTICE_FORBID: i32 = 1; // notice: KnNoticeDropAndWake forbade new entries

// ---- reply slot ----------------------------------------------------------------------------
export const S_STATE: u32 = 0;   // SL_FREE, SL_LIVE, or SL_ABANDONED (its caller stopped waiting)
export const S_LISTENER: u32 = 4; // listener object index + 1
export const S_TOKEN: u32 = 8;   // generation << 16 | index + 1: the call token (SMsgHdr.threadId)
export const S_CALLER: u32 = 12; // the caller's Tid
export const S_NEXT: u32 = 16;   // next slot of the listener's list (index + 1); free list link

export const SL_FREE: i32 = 0;
export const SL_LIVE: i32 = 1;
export const SL_ABANDONED: i32 = 2;

// ---- handle entry (per-process tables, handles.ts) -----------------------------------------
export const HE_OBJ: u32 = 0;    // object index + 1, 0 = free
export const HE_RIGHTS: u32 = 4;
export const HE_GEN: u32 = 8;    // generation (HANDLE_GEN_BITS)
export const HE_FLAGS: u32 = 12; // HF_*
export const HE_PARENT: u32 = 16; // inheritance tree links: handle ids + 1 (hid, handles.ts)
export const HE_CHILD: u32 = 20;
export const HE_NEXT: u32 = 24;  // next sibling; free list link
export const HE_PREV: u32 = 28;
export const HE_BADGE: u32 = 32; // the badge its transfer carried (object index + 1)
export const HE_ZONE: u32 = 36;  // the badge zone it counts in (object index + 1)

export const HF_REVOKED: u32 = 1;

// ---- subscription ("resource-event mask" entry, subscriptions.ts) ---------------------------
export const SB_NOTICE: u32 = 0; // notice object index + 1, 0 = free
export const SB_OBJECT: u32 = 4; // subscribed object index + 1
export const SB_MASK: u32 = 8;
export const SB_EVID: u32 = 12;
export const SB_NEXT_N: u32 = 16; // the notice's list; free list link
export const SB_PREV_N: u32 = 20;
export const SB_NEXT_O: u32 = 24; // the object's list
export const SB_PREV_O: u32 = 28;

// ---- pending notification (notices.ts) ------------------------------------------------------
export const EV_ID: u32 = 0;
export const EV_MASK: u32 = 4;
export const EV_NEXT: u32 = 8;    // the notice's queue; free list link
export const EV_USED: u32 = 12;

// ---- name entry (service locator) and endpoint entry ---------------------------------------
export const N_PROC: u32 = 0;    // process index + 1, 0 = free
export const N_KIND: u32 = 4;    // 1 client end, 2 server end (names); riid (endpoints)
export const N_HANDLE: u32 = 8;  // handle value in that process (names); free list link
export const N_LEN: u32 = 12;
export const N_BYTES: u32 = 16;

// ---- policy rule ---------------------------------------------------------------------------
export const PR_EVENTS: u32 = 0;  // bit mask of events (1 request, 2 response, 4 error)
export const PR_SRC: u32 = 4;     // u16 src class (0 any), u16 dst class (0 any)
export const PR_IID_MID: u32 = 8; // u16 iid (0xFFFF any), u16 mid (0xFFFF any)
export const PR_DECISION: u32 = 12; // bit 0: 1 grant, 0 deny; bits 1..31: a SID the message must carry (0 any)

export const EV_REQUEST: u32 = 1;
export const EV_RESPONSE: u32 = 2;
export const EV_ERROR: u32 = 4;

export const NK_TYPE_ERR: u32 = 1;

// @ts-ignore: decorator
@inline export function hdr(field: u32): u32 { return KBASE + field; }

/** Record `i` of the table whose directory is at `dir`, `1 << bits` records of `size` a chunk. */
// @ts-ignore: decorator
@inline export function rec(dir: u32, i: u32, bits: u32, size: u32): u32 {
  return load<u32>(dir + ((i >> bits) << 2)) + (i & ((<u32>1 << bits) - 1)) * size;
}

// @ts-ignore: decorator
@inline export function proc(i: u32): u32 { return rec(DIR_PROCS, i, PROC_CHUNK_BITS, PROC_SIZE); }
// @ts-ignore: decorator
@inline export function thread(i: u32): u32 { return rec(DIR_THREADS, i, THREAD_BITS, THREAD_SIZE); }
// @ts-ignore: decorator
@inline export function obj(i: u32): u32 { return rec(DIR_OBJECTS, i, OBJ_BITS, OBJ_SIZE); }
// @ts-ignore: decorator
@inline export function slot(i: u32): u32 { return rec(DIR_SLOTS, i, SLOT_BITS, SLOT_SIZE); }
// @ts-ignore: decorator
@inline export function sub(i: u32): u32 { return rec(DIR_SUBS, i, SUB_BITS, SUB_SIZE); }
// @ts-ignore: decorator
@inline export function event(i: u32): u32 { return rec(DIR_EVENTS, i, EVENT_BITS, EVENT_SIZE); }
// @ts-ignore: decorator
@inline export function nameEntry(i: u32): u32 { return rec(DIR_NAMES, i, NAME_BITS, NAME_SIZE); }
// @ts-ignore: decorator
@inline export function endpointEntry(i: u32): u32 { return rec(DIR_ENDPOINTS, i, NAME_BITS, NAME_SIZE); }

/** Records made so far in the table whose state is at header field `tb` (table.ts). */
// @ts-ignore: decorator
@inline export function made(tb: u32): u32 { return load<u32>(hdr(tb)); }

// @ts-ignore: decorator
@inline export function procAlive(p: u32): bool {
  return p < made(TB_PROCS) && load<i32>(proc(p) + P_STATE) == PS_ALIVE;
}
