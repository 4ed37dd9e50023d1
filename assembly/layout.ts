// The kernel's memory map. Every table sits at an address fixed at compile time, so that every
// instance of this module (one per realm: the main thread and each worker) sees the same kernel
// state in the one shared memory, and no instance owns an allocator or writable static data.
//
//   0x0000_0000 +----------------------------+
//               | reserved for the host      |  64 KiB, never touched by the core
//   0x0001_0000 +----------------------------+
//               | static data (read-only)    |  abort strings only (--memoryBase 65536)
//   KBASE       +----------------------------+  0x0004_0000
//               | header (256 B)             |  magic, seeds, counters, heap free lists
//               | lock line (64 B)           |  the kernel lock, alone on its cache line
//               | processes   64 x 32 B      |
//               | threads    256 x 128 B     |  each holds its wait cell
//               | objects   2048 x 64 B      |  channels, listeners, sync objects
//               | reply slots 1024 x 16 B    |  calls received and not yet answered
//               | handles  64 x 256 x 16 B   |  one table per process
//               | names      512 x 64 B      |  service locator: channel names
//               | endpoints  512 x 64 B      |  endpoint name -> RIID per server process
//               | policy rules 256 x 16 B    |
//               | message shapes             |  4 B per process + 512 x 192 B (shapes.ts)
//   TABLES_END  +----------------------------+  admin scratch: names, shape descriptors
//   HEAP_BASE   +----------------------------+  0x0010_0000
//               | heap: process.alloc and    |  size-classed blocks, grows with memory.grow
//               | per-thread staging buffers |
//               +----------------------------+

export const KBASE: u32 = 0x40000;
export const MAGIC: u32 = 0x4b4f5331; // "KOS1"

// Header fields (offsets from KBASE).
export const H_MAGIC: u32 = 0;
export const H_KEY: u32 = 4;          // handle scramble key
export const H_HEAP_TOP: u32 = 8;     // next unused heap byte
export const H_TASK_SEQ: u32 = 12;    // last TaskId handed out
export const H_SLOT_FREE: u32 = 16;   // free list of reply slots (index + 1)
export const H_POLICY_N: u32 = 20;    // number of policy rules
export const H_POLICY_DEFAULT: u32 = 24; // 1 = grant, 0 = deny
export const H_GROWS: u32 = 28;       // times the heap grew the memory
export const H_STATS: u32 = 32;       // 8 counters (see index.ts k_stat)
export const H_FREELISTS: u32 = 128;  // 32 heap size classes x 4 B
export const HDR_SIZE: u32 = 256;

export const LOCK_ADDR: u32 = KBASE + HDR_SIZE;
export const LOCK_LINE: u32 = 64;

export const MAX_PROCS: u32 = 64;
export const PROC_SIZE: u32 = 32;
export const PROCS: u32 = LOCK_ADDR + LOCK_LINE;

export const MAX_THREADS: u32 = 256;
export const THREAD_SIZE: u32 = 128;
export const THREADS: u32 = PROCS + MAX_PROCS * PROC_SIZE;

export const MAX_OBJECTS: u32 = 2048;
export const OBJ_SIZE: u32 = 64;
export const OBJECTS: u32 = THREADS + MAX_THREADS * THREAD_SIZE;

export const MAX_SLOTS: u32 = 1024;
export const SLOT_SIZE: u32 = 16;
export const SLOTS: u32 = OBJECTS + MAX_OBJECTS * OBJ_SIZE;

export const HANDLES_PER_PROC: u32 = 256;
export const HANDLE_SIZE: u32 = 16;
export const HANDLES: u32 = SLOTS + MAX_SLOTS * SLOT_SIZE;

export const MAX_NAMES: u32 = 512;
export const NAME_SIZE: u32 = 64;
export const NAME_MAX: u32 = 48;      // bytes of UTF-8 in a channel or endpoint name
export const NAMES: u32 = HANDLES + MAX_PROCS * HANDLES_PER_PROC * HANDLE_SIZE;

export const MAX_ENDPOINTS: u32 = 512;
export const ENDPOINTS: u32 = NAMES + MAX_NAMES * NAME_SIZE;

export const MAX_RULES: u32 = 256;
export const RULE_SIZE: u32 = 16;
export const RULES: u32 = ENDPOINTS + MAX_ENDPOINTS * NAME_SIZE;

// Message shapes (shapes.ts): a count per process, then the records.
export const MAX_SHAPES: u32 = 512;   // a power of two (open addressing)
export const SHAPE_SIZE: u32 = 192;
export const SHAPES: u32 = RULES + MAX_RULES * RULE_SIZE;
export const SHAPE_RECORDS: u32 = SHAPES + MAX_PROCS * 4;

export const TABLES_END: u32 = SHAPE_RECORDS + MAX_SHAPES * SHAPE_SIZE;
export const HEAP_BASE: u32 = 0x100000;

// ---- process record ------------------------------------------------------------------------
export const P_STATE: u32 = 0;   // 0 free, 1 alive, 2 dying (no new syscalls), 3 dead
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
export const T_STATE: u32 = 0;
export const T_PROC: u32 = 4;
export const T_CELL: u32 = 8;    // wait cell: 0 while blocked, 1 when completed (futex word)
export const T_RC: u32 = 12;     // status of the completed syscall
export const T_NEXT: u32 = 16;   // queue link (thread index + 1)
export const T_PREV: u32 = 20;
export const T_OBJ: u32 = 24;    // listener the thread waits on (object index + 1)
export const T_SYNC: u32 = 28;   // IPC sync object named by CallEx/RecvEx (object index + 1)
export const T_GEN: u32 = 32;    // bumps each time the record is reused
export const T_OUT_C: u32 = 36;  // request / response constant part (address)
export const T_OUT_CLEN: u32 = 40;
export const T_OUT_A: u32 = 44;  // arena (address) and used bytes
export const T_OUT_ALEN: u32 = 48;
export const T_IN_C: u32 = 52;   // receive buffers: constant part and arena, capacities
export const T_IN_CCAP: u32 = 56;
export const T_IN_A: u32 = 60;
export const T_IN_ACAP: u32 = 64;
export const T_RX_CLEN: u32 = 68; // what was received: constant part bytes, arena bytes
export const T_RX_ALEN: u32 = 72;
export const T_RX_TASK: u32 = 76; // Recv: sender TaskId
export const T_RX_TID: u32 = 80;  // Recv: sender Tid
export const T_RX_HANDLE: u32 = 84; // Recv: the server handle value the request came in on
export const T_SLOT: u32 = 88;   // reply slot (index + 1) while waiting for a reply
export const T_STAGE: u32 = 92;  // staging buffer (address) and capacity
export const T_STAGE_CAP: u32 = 96;
export const T_REALM: u32 = 100;
export const T_CHANNEL: u32 = 104; // channel object of a call in flight (index + 1)

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
export const S_STATE: u32 = 0;   // 0 free, 1 live, 2 abandoned (caller timed out or died)
export const S_LISTENER: u32 = 4;
export const S_TID: u32 = 8;     // caller Tid (public value) at receipt
export const S_NEXT: u32 = 12;

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
export const R_TRANSFER: u32 = 8;  // may be transferred to another process

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

// ---- nk_message header (the constant part's first 24 bytes) --------------------------------
// One table, the same numbers as src/nk/message_layout.ts (a test compares them):
//   +0 size u32 | +4 type u32 | +8 iid u16 | +10 mid u16 | +12 ncaps u32 | +16 self u32 | +20 reserved u32
export const NK_MESSAGE_SIZE: u32 = 24;
export const NK_OFF_SIZE: u32 = 0;
export const NK_OFF_TYPE: u32 = 4;
export const NK_OFF_IID: u32 = 8;
export const NK_OFF_MID: u32 = 10;
export const NK_OFF_NCAPS: u32 = 12;
export const NK_OFF_SELF: u32 = 16;
export const NK_TYPE_ERR: u32 = 1;

/** Largest message (constant part + arena) the kernel carries: the smallest platform limit. */
export const MAX_MESSAGE: u32 = 4 << 20;

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
