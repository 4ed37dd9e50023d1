// `npm run stress`: runs the reliability figures (bad input, faults, load, soak), progress on
// stderr, the report (or --json) on stdout with the machine it ran on; exit code 1 when a figure
// misses. docs/reliability.md records a full run.
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { badInput } from './bad_input.js';
import { faults } from './faults.js';
import { load } from './load.js';
import { soak } from './soak.js';
import { parseStressArgs, HELP, UsageError, type StressOptions } from './options.js';
import { badInputProblems, faultProblems, loadProblems, soakProblems } from './verdict.js';
import { badInputReport, faultReport, loadReport, soakReport } from './report.js';
import { progressTo } from './progress.js';

interface CpuModule {
  cpuSnapshot(): unknown;
  otherCpuShare(a: unknown, b: unknown): number | null;
}
// the benchmark's measure of what other processes took from the machine (Linux /proc/stat)
const env = await import(new URL('../../../dist/bench/env.js', import.meta.url).href) as CpuModule;

async function run(o: StressOptions): Promise<{ lines: string[]; figures: Record<string, unknown>; missed: number }> {
  const progress = progressTo(process.stderr);
  const lines: string[] = [], figures: Record<string, unknown> = {};
  let missed = 0;
  const add = (name: string, f: unknown, problems: string[], text: string[]): void => {
    figures[name] = { ...(f as object), problems };
    lines.push('', ...text);
    if (problems.length > 0) missed++;
    progress.say(`${name}: ${problems.length === 0 ? 'met' : `missed (${problems.length} problems)`}`);
  };
  if (o.only.includes('bad')) {
    progress.say(`bad input: ${o.messages.toLocaleString('en-US')} calls`);
    const f = await badInput({ messages: o.messages, seed: o.seed, progress });
    const p = badInputProblems(f, o.messages);
    add('bad_input', f, p, badInputReport(f, p));
  }
  if (o.only.includes('faults')) {
    progress.say(`faults: ${o.victims.toLocaleString('en-US')} victims`);
    const f = await faults({ victims: o.victims, seed: o.seed, progress });
    const p = faultProblems(f, o.victims, o.blockedLimitMs);
    add('faults', { ...f, blockedTimesMs: undefined }, p, faultReport(f, p));
  }
  if (o.only.includes('load')) {
    progress.say(`load: ${o.clients} client workers x ${o.calls.toLocaleString('en-US')} calls`);
    const f = await load({ clients: o.clients, calls: o.calls, threadsPerProcess: o.threadsPerProcess, progress });
    const p = loadProblems(f);
    add('load', f, p, loadReport(f, p));
  }
  if (o.only.includes('soak')) {
    progress.say(`soak: ${o.soak.toLocaleString('en-US')} calls`);
    const f = await soak({ calls: o.soak, sampleEvery: o.sampleEvery, progress });
    const p = soakProblems(f, o.soak);
    add('soak', f, p, soakReport(f, p));
  }
  return { lines, figures, missed };
}

async function main(argv: string[]): Promise<number> {
  let o: StressOptions | 'help';
  try {
    o = parseStressArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`stress: ${e.message}\n`);
    return 2;
  }
  if (o === 'help') { process.stdout.write(HELP); return 0; }
  const before = env.cpuSnapshot();
  const t0 = performance.now();
  const { lines, figures, missed } = await run(o);
  const others = env.otherCpuShare(before, env.cpuSnapshot());
  const machine = {
    node: process.version, cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', os: `${process.platform} ${release()}`,
    load_avg_1m_at_end: loadavg()[0], other_processes_cpu_share: others, seconds: (performance.now() - t0) / 1000,
  };
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ form: o.form, seed: o.seed, machine, figures }, null, 2)}\n`);
  } else {
    const share = others === null ? 'unknown' : `${Math.round(others * 100)}%`;
    process.stdout.write([
      `kos-ipc stress, ${o.form} form, seed ${o.seed}: ${missed === 0 ? 'every figure met' : `${missed} figures missed`} in ${machine.seconds.toFixed(0)} s`,
      `machine: Node ${machine.node}, ${machine.cores} cores (${machine.cpu}), ${machine.os}; ` +
        `other processes used ${share} of the machine's CPU time during the run`,
      ...lines, '',
    ].join('\n'));
  }
  return missed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
