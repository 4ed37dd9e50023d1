/**
 * `rtl/retcode.h`: the `Retcode` type, `MAKE_RETCODE` and every return code name the SDK uses.
 *
 * The SDK documents a Retcode as a 32-bit signed integer: 0 is success, every other value is an
 * error code made of four fields (customer flag, space, facility, code). Their bit positions are
 * not public, so kos-ipc defines its own layout (docs/sources.md). Never rely on
 * the numbers; compare with the named constants.
 *
 * ```
 *   31   30   29 ............ 20   19 ........ 12   11 ............ 0
 *  +----+----+-------------------+----------------+------------------+
 *  | E  | C  |   space (10 bit)  | facility (8)   |   code (12 bit)  |
 *  +----+----+-------------------+----------------+------------------+
 *  E  error bit: 1 in every error code, so an error code is never 0 (and is negative as an
 *     int32: `rc < 0` means failure, `rc === rcOk` means success)
 *  C  customer flag: RC_CUSTOMER_TRUE for codes defined by a solution developer,
 *     RC_CUSTOMER_FALSE for the SDK's codes
 * ```
 *
 * The SDK's names below are generic errors: customer FALSE, space GENERAL, facility 0, code =
 * the name's 1-based position in the list below (kept in the order the public sources list them).
 */

/** A KasperskyOS return code: an int32; 0 (`rcOk`) is success, anything else an error. */
export type Retcode = number;

/** Customer flag of an SDK-defined code. */
export const RC_CUSTOMER_FALSE = 0;
/** Customer flag of a code defined by the solution developer. */
export const RC_CUSTOMER_TRUE = 1;

/** Space of generic errors. */
export const RC_SPACE_GENERAL = 0;
/** Space of kernel errors. */
export const RC_SPACE_KERNEL = 1;
/** Space of driver errors. */
export const RC_SPACE_DRIVERS = 2;

const ERROR_BIT = 0x80000000;
const CUSTOMER_SHIFT = 30;
const SPACE_SHIFT = 20;
const SPACE_MAX = 0x3ff;
const FACILITY_SHIFT = 12;
const FACILITY_MAX = 0xff;
const CODE_MAX = 0xfff;

function checkField(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(
      `MAKE_RETCODE: ${name} must be an integer from 0 to ${max}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Compose an error code, as the SDK macro `MAKE_RETCODE(customer, space, facility, code, desc)`.
 * The description is accepted for source compatibility and ignored. Throws a RangeError for a
 * field outside its width (customer 0..1, space 0..1023, facility 0..255, code 0..4095).
 */
export function MAKE_RETCODE(
  customer: number,
  space: number,
  facility: number,
  code: number,
  _description?: string,
): Retcode {
  checkField('customer', customer, 1);
  checkField('space', space, SPACE_MAX);
  checkField('facility', facility, FACILITY_MAX);
  checkField('code', code, CODE_MAX);
  return (
    (ERROR_BIT |
      (customer << CUSTOMER_SHIFT) |
      (space << SPACE_SHIFT) |
      (facility << FACILITY_SHIFT) |
      code) |
    0
  );
}

/** Customer flag of a Retcode (RC_CUSTOMER_TRUE or RC_CUSTOMER_FALSE). */
export function RC_GET_CUSTOMER(rc: Retcode): number {
  return (rc >>> CUSTOMER_SHIFT) & 1;
}

/** Space field of a Retcode (RC_SPACE_GENERAL, RC_SPACE_KERNEL, RC_SPACE_DRIVERS, ...). */
export function RC_GET_SPACE(rc: Retcode): number {
  return (rc >>> SPACE_SHIFT) & SPACE_MAX;
}

/** Facility field of a Retcode. */
export function RC_GET_FACILITY(rc: Retcode): number {
  return (rc >>> FACILITY_SHIFT) & FACILITY_MAX;
}

/** Code field of a Retcode. */
export function RC_GET_CODE(rc: Retcode): number {
  return rc & CODE_MAX;
}

function sdk(code: number): Retcode {
  return MAKE_RETCODE(RC_CUSTOMER_FALSE, RC_SPACE_GENERAL, 0, code);
}

/** Success. */
export const rcOk: Retcode = 0;
/** An argument (for IPC: the request or response structure) is invalid. */
export const rcInvalidArgument = sdk(1);
/** The peer of the channel was not found (e.g. the server IPC handle is gone). */
export const rcNotConnected = sdk(2);
/** Not enough memory. */
export const rcOutOfMemory = sdk(3);
/** A buffer is too small. */
export const rcBufferTooSmall = sdk(4);
/** Internal error. */
export const rcInternalError = sdk(5);
/** Message transfer failed. */
export const rcTransferError = sdk(6);
/** Message reception failed. */
export const rcReceiveError = sdk(7);
/** Fault while reading the source buffer. */
export const rcSourceFault = sdk(8);
/** Fault while writing the target buffer. */
export const rcTargetFault = sdk(9);
/** A CallEx/RecvEx was interrupted through an IPC sync object. */
export const rcIpcInterrupt = sdk(10);
/** The operation must be restarted. */
export const rcRestart = sdk(11);
/** Generic failure. */
export const rcFail = sdk(12);
/** The handle lacks a required right. */
export const rcNoCapability = sdk(13);
/** The object is not ready. */
export const rcNotReady = sdk(14);
/** Not implemented. */
export const rcUnimplemented = sdk(15);
/** A buffer is too large. */
export const rcBufferTooLarge = sdk(16);
/** The resource is busy. */
export const rcBusy = sdk(17);
/** The resource was not found. */
export const rcResourceNotFound = sdk(18);
/** The timeout expired. */
export const rcTimeout = sdk(19);
/** The security module (or a capability check) denied the operation. */
export const rcSecurityDisallow = sdk(20);
/** A futex wait would block. */
export const rcFutexWouldBlock = sdk(21);
/** The operation was aborted. */
export const rcAbort = sdk(22);
/** The thread is in a state that does not allow the operation. */
export const rcInvalidThreadState = sdk(23);
/** The object already exists. */
export const rcAlreadyExists = sdk(24);
/** The operation is not valid for the object. */
export const rcInvalidOperation = sdk(25);
/** The handle (or an ancestor) was revoked. */
export const rcHandleRevoked = sdk(26);
/** A quota was exceeded. */
export const rcQuotaExceeded = sdk(27);
/** The device was not found. */
export const rcDeviceNotFound = sdk(28);

const NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [rcOk, 'rcOk'],
  [rcInvalidArgument, 'rcInvalidArgument'],
  [rcNotConnected, 'rcNotConnected'],
  [rcOutOfMemory, 'rcOutOfMemory'],
  [rcBufferTooSmall, 'rcBufferTooSmall'],
  [rcInternalError, 'rcInternalError'],
  [rcTransferError, 'rcTransferError'],
  [rcReceiveError, 'rcReceiveError'],
  [rcSourceFault, 'rcSourceFault'],
  [rcTargetFault, 'rcTargetFault'],
  [rcIpcInterrupt, 'rcIpcInterrupt'],
  [rcRestart, 'rcRestart'],
  [rcFail, 'rcFail'],
  [rcNoCapability, 'rcNoCapability'],
  [rcNotReady, 'rcNotReady'],
  [rcUnimplemented, 'rcUnimplemented'],
  [rcBufferTooLarge, 'rcBufferTooLarge'],
  [rcBusy, 'rcBusy'],
  [rcResourceNotFound, 'rcResourceNotFound'],
  [rcTimeout, 'rcTimeout'],
  [rcSecurityDisallow, 'rcSecurityDisallow'],
  [rcFutexWouldBlock, 'rcFutexWouldBlock'],
  [rcAbort, 'rcAbort'],
  [rcInvalidThreadState, 'rcInvalidThreadState'],
  [rcAlreadyExists, 'rcAlreadyExists'],
  [rcInvalidOperation, 'rcInvalidOperation'],
  [rcHandleRevoked, 'rcHandleRevoked'],
  [rcQuotaExceeded, 'rcQuotaExceeded'],
  [rcDeviceNotFound, 'rcDeviceNotFound'],
]);

const SPACE_NAMES: readonly string[] = ['GENERAL', 'KERNEL', 'DRIVERS'];

/**
 * Name a Retcode for messages: 'rcOk', 'rcTimeout', ..., or for a code without a name its fields,
 * e.g. 'Retcode(customer=1, space=GENERAL, facility=0, code=5)'. Accepts the int32 or its
 * unsigned (`>>> 0`) form; throws a TypeError for anything that is not a 32-bit integer.
 */
export function retcodeName(rc: Retcode): string {
  if (typeof rc !== 'number' || !Number.isInteger(rc) || rc < -0x80000000 || rc > 0xffffffff) {
    const shown = typeof rc === 'number' ? String(rc) : typeof rc;
    throw new TypeError(`retcodeName: rc must be a 32-bit integer Retcode, got ${shown}`);
  }
  const value = rc | 0;
  const known = NAMES.get(value);
  if (known !== undefined) return known;
  if ((value & ERROR_BIT) === 0) {
    const hex = (value >>> 0).toString(16).padStart(8, '0');
    return `Retcode(0x${hex}: not an error code, the error bit 31 is clear)`;
  }
  const space = RC_GET_SPACE(value);
  return (
    `Retcode(customer=${RC_GET_CUSTOMER(value)}, space=${SPACE_NAMES[space] ?? String(space)}, ` +
    `facility=${RC_GET_FACILITY(value)}, code=${RC_GET_CODE(value)})`
  );
}
