import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nk_arena_init } from 'kos-ipc/nk/arena';
import { NK_MESSAGE_FIELDS, NK_MSG_TYPE_ERR, NK_MSG_TYPE_REQ, NK_PTR_FIELDS } from 'kos-ipc/nk/message_layout';
import {
  INFINITE_TIMEOUT,
  INVALID_HANDLE,
  INVALID_RIID,
  NK_EBADMSG,
  NK_EINVAL,
  NK_ENOENT,
  NK_ENOMEM,
  NK_EOK,
  NK_EPERM,
  NK_MESSAGE_SIZE,
  NK_PTR_SIZE,
} from 'kos-ipc/nk/types';
import {
  PackInMsg,
  PackOutMsg,
  SMsgHdr,
  nk_err_reset,
  nk_message_get_iid,
  nk_message_get_mid,
  nk_message_get_ncaps,
  nk_message_get_size,
  nk_message_get_type,
  nk_message_make_req,
  nk_message_set_iid,
  nk_message_set_mid,
  nk_message_set_ncaps,
  nk_message_set_size,
  nk_msg_check_err,
  nk_msg_set_method_id,
  nk_msg_set_ncaps,
  nk_req_reset,
} from 'kos-ipc/services/rtl/nk_msg';

const u32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const u16 = (v: number): number[] => [v & 0xff, v >>> 8];

test('the nk_message header table gives every field its fixed offset and width', () => {
  assert.equal(NK_MESSAGE_FIELDS, {
    size: { offset: 0, width: 4 },
    type: { offset: 4, width: 4 },
    iid: { offset: 8, width: 2 },
    mid: { offset: 10, width: 2 },
    ncaps: { offset: 12, width: 4 },
    self: { offset: 16, width: 4 },
    selfRights: { offset: 20, width: 4 },
  });
  assert.is(NK_MSG_TYPE_REQ, 0);
  assert.is(NK_MSG_TYPE_ERR, 1);
});

test('the header fields cover the 24 bytes exactly once, each aligned to its width', () => {
  const owner = new Array<string | undefined>(NK_MESSAGE_SIZE);
  for (const [name, { offset, width }] of Object.entries(NK_MESSAGE_FIELDS)) {
    assert.is(offset % width, 0, `${name} is misaligned`);
    for (let i = offset; i < offset + width; i++) {
      assert.is(owner[i], undefined, `${name} overlaps ${owner[i]}`);
      owner[i] = name;
    }
  }
  assert.is(NK_MESSAGE_SIZE, 24);
  assert.ok(owner.every((o) => o !== undefined) && owner.length === 24, 'a byte of the header has no field');
});

test('an nk_ptr_t is an offset then a size, 4 bytes each', () => {
  assert.equal(NK_PTR_FIELDS, { offset: { offset: 0, width: 4 }, size: { offset: 4, width: 4 } });
  assert.is(NK_PTR_SIZE, 8);
});

test('the sentinels and nk_err_t codes have their documented values', () => {
  assert.is(INVALID_HANDLE, 0xffffffff);
  assert.is(INVALID_RIID, 0xffff);
  assert.is(INFINITE_TIMEOUT, 0xffffffff);
  assert.is(NK_EOK, 0);
  const codes = [NK_EPERM, NK_ENOENT, NK_ENOMEM, NK_EINVAL, NK_EBADMSG];
  assert.is(new Set(codes).size, codes.length);
  assert.ok(codes.every((c) => c !== 0));
});

test('a new SMsgHdr names no reply handle and is bound to no buffer', () => {
  const hdr = new SMsgHdr();
  assert.is(hdr.replyHandle, INVALID_HANDLE);
  assert.is(hdr.sender, 0);
  assert.is(hdr.threadId, 0);
  assert.is(hdr.traceId, 0n);
  assert.is(hdr.spanId, 0n);
  assert.is(hdr.immSize, 0);
  assert.is(hdr.constPart, null);
  assert.is(hdr.arena, null);
});

test('PackOutMsg binds the constant part and the arena and returns NK_EOK', () => {
  const hdr = new SMsgHdr();
  const req = new Uint8Array(32);
  const arena = nk_arena_init(new Uint8Array(16));
  assert.is(PackOutMsg(hdr, req, arena), NK_EOK);
  assert.is(hdr.constPart, req);
  assert.is(hdr.arena, arena);
  assert.is(hdr.immSize, 0);
});

test('PackInMsg binds a buffer without an arena to a null arena', () => {
  const hdr = new SMsgHdr();
  hdr.arena = nk_arena_init(new Uint8Array(8));
  const res = new Uint8Array(24);
  assert.is(PackInMsg(hdr, res), NK_EOK);
  assert.is(hdr.constPart, res);
  assert.is(hdr.arena, null);
  assert.is(PackInMsg(hdr, res, null), NK_EOK);
});

test('PackOutMsg and PackInMsg return NK_EINVAL for a constant part shorter than the header', () => {
  const hdr = new SMsgHdr();
  assert.is(PackOutMsg(hdr, new Uint8Array(23)), NK_EINVAL);
  assert.is(PackInMsg(hdr, new Uint8Array(0)), NK_EINVAL);
  assert.is(hdr.constPart, null, 'a rejected pack must not bind');
});

test('PackOutMsg throws a TypeError naming the argument and the value it got', () => {
  const hdr = new SMsgHdr();
  assert.throws(
    () => PackOutMsg(hdr, 5 as unknown as Uint8Array),
    (e: Error) => e instanceof TypeError && e.message === 'PackOutMsg: constPart must be a Uint8Array, got number 5',
  );
  assert.throws(
    () => PackOutMsg(hdr, new Uint16Array(16) as unknown as Uint8Array),
    /PackOutMsg: constPart must be a Uint8Array, got Uint16Array/,
  );
  assert.throws(() => PackOutMsg({} as SMsgHdr, new Uint8Array(24)), /PackOutMsg: hdr must be an SMsgHdr .*new SMsgHdr\(\).*got Object/);
});

test('PackInMsg throws a TypeError for an arena that is not an NkArena', () => {
  const bad = new Uint8Array(8) as unknown as null;
  assert.throws(() => PackInMsg(new SMsgHdr(), new Uint8Array(24), bad), (e: Error) =>
    e instanceof TypeError && /PackInMsg: arena must be an NkArena .*got Uint8Array/.test(e.message));
});

test('nk_req_reset zeroes only the header and sets the size to the buffer length and type REQ', () => {
  const msg = new Uint8Array(30).fill(0xaa);
  nk_req_reset(msg);
  assert.equal(Array.from(msg.subarray(0, 24)), [...u32(30), ...u32(0), ...new Array(16).fill(0)]);
  assert.equal(Array.from(msg.subarray(24)), new Array(6).fill(0xaa));
  assert.is(nk_message_get_type(msg), NK_MSG_TYPE_REQ);
  assert.not.ok(nk_msg_check_err(msg));
});

test('nk_req_reset takes an explicit size up to the buffer length', () => {
  const msg = new Uint8Array(64);
  nk_req_reset(msg, 28);
  assert.is(nk_message_get_size(msg), 28);
  assert.throws(() => nk_req_reset(msg, 23), (e: Error) => e instanceof RangeError && /nk_req_reset: size .*got number 23/.test(e.message));
  assert.throws(() => nk_req_reset(msg, 65), /nk_req_reset: size must be an integer from 24 to msg.byteLength \(64\)/);
});

test('nk_err_reset marks a response as carrying error parameters', () => {
  const msg = new Uint8Array(26).fill(0x55);
  nk_err_reset(msg);
  assert.equal(Array.from(msg.subarray(0, 8)), [...u32(26), ...u32(NK_MSG_TYPE_ERR)]);
  assert.ok(nk_msg_check_err(msg));
  nk_req_reset(msg);
  assert.not.ok(nk_msg_check_err(msg));
});

test('nk_message_make_req turns an error response into a results response and keeps the other fields', () => {
  const msg = new Uint8Array(24);
  nk_err_reset(msg);
  nk_msg_set_method_id(msg, 7, 9);
  nk_message_make_req(msg);
  assert.is(nk_message_get_type(msg), NK_MSG_TYPE_REQ);
  assert.is(nk_message_get_iid(msg), 7);
  assert.is(nk_message_get_mid(msg), 9);
  assert.is(nk_message_get_size(msg), 24);
});

test('nk_msg_set_method_id writes iid and mid as little-endian u16 at 8 and 10', () => {
  const msg = new Uint8Array(24);
  nk_msg_set_method_id(msg, 0x0102, 0x0304);
  assert.equal(Array.from(msg.subarray(8, 12)), [0x02, 0x01, 0x04, 0x03]);
  assert.is(nk_message_get_iid(msg), 0x0102);
  assert.is(nk_message_get_mid(msg), 0x0304);
  nk_msg_set_method_id(msg, 0xffff, 0xffff);
  assert.equal(Array.from(msg.subarray(8, 12)), [0xff, 0xff, 0xff, 0xff]);
  assert.is(msg[7], 0);
  assert.is(msg[12], 0);
});

test('nk_msg_set_method_id rejects an iid or mid outside 0..0xFFFF with a RangeError naming it', () => {
  const msg = new Uint8Array(24);
  assert.throws(() => nk_msg_set_method_id(msg, 0x10000, 0), (e: Error) =>
    e instanceof RangeError && /nk_msg_set_method_id: iid must be an integer from 0 to 0xffff, got number 65536/.test(e.message));
  assert.throws(() => nk_msg_set_method_id(msg, 0, -1), /nk_msg_set_method_id: mid .*got number -1/);
  assert.throws(() => nk_message_set_iid(msg, 1.5), /nk_message_set_iid: iid/);
  assert.throws(() => nk_message_set_mid(msg, 0x10000), /nk_message_set_mid: mid/);
  assert.equal(Array.from(msg), new Array(24).fill(0), 'a rejected write changes nothing');
});

test('nk_msg_set_ncaps writes the handle count as a little-endian u32 at 12', () => {
  const msg = new Uint8Array(24);
  nk_msg_set_ncaps(msg, 0x01020304);
  assert.equal(Array.from(msg.subarray(12, 16)), [4, 3, 2, 1]);
  assert.is(nk_message_get_ncaps(msg), 0x01020304);
  nk_message_set_ncaps(msg, 2);
  assert.is(nk_message_get_ncaps(msg), 2);
  assert.throws(() => nk_msg_set_ncaps(msg, -1), RangeError);
});

test('nk_message_set_size accepts any u32 so that tests can build hostile headers', () => {
  const msg = new Uint8Array(24);
  nk_message_set_size(msg, 0xfffffff0);
  assert.is(nk_message_get_size(msg), 0xfffffff0);
  assert.equal(Array.from(msg.subarray(0, 4)), [0xf0, 0xff, 0xff, 0xff]);
  assert.throws(() => nk_message_set_size(msg, 2 ** 32), /nk_message_set_size: size/);
});

test('the header accessors work on a view that starts inside a larger buffer', () => {
  const backing = new Uint8Array(64).fill(0xee);
  const msg = backing.subarray(8, 40);
  nk_req_reset(msg);
  nk_msg_set_method_id(msg, 3, 4);
  assert.is(backing[7], 0xee);
  assert.equal(Array.from(backing.subarray(8, 20)), [...u32(32), ...u32(0), ...u16(3), ...u16(4)]);
  assert.is(nk_message_get_size(msg), 32);
});

test('every header accessor throws a TypeError for a non-Uint8Array and a RangeError for 23 bytes', () => {
  const calls: Array<[string, (m: Uint8Array) => unknown]> = [
    ['nk_req_reset', (m) => nk_req_reset(m)],
    ['nk_err_reset', (m) => nk_err_reset(m)],
    ['nk_msg_set_method_id', (m) => nk_msg_set_method_id(m, 0, 0)],
    ['nk_msg_set_ncaps', (m) => nk_msg_set_ncaps(m, 0)],
    ['nk_msg_check_err', (m) => nk_msg_check_err(m)],
    ['nk_message_get_size', (m) => nk_message_get_size(m)],
    ['nk_message_set_size', (m) => nk_message_set_size(m, 24)],
    ['nk_message_get_type', (m) => nk_message_get_type(m)],
    ['nk_message_make_req', (m) => nk_message_make_req(m)],
    ['nk_message_get_iid', (m) => nk_message_get_iid(m)],
    ['nk_message_set_iid', (m) => nk_message_set_iid(m, 0)],
    ['nk_message_get_mid', (m) => nk_message_get_mid(m)],
    ['nk_message_set_mid', (m) => nk_message_set_mid(m, 0)],
    ['nk_message_get_ncaps', (m) => nk_message_get_ncaps(m)],
    ['nk_message_set_ncaps', (m) => nk_message_set_ncaps(m, 0)],
  ];
  for (const [name, call] of calls) {
    assert.throws(() => call([] as unknown as Uint8Array), (e: Error) =>
      e instanceof TypeError && e.message.startsWith(`${name}: msg must be a Uint8Array`), name);
    assert.throws(() => call(new Uint8Array(23)), (e: Error) =>
      e instanceof RangeError && e.message.startsWith(`${name}: msg must be at least 24 bytes`) && /got 23/.test(e.message), name);
  }
});

test('golden: an echo.Ping Ping(in UInt32 value) request is 28 bytes with the value at 24', () => {
  const req = new Uint8Array(28).fill(0xcc);
  nk_req_reset(req);
  nk_msg_set_method_id(req, 1, 0); // riid 1 (ServiceLocatorGetRiid), Ping is method 0
  nk_msg_set_ncaps(req, 0);
  new DataView(req.buffer).setUint32(24, 777, true);
  assert.equal(Array.from(req), [
    28, 0, 0, 0, /* size */ 0, 0, 0, 0, /* type REQ */ 1, 0, /* iid */ 0, 0, /* mid */
    0, 0, 0, 0, /* ncaps */ 0, 0, 0, 0, /* self */ 0, 0, 0, 0, /* reserved */
    0x09, 0x03, 0, 0, /* value 777 */
  ]);
});

test('golden: an error response with a UInt16 status carries type ERR and the status at 24', () => {
  const res = new Uint8Array(26);
  nk_err_reset(res);
  nk_msg_set_method_id(res, 2, 5);
  nk_msg_set_ncaps(res, 0);
  new DataView(res.buffer).setUint16(24, 0xbeef, true);
  assert.equal(Array.from(res), [
    ...u32(26), ...u32(1), ...u16(2), ...u16(5), ...u32(0), ...u32(0), ...u32(0), 0xef, 0xbe,
  ]);
  assert.ok(nk_msg_check_err(res));
});

test.run();
