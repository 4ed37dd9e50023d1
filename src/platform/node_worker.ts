/**
 * Node worker entry: boots the process over the shared memory, then imports its module, and
 * reports to the kernel's realm on one channel, in order (types.ts WorkerReport).
 */
import { workerData, parentPort } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bootWorker } from '../worker_boot.js';
import { reportError, startFailure } from './worker_errors.js';
import type { WorkerBoot, WorkerReport, ReportedError } from './types.js';

const boot = workerData as WorkerBoot;
const send = (m: WorkerReport): void => parentPort!.postMessage(m);
let started = false;
const start = (): void => {
  if (!started) { started = true; send({ type: 'started' }); }
};
const fail = (error: ReportedError): never => {
  send({ type: 'error', error });
  process.exit(1);
};
process.on('uncaughtException', (e) => fail(reportError(e)));
process.on('unhandledRejection', (e) => fail(reportError(e)));

/** Where a syntax error is: Node's `--check` of the module file prints `path:line`, the line and a caret. */
function syntaxLocation(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  const r = spawnSync(process.execPath, ['--check', fileURLToPath(url)], { encoding: 'utf8', timeout: 10000 });
  if (r.status === 0 || typeof r.stderr !== 'string') return `(the module itself parses: the error is in a module it imports)`;
  return r.stderr.split('\n').slice(0, 3).join('\n');
}

const p = await bootWorker(boot, true);
p.core!.onFirstCall = start;
// Node ends a worker whose event loop is empty, and Atomics.waitAsync does not count: while an
// Async call of this process waits, a timer that never fires is referenced.
const alive = setInterval(() => undefined, 0x7fffffff);
alive.unref();
p.core!.keepAlive = (on) => { if (on) alive.ref(); else alive.unref(); };
send({ type: 'ready' });
try {
  await import(boot.moduleUrl);
} catch (e) {
  fail(started ? reportError(e)
    : startFailure(boot.moduleUrl, boot.name, e, e instanceof SyntaxError ? syntaxLocation(boot.moduleUrl) : undefined));
}
start();
