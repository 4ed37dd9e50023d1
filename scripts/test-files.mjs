// Which compiled test files scripts/run-tests.mjs runs: every *.test.js under `root`, sorted,
// whose path relative to `root` contains `filter`. Only the relative path is matched, so a
// checkout whose absolute path contains the filter (say /home/me/browser-work/) selects nothing
// extra.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : [];
  });
}

/** Absolute paths of the test files under `root` whose relative path (with `/`) contains `filter`. */
export function testFiles(root, filter = '') {
  return walk(root)
    .filter((file) => relative(root, file).split(sep).join('/').includes(filter))
    .sort();
}
