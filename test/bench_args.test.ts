// `kos-ipc bench` command line: defaults, budgets, filters, and the errors that name the option.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBenchArgs, UsageError, DEFAULTS, QUICK } from 'kos-ipc/bench';

function usage(argv: string[], re: RegExp): void {
  try {
    parseBenchArgs(argv);
  } catch (e) {
    assert.instance(e, UsageError);
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`${argv.join(' ')} was accepted`);
}

test('no arguments give the full budgets and no filter', () => {
  const o = parseBenchArgs([]);
  assert.equal([o.time_ms, o.warmup_ms, o.iterations_count], [DEFAULTS.time_ms, DEFAULTS.warmup_ms, DEFAULTS.iterations_count]);
  assert.equal([o.json, o.quick, o.list, o.help, o.filter], [false, false, false, false, null]);
});

test('--quick selects the short budgets', () => {
  const o = parseBenchArgs(['--quick']);
  assert.ok(o.quick);
  assert.equal([o.time_ms, o.warmup_ms, o.iterations_count], [QUICK.time_ms, QUICK.warmup_ms, QUICK.iterations_count]);
});

test('an explicit --time or --warmup wins over --quick, in either order', () => {
  assert.equal(parseBenchArgs(['--time', '500', '--quick']).time_ms, 500);
  assert.equal(parseBenchArgs(['--quick', '--warmup=0']).warmup_ms, 0);
});

test('options take their value as the next argument or after =', () => {
  const a = parseBenchArgs(['--time', '250', '--warmup', '20', '--iterations', '300']);
  const b = parseBenchArgs(['--time=250', '--warmup=20', '--iterations=300']);
  assert.equal([a.time_ms, a.warmup_ms, a.iterations_count], [250, 20, 300]);
  assert.equal([b.time_ms, b.warmup_ms, b.iterations_count], [250, 20, 300]);
});

test('--iterations alone replaces the time budget', () => {
  const o = parseBenchArgs(['--iterations', '5000']);
  assert.equal([o.iterations_count, o.time_ms], [5000, 0]);
});

test('--filter compiles its regular expression', () => {
  const o = parseBenchArgs(['--filter', '^kos\\.w2w']);
  assert.ok(o.filter!.test('kos.w2w.spin'));
  assert.not.ok(o.filter!.test('atomics.w2w.spin'));
});

test('--json, --list and --help are flags', () => {
  const o = parseBenchArgs(['--json', '--list', '-h']);
  assert.equal([o.json, o.list, o.help], [true, true, true]);
});

test('a budget that is not a number is refused with the option and the value', () => {
  usage(['--time', 'abc'], /--time must be a number from 0, got "abc"/);
  usage(['--warmup', '-5'], /--warmup must be a number from 0, got "-5"/);
});

test('--iterations must be a positive integer', () => {
  usage(['--iterations', '0'], /--iterations must be an integer from 1, got "0"/);
  usage(['--iterations', '2.5'], /--iterations must be an integer from 1, got "2.5"/);
});

test('an option missing its value is refused', () => {
  usage(['--time'], /--time needs a value/);
  usage(['--time', '--json'], /--time needs a value/);
  usage(['--filter'], /--filter needs a regular expression/);
});

test('an invalid regular expression is refused with its text', () => {
  usage(['--filter', '(kos'], /--filter "\(kos" is not a valid regular expression/);
});

test('an unknown option is refused and points to --help', () => {
  usage(['--fast'], /unknown option "--fast"; `kos-ipc bench --help` lists the options/);
  usage(['extra'], /unknown argument "extra"/);
});

test('a flag given a value is refused', () => {
  usage(['--json=yes'], /--json takes no value/);
});

test.run();
