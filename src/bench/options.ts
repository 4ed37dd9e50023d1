/** The `kos-ipc bench` command line: options, defaults, and the help text. */

export interface BenchOptions {
  /** Print only JSON (schema 1) on stdout. */
  json: boolean;
  /** Print the scenarios (id and name) the filter selects, and measure nothing. */
  list: boolean;
  help: boolean;
  /** Short budgets (the test suite runs one scenario this way): the whole run in under a minute. */
  quick: boolean;
  /** Scenarios whose id or name matches (their floors and peers run too); null: all. */
  filter: RegExp | null;
  /** Measured time per scenario. */
  time_ms: number;
  /** Warm-up time per scenario (0: none). */
  warmup_ms: number;
  /** Minimum samples per scenario. */
  iterations_count: number;
}

/** A mistake on the command line: the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const DEFAULTS = { time_ms: 1000, warmup_ms: 300, iterations_count: 1000 } as const;
export const QUICK = { time_ms: 200, warmup_ms: 100, iterations_count: 200 } as const;

export const HELP = `Usage: kos-ipc bench [options]

Measures the Call/Recv/Reply round trip of kos-ipc's echo system beside its floors (raw Atomics
ping-pong, a bare Promise rendezvous) and its peers (postMessage, MessageChannel, synckit,
comlink), all in one run, and prints a table on stdout.

Options:
  --quick              short budgets (${QUICK.time_ms} ms per scenario, ${QUICK.warmup_ms} ms warm-up): under a minute
  --time <ms>          measured time per scenario (default ${DEFAULTS.time_ms})
  --iterations <n>     minimum samples per scenario (default ${DEFAULTS.iterations_count}); alone, it
                       replaces the time budget
  --warmup <ms>        warm-up per scenario, 0 for none (default ${DEFAULTS.warmup_ms})
  --filter <regex>     only scenarios whose id or name matches, with the baselines they need
  --list               print the selected scenarios' ids and names, measure nothing
  --json               print only JSON (schema 1, the unit in every key)
  -h, --help           this text

Progress goes to stderr when it is a terminal. NO_COLOR turns colours off. The exit code is 1
when a scenario failed (its row says why), 2 on a usage error.
`;

function number(opt: string, text: string | undefined, min: number, integer: boolean): number {
  if (text === undefined || text.startsWith('--')) throw new UsageError(`${opt} needs a value`);
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    const what = integer ? `an integer from ${min}` : `a number from ${min}`;
    throw new UsageError(`${opt} must be ${what}, got "${text}"`);
  }
  return v;
}

/** Parses the arguments after `bench`. Throws UsageError on anything it does not understand. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const o: BenchOptions = {
    json: false, list: false, help: false, quick: false, filter: null,
    time_ms: DEFAULTS.time_ms, warmup_ms: DEFAULTS.warmup_ms, iterations_count: DEFAULTS.iterations_count,
  };
  let time: number | undefined, warmup: number | undefined, iterations: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (name) {
      case '--json': o.json = true; break;
      case '--list': o.list = true; break;
      case '--quick': o.quick = true; break;
      case '-h': case '--help': o.help = true; break;
      case '--time': time = number('--time', value(), 0, false); break;
      case '--warmup': warmup = number('--warmup', value(), 0, false); break;
      case '--iterations': iterations = number('--iterations', value(), 1, true); break;
      case '--filter': {
        const src = value();
        if (src === undefined) throw new UsageError('--filter needs a regular expression');
        try {
          o.filter = new RegExp(src);
        } catch (e) {
          throw new UsageError(`--filter "${src}" is not a valid regular expression: ${(e as Error).message}`);
        }
        break;
      }
      default:
        throw new UsageError(`unknown ${arg.startsWith('-') ? 'option' : 'argument'} "${arg}"; \`kos-ipc bench --help\` lists the options`);
    }
    if (eq > 0 && !['--time', '--warmup', '--iterations', '--filter'].includes(name)) {
      throw new UsageError(`${name} takes no value, got "${arg}"`);
    }
  }
  const base = o.quick ? QUICK : DEFAULTS;
  o.iterations_count = iterations ?? base.iterations_count;
  o.time_ms = time ?? (iterations !== undefined ? 0 : base.time_ms);
  o.warmup_ms = warmup ?? base.warmup_ms;
  return o;
}
