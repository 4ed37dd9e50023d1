// Small builders shared by the tests: a message with a UInt32 at offset 24 (like the SDK's
// echo `Ping(in UInt32 value, out UInt32 result)`), and optional arena; and the kernel core's
// ABI read from its declaration, for the few tests that look inside the kernel.
import * as assert from 'uvu/assert';
import {
  retcodeName, SMsgHdr, PackOutMsg, PackInMsg, nk_req_reset, nk_msg_set_method_id, nk_arena_init,
  Kernel, type NkArena, type KernelOptions,
} from 'kos-ipc';

export interface Msg { hdr: SMsgHdr; buf: Uint8Array; arena: NkArena | null }

/** An outgoing message of `size` bytes carrying `value` as a UInt32 at offset 24. */
export function outMsg(value: number, opts: { size?: number; riid?: number; mid?: number; arena?: Uint8Array } = {}): Msg {
  const buf = new Uint8Array(opts.size ?? 32);
  nk_req_reset(buf);
  nk_msg_set_method_id(buf, opts.riid ?? 0, opts.mid ?? 0);
  if (buf.byteLength >= 28) new DataView(buf.buffer, buf.byteOffset).setUint32(24, value >>> 0, true);
  const arena = opts.arena ? nk_arena_init(opts.arena) : null;
  if (arena && opts.arena) arena.used = opts.arena.byteLength;
  const hdr = new SMsgHdr();
  PackOutMsg(hdr, buf, arena);
  return { hdr, buf, arena };
}

/** Receive buffers: a constant part of `size` bytes and an arena of `arenaSize` bytes. */
export function inMsg(size = 32, arenaSize = 0): Msg {
  const buf = new Uint8Array(size);
  const arena = arenaSize > 0 ? nk_arena_init(new Uint8Array(arenaSize)) : null;
  const hdr = new SMsgHdr();
  PackInMsg(hdr, buf, arena);
  return { hdr, buf, arena };
}

export function valueOf(m: Msg): number {
  return new DataView(m.buf.buffer, m.buf.byteOffset).getUint32(24, true);
}

export function setValue(m: Msg, v: number): void {
  new DataView(m.buf.buffer, m.buf.byteOffset).setUint32(24, v >>> 0, true);
}

const live = new Set<Kernel>();

/**
 * Kernel.create for a test: the kernel is shut down by shutdownAll, which every test file runs
 * after each test (test.after.each), so a failing test leaves no worker behind.
 */
export async function newKernel(options?: KernelOptions): Promise<Kernel> {
  const kernel = await Kernel.create(options);
  live.add(kernel);
  return kernel;
}

/** Shuts down every kernel made by newKernel (idempotent: a test may have done it already). */
export async function shutdownAll(): Promise<void> {
  const all = [...live];
  live.clear();
  await Promise.all(all.map((k) => k.shutdown()));
}

export const fixture = (name: string): URL => new URL(`./fixtures/${name}.js`, import.meta.url);

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Asserts that `f()` rejects (or throws) with an error whose message matches `re`. */
export async function rejects(f: () => unknown, re: RegExp): Promise<void> {
  try {
    await f();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (!re.test(msg)) throw new Error(`expected an error matching ${re}, got: ${msg}`);
    return;
  }
  throw new Error(`expected an error matching ${re}, but nothing was thrown`);
}

/** Asserts two Retcodes are equal, showing their names when they differ. */
export const is = (rc: number, want: number, msg?: string): void => assert.is(retcodeName(rc), retcodeName(want), msg);

// ---- the kernel core's ABI, from its one declaration (abi/kernel.mjs) ----------------------

interface AbiDecl {
  statuses: [string, string | null, string][];
  limits: Record<string, [number, string]>;
  layout: Record<string, [number, string]>;
  exports: { name: string; params: string[]; results: string[]; caller: string }[];
}

/** The declaration the core and src/abi.ts are generated from. */
export const abi = (await import(new URL('../../abi/kernel.mjs', import.meta.url).href)) as AbiDecl;

/** The value of status `name` (ST_OK, ST_BAD_ARG, ...). */
export function status(name: string): number {
  const i = abi.statuses.findIndex(([n]) => n === name);
  if (i < 0) throw new Error(`no status ${name} in abi/kernel.mjs`);
  return i;
}

interface CoreLike { sys(id: number, who: number, ...args: number[]): number; res(rec: number, i: number): number }

/** Runs admin export `name` of `kernel`'s core through Core.sys: its status and result words. */
export function admin(kernel: Kernel, name: string, ...args: number[]): { st: number; r: number[] } {
  const id = abi.exports.findIndex((e) => e.name === name);
  if (id < 0) throw new Error(`no export ${name} in abi/kernel.mjs`);
  const core = (kernel as unknown as { core: CoreLike }).core;
  const st = core.sys(id, abi.limits.ADMIN![0], ...args);
  const rec = abi.layout.ADMIN_RECORD![0];
  return { st, r: abi.exports[id]!.results.map((_, i) => core.res(rec, i)) };
}

/** A new IPC sync object of `p` (KnIpcCreateSyncObject(Ex) must return rcOk). */
export function syncObject(p: { KnIpcCreateSyncObjectEx(autoclear: boolean, out: { syncHandle?: number }): number }, autoclear = false): number {
  const out: { syncHandle?: number } = {};
  const rc = p.KnIpcCreateSyncObjectEx(autoclear, out);
  if (rc !== 0) throw new Error(`KnIpcCreateSyncObjectEx returned ${retcodeName(rc)}`);
  return out.syncHandle!;
}
