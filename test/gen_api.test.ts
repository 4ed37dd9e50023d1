// The generated API's behaviour, built at run time by compileIdl: message constructors, field
// writes that refuse bad values and change nothing, reads of bad descriptors, the proxy's header
// stamping (seen through a transport of our own), both error conventions of the dispatchers,
// unknown interfaces and methods, components, and the shapes a compiled EDL declares to the kernel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Kernel, NkKosTransport, NK_NULL, NK_EOK, NK_ENOENT, NK_EINVAL, NK_EBADMSG, NK_ELOGIC_MAKE, nk_arena_init, nk_err_reset,
  nk_req_reset, nk_msg_set_method_id, nk_msg_check_err, nk_message_get_size, nk_message_get_iid, nk_message_get_mid,
  nk_message_get_ncaps, nk_message_get_type, nk_transport_recvAsync, nk_transport_reply, NK_MSG_TYPE_ERR, NK_MSG_TYPE_REQ,
  rcOk, type nk_transport, type NkArena,
} from 'kos-ipc';
import { compileIdl, applyEdl } from 'kos-ipc/gen';
import { toPlain, type NkCodec, type NkMessage } from 'kos-ipc/gen/runtime';
import { rejects } from './helpers.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Ctor = new (base_?: Uint8Array, arena_?: NkArena | null) => NkMessage & Any;

const IDL = `package t
struct P { UInt16 a; string<4> s; }
union U { UInt8 b; P p; }
interface {
  Get(in UInt32 v, in string<8> name, out UInt32 r, error UInt16 status);
  Put(in P p, in U u, in sequence<UInt32, 4> xs, out UInt8 done);
  Give(in Handle h, out Handle back);
  Small(in UInt8 x, error SInt8 why);
}`;
const x = compileIdl(IDL).exports as Any;
const xe = compileIdl(IDL.replace(', error SInt8 why', ''), {}, { extendedErrors: true }).exports as Any;

test('a message allocates its constant part and its own arena of _arena_size, or uses the buffer and arena given', () => {
  const q = new (x.t_Get_req as Ctor)();
  assert.is(q.base_.byteLength, 40);
  assert.is(q.arena_!.capacity, x.t_Get_req_arena_size);
  assert.is(new (x.t_Get_res as Ctor)().arena_, null, 'a message without variable-size fields has no arena');
  const buf = new Uint8Array(64), arena = nk_arena_init(new Uint8Array(16));
  const m = new (x.t_Get_req as Ctor)(buf, arena);
  m.v = 5;
  assert.is(buf[24], 5, 'the buffer given is used in place');
  assert.is(m.arena_, arena);
  assert.is(new (x.t_Get_req as Ctor)(undefined, null).arena_, null, 'null means no arena');
});

test('a constant part too short, misaligned or not a Uint8Array is refused naming the class and sizeof', () => {
  const Req = x.t_Get_req as Ctor;
  assert.throws(() => new Req(new Uint8Array(39)), /t_Get_req: the constant part must be at least 40 bytes starting at a multiple of 8 \(sizeof t_Get_req\), got 39 bytes at byteOffset 0/);
  assert.throws(() => new Req(new Uint8Array(48).subarray(4)), /got 44 bytes at byteOffset 4/);
  assert.throws(() => new Req([] as unknown as Uint8Array), /t_Get_req: the constant part must be a Uint8Array, got Array/);
  assert.throws(() => new Req(undefined, {} as NkArena), /t_Get_req: the arena must be an NkArena \(nk_arena_init\) or null, got Object/);
});

test('integer fields refuse values outside their type, naming the field and the value, and keep the old value', () => {
  const q = new (x.t_Get_req as Ctor)();
  q.v = 7;
  assert.throws(() => { q.v = -1; }, /t_Get_req\.v: UInt32 takes an integer from 0 to 4294967295, got number -1/);
  assert.throws(() => { q.v = 1.5; }, /got number 1\.5/);
  assert.throws(() => { q.v = '3'; }, /got string "3"/);
  assert.is(q.v, 7);
  const p = new (x.t_Put_req as Ctor)();
  assert.throws(() => { p.p = { a: 70000, s: 'ok' }; }, /t_Put_req\.p\.a: UInt16 takes an integer from 0 to 65535, got number 70000/);
});

test('a write that fails part way restores the bytes and the arena it touched', () => {
  const p = new (x.t_Put_req as Ctor)();
  p.xs = [1, 2];
  const bytes = p.base_.slice(), used = p.arena_!.used;
  assert.throws(() => { p.xs = [1, 2, -3]; }, /t_Put_req\.xs\[2\]: UInt32 takes an integer/);
  assert.throws(() => { p.p = { a: 1, s: 'too long' }; }, /t_Put_req\.p\.s: string<4> holds at most 4 bytes/);
  assert.throws(() => { p.u = { p: { a: 2, s: 12 } }; }, /t_Put_req\.u\.p\.s: string<4> is written from a string, got number 12/);
  assert.equal(p.base_, bytes);
  assert.is(p.arena_!.used, used);
  assert.equal(Array.from(p.xs as Uint32Array), [1, 2]);
});

test('variable-size fields need an arena with room, and say so', () => {
  const q = new (x.t_Get_req as Ctor)(undefined, null);
  assert.throws(() => { q.name = 'a'; }, /t_Get_req\.name: string<8> lives in the arena and this message has none/);
  const small = new (x.t_Get_req as Ctor)(undefined, nk_arena_init(new Uint8Array(8)));
  small.name = 'abc';
  assert.throws(() => { small.name = 'defgh'; }, /t_Get_req\.name: string<8> needs 6 more arena bytes and the arena has 4 free of 8/);
  assert.is(small.name, 'abc', 'the refused write left the field as it was');
});

test('reads of a descriptor outside the arena, misaligned or too long give null, never a throw', () => {
  const p = new (x.t_Put_req as Ctor)();
  p.xs = [1, 2, 3, 4];
  const dv = new DataView(p.base_.buffer);
  const at = 24 + 12 + 16;          // P (12 bytes at 24), U (16 at 36: tag, then P at 4), then xs at 52
  dv.setUint32(at, 2, true);
  assert.is(p.xs, null, 'offset 2 is not aligned to UInt32');
  dv.setUint32(at, 0, true);
  dv.setUint32(at + 4, 20, true);
  assert.is(p.xs, null, 'five elements: more than sequence<UInt32, 4> allows');
  dv.setUint32(at + 4, 0xfffffffc, true);
  assert.is(p.xs, null, 'past the used part, without overflow');
  const q = new (x.t_Get_req as Ctor)(undefined, null);
  assert.is(q.name, null, 'no arena');
});

test('union fields take exactly one member or a union view, and read the member the tag names', () => {
  const p = new (x.t_Put_req as Ctor)();
  p.u = { p: { a: 3, s: 'xy' } };
  assert.equal([p.u.tag_, p.u.b, toPlain(x.t_P_codec, p.u.p)], [x.t_U_p_tag, undefined, { a: 3, s: 'xy' }]);
  p.u.b = 9;
  assert.equal([p.u.tag_, p.u.b, p.u.p], [0, 9, undefined]);
  assert.throws(() => { p.u = {}; }, /t_Put_req\.u: t\.U is written from an object with exactly one of b, p, got \{\}/);
  assert.throws(() => { p.u = { b: 1, p: { a: 1, s: '' } }; }, /exactly one of b, p, got \{ b, p \}/);
  const other = new (x.t_Put_req as Ctor)();
  other.u = p.u;
  assert.equal(toPlain(x.t_U_codec, other.u), { b: 9 }, 'a union view copies its active member');
});

test('toPlain turns views, typed arrays and unions into plain data', () => {
  const p = new (x.t_Put_req as Ctor)();
  p.p = { a: 1, s: 'ab' };
  p.u = { p: { a: 2, s: 'c' } };
  assert.equal(toPlain(x.t_P_codec as NkCodec, p.p), { a: 1, s: 'ab' });
  assert.equal(toPlain(x.t_U_codec as NkCodec, p.u), { p: { a: 2, s: 'c' } });
});

/** A transport that answers every call itself, keeping copies of what it was given. */
function fakeTransport(answer: (req: Uint8Array, res: Uint8Array) => number): nk_transport & { seen: Uint8Array[] } {
  const seen: Uint8Array[] = [];
  const call = (_t: nk_transport, req: Uint8Array, _ra: NkArena | null, res: Uint8Array, _rsa?: NkArena | null): number => {
    seen.push(req.slice(), res.slice());
    return answer(req, res);
  };
  return { seen, ops: { call, callAsync: async (...a) => call(...a), recv: () => NK_EINVAL, recvAsync: async () => NK_EINVAL, reply: () => NK_EINVAL } };
}

test('a proxy call stamps size, type, RIID, MID and ncaps on the request and the response buffer, then calls the transport', async () => {
  const t = fakeTransport((req, res) => { res[24] = req[24]! + 1; return NK_EOK; });
  const proxy = new x.t_proxy();
  x.t_proxy_init(proxy, t, 7);
  const q = new (x.t_Get_req as Ctor)(), r = new (x.t_Get_res as Ctor)();
  q.v = 41;
  assert.is(x.t_Get(proxy.base, q, undefined, r, undefined), NK_EOK);
  assert.is(r.r, 42);
  const [sentReq, sentRes] = t.seen;
  assert.equal([nk_message_get_size(sentReq!), nk_message_get_type(sentReq!), nk_message_get_iid(sentReq!), nk_message_get_mid(sentReq!), nk_message_get_ncaps(sentReq!)],
    [40, NK_MSG_TYPE_REQ, 7, x.t_Get_mid, 0]);
  assert.equal([nk_message_get_size(sentRes!), nk_message_get_iid(sentRes!), nk_message_get_mid(sentRes!)], [32, 7, x.t_Get_mid]);
  const gq = new (x.t_Give_req as Ctor)(), gr = new (x.t_Give_res as Ctor)();
  gq.h = { handle: 3 };
  assert.is(await x.t_GiveAsync(proxy.base, gq, null, gr, null), NK_EOK);
  assert.equal([nk_message_get_ncaps(t.seen[2]!), nk_message_get_ncaps(t.seen[3]!)], [x.t_Give_req_handles, x.t_Give_res_handles]);
  assert.equal([x.t_Give_req_handles, x.t_Give_res_handles], [1, 1]);
});

test('proxy mistakes are refused: not initialised, bad init arguments, a message of another method, an object without ops', async () => {
  const proxy = new x.t_proxy();
  const q = new (x.t_Get_req as Ctor)(), r = new (x.t_Get_res as Ctor)();
  assert.throws(() => x.t_Get(proxy.base, q, null, r, null), /t_Get_proxy: the proxy is not initialised; call the interface's _proxy_init/);
  await rejects(() => x.t_GetAsync(proxy.base, q, null, r, null), /not initialised/);
  assert.throws(() => x.t_proxy_init({}, fakeTransport(() => 0), 1), /t_proxy_init: proxy must be a t_proxy \(new t_proxy\(\)\), got Object/);
  assert.throws(() => x.t_proxy_init(proxy, 5, 1), /t_proxy_init: transport must be an nk_transport/);
  assert.throws(() => x.t_proxy_init(proxy, fakeTransport(() => 0), 70000), /t_proxy_init: iid must be a RIID from 0 to 65535/);
  x.t_proxy_init(proxy, fakeTransport(() => 0), 0);
  assert.throws(() => x.t_Get(proxy.base, new (x.t_Put_req as Ctor)(), null, r, null), /t_Get_proxy: req must be a t_Get_req, got t_Put_req/);
  assert.throws(() => x.t_Get({}, q, null, r, null), /t_Get: self must be an interface object with an ops table/);
  assert.throws(() => x.t_Get({ ops: {} }, q, null, r, null), /t_Get: self.ops has no Get method/);
});

test('X_MAsync runs ops.MAsync when the object has it, and ops.M otherwise', async () => {
  const q = new (x.t_Get_req as Ctor)(), r = new (x.t_Get_res as Ctor)();
  const sync = { ops: { Get: () => 11 } }, both = { ops: { Get: () => 11, GetAsync: async () => 12 } };
  assert.is(await x.t_GetAsync(sync, q, null, r, null), 11);
  assert.is(await x.t_GetAsync(both, q, null, r, null), 12);
});

/** A request for endpoint `iid`, method `mid`, in a buffer the size of any request of t. */
function request(iid: number, mid: number, fill?: (m: Any) => void, Req = x.t_Get_req as Ctor): { req: Uint8Array; arena: NkArena } {
  const m = new Req(new Uint8Array(x.t_req.size), nk_arena_init(new Uint8Array(64)));
  fill?.(m);
  nk_req_reset(m.base_, (Req as unknown as { size: number }).size);
  nk_msg_set_method_id(m.base_, iid, mid);
  return { req: m.base_, arena: m.arena_! };
}

test('the interface dispatcher runs the method, stamps the results struct with iid, mid and ncaps, and returns its result', () => {
  const impl = { ops: { Get: (_s: unknown, q: Any, _qa: unknown, r: Any) => { r.r = q.v * 2; return NK_EOK; } } };
  const { req, arena } = request(5, x.t_Get_mid, (m) => { m.v = 21; });
  const res = new Uint8Array(x.t_res.size).fill(0xee);
  nk_err_reset(res);
  assert.is(x.t_interface_dispatch(impl, 5, req, arena, res, null), NK_EOK);
  assert.equal([nk_message_get_type(res), nk_message_get_size(res), nk_message_get_iid(res), nk_message_get_mid(res)],
    [NK_MSG_TYPE_REQ, 32, 5, x.t_Get_mid], 'a previous error flag does not survive into the answer');
  assert.is(new DataView(res.buffer).getUint32(24, true), 42);
});

test('the older convention turns NK_ELOGIC_MAKE(code) into an error response with the code in the first error parameter', () => {
  const impl = { ops: { Get: () => NK_ELOGIC_MAKE(7), Small: () => NK_ELOGIC_MAKE(0xffffffff) } };
  const res = new Uint8Array(x.t_res.size);
  assert.is(x.t_interface_dispatch(impl, 0, request(0, x.t_Get_mid).req, null, res, null), NK_EOK);
  assert.ok(nk_msg_check_err(res));
  assert.equal([nk_message_get_size(res), new DataView(res.buffer).getUint16(24, true)], [32, 7]);
  assert.is(x.t_interface_dispatch(impl, 0, request(0, x.t_Small_mid).req, null, res, null), NK_EOK);
  assert.is(new DataView(res.buffer).getInt8(24), -1, 'converted to SInt8 as a C assignment does');
  const other = { ops: { Get: () => NK_EBADMSG } };
  assert.is(x.t_interface_dispatch(other, 0, request(0, x.t_Get_mid).req, null, res, null), NK_EBADMSG, 'other results pass through');
});

test('with extended errors a method that calls nk_err_reset answers with its error struct; NK_ELOGIC is not interpreted', () => {
  const impl = { ops: { Get: (_s: unknown, _q: unknown, _qa: unknown, r: Any) => { nk_err_reset(r.base_); r.err_.status = 503; return NK_EOK; },
    Small: () => NK_ELOGIC_MAKE(1) } };
  const res = new Uint8Array(xe.t_res.size);
  assert.is(xe.t_interface_dispatch(impl, 0, request(0, xe.t_Get_mid).req, null, res, null), NK_EOK);
  assert.equal([nk_msg_check_err(res), nk_message_get_size(res), nk_message_get_ncaps(res), new DataView(res.buffer).getUint16(24, true)], [true, 32, 0, 503]);
  assert.is(xe.t_interface_dispatch(impl, 0, request(0, xe.t_Small_mid).req, null, res, null), NK_ELOGIC_MAKE(1));
});

test('an unknown method gets NK_ENOENT and a 24-byte error response; another endpoint\'s request NK_ENOENT and no change', () => {
  const impl = { ops: {} };
  const res = new Uint8Array(x.t_res.size);
  assert.is(x.t_interface_dispatch(impl, 3, request(3, 9).req, null, res, null), NK_ENOENT);
  assert.equal([nk_message_get_type(res), nk_message_get_size(res), nk_message_get_iid(res), nk_message_get_mid(res)], [NK_MSG_TYPE_ERR, 24, 3, 9]);
  const untouched = new Uint8Array(x.t_res.size).fill(1);
  assert.is(x.t_interface_dispatch(impl, 3, request(4, 0).req, null, untouched, null), NK_ENOENT);
  assert.ok(untouched.every((b) => b === 1));
  assert.throws(() => x.t_interface_dispatch(impl, 3, request(3, x.t_Get_mid).req, null, res, null), /t_interface_dispatch: the server object's ops has no Get method/);
  assert.throws(() => x.t_interface_dispatch(impl, 3, 'x', null, res, null), /t_interface_dispatch: req must be a Uint8Array constant part/);
});

const FILES = { 't.idl': IDL, 'c.cdl': 'component c\nendpoints { e1 : t; e2 : t }' };

test('components and entities route by RIID to their endpoints and instances; an unknown RIID gets an error response', () => {
  const y = compileIdl('entity top\nendpoints { main : t }\ncomponents { inst : c }', FILES).exports as Any;
  const seen: string[] = [];
  const obj = (name: string): Any => ({ ops: { Get: () => { seen.push(name); return NK_EOK; } } });
  const comp = new y.c_component();
  y.c_component_init(comp, obj('e1'), obj('e2'));
  const top = new y.top_entity();
  y.top_entity_init(top, obj('main'), comp);
  const res = new Uint8Array(y.top_entity_res.size);
  for (const riid of [y.top_main_iid, y.top_inst_e1_iid, y.top_inst_e2_iid]) {
    assert.is(y.top_entity_dispatch(top, request(riid, 0).req, null, res, null), NK_EOK);
    assert.is(nk_message_get_iid(res), riid);
  }
  assert.equal(seen, ['main', 'e1', 'e2']);
  assert.is(y.top_entity_dispatch(top, request(3, 0).req, null, res, null), NK_ENOENT);
  assert.equal([nk_message_get_type(res), nk_message_get_iid(res)], [NK_MSG_TYPE_ERR, 3]);
  assert.is(y.c_component_dispatch(comp, 1, request(0, 0).req, null, res, null), NK_ENOENT, 'below iidOffset');
  assert.throws(() => y.c_component_init({}, obj('a'), obj('b')), /c_component_init: the first argument must be a c_component/);
  assert.throws(() => y.top_entity_init(top, obj('main'), null), /top_entity_init: inst must be an object/);
  assert.throws(() => y.top_entity_dispatch(new y.top_entity(), request(0, 0).req, null, res, null), /endpoint main has no server object/);
});

test('a compiled EDL declares its interfaces: the kernel refuses a malformed request before the server sees it', async () => {
  const c = compileIdl('entity Srv\nendpoints { main : t }', FILES);
  const y = c.exports as Any;
  assert.equal(c.processOptions, y.Srv_entity_options);
  const kernel = await Kernel.create();
  const server = kernel.createProcess('Srv', c.processOptions!);
  const client = kernel.createProcess('Client');
  kernel.connect(client, server, 'ch');
  const ct = new NkKosTransport();
  client.NkKosTransport_Init(ct, client.ServiceLocatorConnect('ch'), NK_NULL, 0);
  const proxy = new y.t_proxy();
  y.t_proxy_init(proxy, ct.base, client.ServiceLocatorGetRiid(client.ServiceLocatorConnect('ch'), 'Srv.main'));
  const q = new (y.t_Get_req as Ctor)(), r = new (y.t_Get_res as Ctor)();
  q.name = 'ok';
  const dv = new DataView(q.base_.buffer);
  dv.setUint32(32, 3 + 8, true);       // name's nk_ptr_t is at 28: its size, past the arena's used bytes
  assert.is(await y.t_GetAsync(proxy.base, q, undefined, r, undefined), NK_EINVAL);
  dv.setUint32(32, 3, true);
  const st = new NkKosTransport();
  server.NkKosTransport_Init(st, server.ServiceLocatorRegister('ch', null, 0), NK_NULL, 0);
  const call = y.t_GetAsync(proxy.base, q, undefined, r, undefined);
  const sreq = new y.Srv_entity_req(), sres = new y.Srv_entity_res();
  assert.is(await nk_transport_recvAsync(st.base, sreq.base_, sreq.arena_), NK_EOK, 'the first request the server receives is the valid one');
  assert.is(new (y.t_Get_req as Ctor)(sreq.base_, sreq.arena_).name, 'ok');
  const entity = new y.Srv_entity();
  y.Srv_entity_init(entity, { ops: { Get: (_s: unknown, qq: Any, _qa: unknown, rr: Any) => { rr.r = qq.name.length; return NK_EOK; } } });
  y.Srv_entity_dispatch(entity, sreq.base_, sreq.arena_, sres.base_, sres.arena_);
  assert.is(nk_transport_reply(st.base, sres.base_, sres.arena_), rcOk);
  assert.is(await call, NK_EOK);
  assert.is(r.r, 2);
  await kernel.shutdown();
});

test('applyEdl gives init entities their EDL endpoints and interfaces, and refuses an unknown entity or endpoints given twice', () => {
  const opts = compileIdl('entity Srv\nendpoints { main : t }', FILES).processOptions!;
  const d = applyEdl({ entities: [{ name: 'Srv' }, { name: 'Cli' }] }, { Srv: opts });
  assert.equal(d.entities[0], { name: 'Srv', endpoints: [{ name: 'main', interface: 't' }] });
  assert.equal(Object.keys(d.interfaces), ['t']);
  assert.throws(() => applyEdl({ entities: [{ name: 'Cli' }] }, { Srv: opts }), /applyEdl: the description has no entity "Srv" \(its entities: Cli\)/);
  assert.throws(() => applyEdl({ entities: [{ name: 'Srv', endpoints: {} }] }, { Srv: opts }), /entity "Srv" already lists endpoints/);
});

test('compileIdl gives the generated sources, every interface\'s description and, for an EDL, its process options', () => {
  const c = compileIdl('entity Srv\nendpoints { main : t }', FILES);
  assert.equal(Object.keys(c.sources), ['t.idl.ts', 'Srv.edl.ts']);
  assert.match(c.sources['t.idl.ts']!, /^\/\/ Generated by kos-ipc gen from t\.idl\. Do not edit\.\n/);
  assert.equal([c.kind, c.name, Object.keys(c.interfaces)], ['edl', 'Srv', ['t']]);
  assert.equal(Object.keys(compileIdl('entity Srv\nendpoints { main : t }', FILES, { lang: 'js' }).sources), ['t.idl.js', 't.idl.d.ts', 'Srv.edl.js', 'Srv.edl.d.ts']);
  const idl = compileIdl(IDL);
  assert.equal([idl.kind, idl.name, idl.processOptions], ['idl', 't', null]);
  assert.is(compileIdl(IDL).sources['t.idl.ts'], idl.sources['t.idl.ts'], 'the same input gives the same bytes');
});

test('two modules that would export one name are refused', () => {
  assert.throws(() => compileIdl('component t\nendpoints { e : t }', { 't.idl': 'package t\nconst UInt8 iidMax = 1;\ninterface { Do(); }' }),
    /compileIdl: two generated modules export t_iidMax/);
});

test.run();
