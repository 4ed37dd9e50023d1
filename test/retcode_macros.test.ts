// rtl/retcode: MAKE_RETCODE and its field readers, every SDK name, retcodeName.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as retcode from 'kos-ipc/rtl/retcode';
import {
  MAKE_RETCODE,
  RC_CUSTOMER_FALSE,
  RC_CUSTOMER_TRUE,
  RC_GET_CODE,
  RC_GET_CUSTOMER,
  RC_GET_FACILITY,
  RC_GET_SPACE,
  RC_SPACE_DRIVERS,
  RC_SPACE_GENERAL,
  RC_SPACE_KERNEL,
  rcInvalidArgument,
  rcOk,
  rcSecurityDisallow,
  rcTimeout,
  retcodeName,
} from 'kos-ipc/rtl/retcode';

/** The names of reference/kos-ipc.md section 7, in its order. */
const SDK_NAMES = [
  'rcOk', 'rcInvalidArgument', 'rcNotConnected', 'rcOutOfMemory', 'rcBufferTooSmall',
  'rcInternalError', 'rcTransferError', 'rcReceiveError', 'rcSourceFault', 'rcTargetFault',
  'rcIpcInterrupt', 'rcRestart', 'rcFail', 'rcNoCapability', 'rcNotReady', 'rcUnimplemented',
  'rcBufferTooLarge', 'rcBusy', 'rcResourceNotFound', 'rcTimeout', 'rcSecurityDisallow',
  'rcFutexWouldBlock', 'rcAbort', 'rcInvalidThreadState', 'rcAlreadyExists', 'rcInvalidOperation',
  'rcHandleRevoked', 'rcQuotaExceeded', 'rcDeviceNotFound',
] as const;

const table = retcode as unknown as Record<string, unknown>;

test('every return code name of the SDK is exported as a number', () => {
  for (const name of SDK_NAMES) {
    assert.type(table[name], 'number', `${name} is missing`);
  }
});

test('rcOk is 0 and every other code is a distinct non-zero int32', () => {
  assert.is(rcOk, 0);
  const seen = new Set<number>();
  for (const name of SDK_NAMES.slice(1)) {
    const rc = table[name] as number;
    assert.is.not(rc, 0, `${name} is 0`);
    assert.is(rc | 0, rc, `${name} is not an int32`);
    assert.not.ok(seen.has(rc), `${name} repeats a value`);
    seen.add(rc);
  }
  assert.is(seen.size, SDK_NAMES.length - 1);
});

test('every SDK code is a generic SDK error numbered by its place in the list', () => {
  SDK_NAMES.slice(1).forEach((name, i) => {
    const rc = table[name] as number;
    assert.is(RC_GET_CUSTOMER(rc), RC_CUSTOMER_FALSE, name);
    assert.is(RC_GET_SPACE(rc), RC_SPACE_GENERAL, name);
    assert.is(RC_GET_FACILITY(rc), 0, name);
    assert.is(RC_GET_CODE(rc), i + 1, name);
  });
});

test('MAKE_RETCODE places error bit, customer, space, facility and code at the documented bits', () => {
  const rc = MAKE_RETCODE(RC_CUSTOMER_TRUE, RC_SPACE_DRIVERS, 0x12, 0x345);
  assert.is(rc >>> 0, 0xc0212345);
  assert.is(MAKE_RETCODE(0, RC_SPACE_KERNEL, 0, 1) >>> 0, 0x80100001);
  assert.is(MAKE_RETCODE(0, 0, 1, 0) >>> 0, 0x80001000);
});

test('an error code composed of all-zero fields is still not rcOk', () => {
  const rc = MAKE_RETCODE(RC_CUSTOMER_FALSE, RC_SPACE_GENERAL, 0, 0);
  assert.is.not(rc, rcOk);
  assert.ok(rc < 0);
});

test('the accessors recover the largest value of every field', () => {
  const rc = MAKE_RETCODE(1, 1023, 255, 4095);
  assert.is(RC_GET_CUSTOMER(rc), 1);
  assert.is(RC_GET_SPACE(rc), 1023);
  assert.is(RC_GET_FACILITY(rc), 255);
  assert.is(RC_GET_CODE(rc), 4095);
  assert.is(rc, -1);
});

test('the accessors keep fields apart when neighbours are full', () => {
  const rc = MAKE_RETCODE(0, 1023, 0, 4095);
  assert.is(RC_GET_CUSTOMER(rc), 0);
  assert.is(RC_GET_FACILITY(rc), 0);
  assert.is(RC_GET_SPACE(rc), 1023);
});

test('MAKE_RETCODE rejects a field outside its width with a RangeError naming the field', () => {
  assert.throws(() => MAKE_RETCODE(2, 0, 0, 1), (e: Error) => e instanceof RangeError && /customer .*got 2/.test(e.message));
  assert.throws(() => MAKE_RETCODE(0, 1024, 0, 1), (e: Error) => e instanceof RangeError && /space .*got 1024/.test(e.message));
  assert.throws(() => MAKE_RETCODE(0, 0, 256, 1), (e: Error) => e instanceof RangeError && /facility .*got 256/.test(e.message));
  assert.throws(() => MAKE_RETCODE(0, 0, 0, 4096), (e: Error) => e instanceof RangeError && /code .*got 4096/.test(e.message));
  assert.throws(() => MAKE_RETCODE(0, 0, 0, -1), /MAKE_RETCODE: code/);
  assert.throws(() => MAKE_RETCODE(0, 0, 0, 1.5), /MAKE_RETCODE: code/);
});

test('MAKE_RETCODE takes and ignores the SDK macro description argument', () => {
  assert.is(MAKE_RETCODE(RC_CUSTOMER_TRUE, RC_SPACE_GENERAL, 0, 1, ''), MAKE_RETCODE(1, 0, 0, 1));
});

test('a customer-defined code never equals the SDK code with the same number', () => {
  const custom = MAKE_RETCODE(RC_CUSTOMER_TRUE, RC_SPACE_GENERAL, 0, RC_GET_CODE(rcInvalidArgument));
  assert.is.not(custom, rcInvalidArgument);
  assert.is(RC_GET_CODE(custom), RC_GET_CODE(rcInvalidArgument));
});

test('retcodeName names every SDK code by its constant name', () => {
  for (const name of SDK_NAMES) assert.is(retcodeName(table[name] as number), name);
});

test('retcodeName accepts the unsigned form of a code', () => {
  assert.is(retcodeName(rcTimeout >>> 0), 'rcTimeout');
  assert.is(retcodeName(rcSecurityDisallow >>> 0), 'rcSecurityDisallow');
});

test('retcodeName describes an unnamed error code by its fields', () => {
  assert.is(
    retcodeName(MAKE_RETCODE(RC_CUSTOMER_TRUE, RC_SPACE_GENERAL, 0, 5)),
    'Retcode(customer=1, space=GENERAL, facility=0, code=5)',
  );
  assert.is(
    retcodeName(MAKE_RETCODE(RC_CUSTOMER_FALSE, RC_SPACE_KERNEL, 3, 7)),
    'Retcode(customer=0, space=KERNEL, facility=3, code=7)',
  );
  assert.is(retcodeName(MAKE_RETCODE(0, RC_SPACE_DRIVERS, 0, 1)), 'Retcode(customer=0, space=DRIVERS, facility=0, code=1)');
  assert.is(retcodeName(MAKE_RETCODE(0, 7, 0, 1)), 'Retcode(customer=0, space=7, facility=0, code=1)');
});

test('retcodeName says a non-zero value without the error bit is not an error code', () => {
  assert.is(retcodeName(5), 'Retcode(0x00000005: not an error code, the error bit 31 is clear)');
});

test('retcodeName throws a TypeError for a value that is not a 32-bit integer', () => {
  assert.throws(() => retcodeName('rcOk' as unknown as number), (e: Error) => e instanceof TypeError && /got string/.test(e.message));
  assert.throws(() => retcodeName(1.5), (e: Error) => e instanceof TypeError && /got 1.5/.test(e.message));
  assert.throws(() => retcodeName(2 ** 32), TypeError);
});

test.run();
