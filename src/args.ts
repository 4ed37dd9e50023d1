/**
 * Checks of the arguments every API call shares. A wrong type or a value outside the C type's
 * range is a programmer error: a TypeError naming the call, the argument and the value.
 * @internal
 */
import { INFINITE_TIMEOUT } from './nk/types.js';
import { describe } from './describe.js';


/** A u32 argument (a C rtl_uint32_t): an integer from 0 to 0xFFFFFFFF, never taken modulo 2^32. */
export function u32Arg(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new TypeError(`${fn}: ${arg} must be an integer from 0 to 0xFFFFFFFF, got ${describe(v)}`);
  }
  return v;
}

/** A Handle argument: an integer from 0 to 0xFFFFFFFF (INVALID_HANDLE included). */
export function handleArg(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new TypeError(`${fn}: ${arg} must be a handle (an integer from 0 to 0xFFFFFFFF, or INVALID_HANDLE), got ${describe(v)}`);
  }
  return v;
}

/** A timeout in milliseconds, or INFINITE_TIMEOUT: milliseconds, or Infinity. */
export function timeoutArg(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > INFINITE_TIMEOUT) {
    throw new TypeError(`${fn}: ${arg} must be milliseconds (an integer from 0) or INFINITE_TIMEOUT, got ${describe(v)}`);
  }
  return v === INFINITE_TIMEOUT ? Infinity : v;
}

/** A string argument (a C const char *). */
export function stringArg(fn: string, arg: string, v: unknown): string {
  if (typeof v !== 'string') throw new TypeError(`${fn}: ${arg} must be a string, got ${describe(v)}`);
  return v;
}
