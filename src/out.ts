/**
 * Out parameters: a C function that writes through pointers takes, in JavaScript, one plain
 * object in the position of its first out pointer, whose fields (named as the C parameters) it
 * writes (DESIGN.md section 4.1).
 * @internal
 */
import { describe } from './describe.js';

/** Checks out object `out` of call `fn`: an object whose fields the call writes. */
export function outArg(fn: string, out: unknown): Record<string, unknown> {
  if (out === null || typeof out !== 'object' || Array.isArray(out)) {
    throw new TypeError(`${fn}: out must be an object whose fields the call writes (const out = {}), got ${describe(out)}`);
  }
  return out as Record<string, unknown>;
}
