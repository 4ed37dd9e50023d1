// The kernel's memory map. Every table sits at an address fixed at compile time, so that every
// instance of this module (one per realm: the main thread and each worker) sees the same kernel
// state in the one shared memory, and no instance owns an allocator or writable static data.
// Addresses and offsets the host also uses come from abi.ts (generated from abi/kernel.mjs).
//
//   0x0000_0000 +----------------------------+
//               | reserved for the host      |  64 KiB, never touched by the core
//   0x0001_0000 +----------------------------+
//               | static data (read-only)    |  abort strings only (--memoryBase 65536)
//   KBASE       +----------------------------+  0x0004_0000
//               | header (256 B)             |  key, counters, heap free lists, slot free list
//   LOCK_ADDR   | lock line (64 B)           |  the kernel lock, alone on its cache line
//   ADMIN_RECORD| admin record (64 B)        |  result words of admin calls
//   SCRATCH     | scratch (4 KiB)            |  names and shape descriptors from the admin
//   PROCS       | processes   MAX_PROCS x 32 |
//               | threads   MAX_THREADS x 128|  host part first (abi.ts T_*), then the core's
//               | objects   MAX_OBJECTS x 64 |  channels, listeners, sync objects
//               | reply slots MAX_SLOTS x 32 |  calls received and not yet answered
//               | handles  MAX_PROCS x HANDLES_PER_PROC x 16 |  one table per process
//               | names    MAX_NAMES x 64    |  service locator: channel names
//               | endpoints MAX_ENDPOINTS x 64| endpoint name -> RIID per server process
//               | policy rules MAX_RULES x 16|
//               | message shapes             |  4 B per process + MAX_SHAPES x 192 B (shapes.ts)
//   TABLES_END  +----------------------------+  must not pass KERNEL_END (k_init checks)
//   KERNEL_END  +----------------------------+  0x0010_0000
//               | heap: process.alloc and    |  size-classed blocks, grows with memory.grow
//               | per-thread staging buffers |
//               +----------------------------+

import {
  LOCK_ADDR, ADMIN_RECORD, SCRATCH, SCRATCH_SIZE, MAX_PROCS, MAX_THREADS, MAX_OBJECTS, MAX_SLOTS,
  HANDLES_PER_PROC, MAX_NAMES, MAX_ENDPOINTS, MAX_RULES, MAX_SHAPES, T_HOST_END,
} from './abi';

export const KBASE: u32 = 0x40000;

// Header fields (offsets from KBASE).
export const H_KEY: u32 = 0;          // handle scramble key
export const H_HEAP_TOP: u32 = 4;     // next unused heap byte
export const H_TASK_SEQ: u32 = 8;     // last TaskId handed out
export const H_SLOT_FREE: u32 = 12;   // free list of reply slots (index + 1)
export const H_POLICY_N: u32 = 16;    // number of policy rules
export const H_POLICY_DEFAULT: u32 = 20; // 1 = grant, 0 = deny
export const H_FREELISTS: u32 = 128;  // 32 heap size classes x 4 B
export const HDR_SIZE: u32 = 256;

export const LOCK_LINE: u32 = 64;
export const ADMIN_RECORD_SIZE: u32 = 64;

export const PROC_SIZE: u32 = 32;
export const PROCS: u32 = SCRATCH + SCRATCH_SIZE;

export const THREAD_SIZE: u32 = 128;
export const THREADS: u32 = PROCS + MAX_PROCS * PROC_SIZE;

export const OBJ_SIZE: u32 = 64;
export const OBJECTS: u32 = THREADS + MAX_THREADS * THREAD_SIZE;

export const SLOT_SIZE: u32 = 32;
export const SLOTS: u32 = OBJECTS + MAX_OBJECTS * OBJ_SIZE;

export const HANDLE_SIZE: u32 = 16;
export const HANDLES: u32 = SLOTS + MAX_SLOTS * SLOT_SIZE;

export const NAME_SIZE: u32 = 64;
export const NAMES: u32 = HANDLES + MAX_PROCS * HANDLES_PER_PROC * HANDLE_SIZE;
export const ENDPOINTS: u32 = NAMES + MAX_NAMES * NAME_SIZE;

export const RULE_SIZE: u32 = 16;
export const RULES: u32 = ENDPOINTS + MAX_ENDPOINTS * NAME_SIZE;

// Message shapes (shapes.ts): a count per process, then the records.
export const SHAPE_SIZE: u32 = 192;
export const SHAPES: u32 = RULES + MAX_RULES * RULE_SIZE;
export const SHAPE_RECORDS: u32 = SHAPES + MAX_PROCS * 4;

export const TABLES_END: u32 = SHAPE_RECORDS + MAX_SHAPES * SHAPE_SIZE;

// ---- process record ------------------------------------------------------------------------
export const P_STATE: u32 = 0;   // PS_FREE, PS_ALIVE or PS_DYING (no new syscalls)
export const P_REALM: u32 = 4;   // realm (thread of JavaScript) that runs this process
export const P_CLASS: u32 = 8;   // class id (EDL name interned by the host), for the policy
export const P_TASK: u32 = 12;   // TaskId
export const P_ALLOCS: u32 = 16; // heap blocks owned (block address of the list head, 0 none)
export const P_HANDLES: u32 = 20; // handles in use
export const P_MULTI: u32 = 24;  // 1 when the process also has threads in other realms

export const PS_FREE: i32 = 0;
export const PS_ALIVE: i32 = 1;
export const PS_DYING: i32 = 2;

// ---- thread record -------------------------------------------------------------------------
// The first T_HOST_END bytes are the host's (abi.ts: wait cell, result words, what was
// received); the core's own fields follow.
export const T_STATE: u32 = T_HOST_END;
export const T_PROC: u32 = T_HOST_END + 4;
export const T_RC: u32 = T_HOST_END + 8;     // status of the completed syscall
export const T_NEXT: u32 = T_HOST_END + 12;  // queue link (thread index + 1)
export const T_PREV: u32 = T_HOST_END + 16;
export const T_OBJ: u32 = T_HOST_END + 20;   // listener the thread waits on (object index + 1)
export const T_SYNC: u32 = T_HOST_END + 24;  // IPC sync object named by CallEx/RecvEx (object index + 1)
export const T_GEN: u32 = T_HOST_END + 28;   // bumps each time the record is reused
export const T_OUT_C: u32 = T_HOST_END + 32; // request / response constant part (address)
export const T_OUT_CLEN: u32 = T_HOST_END + 36;
export const T_OUT_A: u32 = T_HOST_END + 40; // arena (address) and used bytes
export const T_OUT_ALEN: u32 = T_HOST_END + 44;
export const T_IN_C: u32 = T_HOST_END + 48;  // receive buffers: constant part and arena, capacities
export const T_IN_CCAP: u32 = T_HOST_END + 52;
export const T_IN_A: u32 = T_HOST_END + 56;
export const T_IN_ACAP: u32 = T_HOST_END + 60;
export const T_SLOT: u32 = T_HOST_END + 64;  // reply slot (index + 1) while waiting for a reply
export const T_STAGE: u32 = T_HOST_END + 68; // staging buffer (address) and capacity
export const T_STAGE_CAP: u32 = T_HOST_END + 72;
export const T_REALM: u32 = T_HOST_END + 76;
export const T_END: u32 = T_HOST_END + 80;

export const TS_FREE: i32 = 0;
export const TS_IDLE: i32 = 1;
export const TS_QUEUED: i32 = 2;     // Call: in the listener's call queue, not yet received
export const TS_WAIT_REPLY: i32 = 3; // Call: received by the server, waiting for Reply
export const TS_WAIT_RECV: i32 = 4;  // Recv: waiting for a request
export const TS_DONE: i32 = 5;       // completed; T_RC holds the status

// ---- kernel object -------------------------------------------------------------------------
export const O_KIND: u32 = 0;
export const O_REFS: u32 = 4;    // handles naming this object
export const O_FLAGS: u32 = 8;
export const O_OWNER: u32 = 12;  // process index + 1 (listener: server; sync: creator)
// listener
export const O_CALL_HEAD: u32 = 16; // threads queued in Call (thread index + 1)
export const O_CALL_TAIL: u32 = 20;
export const O_RECV_HEAD: u32 = 24; // threads waiting in Recv
export const O_RECV_TAIL: u32 = 28;
export const O_SLOT_HEAD: u32 = 32; // reply slots: calls received, not yet answered
export const O_SLOT_TAIL: u32 = 36;
export const O_CHANNELS: u32 = 40;  // channels attached
export const O_FIRST_REALM: u32 = 44; // realm of the first client attached, + 1 (deadlock guard)
export const O_MULTI_REALM: u32 = 48; // 1 when clients of several realms are attached
// channel (the client end: what a client IPC handle names)
export const O_LISTENER: u32 = 16;  // object index + 1
export const O_CLIENT: u32 = 20;    // client process index + 1
export const O_SERVER: u32 = 24;    // server process index + 1
// sync object: O_FLAGS bit 0 = interrupt set, bit 1 = autoclear

export const K_FREE: i32 = 0;
export const K_CHANNEL: i32 = 1;
export const K_LISTENER: i32 = 2;
export const K_SYNC: i32 = 3;

export const OF_CLOSED: i32 = 1;     // listener: server side gone; channel: disconnected
export const OF_SYNC_SET: i32 = 1;
export const OF_SYNC_AUTOCLEAR: i32 = 2;

// ---- reply slot ----------------------------------------------------------------------------
export const S_STATE: u32 = 0;   // SL_FREE, SL_LIVE, or SL_ABANDONED (its caller stopped waiting)
export const S_LISTENER: u32 = 4; // listener object index + 1
export const S_TOKEN: u32 = 8;   // generation << 16 | index + 1: the call token (SMsgHdr.threadId)
export const S_CALLER: u32 = 12; // the caller's Tid
export const S_NEXT: u32 = 16;  // next slot of the listener's list (index + 1)

export const SL_FREE: i32 = 0;
export const SL_LIVE: i32 = 1;
export const SL_ABANDONED: i32 = 2;

// ---- handle entry --------------------------------------------------------------------------
export const HE_OBJ: u32 = 0;    // object index + 1, 0 = free
export const HE_RIGHTS: u32 = 4;
export const HE_GEN: u32 = 8;

export const R_CALL: u32 = 1;      // may Call on a channel
export const R_RECV: u32 = 2;      // may Recv / Reply on a listener
export const R_SYNC: u32 = 4;      // may set / clear an IPC sync object

// ---- name entry (service locator) and endpoint entry ---------------------------------------
export const N_PROC: u32 = 0;    // process index + 1, 0 = free
export const N_KIND: u32 = 4;    // 1 client end, 2 server end (names); riid (endpoints)
export const N_HANDLE: u32 = 8;  // handle value in that process (names)
export const N_LEN: u32 = 12;
export const N_BYTES: u32 = 16;

// ---- policy rule ---------------------------------------------------------------------------
export const PR_EVENTS: u32 = 0;  // bit mask of events (1 request, 2 response, 4 error)
export const PR_SRC: u32 = 4;     // u16 src class (0 any), u16 dst class (0 any)
export const PR_IID_MID: u32 = 8; // u16 iid (0xFFFF any), u16 mid (0xFFFF any)
export const PR_DECISION: u32 = 12; // 1 grant, 0 deny

export const EV_REQUEST: u32 = 1;
export const EV_RESPONSE: u32 = 2;
export const EV_ERROR: u32 = 4;

export const NK_TYPE_ERR: u32 = 1;

// @ts-ignore: decorator
@inline export function proc(i: u32): u32 { return PROCS + i * PROC_SIZE; }
// @ts-ignore: decorator
@inline export function thread(i: u32): u32 { return THREADS + i * THREAD_SIZE; }
// @ts-ignore: decorator
@inline export function obj(i: u32): u32 { return OBJECTS + i * OBJ_SIZE; }
// @ts-ignore: decorator
@inline export function slot(i: u32): u32 { return SLOTS + i * SLOT_SIZE; }
// @ts-ignore: decorator
@inline export function hent(p: u32, i: u32): u32 {
  return HANDLES + (p * HANDLES_PER_PROC + i) * HANDLE_SIZE;
}
// @ts-ignore: decorator
@inline export function hdr(field: u32): u32 { return KBASE + field; }
// @ts-ignore: decorator
@inline export function procAlive(p: u32): bool { return load<i32>(proc(p) + P_STATE) == PS_ALIVE; }
