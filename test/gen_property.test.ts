// Properties of the compiler over random IDL (fast-check, fixed seed; KOS_PROPERTY_RUNS=n for more):
// random interfaces of nested structs, unions, arrays, sequences, strings, bytes and Handles
// compile (the one refusal allowed is the kernel's documented 14-descriptor limit) into layouts
// that are aligned, non-overlapping and Handle-first; a random valid message written through the
// generated class fits the method's _arena_size, reads back equal, and crosses the kernel to a
// server that declared the EDL and decodes it there to the same value; a random mutation of it
// is refused by that kernel exactly when the declared shape says it is malformed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  Kernel, NkKosTransport, SMsgHdr, PackOutMsg, PackInMsg, NK_NULL, NK_EOK, nk_req_reset, nk_arena_reset,
  nk_msg_set_method_id, nk_transport_recvAsync, nk_transport_reply, checkMessageShape, idlMethodLayout, interfaceShapes,
  rcOk, rcInvalidArgument, retcodeName, type IdlMethod, type IdlTypes, type NkArena, type Process,
} from 'kos-ipc';
import { compileIdl, IdlError } from 'kos-ipc/gen';
import type { NkMessage, NkView } from 'kos-ipc/gen/runtime';

const RUNS = Number(process.env.KOS_PROPERTY_RUNS ?? 60);

// ---- random interfaces -----------------------------------------------------------------------

type T =
  | { k: 'prim'; name: string }
  | { k: 'string' | 'bytes'; n: number }
  | { k: 'sequence' | 'array'; el: T; n: number }
  | { k: 'struct' | 'union'; fields: T[] }
  | { k: 'handle' };

const PRIMS = ['UInt8', 'UInt16', 'UInt32', 'UInt64', 'SInt8', 'SInt16', 'SInt32', 'SInt64'];
const bound = fc.integer({ min: 1, max: 6 });
const leaf: fc.Arbitrary<T> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PRIMS).map((name): T => ({ k: 'prim', name })) },
  { weight: 1, arbitrary: bound.map((n): T => ({ k: 'string', n })) },
  { weight: 1, arbitrary: bound.map((n): T => ({ k: 'bytes', n })) },
);
function typeArb(depth: number): fc.Arbitrary<T> {
  if (depth === 0) return leaf;
  const sub = typeArb(depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.record({ el: sub, n: bound }).map(({ el, n }): T => ({ k: 'sequence', el, n })) },
    { weight: 1, arbitrary: fc.record({ el: sub, n: fc.integer({ min: 1, max: 3 }) }).map(({ el, n }): T => ({ k: 'array', el, n })) },
    { weight: 1, arbitrary: fc.array(sub, { minLength: 1, maxLength: 3 }).map((fields): T => ({ k: 'struct', fields })) },
    { weight: 1, arbitrary: fc.array(sub, { minLength: 1, maxLength: 3 }).map((fields): T => ({ k: 'union', fields })) },
  );
}
interface M { ins: T[]; outs: T[]; errs: T[] }
const param = (handles: boolean): fc.Arbitrary<T> => (handles ? fc.oneof({ weight: 6, arbitrary: typeArb(2) }, { weight: 1, arbitrary: fc.constant<T>({ k: 'handle' }) }) : typeArb(2));
const methodArb = (handles: boolean): fc.Arbitrary<M> => fc.record({
  ins: fc.array(param(handles), { maxLength: 4 }), outs: fc.array(param(handles), { maxLength: 3 }), errs: fc.array(typeArb(1), { maxLength: 2 }),
});
const ifaceArb = (handles: boolean): fc.Arbitrary<M[]> => fc.array(methodArb(handles), { minLength: 1, maxLength: 3 });

/** The IDL text of `methods`: every inline struct and union becomes a named one, defined before use. */
function print(methods: M[]): string {
  const defs: string[] = [];
  const ty = (t: T): string => {
    switch (t.k) {
      case 'prim': return t.name;
      case 'handle': return 'Handle';
      case 'string': case 'bytes': return `${t.k}<${t.n}>`;
      case 'sequence': case 'array': return `${t.k}<${ty(t.el)}, ${t.n}>`;
      default: {
        const fields = t.fields.map((f, i) => `${ty(f)} f${i};`).join(' ');
        const name = `${t.k === 'struct' ? 'S' : 'U'}${defs.length}`;
        defs.push(`${t.k} ${name} { ${fields} }`);
        (t as { name?: string }).name = name;
        return name;
      }
    }
  };
  const sigs = methods.map((m, i) => {
    const params = [...m.ins.map((p, j) => `in ${ty(p)} i${j}`), ...m.outs.map((p, j) => `out ${ty(p)} o${j}`),
      ...m.errs.map((p, j) => `error ${ty(p)} e${j}`)];
    return `M${i}(${params.join(', ')});`;
  });
  return `package r\n${defs.join('\n')}\ninterface {\n${sigs.join('\n')}\n}\n`;
}

// ---- random values ---------------------------------------------------------------------------

const RANGE: Record<string, [number, number]> = { UInt8: [0, 255], UInt16: [0, 65535], UInt32: [0, 4294967295], SInt8: [-128, 127],
  SInt16: [-32768, 32767], SInt32: [-2147483648, 2147483647] };
const text = (n: number): fc.Arbitrary<string> => fc.oneof(fc.string({ maxLength: n }), fc.constantFrom('', 'é'.repeat(Math.floor(n / 2))));

function valueArb(t: T): fc.Arbitrary<unknown> {
  switch (t.k) {
    case 'prim':
      if (t.name === 'UInt64') return fc.bigInt(0n, (1n << 64n) - 1n);
      if (t.name === 'SInt64') return fc.bigInt(-(1n << 63n), (1n << 63n) - 1n);
      return fc.integer({ min: RANGE[t.name]![0], max: RANGE[t.name]![1] });
    case 'handle': return fc.record({ handle: fc.nat(), rights: fc.nat(), badge: fc.nat(), flags: fc.constantFrom(0, 1) }).map((h) => ({ ...h }));
    case 'string': return text(t.n).filter((s) => new TextEncoder().encode(s).length <= t.n);
    case 'bytes': return fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: t.n });
    case 'sequence': return fc.array(valueArb(t.el), { maxLength: t.n });
    case 'array': return fc.array(valueArb(t.el), { minLength: t.n, maxLength: t.n });
    case 'struct': return fc.tuple(...t.fields.map(valueArb)).map((vs) => Object.fromEntries(vs.map((v, i) => [`f${i}`, v])));
    case 'union': return fc.integer({ min: 0, max: t.fields.length - 1 }).chain((i) => valueArb(t.fields[i]!).map((v) => ({ [`f${i}`]: v })));
  }
}

/** A value read from a generated class, as the plain data it was written from. */
function plain(t: T, v: unknown): unknown {
  switch (t.k) {
    case 'bytes': return v === null ? null : Array.from(v as Uint8Array);
    case 'sequence': case 'array': return v === null ? null : Array.from(v as ArrayLike<unknown>, (x) => plain(t.el, x));
    case 'struct': return Object.fromEntries(t.fields.map((f, i) => [`f${i}`, plain(f, (v as Record<string, unknown>)[`f${i}`])]));
    case 'union': {
      const tag = (v as NkView & { tag_: number }).tag_;
      return { [`f${tag}`]: plain(t.fields[tag]!, (v as Record<string, unknown>)[`f${tag}`]) };
    }
    default: return v;
  }
}

const LIMIT = /the kernel checks at most 14/;

function compiles(methods: M[]): ReturnType<typeof compileIdl> | null {
  try {
    return compileIdl(print(methods), {}, { extendedErrors: true });
  } catch (e) {
    if (e instanceof IdlError && LIMIT.test(e.reason)) return null;
    throw new Error(`${String(e)}\n${print(methods)}`);
  }
}

test('random interfaces compile into aligned, non-overlapping, Handle-first layouts (or hit only the 14-descriptor limit)', () => {
  let compiled = 0, limited = 0;
  fc.assert(fc.property(ifaceArb(true), (methods) => {
    const c = compiles(methods);
    if (c === null) { limited++; return; }
    compiled++;
    const iface = c.interfaces.r!;
    (iface.methods as IdlMethod[]).forEach((m, mid) => {
      const l = idlMethodLayout(m, iface.types as IdlTypes, mid);
      for (const msg of [l.request, l.response, l.error]) {
        let end = 24;
        msg.fields.forEach((f, k) => {
          assert.ok(f.offset % f.align === 0 && f.offset >= end, `field ${f.name} at ${f.offset}, align ${f.align}, after ${end}`);
          if (k < msg.handles) assert.is(f.offset, 24 + 16 * k, 'Handles are the first fields, 16 bytes apart');
          end = f.offset + f.size;
        });
        assert.equal([msg.minSize, msg.size % 8, msg.size >= msg.minSize], [end, 0, true]);
      }
      const x = c.exports as Record<string, { size: number }>;
      assert.is(x[`r_M${mid}_req`]!.size, l.request.size);
      assert.is(x[`r_M${mid}_res`]!.size, l.responseBufferSize);
    });
  }), { seed: 7, numRuns: RUNS * 2 });
  assert.ok(compiled > limited, `most random interfaces compile (${compiled} compiled, ${limited} over the limit)`);
});

test('a random valid request written through its generated class fits _arena_size and reads back equal', () => {
  fc.assert(fc.property(methodArb(true).chain((m) => fc.tuple(fc.constant(m), fc.tuple(...m.ins.map(valueArb)))), ([m, values]) => {
    const c = compiles([m]);
    if (c === null) return;
    const Req = (c.exports as Record<string, new () => NkMessage & Record<string, unknown>>).r_M0_req!;
    const req = new Req();
    values.forEach((v, j) => { req[`i${j}`] = v; });
    assert.ok((req.arena_?.used ?? 0) <= (c.exports as Record<string, number>).r_M0_req_arena_size!);
    assert.equal(m.ins.map((t, j) => plain(t, req[`i${j}`])), values);
  }), { seed: 11, numRuns: RUNS * 2 });
});

// ---- through the kernel ----------------------------------------------------------------------

interface System { kernel: Kernel; client: Process; ch: number; received: unknown[]; riid: number }

/** A kernel whose server declared the EDL of `c`, decoding each request it receives with the generated class. */
async function system(m: M): Promise<System> {
  const server = compileIdl('entity Srv\nendpoints { main : r }', { 'r.idl': print([m]) }, { extendedErrors: true });
  const x = server.exports as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const kernel = await Kernel.create();
  const srv = kernel.createProcess('Srv', server.processOptions!);
  const client = kernel.createProcess('Client');
  kernel.connect(client, srv, 'ch');
  const received: unknown[] = [];
  const st = new NkKosTransport();
  srv.NkKosTransport_Init(st, srv.ServiceLocatorRegister('ch', null, 0), NK_NULL, 0);
  const entity = new x.Srv_entity();
  x.Srv_entity_init(entity, { ops: { M0: (_s: unknown, q: Record<string, unknown>) => { received.push(m.ins.map((t, j) => plain(t, q[`i${j}`]))); return NK_EOK; } } });
  const req = new x.Srv_entity_req(), res = new x.Srv_entity_res();
  void (async () => {
    for (;;) {
      nk_req_reset(req.base_);
      if (req.arena_) nk_arena_reset(req.arena_);
      if (await nk_transport_recvAsync(st.base, req.base_, req.arena_) !== NK_EOK) return;
      x.Srv_entity_dispatch(entity, req.base_, req.arena_, res.base_, res.arena_);
      nk_transport_reply(st.base, res.base_, res.arena_);
    }
  })();
  const ch = client.ServiceLocatorConnect('ch');
  return { kernel, client, ch, received, riid: client.ServiceLocatorGetRiid(ch, 'main') };
}

/** A request of method M0 holding `values`, stamped as the proxy does. */
function encode(c: ReturnType<typeof compileIdl>, values: unknown[], riid: number): NkMessage {
  const Req = (c.exports as Record<string, (new () => NkMessage & Record<string, unknown>) & { size: number }>).r_M0_req!;
  const req = new Req();
  values.forEach((v, j) => { req[`i${j}`] = v; });
  nk_req_reset(req.base_, Req.size);
  nk_msg_set_method_id(req.base_, riid, 0);
  return req;
}

async function send(s: System, req: NkMessage, resSize: number): Promise<number> {
  const out = new SMsgHdr(), inn = new SMsgHdr();
  PackOutMsg(out, req.base_, req.arena_);
  PackInMsg(inn, new Uint8Array(resSize), null);
  return s.client.CallAsync(s.ch, out, inn);
}

const kernelCase = methodArb(false).chain((m) => fc.tuple(fc.constant(m), fc.tuple(...m.ins.map(valueArb)), fc.array(fc.tuple(
  fc.constantFrom('size', 'type', 'offset', 'length'), fc.nat(), fc.oneof(fc.nat(64), fc.constantFrom(0xffffffff, 0x80000000, 0xfffffffc))), { minLength: 1, maxLength: 3 })));

test('a random valid request crosses the kernel to a server that declared the EDL and decodes to the same value', async () => {
  await fc.assert(fc.asyncProperty(kernelCase, async ([m, values]) => {
    const c = compiles([m]);
    if (c === null) return;
    const s = await system(m);
    try {
      const resSize = (c.exports as Record<string, { size: number }>).r_M0_res!.size;
      const rc = await send(s, encode(c, values, s.riid), resSize);
      assert.is(retcodeName(rc), retcodeName(rcOk), print([m]));
      assert.equal(s.received, [values]);
    } finally {
      await s.kernel.shutdown();
    }
  }), { seed: 13, numRuns: RUNS });
});

test('a random mutation of a valid request is refused by the kernel exactly when the declared shape says it is malformed', async () => {
  let refused = 0, delivered = 0;
  await fc.assert(fc.asyncProperty(kernelCase, async ([m, values, mutations]) => {
    const c = compiles([m]);
    if (c === null) return;
    const shape = interfaceShapes(c.interfaces.r!)[0]!.request!;
    const s = await system(m);
    try {
      const req = encode(c, values, s.riid);
      const dv = new DataView(req.base_.buffer);
      for (const [what, i, v] of mutations) {
        if (what === 'size') dv.setUint32(0, 24 + (v % (req.base_.byteLength + 8)), true);
        else if (what === 'type') dv.setUint32(4, v % 3, true);
        else if (shape.descriptors.length > 0) dv.setUint32(shape.descriptors[i % shape.descriptors.length]!.field + (what === 'offset' ? 0 : 4), v, true);
      }
      const size = dv.getUint32(0, true);
      const verdict = size > req.base_.byteLength ? { ok: false } : checkMessageShape(shape, 'request', req.base_, req.arena_ as NkArena | null);
      const resSize = (c.exports as Record<string, { size: number }>).r_M0_res!.size;
      const rc = await send(s, req, resSize);
      assert.is(retcodeName(rc), retcodeName(verdict.ok ? rcOk : rcInvalidArgument), JSON.stringify(verdict));
      assert.is(s.received.length, verdict.ok ? 1 : 0, 'a refused request never reaches the server');
      if (verdict.ok) delivered++; else refused++;
    } finally {
      await s.kernel.shutdown();
    }
  }), { seed: 17, numRuns: RUNS });
  assert.ok(refused > 0 && delivered > 0, `both outcomes happen (${refused} refused, ${delivered} delivered)`);
});

test.run();
