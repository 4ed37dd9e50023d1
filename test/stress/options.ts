// The options of `npm run stress`: which figures, how big, which seed. The full form is the
// default; --short is the form `npm test` runs (test/stress.test.ts).

export const FIGURES = ['bad', 'faults', 'load', 'soak'] as const;
export type Figure = (typeof FIGURES)[number];

export interface StressOptions {
  only: Figure[];
  seed: number;
  /** bad input: random and mutated calls */
  messages: number;
  /** faults: victims terminated */
  victims: number;
  /** load: client workers, calls each, client workers per process */
  clients: number;
  calls: number;
  threadsPerProcess: number;
  /** soak: calls, and calls between heap samples */
  soak: number;
  sampleEvery: number;
  /** faults: the longest a blocked peer may take to return */
  blockedLimitMs: number;
  json: boolean;
  form: 'full' | 'short';
}

export const FULL: StressOptions = {
  only: [...FIGURES], seed: 1, messages: 1_000_000, victims: 1000, clients: 64, calls: 10_000, threadsPerProcess: 1,
  soak: 5_000_000, sampleEvery: 500_000, blockedLimitMs: 50, json: false, form: 'full',
};

/**
 * The short form: every figure, small. A blocked peer may take up to 2 s here: the short form
 * runs inside `npm test`, on machines that may be busy, where it guards against hangs; the
 * 50 ms figure is the full run's, recorded in docs/reliability.md.
 */
export const SHORT: StressOptions = {
  ...FULL, messages: 20_000, victims: 60, calls: 200, soak: 300_000, sampleEvery: 100_000, blockedLimitMs: 2000, form: 'short',
};

export const HELP = `Usage: npm run stress [-- options]

Measures kos-ipc's reliability figures (docs/reliability.md): bad input, faults, load, soak.
Progress goes to stderr; the report to stdout. The exit code is 1 when a figure misses.

  --short          the short form npm test runs (${SHORT.messages} calls, ${SHORT.victims} victims, ` +
  `${SHORT.clients} x ${SHORT.calls} calls, ${SHORT.soak} soak calls)
  --only LIST      figures to run, comma-separated: ${FIGURES.join(', ')} (default: all)
  --seed N         seed of the random choices (default ${FULL.seed}); the same seed replays a run
  --messages N     bad input: random and mutated calls (default ${FULL.messages})
  --victims N      faults: processes terminated at random moments (default ${FULL.victims})
  --clients N      load: client workers (default ${FULL.clients})
  --calls N        load: calls per client worker (default ${FULL.calls})
  --threads N      load: client workers per process, its first and N - 1 more threads (default ${FULL.threadsPerProcess})
  --soak N         soak: calls (default ${FULL.soak})
  --sample N       soak: calls between two heap samples (default ${FULL.sampleEvery})
  --json           print the figures as JSON
  --help           this text
`;

export class UsageError extends Error {}

const int = (flag: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < min) throw new UsageError(`${flag} needs an integer of at least ${min}, got ${String(v)}`);
  return n;
};

/** The options `argv` (after the script name) asks for; throws UsageError on a bad one. */
export function parseStressArgs(argv: string[]): StressOptions | 'help' {
  let o: StressOptions = { ...FULL };
  const numbers: [string, keyof StressOptions, number][] = [
    ['--seed', 'seed', 0], ['--messages', 'messages', 1], ['--victims', 'victims', 1], ['--clients', 'clients', 1],
    ['--calls', 'calls', 1], ['--threads', 'threadsPerProcess', 1], ['--soak', 'soak', 1], ['--sample', 'sampleEvery', 1],
  ];
  const set: Partial<StressOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = numbers.find(([flag]) => flag === a);
    if (a === '--help' || a === '-h') return 'help';
    else if (a === '--short') o = { ...SHORT };
    else if (a === '--json') set.json = true;
    else if (a === '--only') {
      const list = (argv[++i] ?? '').split(',').filter(Boolean);
      const bad = list.filter((x) => !(FIGURES as readonly string[]).includes(x));
      if (list.length === 0 || bad.length > 0) throw new UsageError(`--only takes figures among ${FIGURES.join(', ')}, got ${String(argv[i])}`);
      set.only = list as Figure[];
    } else if (num) (set as Record<string, number>)[num[1]] = int(a, argv[++i], num[2]);
    else throw new UsageError(`unknown option ${a} (see --help)`);
  }
  return { ...o, ...set };
}
