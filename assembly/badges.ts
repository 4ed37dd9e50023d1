// Badges: resource transfer context objects (KnHandleCreateBadge). A transfer (or a copy) that
// carries a badge starts a zone: the new handle and every handle later made from it count in the
// badge's zone. When the last of them is closed or revoked, the badge's notice is told
// EVENT_BADGE_CLOSED (once each time the zone empties). A badge lives while a handle names it or
// its zone holds a handle, so its context stays readable on dereference after its maker closed
// its own handle (docs/semantics.md section 12).

import { EVENT_OBJECT_DESTROYED, EVENT_BADGE_CLOSED } from './abi';
import { obj, O_OWNER, O_ZONE, O_ZONE_USED, K_BADGE } from './layout';
import { objAlloc } from './objects';
import { subAdd } from './subscriptions';
import { objectSignal } from './subscriptions';

/**
 * A badge made by process `p`, whose events go to notice `n` with entry id `evId` (the caller
 * checked the object and subscription tables for room): its object index.
 */
export function badgeCreate(p: u32, n: u32, evId: u32): u32 {
  const b = <u32>objAlloc(K_BADGE);
  store<u32>(obj(b) + O_OWNER, p + 1);
  subAdd(n, b, EVENT_OBJECT_DESTROYED | EVENT_BADGE_CLOSED, evId);
  return b;
}

/** A handle enters the zone of badge `b`. */
export function zoneEnter(b: u32): void {
  const a = obj(b);
  store<u32>(a + O_ZONE, load<u32>(a + O_ZONE) + 1);
  store<u32>(a + O_ZONE_USED, 1);
}

/**
 * A handle of badge `b`'s zone is gone; when it was the last, the badge's notice is told.
 * Returns true when the zone is now empty (the caller may then destroy an unnamed badge).
 */
export function zoneLeave(b: u32): bool {
  const a = obj(b);
  const left = load<u32>(a + O_ZONE) - 1;
  store<u32>(a + O_ZONE, left);
  if (left != 0) return false;
  objectSignal(b, EVENT_BADGE_CLOSED, false);
  return true;
}

