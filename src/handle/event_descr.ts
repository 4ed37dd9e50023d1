/**
 * `handle/event_descr.h`: event mask bits. The names are the SDK's; the values are kos-ipc's:
 * bits 0..15 general events, 16..23 events the kernel raises for a kind of resource
 * (OBJECT_EVENT_SPEC), 24..31 events a provider raises on its user objects with
 * KnNoticeSetObjectEvent (OBJECT_EVENT_USER).
 */
export { EVENT_OBJECT_DESTROYED, EVENT_TASK_COMPLETED, EVENT_BADGE_CLOSED, EVENT_USER_MASK } from '../abi.js';

function bit(fn: string, n: number, base: number, max: number): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
    throw new RangeError(`${fn}: n must be an integer from 0 to ${max}, got ${String(n)}`);
  }
  return (1 << (base + n)) >>> 0;
}

/** Kernel-raised event `n` (0..7) specific to a kind of resource: EVENT_TASK_COMPLETED is OBJECT_EVENT_SPEC(0). */
export function OBJECT_EVENT_SPEC(n: number): number {
  return bit('OBJECT_EVENT_SPEC', n, 16, 7);
}

/** User event `n` (0..7): the bits KnNoticeSetObjectEvent may signal on a user object. */
export function OBJECT_EVENT_USER(n: number): number {
  return bit('OBJECT_EVENT_USER', n, 24, 7);
}
