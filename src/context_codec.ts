/**
 * Context values (the C `void *context` of user objects, callables and badges) as the bytes the
 * kernel keeps (assembly/context.ts), and back. A number, string, boolean, bigint, null or
 * undefined is kept by value, so every realm of the process reads the same value back; any
 * other value (an object, a function) is kept by reference in the realm that made it, where it
 * reads back as the same object (identity kept), and nowhere else (docs/semantics.md section 13).
 * @internal
 */
import type { Core } from './core.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const T_UNDEFINED = 0, T_NULL = 1, T_TRUE = 2, T_FALSE = 3, T_NUMBER = 4, T_STRING = 5, T_BIGINT = 6, T_REF = 7;

/** What a context read in the wrong realm gives: the object lives in another thread. */
export const FOREIGN = Symbol('kos-ipc: a context object of another realm');

interface Entry { value: unknown; key: number }

/** Per realm: the objects given as contexts, by id, until the kernel object they belong to ends. */
export class ContextRegistry {
  private readonly byId = new Map<number, Entry>();
  private nextId = 1;
  private sweepAt = 64;

  constructor(private readonly realm: number) {}

  /** The bytes that keep `value`; for an object, it is registered (keyOf names its kernel object later). */
  encode(value: unknown): { bytes: Uint8Array; id: number } {
    const one = (tag: number): { bytes: Uint8Array; id: number } => ({ bytes: Uint8Array.of(tag), id: 0 });
    if (value === undefined) return one(T_UNDEFINED);
    if (value === null) return one(T_NULL);
    if (value === true) return one(T_TRUE);
    if (value === false) return one(T_FALSE);
    if (typeof value === 'number') {
      const b = new Uint8Array(9);
      b[0] = T_NUMBER;
      new DataView(b.buffer).setFloat64(1, value, true);
      return { bytes: b, id: 0 };
    }
    if (typeof value === 'string' || typeof value === 'bigint') {
      const text = encoder.encode(String(value));
      const b = new Uint8Array(text.length + 1);
      b[0] = typeof value === 'string' ? T_STRING : T_BIGINT;
      b.set(text, 1);
      return { bytes: b, id: 0 };
    }
    const id = this.nextId++;
    this.byId.set(id, { value, key: 0 });
    const b = new Uint8Array(9);
    const dv = new DataView(b.buffer);
    b[0] = T_REF;
    dv.setUint32(1, this.realm, true);
    dv.setUint32(5, id, true);
    return { bytes: b, id };
  }

  /** Object context `id` now belongs to the kernel object of dereference key `key`. */
  bind(id: number, key: number): void {
    const e = this.byId.get(id);
    if (e) e.key = key;
  }

  /** An object registered for a kernel object that could not be made. */
  forget(id: number): void {
    this.byId.delete(id);
  }

  /** The value `bytes` keep; FOREIGN for an object of another realm (or already forgotten). */
  decode(bytes: Uint8Array): unknown {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    switch (bytes[0]) {
      case T_UNDEFINED: return undefined;
      case T_NULL: return null;
      case T_TRUE: return true;
      case T_FALSE: return false;
      case T_NUMBER: return dv.getFloat64(1, true);
      case T_STRING: return decoder.decode(bytes.subarray(1));
      case T_BIGINT: return BigInt(decoder.decode(bytes.subarray(1)));
      case T_REF: {
        if (dv.getUint32(1, true) !== this.realm) return FOREIGN;
        const e = this.byId.get(dv.getUint32(5, true));
        return e ? e.value : FOREIGN;
      }
      default: return FOREIGN;
    }
  }

  /**
   * Drops the objects whose kernel object ended, now and then: when the registry has doubled
   * since the last sweep. `alive(key)` asks the kernel. Amortized, a constant cost per object.
   */
  sweep(alive: (key: number) => boolean): void {
    if (this.byId.size < this.sweepAt) return;
    for (const [id, e] of this.byId) if (e.key !== 0 && !alive(e.key)) this.byId.delete(id);
    this.sweepAt = Math.max(64, this.byId.size * 2);
  }

  /** Objects held (tests check the sweep). */
  get size(): number {
    return this.byId.size;
  }
}

/** The registry of `core`'s realm, made on first use. */
export function registryOf(core: Core): ContextRegistry {
  core.contexts ??= new ContextRegistry(core.realm);
  return core.contexts;
}
