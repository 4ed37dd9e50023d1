#!/usr/bin/env node
/**
 * The `kos-ipc` command. Subcommands: `bench` (the latency benchmark; `kos-ipc bench --help`).
 */
import { main as bench } from './bench/main.js';

const USAGE = `Usage: kos-ipc <command> [options]

Commands:
  bench      measure the Call/Recv/Reply round trip beside its floors and peers
             (kos-ipc bench --help for its options)
`;

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'bench': return bench(rest);
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`kos-ipc: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

process.exitCode = await run(process.argv.slice(2));
