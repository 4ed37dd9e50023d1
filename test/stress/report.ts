// The text report of `npm run stress`: the machine, then each figure in a few lines, with the
// problems verdict.ts found, or "met".
import type { BadInputFigures } from './bad_input.js';
import type { FaultFigures } from './faults.js';
import type { LoadFigures } from './load.js';
import type { SoakFigures } from './soak.js';
import { fmt } from './progress.js';

const ms = (x: number): string => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : '-');
const us = (x: number): string => (Number.isFinite(x) ? `${fmt(x)} µs` : '-');
const mib = (x: number): string => `${(x / 2 ** 20).toFixed(1)} MiB`;
const list = (r: Record<string, number>): string => Object.entries(r).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${fmt(n)}`).join(', ');
const pct = (n: number, of: number): string => `${of === 0 ? 0 : Math.round((100 * n) / of)}%`;

function verdict(problems: string[]): string[] {
  return problems.length === 0 ? ['  met'] : ['  MISSED:', ...problems.map((p) => `    - ${p}`)];
}

export function badInputReport(f: BadInputFigures, problems: string[]): string[] {
  const queued = Object.values(f.fates).reduce((a, b) => a + b, 0);
  return [
    `bad input: ${fmt(f.messages)} random and mutated calls in ${f.seconds.toFixed(0)} s; ${fmt(f.crashes)} crashes, ${fmt(f.hangs)} hangs`,
    `  refused at once: ${fmt(f.refused)} (${pct(f.refused, f.messages)}); the kernel's digest compared around each: ` +
      `${fmt(f.digestsChanged)} changed; answers other than the rules give: ${fmt(f.mismatches)}`,
    `  refusals: ${list(f.codes)}`,
    `  queued: ${fmt(queued)}: served ${fmt(f.fates.serve)}, changed in place while queued then served ${fmt(f.fates.toctou)}, ` +
      `timed out ${fmt(f.fates.expire)}, interrupted ${fmt(f.fates.interrupt)}; delivered to the server ${fmt(f.delivered)}, ` +
      `its random response refused by Reply ${fmt(f.responsesRefused)}`,
    ...verdict(problems),
  ];
}

export function faultReport(f: FaultFigures, problems: string[]): string[] {
  const b = f.baseline, e = f.final;
  const counts = b && e ? (Object.keys(b) as (keyof typeof b)[]).map((k) => `${k} ${fmt(b[k])} -> ${fmt(e[k])}`).join(', ') : '-';
  return [
    `faults: ${fmt(f.victims)} processes terminated at random moments in ${f.seconds.toFixed(0)} s (${list(f.byKind)}); ` +
      `${fmt(f.crashes)} crashes, ${fmt(f.hangs)} hangs`,
    `  where they were: ${list(f.phases)}`,
    `  blocked peers: ${fmt(f.blockedPeers)} returned rcNotConnected after the termination in median ${ms(f.blockedMs.median)}, ` +
      `p99 ${ms(f.blockedMs.p99)}, max ${ms(f.blockedMs.max)}; over 50 ms: ${fmt(f.over50ms)}; other codes: ${fmt(f.wrongCodes)}; ` +
      `calls started after the termination (refused at once): ${fmt(f.laterCalls)}`,
    ...f.slowPeers.map((x) => `    over 50 ms: ${x}`),
    `  meanwhile a plain thread sleeping 1 ms at a time woke late by up to ${ms(f.oversleep?.maxMs ?? NaN)} ` +
      `(p99 ${ms(f.oversleep?.p99Ms ?? NaN)}, ${fmt(f.oversleep?.samples ?? 0)} sleeps): the machine's own delay in running a woken thread`,
    `  kernel lock: released after a terminated worker held it ${fmt(f.lockRecoveries)} times; ` +
      `after each termination the lock word named one holder for at most ${ms(f.lockHeldMaxMs)} (held for good: ${fmt(f.lockStuck)})`,
    `  table counts after the warm-up -> after the last victim: ${counts}`,
    ...verdict(problems),
  ];
}

export function loadReport(f: LoadFigures, problems: string[]): string[] {
  const l = f.latencyUs;
  return [
    `load: ${fmt(f.clients)} client workers (${fmt(f.processes)} processes) x ${fmt(f.callsPerClient)} calls on one server ` +
      `in ${f.seconds.toFixed(0)} s; ${fmt(f.crashes)} crashes, ${fmt(f.hangs)} hangs`,
    `  calls returned rcOk: ${fmt(f.ok)}, failed: ${fmt(f.failed)}, answered with another call's answer: ${fmt(f.wrongAnswers)}`,
    `  at the server: ${fmt(f.serverRequests)} requests; lost ${fmt(f.lost)}, out of order or duplicated ${fmt(f.disorder)}, ` +
      `from another sender ${fmt(f.wrongSender)}`,
    `  per call: median ${us(l.median)}, p99 ${us(l.p99)}, p99.9 ${us(l.p999)}, max ${us(l.max)}; ${fmt(f.callsPerSecond)} calls/s`,
    ...verdict(problems),
  ];
}

export function soakReport(f: SoakFigures, problems: string[]): string[] {
  return [
    `soak: ${fmt(f.calls)} calls in ${f.seconds.toFixed(0)} s (${fmt(f.callsPerSecond)} calls/s); wrong answers ${fmt(f.wrong)}; ` +
      `${fmt(f.crashes)} crashes, ${fmt(f.hangs)} hangs`,
    `  growth over the first sample, at most: kernel realm heap ${fmt(f.mainHeapGrowth)} B, worker heap ${fmt(f.workerHeapGrowth)} B, ` +
      `kernel memory ${fmt(f.kernelGrowth)} B`,
    '  samples (calls: kernel realm heap, worker heap, kernel memory, process RSS):',
    ...f.samples.map((s) => `    ${fmt(s.calls).padStart(9)}: ${mib(s.mainHeapBytes)}, ${mib(s.workerHeapBytes)}, ${mib(s.kernelBytes)}, ${mib(s.rssBytes)}`),
    ...verdict(problems),
  ];
}
