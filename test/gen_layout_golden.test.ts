// Golden layouts: the generated classes and constants against the values nk-gen-c's generated
// headers give (static asserts and enums of nk-gen-c output found in public projects,
// docs/sources.md), and against kos-ipc's own derivations where no header is public (Handle first,
// unions, nested structs, arrays of structs, sequences of sequences, strings at their limits;
// the rule of each is in docs/gen.md). Offsets are measured on the generated classes: a field
// is written and the bytes that changed are where it lives.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileIdl } from 'kos-ipc/gen';
import type { NkMessage, NkView } from 'kos-ipc/gen/runtime';
import { nk_arena_init } from 'kos-ipc';

type Exports = Record<string, unknown>;
type Msg = new (base_?: Uint8Array, arena_?: unknown) => NkMessage & Record<string, unknown>;

function gen(text: string, files: Record<string, string> = {}): Exports {
  return compileIdl(text, files).exports;
}

/** The byte offsets a write of `value` to field `name` of a fresh `C` changes (descriptors get a non-zero arena offset). */
function written(C: Msg, name: string, value: unknown): number[] {
  const m = new C(undefined, nk_arena_init(new Uint8Array(256)));
  m.arena_!.used = 8;
  const before = m.base_.slice();
  m[name] = value;
  return [...m.base_.keys()].filter((i) => m.base_[i] !== before[i]);
}

/** The first byte a write to `name` changes: the field's offset. */
const at = (C: Msg, name: string, value: unknown): number => written(C, name, value)[0]!;

test('Echo(in string<256> value): request 32 bytes with value at 24, response and error 24, arena 257 (rbykov04 static asserts)', () => {
  const x = gen('package Echo\ninterface { Echo(in string<256> value); }');
  const Req = x.Echo_Echo_req as Msg;
  assert.is((Req as unknown as { size: number }).size, 32);
  assert.equal(written(Req, 'value', 'hi'), [24, 28], 'the nk_ptr_t {offset 8, size 3}');
  assert.is((x.Echo_Echo_res as unknown as { size: number }).size, 24);
  assert.is((x.Echo_Echo_err as unknown as { size: number }).size, 24);
  assert.equal([x.Echo_Echo_mid, x.Echo_mid_max, x.Echo_Echo_req_value_size, x.Echo_Echo_req_arena_size, x.Echo_Echo_res_arena_size],
    [0, 1, 257, 257, 0]);
  assert.equal([x.Echo_Echo_req_handles, x.Echo_Echo_res_handles, x.Echo_Echo_err_handles, x.Echo_req_arena_size, x.Echo_res_arena_size],
    [0, 0, 0, 257, 0]);
});

test('KlogStorage: Entry is 4120 bytes with source at 16 and msg at 24; write\'s sequence<Entry, 32> takes 131840 arena bytes', () => {
  const x = gen(`package kl.KlogStorage
struct Entry { UInt64 id; UInt64 timestamp; UInt32 source; UInt32 reason; array<UInt8, 4096> msg; }
interface { write(in sequence<Entry, 32> entry, error UInt16 status); }`);
  const codec = x.kl_KlogStorage_Entry_codec as { size: number; align: number };
  assert.equal([codec.size, codec.align], [4120, 8]);
  assert.equal([x.kl_KlogStorage_write_req_entry_size, x.kl_KlogStorage_write_req_entry_elem_msg_size, x.kl_KlogStorage_write_req_arena_size],
    [32, 4096, 131840]);
  assert.is(at(x.kl_KlogStorage_write_err as Msg, 'status', 7), 24, 'error UInt16 status right after the header');
  assert.is((x.kl_KlogStorage_write_err as unknown as { size: number }).size, 32);
  const req = new (x.kl_KlogStorage_write_req as Msg)();
  req.entry = [{ id: 1n, timestamp: 2n, source: 0x11, reason: 0x22, msg: new Uint8Array(4096).fill(0x33) }];
  const arena = (req.arena_ as { buffer: Uint8Array }).buffer;
  const dv = new DataView(arena.buffer, arena.byteOffset);
  assert.equal([dv.getUint32(16, true), dv.getUint32(20, true), arena[24], arena[24 + 4095]], [0x11, 0x22, 0x33, 0x33], 'source 16, reason 20, msg 24..4119');
});

test('Klog: write(in bytes<1024> msg) has msg_size and arena 1024', () => {
  const x = gen('package kl.Klog\ninterface { write(in bytes<1024> msg); }');
  assert.equal([x.kl_Klog_write_req_msg_size, x.kl_Klog_write_req_arena_size], [1024, 1024]);
});

test('Build: txId, amountCents, currency, approved at 24, 32, 36, 44 in 48 bytes; arena 49 + 9 = 58 (a public generated header)', () => {
  const x = gen('package controlsys.TransactionGeneratorInterface\ninterface { Build(in string<48> txId, in UInt32 amountCents, in string<8> currency, in UInt8 approved); }');
  const Req = x.controlsys_TransactionGeneratorInterface_Build_req as Msg;
  assert.equal([at(Req, 'txId', 'a'), at(Req, 'amountCents', 1), at(Req, 'currency', 'b'), at(Req, 'approved', 1)], [24, 32, 36, 44]);
  assert.is((Req as unknown as { size: number }).size, 48);
  const p = 'controlsys_TransactionGeneratorInterface_Build_req';
  assert.equal([x[`${p}_txId_size`], x[`${p}_currency_size`], x[`${p}_arena_size`]], [49, 9, 58]);
});

test('Heartbeat: three UInt8 then two UInt16 at 24, 25, 26, 28, 30 (its __nk_alignas(1, 1, 1, 2, 2))', () => {
  const x = gen('package controlsys.InputGuardInterface\ninterface { Heartbeat(in UInt8 networkOk, in UInt8 pingOk, in UInt8 powerOk, in UInt16 signalStrength, in UInt16 soc); }');
  const Req = x.controlsys_InputGuardInterface_Heartbeat_req as Msg;
  assert.equal(['networkOk', 'pingOk', 'powerOk', 'signalStrength', 'soc'].map((f) => at(Req, f, 0x101 & (f.endsWith('Ok') ? 0xff : 0xffff))), [24, 25, 26, 28, 30]);
  assert.is((Req as unknown as { size: number }).size, 32);
});

test('Validate, Verify, SendRequest, SendDiagnosticsMessage: the interface arena sizes of their headers (49, 17, 1025/1025, 257/0)', () => {
  const v = gen('package controlsys.StatusVerifierInterface\ninterface { Validate(in string<48> txId, in UInt32 seqNumber, in UInt8 approved, in UInt32 latencyMs); }');
  const Req = v.controlsys_StatusVerifierInterface_Validate_req as Msg;
  assert.equal([at(Req, 'seqNumber', 1), at(Req, 'approved', 1), at(Req, 'latencyMs', 1)], [32, 36, 40]);
  assert.equal([v.controlsys_StatusVerifierInterface_req_arena_size, v.controlsys_StatusVerifierInterface_res_arena_size, v.controlsys_StatusVerifierInterface_arena_size], [49, 0, 49]);
  const u = gen('package controlsys.UpdateVerifierInterface\ninterface { Verify(in string<16> version, in UInt32 totalSize, in UInt8 signatureOk); }');
  assert.is(u.controlsys_UpdateVerifierInterface_req_arena_size, 17);
  const d = gen('package drone_controller.ServerConnectorInterface\ninterface { SendRequest(in string<1024> query, out string<1024> response); }');
  assert.equal([d.drone_controller_ServerConnectorInterface_req_arena_size, d.drone_controller_ServerConnectorInterface_res_arena_size,
    d.drone_controller_ServerConnectorInterface_arena_size], [1025, 1025, 1025]);
  const t = gen('package traffic_light.IDiagnosticsMessage\ninterface { SendDiagnosticsMessage(in string<256> message); }');
  assert.equal([t.traffic_light_IDiagnosticsMessage_req_arena_size, t.traffic_light_IDiagnosticsMessage_res_arena_size], [257, 0]);
});

test('IPing, CPing and Server: zero arenas and handles, MID 0, and RIIDs flattened through the component (15.1)', () => {
  const files = {
    'echo/IPing.idl': 'package echo.IPing\ninterface { FPing(in UInt32 value, out UInt32 result); }',
    'echo/CPing.cdl': 'component echo.CPing\nendpoints { ping : echo.IPing }',
  };
  const x = gen('entity echo.Server\ncomponents { cserver : echo.CPing }', files);
  assert.equal([x.echo_IPing_FPing_mid, x.echo_IPing_mid_max, x.echo_IPing_FPing_req_arena_size, x.echo_IPing_FPing_res_arena_size,
    x.echo_IPing_arena_size, x.echo_IPing_req_handles, x.echo_IPing_err_handles], [0, 1, 0, 0, 0, 0, 0]);
  assert.is(at(x.echo_IPing_FPing_req as Msg, 'value', 1), 24);
  assert.is(at(x.echo_IPing_FPing_res as Msg, 'result', 1), 24);
  assert.equal([x.echo_CPing_ping_iid, x.echo_CPing_iidMax, x.echo_CPing_iidOffset, x.echo_CPing_securityIidMax], [0, 1, 0, 0]);
  assert.equal([x.echo_Server_cserver_ping_iid, x.echo_Server_iidMax, x.echo_Server_iidOffset, x.echo_Server_cserver_iidOffset], [0, 1, 0, 0]);
});

test('derived: RIIDs number own endpoints first, then each instance\'s tree in order, nested offsets added', () => {
  const files = {
    'a.idl': 'package a\ninterface { Do(); }',
    'b.idl': 'package b\ninterface { Do(); }',
    'inner.cdl': 'component inner\nendpoints { x : a; y : b }',
    'outer.cdl': 'component outer\nendpoints { z : a }\ncomponents { i1 : inner; i2 : inner }',
  };
  const x = gen('entity top\nendpoints { main : b }\ncomponents { o : outer }', files);
  assert.equal([x.top_main_iid, x.top_o_z_iid, x.top_o_i1_x_iid, x.top_o_i1_y_iid, x.top_o_i2_x_iid, x.top_o_i2_y_iid, x.top_iidMax],
    [0, 1, 2, 3, 4, 5, 6]);
  assert.equal([x.top_o_iidOffset, x.top_o_i1_iidOffset, x.top_o_i2_iidOffset, x.outer_i1_iidOffset, x.outer_i2_iidOffset, x.outer_iidMax],
    [1, 2, 4, 1, 3, 5]);
  const opts = compileIdl('entity top\nendpoints { main : b }\ncomponents { o : outer }', files).processOptions!;
  assert.equal(opts.endpoints.map((e) => `${e.name}:${e.interface}`), ['main:b', 'o.z:a', 'o.i1.x:a', 'o.i1.y:b', 'o.i2.x:a', 'o.i2.y:b']);
});

test('derived: Handle parameters come first at 24, 40, ... as 16-byte descriptors; _handles count them (SimpleOCap)', () => {
  const x = gen(`package SimpleOCap
typedef Handle Res;
interface {
  OpenResource(in UInt32 ID, out Handle handle);
  UseResource(in UInt8 param, in Res handle, out UInt8 result);
  CloseResource(in Handle handle);
  Two(in UInt16 a, in Handle h1, in string<3> s, in Handle h2);
}`);
  const Use = x.SimpleOCap_UseResource_req as Msg;
  assert.equal(written(Use, 'handle', { handle: 1, rights: 2, badge: 3, flags: 1 }), [24, 28, 32, 36]);
  assert.is(at(Use, 'param', 9), 40);
  assert.is((Use as unknown as { size: number }).size, 48);
  const Open = x.SimpleOCap_OpenResource_res as Msg;
  assert.equal([at(Open, 'handle', { handle: 7 }), (Open as unknown as { size: number }).size], [24, 40]);
  assert.is((x.SimpleOCap_CloseResource_req as unknown as { size: number }).size, 40);
  const Two = x.SimpleOCap_Two_req as Msg;
  assert.equal([at(Two, 'h1', { handle: 1 }), at(Two, 'h2', { handle: 1 }), at(Two, 'a', 1), at(Two, 's', 'x')], [24, 40, 56, 60]);
  assert.equal([x.SimpleOCap_OpenResource_req_handles, x.SimpleOCap_OpenResource_res_handles, x.SimpleOCap_UseResource_req_handles,
    x.SimpleOCap_Two_req_handles, x.SimpleOCap_req_handles, x.SimpleOCap_res_handles, x.SimpleOCap_err_handles], [0, 1, 1, 2, 2, 1, 0]);
  const m = new Two();
  m.h2 = { handle: 0xfffffffe, rights: 5 };
  assert.equal(m.h2, { handle: 0xfffffffe, rights: 5, badge: 0, flags: 0 }, 'a Handle field reads back as { handle, rights, badge, flags }');
});

test('derived: a union is a u32 tag then its members at the largest member alignment; tags are member indexes', () => {
  const x = gen('package u\nunion U { UInt8 small; UInt64 big; string<7> text; }\ninterface { Put(in UInt8 flag, in U value); }');
  const codec = x.u_U_codec as { size: number; align: number; dataOffset: number };
  assert.equal([codec.size, codec.align, codec.dataOffset], [16, 8, 8]);
  assert.equal([x.u_U_small_tag, x.u_U_big_tag, x.u_U_text_tag], [0, 1, 2]);
  const Put = x.u_Put_req as Msg;
  assert.equal(written(Put, 'value', { big: 0x0102n }), [32, 40, 41], 'tag 1 at 32 (aligned to 8), the UInt64 at 40');
  const m = new Put();
  m.value = { text: 'abc' };
  const v = m.value as NkView & Record<string, unknown>;
  assert.equal([v.tag_, v.text, v.small, v.big], [2, 'abc', undefined, undefined]);
  assert.is(x.u_Put_req_value_text_size, 8);
});

test('derived: nested structs align each field to its own alignment, round their size up, and arrays of structs sit in place', () => {
  const x = gen(`package n
struct Inner { UInt64 x; UInt8 y; }
struct Outer { UInt8 a; Inner in1; UInt16 b; }
struct Point { UInt32 x; UInt16 y; }
interface { Put(in Outer o, in array<Point, 3> ps, in UInt8 tail); }`);
  const size = (n: string): number[] => { const c = x[`n_${n}_codec`] as { size: number; align: number }; return [c.size, c.align]; };
  assert.equal([size('Inner'), size('Outer'), size('Point')], [[16, 8], [32, 8], [8, 4]]);
  const Put = x.n_Put_req as Msg;
  assert.equal(written(Put, 'o', { a: 1, in1: { x: 2n, y: 3 }, b: 4 }), [24, 32, 40, 48], 'a 24, in1.x 32, in1.y 40, b 48');
  assert.equal([at(Put, 'ps', [{ x: 1, y: 1 }, { x: 1, y: 1 }, { x: 1, y: 1 }]), at(Put, 'tail', 1)], [56, 80]);
  assert.is((Put as unknown as { size: number }).size, 88);
  assert.is(x.n_Put_req_ps_size, 3);
});

test('derived: a sequence of sequences bounds its arena by the outer descriptors plus every inner segment', () => {
  const x = gen('package s\ninterface { Put(in sequence<sequence<UInt16, 3>, 2> rows); }');
  assert.equal([x.s_Put_req_rows_size, x.s_Put_req_rows_elem_size, x.s_Put_req_arena_size], [2, 3, 2 * 8 + 2 * 6]);
  const req = new (x.s_Put_req as Msg)();
  req.rows = [[1, 2, 3], [4, 5, 6]];
  assert.is((req.arena_ as { used: number }).used, 28, 'the largest value fills exactly the arena size');
  assert.equal((req.rows as Uint16Array[]).map((r) => [...r]), [[1, 2, 3], [4, 5, 6]]);
});

test('derived: string<N> holds N bytes of UTF-8 and its zero, no more; a longer segment reads as null', () => {
  const x = gen('package l\ninterface { Put(in string<4> s, in bytes<3> b); }');
  const Req = x.l_Put_req as Msg;
  const m = new Req(undefined, nk_arena_init(new Uint8Array(32)));
  m.s = 'abcd';
  assert.is(m.s, 'abcd');
  assert.is((m.arena_ as { used: number }).used, 5, 'four bytes and the terminating zero');
  assert.throws(() => { m.s = 'abcde'; }, /l_Put_req\.s: string<4> holds at most 4 bytes of UTF-8 without U\+0000, got 5 bytes/);
  assert.throws(() => { m.s = 'é€'; }, /got 5 bytes/, 'the bound counts UTF-8 bytes, not characters');
  assert.throws(() => { m.b = [1, 2, 3, 4]; }, /l_Put_req\.b: bytes<3> holds at most 3 bytes, got 4/);
  const dv = new DataView(m.base_.buffer);
  (m.arena_ as { used: number }).used = 16;
  dv.setUint32(24, 0, true);
  dv.setUint32(28, 6, true);
  m.arena_!.buffer.set([97, 98, 99, 100, 101, 0]);
  assert.is(m.s, null, 'a 6-byte string segment is longer than string<4> allows');
  assert.is(x.l_Put_req_s_size, 5);
  assert.is(x.l_Put_req_b_size, 3);
});

test.run();
