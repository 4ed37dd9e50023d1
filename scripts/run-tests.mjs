#!/usr/bin/env node
// Runs every compiled uvu test file (build/test/**/*.test.js) in its own Node process, with a
// time limit, and ends with one plain line CI reads: `N passed, N failed`.
// A file that crashes or times out before uvu's summary counts as one failed test.
// Usage: node scripts/run-tests.mjs [filter-substring]   (TEST_TIMEOUT_S=seconds per file)
// The filter matches the path relative to build/test/ (scripts/test-files.mjs).
import { spawn } from 'node:child_process';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testFiles } from './test-files.mjs';

const root = fileURLToPath(new URL('../build/test/', import.meta.url));
const filter = process.argv[2] ?? '';
const limitMs = Number(process.env.TEST_TIMEOUT_S ?? 240) * 1000;

const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

function runFile(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    const timer = setTimeout(() => { out += '\n(timed out)\n'; child.kill('SIGKILL'); }, limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const text = strip(out);
      const total = Number(/Total:\s+(\d+)/.exec(text)?.[1] ?? NaN);
      const passed = Number(/Passed:\s+(\d+)/.exec(text)?.[1] ?? NaN);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(text)?.[1] ?? 0);
      if (Number.isNaN(total) || Number.isNaN(passed)) {
        resolve({ passed: 0, failed: 1, skipped: 0, note: `no summary (exit ${code})` });
      } else {
        const failed = total - passed - skipped + (code !== 0 && total === passed + skipped ? 1 : 0);
        resolve({ passed, failed, skipped, note: code === 0 ? '' : `exit ${code}` });
      }
    });
  });
}

const files = testFiles(root, filter);
let passed = 0, failed = 0, skipped = 0;
const bad = [];
for (const f of files) {
  const name = relative(root, f);
  process.stdout.write(`\n# ${name}\n`);
  const r = await runFile(f);
  passed += r.passed; failed += r.failed; skipped += r.skipped;
  if (r.failed) bad.push(`${name}${r.note ? ` (${r.note})` : ''}`);
}
if (bad.length) console.log(`\nfailing files:\n  ${bad.join('\n  ')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed || files.length === 0 ? 1 : 0;
