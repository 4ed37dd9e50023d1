/**
 * The core's status codes (assembly/status.ts) and the Retcode each one becomes at the API.
 * Internal: the numbers must match the core; test/core_layout.test.ts checks the mapping.
 */
import {
  rcOk, rcInvalidArgument, rcNotConnected, rcTimeout, rcIpcInterrupt, rcSecurityDisallow,
  rcOutOfMemory, rcBusy, rcInvalidOperation, rcNoCapability, rcQuotaExceeded, rcBufferTooLarge,
  rcUnimplemented, rcAlreadyExists, type Retcode,
} from './retcode.js';

export const ST_OK = 0;
export const ST_WOULD_BLOCK = 1;
export const ST_INVALID_MSG = 2;
export const ST_BAD_HANDLE = 3;
export const ST_WRONG_TYPE = 4;
export const ST_NO_RIGHTS = 5;
export const ST_NOT_CONNECTED = 6;
export const ST_TIMEOUT = 7;
export const ST_INTERRUPTED = 8;
export const ST_DENIED = 9;
export const ST_NO_MEMORY = 10;
export const ST_LOCK_BUSY = 11;
export const ST_DEADLOCK = 12;
export const ST_NO_CALL = 13;
export const ST_CALLER_GONE = 14;
export const ST_TOO_LARGE = 15;
export const ST_QUOTA = 16;
export const ST_DEAD = 17;
export const ST_UNSUPPORTED = 18;
export const ST_BAD_ARG = 19;
export const ST_EXISTS = 20;
export const ST_IN_USE = 21;

/** Retcode of each status, indexed by status. ST_WOULD_BLOCK, ST_LOCK_BUSY, ST_DEADLOCK and
 * ST_DEAD never reach the API as codes (the layer waits, retries or throws). */
const TO_RETCODE: readonly Retcode[] = [
  rcOk,               // ST_OK
  rcBusy,             // ST_WOULD_BLOCK (never returned)
  rcInvalidArgument,  // ST_INVALID_MSG
  rcInvalidArgument,  // ST_BAD_HANDLE
  rcInvalidOperation, // ST_WRONG_TYPE
  rcNoCapability,     // ST_NO_RIGHTS
  rcNotConnected,     // ST_NOT_CONNECTED
  rcTimeout,          // ST_TIMEOUT
  rcIpcInterrupt,     // ST_INTERRUPTED
  rcSecurityDisallow, // ST_DENIED
  rcOutOfMemory,      // ST_NO_MEMORY
  rcBusy,             // ST_LOCK_BUSY (never returned)
  rcInvalidOperation, // ST_DEADLOCK (thrown instead)
  rcInvalidArgument,  // ST_NO_CALL
  rcNotConnected,     // ST_CALLER_GONE
  rcBufferTooLarge,   // ST_TOO_LARGE
  rcQuotaExceeded,    // ST_QUOTA
  rcNotConnected,     // ST_DEAD
  rcUnimplemented,    // ST_UNSUPPORTED
  rcInvalidArgument,  // ST_BAD_ARG
  rcAlreadyExists,    // ST_EXISTS
  rcBusy,             // ST_IN_USE
];

export function toRetcode(st: number): Retcode {
  return TO_RETCODE[st] ?? rcInvalidArgument;
}
