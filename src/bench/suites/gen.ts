/**
 * The generated-code scenarios (issue 12): a call through a generated proxy beside a raw Call of
 * the same bytes (client and server workers, the server the generated dispatcher, its EDL's
 * shapes declared); and encoding then decoding a 4 KiB message through the generated classes
 * beside v8.serialize/deserialize and structuredClone of the equivalent object.
 */
import { serialize, deserialize } from 'node:v8';
import { Kernel } from '../../kernel.js';
import { nk_arena_reset } from '../../nk/arena.js';
import { measureSync } from '../measure.js';
import type { Measurement } from '../stats.js';
import { gather, openBus, type RunContext } from '../context.js';
import type { ClientConfig } from '../bus.js';
import { bench_Echo_Put_req } from '../generated/bench/Echo.idl.js';
import { bench_Server_entity_options } from '../generated/bench/Server.edl.js';

const worker = (name: string): URL => new URL(`../workers/${name}.js`, import.meta.url);

/** A client worker (`proxy` or `call`) against the generated-code server worker. */
export async function genWorkers(ctx: RunContext, id: string, mode: 'proxy' | 'call', sizeBytes: number, spinUs: number): Promise<Measurement> {
  const k = await Kernel.create({ spin: spinUs });
  ctx.defer(() => k.shutdown());
  k.connect('Client0', 'bench.Server', 'bench');
  const bus = openBus(ctx, id);
  const cfg: ClientConfig & { mode: string } = { bus: bus.name, index: 0, barrier: false, spec: ctx.spec, size_bytes: sizeBytes, mode };
  // both processes exist before either module runs, so the server finds its channel
  const [server, client] = await Promise.all([
    k.spawn('bench.Server', worker('gen_server'), bench_Server_entity_options),
    k.spawn('Client0', worker('gen_client'), { args: [JSON.stringify(cfg)] }),
  ]);
  for (const [p, what] of [[server, 'the generated server worker'], [client, 'the client worker']] as const) {
    void p.exited.then((e) => ctx.fail(new Error(`${what} ended (code ${e.code})${e.error ? `: ${String(e.error)}` : ''}`)));
  }
  return gather(bus, 1);
}

/** The 4 KiB message: a counter, a short name and 4096 bytes of data. */
const NAME = 'sensor-0042';
const DATA = new Uint8Array(4096).fill(0x5a);

function check(what: string, id: number, want: number, name: string, data: Uint8Array): void {
  if (id !== want || name !== NAME || data.length !== 4096 || data[4095] !== 0x5a) throw new Error(`${what}: the decoded message differs`);
}

/** Encode into a generated request (fields at their offsets, strings and bytes into its arena), then decode. */
export async function genCodec(ctx: RunContext): Promise<Measurement> {
  const req = new bench_Echo_Put_req();
  let i = 0;
  return (await measureSync(() => {
    nk_arena_reset(req.arena_!);
    req.id = i;
    req.name = NAME;
    req.data = DATA;
    check('generated classes', req.id, i, req.name!, req.data!);
    i = (i + 1) >>> 0;
  }, ctx.spec)).measurement;
}

/** v8.serialize and v8.deserialize of the equivalent object. */
export async function v8Codec(ctx: RunContext): Promise<Measurement> {
  let i = 0;
  return (await measureSync(() => {
    const back = deserialize(serialize({ id: i, name: NAME, data: DATA })) as { id: number; name: string; data: Uint8Array };
    check('v8.serialize', back.id, i, back.name, back.data);
    i = (i + 1) >>> 0;
  }, ctx.spec)).measurement;
}

/** structuredClone of the equivalent object. */
export async function cloneCodec(ctx: RunContext): Promise<Measurement> {
  let i = 0;
  return (await measureSync(() => {
    const back = structuredClone({ id: i, name: NAME, data: DATA });
    check('structuredClone', back.id, i, back.name, back.data);
    i = (i + 1) >>> 0;
  }, ctx.spec)).measurement;
}
