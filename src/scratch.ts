/**
 * The admin's scratch area in kernel memory (abi.ts SCRATCH): where the realm that owns the
 * Kernel writes names and shape descriptors before an admin call reads them.
 * @internal
 */
import { NAME_MAX, SCRATCH } from './abi.js';
import type { Core } from './core.js';

const encoder = new TextEncoder();

/**
 * Writes `name` as UTF-8 into the scratch area; returns [address, length]. Throws a RangeError
 * naming `fn` when it is longer than NAME_MAX bytes.
 */
export function scratchName(core: Core, fn: string, name: string): [number, number] {
  const bytes = encoder.encode(name);
  if (bytes.length > NAME_MAX) {
    throw new RangeError(`${fn}: "${name}" is ${bytes.length} bytes of UTF-8; names have at most ${NAME_MAX}`);
  }
  core.u8().set(bytes, SCRATCH);
  return [SCRATCH, bytes.length];
}
