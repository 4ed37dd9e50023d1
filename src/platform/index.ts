/** Picks the platform this package runs on. */
import type { Platform } from './types.js';

let current: Promise<Platform> | undefined;

export function platform(): Promise<Platform> {
  current ??= (typeof process !== 'undefined' && typeof process.versions?.node === 'string')
    ? import('./node.js').then((m) => m.nodePlatform)
    : import('./browser.js').then((m) => m.browserPlatform);
  return current;
}
