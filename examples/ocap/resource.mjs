// What the provider publishes about its resources (the public header the SDK asks a resource
// provider to export): the specific rights of its handles. And the example's trace: each line
// goes straight to stdout with writeSync, so lines from the two workers come out in the order
// they happen.
import { writeSync } from 'node:fs';
import {
  OCAP_HANDLE_SPEC, OCAP_HANDLE_TRANSFER, OCAP_HANDLE_GET_SID,
  EVENT_OBJECT_DESTROYED, EVENT_BADGE_CLOSED, EVENT_TASK_COMPLETED,
} from 'kos-ipc';

/** The right to use a resource (UseResource): bit 0 of the rights' specific part. */
export const RESOURCE_USE = OCAP_HANDLE_SPEC(0);

const RIGHTS = [
  ['OCAP_HANDLE_TRANSFER', OCAP_HANDLE_TRANSFER], ['OCAP_HANDLE_GET_SID', OCAP_HANDLE_GET_SID], ['RESOURCE_USE', RESOURCE_USE],
];
const EVENTS = [
  ['EVENT_BADGE_CLOSED', EVENT_BADGE_CLOSED], ['EVENT_OBJECT_DESTROYED', EVENT_OBJECT_DESTROYED],
  ['EVENT_TASK_COMPLETED', EVENT_TASK_COMPLETED],
];

/** `mask` as the names of its bits, e.g. `OCAP_HANDLE_TRANSFER | RESOURCE_USE`. */
function names(table, mask) {
  const parts = table.filter(([, bit]) => (mask & bit) !== 0).map(([name]) => name);
  const rest = table.reduce((m, [, bit]) => m & ~bit, mask) >>> 0;
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.join(' | ') || '0';
}
export const rightsName = (mask) => names(RIGHTS, mask);
export const eventName = (mask) => names(EVENTS, mask);

/** Prints one line of the trace. */
export function log(line) {
  writeSync(1, `${line}\n`);
}
