#!/usr/bin/env node
/**
 * The `kos-ipc` command. Subcommands: `bench` (the latency benchmark; `kos-ipc bench --help`)
 * and `gen` (the IDL/CDL/EDL compiler; `kos-ipc gen --help`).
 */


const USAGE = `Usage: kos-ipc <command> [options]

Commands:
  bench      measure the Call/Recv/Reply round trip beside its floors and peers
             (kos-ipc bench --help for its options)
  gen        compile .idl/.cdl/.edl files to TypeScript (or JavaScript) modules
             (kos-ipc gen --help for its options)
`;

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'bench': return (await import('./bench/main.js')).main(rest);
    case 'gen': return (await import('./gen/cli.js')).main(rest);
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`kos-ipc: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

process.exitCode = await run(process.argv.slice(2));
