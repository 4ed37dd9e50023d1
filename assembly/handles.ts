// Per-process handle tables. A handle value is opaque: it encodes the table slot, the owning
// process and the slot's generation, scrambled with the kernel's key, so a value from another
// process never decodes to a live entry of the caller's table and a guessed or stale value
// almost never does.
//
//   raw   = gen[31:16] | 0[15:14] | process[13:8] | slot[7:0]
//   value = (raw ^ key) * 0x9E3779B1   (mod 2^32; odd, so invertible)
//
// Values below 0x100 (so a status code is never a handle) and 0xFFFFFFFF (INVALID_HANDLE) are
// never handed out.

import { HANDLES_PER_PROC, ST_BAD_HANDLE, ST_WRONG_TYPE, ST_NO_RIGHTS } from './abi';
import { hent, HE_OBJ, HE_RIGHTS, HE_GEN, hdr, H_KEY, proc, P_HANDLES, obj, O_KIND, O_REFS } from './layout';

const MUL: u32 = 0x9E3779B1;
const INV: u32 = 0x0E8B2F51; // MUL * INV == 1 (mod 2^32)
export const INVALID_HANDLE: u32 = 0xFFFFFFFF;
/** handleLookup's `kind` that accepts an object of any kind. */
export const ANY_KIND: i32 = -1;

function encode(p: u32, s: u32, gen: u32): u32 {
  const raw = ((gen & 0xFFFF) << 16) | (p << 8) | s;
  return (raw ^ load<u32>(hdr(H_KEY))) * MUL;
}

/** Installs a handle to object `o` in process `p`; returns its value, or 0 when the table is full. */
export function handleAlloc(p: u32, o: u32, rights: u32): u32 {
  for (let s: u32 = 0; s < HANDLES_PER_PROC; s++) {
    const e = hent(p, s);
    if (load<u32>(e + HE_OBJ) != 0) continue;
    let gen = load<u32>(e + HE_GEN);
    let v: u32;
    do {
      gen = (gen + 1) & 0xFFFF;
      v = encode(p, s, gen);
    } while (v < 0x100 || v == INVALID_HANDLE); // small values stay free: statuses never collide
    store<u32>(e + HE_GEN, gen);
    store<u32>(e + HE_OBJ, o + 1);
    store<u32>(e + HE_RIGHTS, rights);
    store<u32>(proc(p) + P_HANDLES, load<u32>(proc(p) + P_HANDLES) + 1);
    store<u32>(obj(o) + O_REFS, load<u32>(obj(o) + O_REFS) + 1);
    return v;
  }
  return 0;
}

/** True when process `p`'s handle table has at least `n` free entries. */
export function handlesFree(p: u32, n: u32): bool {
  let free: u32 = 0;
  for (let s: u32 = 0; s < HANDLES_PER_PROC && free < n; s++) {
    if (load<u32>(hent(p, s) + HE_OBJ) == 0) free++;
  }
  return free >= n;
}

/** Table slot of handle `value` in process `p`, or -1 when it names no live entry there. */
export function handleSlot(p: u32, value: u32): i32 {
  const raw = (value * INV) ^ load<u32>(hdr(H_KEY));
  if (((raw >> 8) & 0xFF) != p) return -1;
  const s = raw & 0xFF;
  const e = hent(p, s);
  if (load<u32>(e + HE_OBJ) == 0) return -1;
  if (load<u32>(e + HE_GEN) != raw >> 16) return -1;
  return <i32>s;
}

/**
 * The one handle check of every entry point: the object that handle `value` of process `p`
 * names, or -status. The checks run in this order, so the first failing one decides (as in
 * Zircon, a wrong type takes precedence over missing rights): ST_BAD_HANDLE (no live entry),
 * ST_WRONG_TYPE (the object is not of `kind`; ANY_KIND accepts all), ST_NO_RIGHTS (the entry
 * lacks one of `rights`).
 */
export function handleLookup(p: u32, value: u32, kind: i32, rights: u32): i32 {
  const s = handleSlot(p, value);
  if (s < 0) return -ST_BAD_HANDLE;
  const e = hent(p, <u32>s);
  const o = load<u32>(e + HE_OBJ) - 1;
  if (kind != ANY_KIND && load<i32>(obj(o) + O_KIND) != kind) return -ST_WRONG_TYPE;
  if ((load<u32>(e + HE_RIGHTS) & rights) != rights) return -ST_NO_RIGHTS;
  return <i32>o;
}

export function handleObj(p: u32, s: u32): u32 {
  return load<u32>(hent(p, s) + HE_OBJ) - 1;
}

export function handleValue(p: u32, s: u32): u32 {
  return encode(p, s, load<u32>(hent(p, s) + HE_GEN));
}

/** Frees the entry; returns the object it named (the caller releases that reference). */
export function handleDrop(p: u32, s: u32): u32 {
  const e = hent(p, s);
  const o = load<u32>(e + HE_OBJ) - 1;
  store<u32>(e + HE_OBJ, 0);
  store<u32>(e + HE_RIGHTS, 0);
  store<u32>(proc(p) + P_HANDLES, load<u32>(proc(p) + P_HANDLES) - 1);
  return o;
}
