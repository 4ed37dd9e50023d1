// Small builders shared by the tests: a message with a UInt32 at offset 24 (like the SDK's
// echo `Ping(in UInt32 value, out UInt32 result)`), and optional arena.
import * as assert from 'uvu/assert';
import {
  retcodeName, SMsgHdr, PackOutMsg, PackInMsg, nk_req_reset, nk_msg_set_method_id, nk_arena_init,
  type NkArena,
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
