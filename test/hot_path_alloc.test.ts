// The hot path allocates nothing per call (issue 13): 100,000 blocking Calls from the Node main
// thread to a server worker grow neither side's heap by as much as one object per call, and no
// GC runs meanwhile; in one realm, CallAsync and RecvAsync each create exactly one
// Promise. Measured in a child `node --expose-gc --max-semi-space-size=64` (fixtures/
// alloc_probe.ts), whatever flags the test runner has, on the young generation, where every
// object a call makes goes (code the JIT compiles meanwhile lands elsewhere: a concurrent
// compile finishing during the 100,000 calls once counted 2 MB on a fresh checkout).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { shutdownAll } from './helpers.js';

test.after.each(shutdownAll);

interface Probe {
  calls: number; clientBytes: number; clientGcs: number; clientSleeps: number;
  serverBytes: number; serverGcs: number; serverSleeps: number;
  callAsyncPromises: Record<string, number>; recvAsyncPromises: Record<string, number>;
}

let probe: Probe | undefined;
function run(): Probe {
  if (probe) return probe;
  const script = fileURLToPath(new URL('./fixtures/alloc_probe.js', import.meta.url));
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=64', script], { encoding: 'utf8', timeout: 180000 });
  assert.is(r.status, 0, `alloc_probe failed: ${r.stderr}`);
  probe = JSON.parse(r.stdout.trim().split('\n').pop()!) as Probe;
  return probe;
}

// An object, a closure, a Promise or a typed-array view takes 24 bytes or more, so an average
// below 16 bytes a call means no call made one. (What remains is a few bytes a call on
// average: a number the engine boxes now and then.) A wait that sleeps (the peer did not answer
// within the spin: a busy machine) goes through Atomics.wait, which allocates a few bytes inside
// the engine; those are allowed for, and counted.
const PER_CALL = 16;
const PER_SLEEP = 24;
const bound = (calls: number, sleeps: number): number => PER_CALL * calls + PER_SLEEP * sleeps;

test('100,000 blocking Calls grow the client\'s heap by less than 16 bytes a call (besides sleeps), with no GC', () => {
  const p = run();
  assert.ok(p.clientBytes < bound(p.calls, p.clientSleeps),
    `client heap grew ${p.clientBytes} bytes over ${p.calls} calls, ${p.clientSleeps} of whose waits slept`);
  assert.is(p.clientGcs, 0, 'GCs on the client during the calls');
});

test('the server worker answering them (blocking Recv and Reply) grows its heap by less than 16 bytes a call (besides sleeps), with no GC', () => {
  const p = run();
  assert.ok(p.serverBytes < bound(p.calls, p.serverSleeps),
    `server heap grew ${p.serverBytes} bytes over ${p.calls} calls, ${p.serverSleeps} of whose waits slept`);
  assert.is(p.serverGcs, 0, 'GCs on the server during the calls');
});

test('in one realm, every CallAsync and every RecvAsync creates exactly one Promise', () => {
  const p = run();
  assert.equal(p.callAsyncPromises, { 1: 10000 });
  assert.equal(Object.keys(p.recvAsyncPromises), ['1']);
  assert.ok(p.recvAsyncPromises['1']! >= 10000, `${p.recvAsyncPromises['1']} RecvAsync calls counted`);
});

test.run();
