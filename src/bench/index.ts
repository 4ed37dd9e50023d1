/**
 * `kos-ipc/bench`: the latency benchmark behind `kos-ipc bench`, as functions: parse a command
 * line, run the scenarios, print the table or the JSON.
 */
export { parseBenchArgs, UsageError, HELP, DEFAULTS, QUICK, type BenchOptions } from './options.js';
export { runBench, addRatios, warnings, type BenchReport, type Row, type RunHooks } from './runner.js';
export { catalog, select, SECTIONS, type Scenario, type Kind } from './catalog.js';
export { formatTable, formatJson, formatList, fmtRatio, fmtTime, type TableStyle } from './report.js';
export { evaluateGoals, GOALS, type GoalResult } from './goals.js';
export { quantile, mergeClients, type Measurement } from './stats.js';
export type { RunContext } from './context.js';
export { main as benchMain, type Io } from './main.js';
