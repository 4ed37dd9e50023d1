// The short form of `npm run stress` (test/stress/, docs/reliability.md): the four reliability
// figures, small, with the same rules (test/stress/verdict.ts) but a generous time limit for
// blocked peers: this runs on machines that may be busy; the 50 ms figure is the full run's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shutdownAll } from './helpers.js';
import { SHORT as S } from './stress/options.js';
import { badInput } from './stress/bad_input.js';
import { faults } from './stress/faults.js';
import { load } from './stress/load.js';
import { soak } from './stress/soak.js';
import { badInputProblems, faultProblems, loadProblems, soakProblems } from './stress/verdict.js';
import { badInputReport, faultReport, loadReport, soakReport } from './stress/report.js';
import { silent } from './stress/progress.js';

test.after.each(shutdownAll);

/** Fails with the figure's report when it has problems; prints it either way. */
function expectNone(problems: string[], report: string[]): void {
  console.log(report.join('\n'));
  assert.equal(problems, [], report.join('\n'));
}

test(`bad input: ${S.messages} random and mutated calls to a live server never crash or hang, and each refused one has the code the rules give and leaves the kernel's digest unchanged`, async () => {
  const f = await badInput({ messages: S.messages, seed: S.seed, progress: silent });
  const p = badInputProblems(f, S.messages);
  expectNone(p, badInputReport(f, p));
  assert.ok(f.refused > S.messages / 4 && f.delivered > S.messages / 4, 'both refusals and deliveries are exercised');
});

test(`faults: ${S.victims} processes terminated at random moments leave every blocked peer returning rcNotConnected, the kernel lock free and the table counts at their baseline`, async () => {
  const f = await faults({ victims: S.victims, seed: S.seed, progress: silent });
  const p = faultProblems(f, S.victims, S.blockedLimitMs);
  expectNone(p, faultReport(f, p));
});

test(`load: ${S.clients} client workers x ${S.calls} calls on one server lose, duplicate, misdeliver and reorder nothing`, async () => {
  const f = await load({ clients: S.clients, calls: S.calls, threadsPerProcess: S.threadsPerProcess, progress: silent });
  const p = loadProblems(f);
  expectNone(p, loadReport(f, p));
});

test(`soak: ${S.soak} calls leave both JavaScript heaps and the kernel memory flat`, async () => {
  const f = await soak({ calls: S.soak, sampleEvery: S.sampleEvery, progress: silent });
  const p = soakProblems(f, S.soak);
  expectNone(p, soakReport(f, p));
  assert.is(f.samples.length, S.soak / S.sampleEvery + 1);
});

test.run();
