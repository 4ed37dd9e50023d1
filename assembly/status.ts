// Status codes returned by every core entry point. The TypeScript layer (src/rtl/status.ts)
// turns them into the SDK's Retcodes; the core knows nothing of Retcode numbers.

export const ST_OK: i32 = 0;
/** The caller must wait on its wait cell, then call k_finish (or k_cancel). */
export const ST_WOULD_BLOCK: i32 = 1;
/** Malformed message: header size, lengths, a descriptor, a response that does not fit. */
export const ST_INVALID_MSG: i32 = 2;
/** The handle value names no live entry of the caller's handle table. */
export const ST_BAD_HANDLE: i32 = 3;
/** The handle names an object of the wrong kind for this call. */
export const ST_WRONG_TYPE: i32 = 4;
/** The handle's rights do not allow this call. */
export const ST_NO_RIGHTS: i32 = 5;
/** The peer end of the channel is gone. */
export const ST_NOT_CONNECTED: i32 = 6;
export const ST_TIMEOUT: i32 = 7;
export const ST_INTERRUPTED: i32 = 8;
/** The policy (security module) denied the message. */
export const ST_DENIED: i32 = 9;
export const ST_NO_MEMORY: i32 = 10;
/** The kernel lock is held by another thread: retry (nothing was changed). */
export const ST_LOCK_BUSY: i32 = 11;
/** A blocking call whose only possible peers run on the caller's own thread. */
export const ST_DEADLOCK: i32 = 12;
/** Reply: no received call matches (nothing received, or an unknown threadId). */
export const ST_NO_CALL: i32 = 13;
/** Reply: the caller stopped waiting (timed out, interrupted or ended). */
export const ST_CALLER_GONE: i32 = 14;
/** Message larger than MAX_MESSAGE. */
export const ST_TOO_LARGE: i32 = 15;
/** A fixed kernel table is full. */
export const ST_QUOTA: i32 = 16;
/** The calling process is ending or ended. */
export const ST_DEAD: i32 = 17;
/** A message carries handles (ncaps != 0): handle transfer is not supported yet. */
export const ST_UNSUPPORTED: i32 = 18;
/** A bad argument other than a handle or a message (an index, a name). */
export const ST_BAD_ARG: i32 = 19;
/** A name is already registered. */
export const ST_EXISTS: i32 = 20;
/** process.free: a call in flight still uses the buffer in place. */
export const ST_IN_USE: i32 = 21;
