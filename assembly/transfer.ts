// Handles in messages. A message carries `ncaps` handle descriptors, right after the 24-byte
// header (docs/message-format.md section 1.1):
//
//   +0 handle u32 | +4 rights u32 | +8 badge u32 | +12 flags u32        (nk_handle_desc_t, 16 B)
//
// On send, `handle` is a handle of the sender, `rights` the rights the receiver gets (never more
// than the sender's: asking for more is refused; RIGHTS_SAME: the sender's own), `badge` a badge
// handle of the sender, or 0 / INVALID_HANDLE for none. The whole message is checked before anything changes (capsCheck). On delivery
// the kernel rewrites each descriptor in the receiver's copy: a transfer makes a child of the
// sent handle in the receiver's table; a handle whose resource the receiver already holds an
// ancestor of is dereferenced instead: the receiver gets that ancestor handle, the rights sent,
// the context key of the badge on the way (or of the resource, when the receiver made it) and
// the DEREFERENCED flag (docs/semantics.md section 12).

import {
  MAX_NCAPS, OCAP_RIGHTS_SAME, NK_MESSAGE_SIZE, NK_OFF_NCAPS, NK_HANDLE_DESC_SIZE, NK_HD_HANDLE,
  NK_HD_RIGHTS, NK_HD_BADGE, NK_HD_FLAGS, OCAP_HANDLE_TRANSFER, ST_OK,
  ST_TRANSFER_DENIED, ST_QUOTA,
} from './abi';
import {
  obj, O_OWNER, O_SID, K_BADGE, HE_OBJ, HE_RIGHTS, HE_PARENT, HE_BADGE, HE_ZONE, CAPS_SEEN, CAPS_SEEN_SIZE,
} from './layout';
import {
  handleLookup, handleSlot, handlesFree, handleInstall, hid, hidEntry, hidProc, hidValue, hent,
  ANY_KIND, INVALID_HANDLE,
} from './handles';
import { zoneEnter } from './badges';
import { contextKey } from './context';

/** The flag of a descriptor delivered by dereference (nk_is_handle_dereferenced). */
export const HD_DEREFERENCED: u32 = 1;

/** A descriptor's `rights` that asks for the sender's own rights (nk_handle_desc without rights). */
export const RIGHTS_SAME: u32 = OCAP_RIGHTS_SAME;

/** The rights descriptor `d` asks for a handle holding `held`. */
function rightsAsked(d: u32, held: u32): u32 {
  const asked = load<u32>(d + NK_HD_RIGHTS);
  return asked == RIGHTS_SAME ? held : asked;
}

/** Handles message `c` of `size` bytes carries, checked against the size: -1 when malformed. */
export function capsOf(c: u32, size: u32): i32 {
  const n = load<u32>(c + NK_OFF_NCAPS);
  if (n > MAX_NCAPS || <u64>NK_MESSAGE_SIZE + <u64>n * NK_HANDLE_DESC_SIZE > <u64>size) return -1;
  return <i32>n;
}

// @ts-ignore: decorator
@inline function desc(c: u32, i: u32): u32 { return c + NK_MESSAGE_SIZE + i * NK_HANDLE_DESC_SIZE; }

/**
 * The handle id (+ 1) of the ancestor of `h` that process `r` holds, the nearest one, or 0:
 * when `r` holds one, a handle of the same resource sent to `r` is dereferenced.
 */
function ancestorIn(r: u32, h: u32): u32 {
  let cur = h + 1;
  while (cur != 0) {
    if (hidProc(cur - 1) == r) return cur;
    cur = load<u32>(hidEntry(cur - 1) + HE_PARENT);
  }
  return 0;
}

/**
 * The context key a dereference by `r` of handle `h` (whose ancestor in `r` is `anc`) yields:
 * the badge of `r` that the transfer just below `anc` carried, else the resource itself when `r`
 * made it (a user object or callable); 0 when neither.
 */
function derefKey(r: u32, h: u32, anc: u32): u32 {
  let cur = h + 1;
  while (cur != 0 && cur != anc) {
    const e = hidEntry(cur - 1);
    const parent = load<u32>(e + HE_PARENT);
    if (parent == anc) {
      // a badge of another process tags this edge only when a handle passed on under it was
      // lifted here by a close (handles.ts treeLiftChildren): `r` cannot read it, so it is skipped
      const b = load<u32>(e + HE_BADGE);
      if (b != 0 && load<u32>(obj(b - 1) + O_OWNER) == r + 1) return contextKey(b - 1);
      break;
    }
    cur = parent;
  }
  const o = load<u32>(hidEntry(anc - 1) + HE_OBJ) - 1;
  return load<u32>(obj(o) + O_OWNER) == r + 1 ? contextKey(o) : 0;
}

/** callableKey's `h` when the caller's handle is gone: only the callable's own context is left. */
export const NO_HANDLE: u32 = 0xFFFFFFFF;

/** The context key a callable call from handle id `h` yields to server process `r` (rendezvous.ts `self`). */
export function callableKey(r: u32, h: u32, callable: u32): u32 {
  if (h == NO_HANDLE) return load<u32>(obj(callable) + O_OWNER) == r + 1 ? contextKey(callable) : 0;
  const anc = ancestorIn(r, h);
  if (anc != 0) return derefKey(r, h, anc);
  // the server closed its own handles to the callable: the nearest badge it made on the way up
  let cur = h + 1;
  while (cur != 0) {
    const e = hidEntry(cur - 1);
    const b = load<u32>(e + HE_BADGE);
    if (b != 0 && load<u32>(obj(b - 1) + O_OWNER) == r + 1) return contextKey(b - 1);
    cur = load<u32>(e + HE_PARENT);
  }
  return load<u32>(obj(callable) + O_OWNER) == r + 1 ? contextKey(callable) : 0;
}

/** Where capsCheck keeps what it resolved for descriptor `i` (layout.ts CAPS_SEEN). */
// @ts-ignore: decorator
@inline function seen(i: u32): u32 { return CAPS_SEEN + i * CAPS_SEEN_SIZE; }

/**
 * Checks the `n` descriptors of message `c` sent by process `p` to process `r`: every handle a
 * live handle of `p` (ST_BAD_HANDLE, ST_REVOKED) with OCAP_HANDLE_TRANSFER and at least the
 * rights asked (ST_TRANSFER_DENIED), every badge INVALID_HANDLE or a badge handle of `p`
 * (ST_BAD_HANDLE, ST_REVOKED, ST_WRONG_TYPE), and room in `r`'s table for the new handles
 * (ST_QUOTA). Nothing changes but CAPS_SEEN, where what it resolved waits for capsDeliver.
 */
export function capsCheck(p: u32, r: u32, c: u32, n: u32): i32 {
  let fresh: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const d = desc(c, i);
    const v = load<u32>(d + NK_HD_HANDLE);
    const o = handleLookup(p, v, ANY_KIND, 0);
    if (o < 0) return -o;
    const h = hid(p, <u32>handleSlot(p, v));
    const held = load<u32>(hidEntry(h) + HE_RIGHTS);
    const asked = rightsAsked(d, held);
    if ((held & OCAP_HANDLE_TRANSFER) == 0 || (asked & ~held) != 0) return ST_TRANSFER_DENIED;
    const bv = load<u32>(d + NK_HD_BADGE);
    let badge: u32 = 0;
    if (bv != INVALID_HANDLE && bv != 0) {
      const b = handleLookup(p, bv, K_BADGE, 0);
      if (b < 0) return -b;
      badge = <u32>b + 1;
    }
    if (ancestorIn(r, h) == 0) fresh++;
    store<u32>(seen(i), h);
    store<u32>(seen(i) + 4, asked);
    store<u32>(seen(i) + 8, badge);
  }
  if (fresh != 0 && !handlesFree(r, fresh)) return ST_QUOTA;
  return ST_OK;
}

/**
 * Delivers the `n` descriptors capsCheck resolved just before, under the same lock, into `dst`,
 * the receiver `r`'s copy of the message: transfers and dereferences. The sender's copy is not
 * read again.
 */
export function capsDeliver(r: u32, dst: u32, n: u32): void {
  store<u32>(dst + NK_OFF_NCAPS, n);
  for (let i: u32 = 0; i < n; i++) {
    const out = desc(dst, i);
    const h = load<u32>(seen(i)), rights = load<u32>(seen(i) + 4), badge = load<u32>(seen(i) + 8);
    const anc = ancestorIn(r, h);
    if (anc != 0) {
      store<u32>(out + NK_HD_HANDLE, hidValue(anc - 1));
      store<u32>(out + NK_HD_RIGHTS, rights);
      store<u32>(out + NK_HD_BADGE, derefKey(r, h, anc));
      store<u32>(out + NK_HD_FLAGS, HD_DEREFERENCED);
      continue;
    }
    const se = hidEntry(h);
    const nv = handleInstall(r, load<u32>(se + HE_OBJ) - 1, rights, h + 1);
    const ne = hent(r, <u32>handleSlot(r, nv));
    let zone = load<u32>(se + HE_ZONE);
    if (badge != 0) {
      store<u32>(ne + HE_BADGE, badge);
      zone = badge;
    }
    if (zone != 0) {
      store<u32>(ne + HE_ZONE, zone);
      zoneEnter(zone - 1);
    }
    store<u32>(out + NK_HD_HANDLE, nv);
    store<u32>(out + NK_HD_RIGHTS, rights);
    store<u32>(out + NK_HD_BADGE, 0);
    store<u32>(out + NK_HD_FLAGS, 0);
  }
}

/** True when message `c` (with `n` descriptors from process `p`) carries a handle of SID `sid`. */
export function capsCarry(p: u32, c: u32, n: u32, sid: u32): bool {
  for (let i: u32 = 0; i < n; i++) {
    const o = handleLookup(p, load<u32>(desc(c, i) + NK_HD_HANDLE), ANY_KIND, 0);
    if (o >= 0 && load<u32>(obj(<u32>o) + O_SID) == sid) return true;
  }
  return false;
}
