// Per-process handle tables and the handle inheritance tree.
//
// A process's table is a directory of chunks of 256 entries (heap blocks the kernel owns, freed
// when the process ends), grown on demand up to MAX_HANDLES_PER_PROC; free slots are reused
// oldest first, so a closed value stays refused as long as possible. A handle value is opaque:
//
//   raw   = gen[31:27] | process[26:17] | slot[16:0]       (HANDLE_GEN_BITS, PROC_BITS, HANDLE_SLOT_BITS)
//   value = (raw ^ key) * 0x9E3779B1   (mod 2^32; odd, so invertible)
//
// so a value from another process never decodes to a live entry of the caller's table (the
// process is part of it), and a guessed or stale value almost never does. Values below 0x100
// and 0xFFFFFFFF (INVALID_HANDLE) are never handed out.
//
// Every handle is a node of its resource's inheritance tree (docs/semantics.md section 1): a
// transfer or a copy makes a child of the sent handle; closing a handle gives its children to
// its parent; revoking marks a whole subtree revoked (the entries stay until closed, and every
// use fails with ST_REVOKED). Tree links name handles by id: hid = process << 17 | slot (+ 1 in
// links, 0 = none). An entry also records the badge its transfer carried (for dereference and
// KnHandleRevokeSubtree) and the badge zone it counts in (EVENT_BADGE_CLOSED, badges.ts).

import {
  MAX_HANDLES_PER_PROC, HANDLE_SLOT_BITS, PROC_BITS, HANDLE_GEN_BITS, ST_BAD_HANDLE, ST_WRONG_TYPE,
  ST_NO_RIGHTS, ST_REVOKED,
} from './abi';
import {
  hdr, H_KEY, H_HANDLES, H_REVOKED, proc, obj, made, TB_PROCS, O_KIND, O_REFS, P_HANDLES, P_HDIR,
  P_HDIR_CAP, P_HMADE, P_HFREE_HEAD, P_HFREE_TAIL, P_REVOKED, HANDLE_SIZE, HANDLE_CHUNK_BITS, HE_OBJ, HE_RIGHTS,
  HE_GEN, HE_FLAGS, HE_PARENT, HE_CHILD, HE_NEXT, HE_PREV, HE_BADGE, HE_ZONE, HF_REVOKED,
} from './layout';
import { heapAlloc, heapFree, KERNEL_OWNED } from './heap';

const MUL: u32 = 0x9E3779B1;
const INV: u32 = 0x0E8B2F51; // MUL * INV == 1 (mod 2^32)
export const INVALID_HANDLE: u32 = 0xFFFFFFFF;
/** handleLookup's `kind` that accepts an object of any kind. */
export const ANY_KIND: i32 = -1;

const SLOT_MASK: u32 = (<u32>1 << HANDLE_SLOT_BITS) - 1;
const PROC_MASK: u32 = (<u32>1 << PROC_BITS) - 1;
const GEN_SHIFT: u32 = HANDLE_SLOT_BITS + PROC_BITS;
const GEN_MASK: u32 = (<u32>1 << HANDLE_GEN_BITS) - 1;
const CHUNK: u32 = <u32>1 << HANDLE_CHUNK_BITS;

// ---- ids and entries ---------------------------------------------------------------------

// @ts-ignore: decorator
@inline export function hid(p: u32, s: u32): u32 { return (p << HANDLE_SLOT_BITS) | s; }
// @ts-ignore: decorator
@inline export function hidProc(h: u32): u32 { return h >> HANDLE_SLOT_BITS; }
// @ts-ignore: decorator
@inline export function hidSlot(h: u32): u32 { return h & SLOT_MASK; }

/** The entry of slot `s` of process `p` (the slot must have been made). */
export function hent(p: u32, s: u32): u32 {
  return load<u32>(load<u32>(proc(p) + P_HDIR) + ((s >> HANDLE_CHUNK_BITS) << 2)) + (s & (CHUNK - 1)) * HANDLE_SIZE;
}

/** The entry of handle id `h`. */
export function hidEntry(h: u32): u32 {
  return hent(hidProc(h), hidSlot(h));
}

function encode(p: u32, s: u32, gen: u32): u32 {
  const raw = (gen << GEN_SHIFT) | (p << HANDLE_SLOT_BITS) | s;
  return (raw ^ load<u32>(hdr(H_KEY))) * MUL;
}

/** Slots made in process `p`'s table (the bound of a scan over it). */
export function handlesMade(p: u32): u32 {
  return load<u32>(proc(p) + P_HMADE);
}

// ---- the table ------------------------------------------------------------------------------

/** Makes sure the directory of `p` holds chunk `c` (growing it), and the chunk exists. */
function chunkFor(p: u32, c: u32): bool {
  const pa = proc(p);
  let dir = load<u32>(pa + P_HDIR);
  let cap = load<u32>(pa + P_HDIR_CAP);
  if (c >= cap) {
    const ncap = max(cap << 1, max(c + 1, 4));
    const ndir = heapAlloc(KERNEL_OWNED, ncap << 2);
    if (ndir == 0) return false;
    memory.fill(ndir, 0, ncap << 2);
    if (dir != 0) {
      memory.copy(ndir, dir, cap << 2);
      heapFree(dir);
    }
    dir = ndir;
    cap = ncap;
    store<u32>(pa + P_HDIR, dir);
    store<u32>(pa + P_HDIR_CAP, cap);
  }
  if (load<u32>(dir + (c << 2)) != 0) return true;
  const chunk = heapAlloc(KERNEL_OWNED, CHUNK * HANDLE_SIZE);
  if (chunk == 0) return false;
  memory.fill(chunk, 0, CHUNK * HANDLE_SIZE);
  store<u32>(dir + (c << 2), chunk);
  return true;
}

/**
 * True when process `p` can take `n` more handles: free slots, or slots the table can grow to
 * (the chunks they need are made now: only capacity changes). For the check step of an entry.
 */
export function handlesFree(p: u32, n: u32): bool {
  const pa = proc(p);
  const madeN = load<u32>(pa + P_HMADE);
  // a slot holds an entry while its handle is live or revoked and not yet closed
  const free = madeN - load<u32>(pa + P_HANDLES) - load<u32>(pa + P_REVOKED);
  if (free >= n) return true;
  const need = n - free;
  if (<u64>madeN + <u64>need > <u64>MAX_HANDLES_PER_PROC) return false;
  for (let c = madeN >> HANDLE_CHUNK_BITS; c <= (madeN + need - 1) >> HANDLE_CHUNK_BITS; c++) {
    if (!chunkFor(p, c)) return false;
  }
  return true;
}

function revokedAdd(p: u32, d: i32): void {
  store<u32>(proc(p) + P_REVOKED, <u32>(<i32>load<u32>(proc(p) + P_REVOKED) + d));
  store<u32>(hdr(H_REVOKED), <u32>(<i32>load<u32>(hdr(H_REVOKED)) + d));
}

/** A free slot of `p` (the oldest freed, else a new one): its index, or -1. */
function slotTake(p: u32): i32 {
  const pa = proc(p);
  const head = load<u32>(pa + P_HFREE_HEAD);
  if (head != 0) {
    const s = head - 1;
    const next = load<u32>(hent(p, s) + HE_NEXT);
    store<u32>(pa + P_HFREE_HEAD, next);
    if (next == 0) store<u32>(pa + P_HFREE_TAIL, 0);
    return <i32>s;
  }
  const s = load<u32>(pa + P_HMADE);
  if (s >= MAX_HANDLES_PER_PROC || !chunkFor(p, s >> HANDLE_CHUNK_BITS)) return -1;
  store<u32>(pa + P_HMADE, s + 1);
  return <i32>s;
}

/** Puts slot `s` of `p` at the end of the free list. */
function slotGive(p: u32, s: u32): void {
  const pa = proc(p);
  const e = hent(p, s);
  store<u32>(e + HE_OBJ, 0);
  store<u32>(e + HE_FLAGS, 0);
  store<u32>(e + HE_NEXT, 0);
  const tail = load<u32>(pa + P_HFREE_TAIL);
  if (tail != 0) store<u32>(hent(p, tail - 1) + HE_NEXT, s + 1);
  else store<u32>(pa + P_HFREE_HEAD, s + 1);
  store<u32>(pa + P_HFREE_TAIL, s + 1);
}

/**
 * Installs a handle to object `o` in process `p` with `rights`, as a child of handle id
 * `parent` + 1 (0: a root). Returns its value, or 0 when the table is full (the caller checked
 * handlesFree first). The object gains a reference.
 */
export function handleInstall(p: u32, o: u32, rights: u32, parent: u32): u32 {
  const si = slotTake(p);
  if (si < 0) return 0;
  const s = <u32>si;
  const e = hent(p, s);
  let gen = load<u32>(e + HE_GEN);
  let v: u32 = 0;
  for (let n: u32 = 0; n <= GEN_MASK; n++) {
    gen = (gen + 1) & GEN_MASK;
    v = encode(p, s, gen);
    if (v >= 0x100 && v != INVALID_HANDLE) break; // small values stay free: statuses never collide
  }
  store<u32>(e + HE_GEN, gen);
  store<u32>(e + HE_OBJ, o + 1);
  store<u32>(e + HE_RIGHTS, rights);
  store<u32>(e + HE_FLAGS, 0);
  store<u32>(e + HE_PARENT, 0);
  store<u32>(e + HE_CHILD, 0);
  store<u32>(e + HE_NEXT, 0);
  store<u32>(e + HE_PREV, 0);
  store<u32>(e + HE_BADGE, 0);
  store<u32>(e + HE_ZONE, 0);
  if (parent != 0) treeLink(parent - 1, hid(p, s));
  store<u32>(proc(p) + P_HANDLES, load<u32>(proc(p) + P_HANDLES) + 1);
  store<u32>(hdr(H_HANDLES), load<u32>(hdr(H_HANDLES)) + 1);
  store<u32>(obj(o) + O_REFS, load<u32>(obj(o) + O_REFS) + 1);
  return v;
}

/** Installs a root handle (no ancestor): a new resource's first handle. */
export function handleAlloc(p: u32, o: u32, rights: u32): u32 {
  return handleInstall(p, o, rights, 0);
}

/** Table slot of handle `value` in process `p`, or -1 when it names no entry there (live or revoked). */
export function handleSlot(p: u32, value: u32): i32 {
  const raw = (value * INV) ^ load<u32>(hdr(H_KEY));
  if (((raw >> HANDLE_SLOT_BITS) & PROC_MASK) != p || p >= made(TB_PROCS)) return -1;
  const s = raw & SLOT_MASK;
  if (s >= load<u32>(proc(p) + P_HMADE)) return -1;
  const e = hent(p, s);
  if (load<u32>(e + HE_OBJ) == 0) return -1;
  if (load<u32>(e + HE_GEN) != raw >> GEN_SHIFT) return -1;
  return <i32>s;
}

/**
 * The one handle check of every entry point: the object that handle `value` of process `p`
 * names, or -status. The checks run in this order, so the first failing one decides (as in
 * Zircon, a wrong type takes precedence over missing rights): ST_BAD_HANDLE (no entry),
 * ST_REVOKED (revoked: every use fails until it is closed), ST_WRONG_TYPE (the object is not
 * of `kind`; ANY_KIND accepts all), ST_NO_RIGHTS (the entry lacks one of `rights`).
 */
export function handleLookup(p: u32, value: u32, kind: i32, rights: u32): i32 {
  const s = handleSlot(p, value);
  if (s < 0) return -ST_BAD_HANDLE;
  const e = hent(p, <u32>s);
  if ((load<u32>(e + HE_FLAGS) & HF_REVOKED) != 0) return -ST_REVOKED;
  const o = load<u32>(e + HE_OBJ) - 1;
  if (kind != ANY_KIND && load<i32>(obj(o) + O_KIND) != kind) return -ST_WRONG_TYPE;
  if ((load<u32>(e + HE_RIGHTS) & rights) != rights) return -ST_NO_RIGHTS;
  return <i32>o;
}

export function handleValue(p: u32, s: u32): u32 {
  return encode(p, s, load<u32>(hent(p, s) + HE_GEN));
}

/** The value of the handle whose id is `h`. */
export function hidValue(h: u32): u32 {
  return handleValue(hidProc(h), hidSlot(h));
}

// ---- the inheritance tree -------------------------------------------------------------------

/** Makes `child` the first child of `parent` (both ids). */
export function treeLink(parent: u32, child: u32): void {
  const pe = hidEntry(parent), ce = hidEntry(child);
  const first = load<u32>(pe + HE_CHILD);
  store<u32>(ce + HE_PARENT, parent + 1);
  store<u32>(ce + HE_PREV, 0);
  store<u32>(ce + HE_NEXT, first);
  if (first != 0) store<u32>(hidEntry(first - 1) + HE_PREV, child + 1);
  store<u32>(pe + HE_CHILD, child + 1);
}

/** Takes `h` out of its parent's list of children (it becomes a root). */
export function treeUnlink(h: u32): void {
  const e = hidEntry(h);
  const parent = load<u32>(e + HE_PARENT);
  const next = load<u32>(e + HE_NEXT), prev = load<u32>(e + HE_PREV);
  if (prev != 0) store<u32>(hidEntry(prev - 1) + HE_NEXT, next);
  else if (parent != 0) store<u32>(hidEntry(parent - 1) + HE_CHILD, next);
  if (next != 0) store<u32>(hidEntry(next - 1) + HE_PREV, prev);
  store<u32>(e + HE_PARENT, 0);
  store<u32>(e + HE_NEXT, 0);
  store<u32>(e + HE_PREV, 0);
}

/**
 * Gives every child of `h` to `h`'s parent (or makes them roots): `h` is about to go. A child
 * made without a badge takes the badge of `h`'s own transfer, so it stays in the subtree that
 * transfer started (KnHandleRevokeSubtree on the parent reaches it, a dereference through it
 * gives that badge's context). Such a child already counts in that badge's zone: it inherited
 * `h`'s zone when it was made, so a badge named by HE_BADGE always has the entry in its zone
 * and outlives the tag.
 */
export function treeLiftChildren(h: u32): void {
  const e = hidEntry(h);
  const parent = load<u32>(e + HE_PARENT);
  const badge = load<u32>(e + HE_BADGE);
  let c = load<u32>(e + HE_CHILD);
  while (c != 0) {
    const next = load<u32>(hidEntry(c - 1) + HE_NEXT);
    const ce = hidEntry(c - 1);
    store<u32>(ce + HE_PARENT, 0);
    store<u32>(ce + HE_NEXT, 0);
    store<u32>(ce + HE_PREV, 0);
    if (parent != 0) {
      treeLink(parent - 1, c - 1);
      if (load<u32>(ce + HE_BADGE) == 0) store<u32>(ce + HE_BADGE, badge);
    }
    c = next;
  }
  store<u32>(e + HE_CHILD, 0);
}

/** Frees the entry of handle id `h` (already out of the tree); returns its slot to the table. */
export function handleDrop(h: u32): void {
  const p = hidProc(h);
  const e = hidEntry(h);
  if ((load<u32>(e + HE_FLAGS) & HF_REVOKED) != 0) {
    revokedAdd(p, -1);
  } else {
    store<u32>(proc(p) + P_HANDLES, load<u32>(proc(p) + P_HANDLES) - 1);
    store<u32>(hdr(H_HANDLES), load<u32>(hdr(H_HANDLES)) - 1);
  }
  slotGive(p, hidSlot(h));
}

/** Marks live handle `h` revoked (it keeps its slot); its live count moves to the revoked one. */
export function handleMarkRevoked(h: u32): void {
  const p = hidProc(h);
  const e = hidEntry(h);
  store<u32>(e + HE_FLAGS, load<u32>(e + HE_FLAGS) | HF_REVOKED);
  store<u32>(proc(p) + P_HANDLES, load<u32>(proc(p) + P_HANDLES) - 1);
  store<u32>(hdr(H_HANDLES), load<u32>(hdr(H_HANDLES)) - 1);
  revokedAdd(p, 1);
}

/** True when the entry of `h` is revoked. */
export function handleRevoked(h: u32): bool {
  return (load<u32>(hidEntry(h) + HE_FLAGS) & HF_REVOKED) != 0;
}

/** Frees process `p`'s table (every entry already dropped): its chunks and directory. */
export function handleTableFree(p: u32): void {
  const pa = proc(p);
  const dir = load<u32>(pa + P_HDIR);
  if (dir != 0) {
    const cap = load<u32>(pa + P_HDIR_CAP);
    for (let c: u32 = 0; c < cap; c++) {
      const chunk = load<u32>(dir + (c << 2));
      if (chunk != 0) heapFree(chunk);
    }
    heapFree(dir);
  }
  store<u32>(pa + P_HDIR, 0);
  store<u32>(pa + P_HDIR_CAP, 0);
  store<u32>(pa + P_HMADE, 0);
  store<u32>(pa + P_HFREE_HEAD, 0);
  store<u32>(pa + P_HFREE_TAIL, 0);
  store<u32>(pa + P_HANDLES, 0);
  store<u32>(pa + P_REVOKED, 0);
}
