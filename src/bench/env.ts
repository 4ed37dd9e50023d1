/**
 * The environment a run is measured in, printed above the table and kept in the JSON: the
 * runtime, the machine, the timer's grain, and whether spinning is used.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

export interface Environment {
  kos_ipc_version: string;
  node_version: string;
  v8_version: string;
  platform: string;
  arch: string;
  os_release: string;
  cpu_model: string;
  cores_count: number;
  memory_bytes: number;
  load_avg_1m_count: number;
  /** Browsers only; null in Node, where SharedArrayBuffer needs no isolation. */
  cross_origin_isolated: boolean | null;
  timer: string;
  /** Smallest step of performance.now() seen (bounded below by the cost of one reading). */
  timer_resolution_us: number;
  /** Cost of one performance.now() call. */
  timer_call_us: number;
  /** Spin budget of the spin scenarios; 0 when no core is spare. */
  spin_budget_us: number;
  started_at: string;
}

/** kos-ipc's default spin budget (Kernel.create), used when a spare core exists. */
export const DEFAULT_SPIN_US = 50;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Reads performance.now() back to back for `ms`: the smallest positive step, and the call cost. */
export function timerGrain(ms = 20): { resolution_us: number; call_us: number } {
  const t0 = performance.now();
  let last = t0, min = Infinity, calls = 0;
  for (;;) {
    const t = performance.now();
    calls++;
    if (t > last && t - last < min) min = t - last;
    last = t;
    if (t - t0 >= ms) break;
  }
  return { resolution_us: min * 1000, call_us: (ms * 1000) / calls };
}

export function environment(): Environment {
  const cores = availableParallelism();
  const grain = timerGrain();
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return {
    kos_ipc_version: version(),
    node_version: process.version,
    v8_version: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    os_release: release(),
    cpu_model: cpus()[0]?.model.trim() ?? 'unknown',
    cores_count: cores,
    memory_bytes: totalmem(),
    load_avg_1m_count: loadavg()[0] ?? 0,
    cross_origin_isolated: typeof isolated === 'boolean' ? isolated : null,
    timer: 'performance.now()',
    timer_resolution_us: grain.resolution_us,
    timer_call_us: grain.call_us,
    spin_budget_us: cores > 1 ? DEFAULT_SPIN_US : 0,
    started_at: new Date().toISOString(),
  };
}

/** Machine-wide busy and total CPU time (µs) from /proc/stat, and this process's own CPU time. */
export interface CpuSnapshot { busy_us: number; total_us: number; own_us: number }

const TICK_US = 10000; // USER_HZ = 100 on Linux

/** A snapshot, or null where /proc/stat does not exist (not Linux). */
export function cpuSnapshot(): CpuSnapshot | null {
  if (!existsSync('/proc/stat')) return null;
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (f.length < 8 || f.some((x) => !Number.isFinite(x))) return null;
  const total = f.reduce((a, b) => a + b, 0);
  const idle = f[3]! + f[4]!; // idle + iowait
  const own = process.cpuUsage();
  return { busy_us: (total - idle) * TICK_US, total_us: total * TICK_US, own_us: own.user + own.system };
}

/** Share (0..1) of the machine's CPU time that other processes used between two snapshots. */
export function otherCpuShare(a: CpuSnapshot | null, b: CpuSnapshot | null): number | null {
  if (!a || !b || b.total_us <= a.total_us) return null;
  const others = (b.busy_us - a.busy_us) - (b.own_us - a.own_us);
  return Math.min(1, Math.max(0, others / (b.total_us - a.total_us)));
}
