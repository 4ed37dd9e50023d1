// What each stress figure must show, in one place: `npm run stress` prints these problems (and
// exits with 1 when there are any), and the short form in `npm test` asserts there are none.
import type { BadInputFigures } from './bad_input.js';
import type { FaultFigures } from './faults.js';
import type { LoadFigures } from './load.js';
import type { SoakFigures } from './soak.js';
import { fmt } from './progress.js';
import { PHASES } from './fault_protocol.js';

/** How far a heap may grow over a soak (after a full collection) and still count as flat. */
export const FLAT_HEAP_BYTES = 1 << 20;

const nonzero = (what: string, n: number): string[] => (n !== 0 ? [`${fmt(n)} ${what}`] : []);
const common = (f: { crashes: number; hangs: number; failures: string[] }): string[] =>
  [...nonzero('crashes', f.crashes), ...nonzero('hangs', f.hangs), ...f.failures];

export function badInputProblems(f: BadInputFigures, messages: number): string[] {
  return [
    ...common(f),
    ...(f.messages !== messages ? [`${fmt(f.messages)} of ${fmt(messages)} calls made`] : []),
    ...nonzero('refused calls changed the kernel\'s digest', f.digestsChanged),
    ...(f.digestsCompared !== f.refused ? [`${fmt(f.refused - f.digestsCompared)} refusals without a digest comparison`] : []),
    ...nonzero('answers other than the rules give', f.mismatches),
  ].filter((x, i, all) => all.indexOf(x) === i);
}

/** From this many victims on (the full form), every place a victim can be terminated must have been hit. */
const EVERY_PHASE_FROM = 1000;

/** `blockedLimitMs`: the longest a blocked peer may take to return after the termination (the figure's 50 ms). */
export function faultProblems(f: FaultFigures, victims: number, blockedLimitMs: number): string[] {
  const late = f.blockedTimesMs.filter((ms) => ms > blockedLimitMs).length;
  return [
    ...common(f),
    ...(f.victims !== victims ? [`${fmt(f.victims)} of ${fmt(victims)} victims terminated`] : []),
    ...nonzero('peers\' failing calls returned another code than rcNotConnected', f.wrongCodes),
    ...nonzero('survivor checks failed', f.survivorFailures),
    ...(late > 0 ? [`${fmt(late)} of ${fmt(f.blockedPeers)} blocked peers took longer than ${blockedLimitMs} ms ` +
      `(the slowest ${f.blockedMs.max.toFixed(1)} ms)`] : []),
    ...(f.blockedPeers === 0 ? ['no peer was blocked on a victim when it was terminated'] : []),
    ...(victims >= EVERY_PHASE_FROM ? PHASES.filter((ph) => !f.phases[ph]).map((ph) => `no victim was terminated ${ph}`) : []),
    ...nonzero('terminations left the kernel lock held', f.lockStuck),
    ...(f.baseline === null || f.final === null ? ['no table counts were taken'] : []),
    ...f.countsChanged.map((c) => `table count changed: ${c}`),
  ];
}

export function loadProblems(f: LoadFigures): string[] {
  return [
    ...common(f),
    ...(f.ok !== f.clients * f.callsPerClient ? [`${fmt(f.ok)} of ${fmt(f.clients * f.callsPerClient)} calls returned rcOk`] : []),
    ...nonzero('calls failed', f.failed),
    ...nonzero('answers were another call\'s', f.wrongAnswers),
    ...nonzero('requests lost', f.lost),
    ...nonzero('requests out of order or duplicated', f.disorder),
    ...nonzero('requests arrived with another sender', f.wrongSender),
  ];
}

export function soakProblems(f: SoakFigures, calls: number): string[] {
  const grew = (what: string, n: number): string[] => (n > FLAT_HEAP_BYTES ? [`${what} grew by ${fmt(n)} bytes`] : []);
  return [
    ...common(f),
    ...(f.calls !== calls ? [`${fmt(f.calls)} of ${fmt(calls)} calls made`] : []),
    ...nonzero('wrong answers', f.wrong),
    ...grew('the kernel realm\'s heap', f.mainHeapGrowth),
    ...grew('the worker\'s heap', f.workerHeapGrowth),
    ...(f.kernelGrowth > 0 ? [`the kernel memory grew by ${fmt(f.kernelGrowth)} bytes`] : []),
  ];
}
