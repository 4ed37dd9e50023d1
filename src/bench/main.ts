/**
 * `kos-ipc bench`: parse, run, print. Stdout gets the table or, with --json, only the JSON;
 * progress goes to stderr when it is a terminal. Resolves to the exit code: 0, 1 when a
 * scenario failed, 2 on a usage error.
 */
import { catalog, select } from './catalog.js';
import { HELP, UsageError, parseBenchArgs } from './options.js';
import { formatJson, formatList, formatTable } from './report.js';
import { runBench, type RunHooks } from './runner.js';

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  /** True when stdout is a terminal (colours). */
  stdoutIsTTY: boolean;
  env: Record<string, string | undefined>;
}

const nodeIo = (): Io => ({
  stdout: process.stdout, stderr: process.stderr, stdoutIsTTY: process.stdout.isTTY === true, env: process.env,
});

/** `hooks` replaces the catalog or the scenario timeout (tests). */
export async function main(argv: readonly string[], io: Io = nodeIo(), hooks: RunHooks = {}): Promise<number> {
  let o;
  try {
    o = parseBenchArgs(argv);
    if (o.help) { io.stdout.write(HELP); return 0; }
    if (o.list) { io.stdout.write(formatList(select(hooks.scenarios ?? catalog(), o.filter))); return 0; }
    select(hooks.scenarios ?? catalog(), o.filter);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`kos-ipc bench: ${e.message}\n`);
    return 2;
  }
  const tty = io.stderr.isTTY === true;
  const report = await runBench(o, {
    ...hooks,
    command: ['kos-ipc bench', ...argv].join(' '),
    progress: tty ? (i, n, s) => io.stderr.write(`\r\x1b[K[${i + 1}/${n}] ${s.id}  ${s.name}`) : undefined,
  });
  if (tty) io.stderr.write('\r\x1b[K');
  const noColor = (io.env.NO_COLOR ?? '') !== '';
  io.stdout.write(o.json ? formatJson(report) : formatTable(report, { color: io.stdoutIsTTY && !noColor }));
  return report.failed_count > 0 ? 1 : 0;
}
