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

/**
 * A 32-bit mask (rights, events): an integer from -0x80000000 to 0xFFFFFFFF, taken as its 32 bits,
 * so that masks built with `|` (which gives a negative number once bit 31 is set) pass as they are.
 */
export function maskArg(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff) {
    throw new TypeError(`${fn}: ${arg} must be a 32-bit mask (an integer from -0x80000000 to 0xFFFFFFFF), got ${describe(v)}`);
  }
  return v >>> 0;
}

/** A C rtl_bool argument: true / false, or 1 / 0. */
export function boolArg(fn: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean' && v !== 0 && v !== 1) {
    throw new TypeError(`${fn}: ${arg} must be a boolean (or 0 / 1), got ${describe(v)}`);
  }
  return Boolean(v);
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
