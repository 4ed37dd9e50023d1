/**
 * Printing a report: the table for people (environment header, one block per section, notes,
 * goals) and the JSON for machines (the report itself: schema 1, a unit in every key).
 */
import { SECTIONS } from './catalog.js';
import type { BenchReport, Row } from './runner.js';

export interface TableStyle {
  /** ANSI colours (the CLI turns them off for NO_COLOR and when stdout is not a terminal). */
  color: boolean;
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/** A time in µs with 3 significant digits (2 decimals below 10). */
export function fmtTime(us: number | null): string {
  if (us === null) return '—';
  if (us < 10) return us.toFixed(2);
  if (us < 100) return us.toFixed(1);
  return us.toFixed(0);
}

/** A dimensionless ratio, with enough digits to read a small one. */
export function fmtRatio(r: number | null): string {
  if (r === null) return '—';
  if (r >= 100) return `${r.toFixed(0)}×`;
  if (r >= 10) return `${r.toFixed(1)}×`;
  if (r >= 1) return `${r.toFixed(2)}×`;
  return `${r.toPrecision(2)}×`;
}

const fmtInt = (n: number | null): string => (n === null ? '—' : Math.round(n).toLocaleString('en-US'));

const COLUMNS = ['scenario', 'median µs', 'p99 µs', 'mean µs', 'ops/s', 'samples', '× floor', '× best peer', 'compared with'];
const RIGHT = [false, true, true, true, true, true, true, true, false];

function cells(r: Row): string[] {
  const ratioFloor = r.kind === 'kos' ? fmtRatio(r.ratio_to_floor) : r.kind === 'floor' ? '(floor)' : '';
  const ratioPeer = r.kind === 'kos' ? fmtRatio(r.ratio_to_best_peer) : r.kind === 'peer' ? '(peer)' : '';
  const vs = r.kind === 'kos' ? [r.floor_id ?? '—', r.best_peer_id ?? '—'].join(' · ') : r.kind === 'reference' ? '(reference)' : '';
  return [r.name, fmtTime(r.median_us), fmtTime(r.p99_us), fmtTime(r.mean_us), fmtInt(r.ops_per_s),
    fmtInt(r.samples_count), ratioFloor, ratioPeer, vs];
}

function header(rep: BenchReport): string[] {
  const e = rep.environment;
  const o = rep.options;
  const spin = e.spin_budget_us > 0
    ? `spin: ${e.spin_budget_us} µs then Atomics.wait where every thread has a core (else disabled, noted per row)`
    : `spin: disabled everywhere (${e.cores_count} core: no spare core to spin on)`;
  const budget = o.time_ms > 0 ? `${o.time_ms} ms per scenario` : `${o.iterations_count} samples per scenario`;
  return [
    `kos-ipc bench ${e.kos_ipc_version}: one round trip = request, trivial handler, reply; times are µs per round trip`,
    `${e.started_at} · node ${e.node_version} (V8 ${e.v8_version}) · ${e.platform} ${e.arch} ${e.os_release}`,
    `CPU ${e.cpu_model} · ${e.cores_count} cores · ${(e.memory_bytes / 2 ** 30).toFixed(1)} GiB · load ${e.load_avg_1m_count.toFixed(2)} (1 min)`,
    `timer ${e.timer}: grain ${e.timer_resolution_us.toFixed(3)} µs, a reading costs ${e.timer_call_us.toFixed(3)} µs · ` +
      `cross-origin isolation: ${e.cross_origin_isolated === null ? 'not applicable (Node)' : String(e.cross_origin_isolated)}`,
    spin,
    `${budget}${o.time_ms > 0 ? ` and at least ${o.iterations_count} samples` : ''}, ${o.warmup_ms} ms warm-up` +
      `${o.quick ? ' (--quick)' : ''}${o.filter ? ` · --filter ${o.filter}` : ''} · ${rep.command}`,
  ];
}

const mib = (b: number): string => (b >= 1048576 ? `${(b / 1048576).toFixed(1)} MiB` : `${(b / 1024).toFixed(0)} KiB`);

/** A kos-ipc row's probe and memory figures, on one line (null when it has none). */
function probeLine(r: Row): string | null {
  const parts: string[] = [];
  if (r.crossings_per_round_trip_count !== null) {
    const split = r.client_crossings_per_round_trip_count !== null
      ? ` (client ${r.client_crossings_per_round_trip_count}, server ${Number((r.crossings_per_round_trip_count - r.client_crossings_per_round_trip_count).toFixed(3))})` : '';
    parts.push(`${r.crossings_per_round_trip_count} core calls per round trip${split}`);
  }
  if (r.gc_per_100k_calls_count !== null) parts.push(`${r.gc_per_100k_calls_count} GCs per 100k calls`);
  if (r.kernel_heap_bytes !== null) {
    parts.push(`kernel heap ${mib(r.kernel_heap_bytes)}${r.staging_bytes !== null ? ` (staging held ${mib(r.staging_bytes)})` : ''}`);
  }
  if (r.ratio_p99_to_floor !== null && r.clients_count > 1) parts.push(`p99 ${fmtRatio(r.ratio_p99_to_floor)} the floor's`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** The table for a terminal or a file. */
export function formatTable(rep: BenchReport, style: TableStyle = { color: false }): string {
  const c = style.color;
  const out = header(rep).map((l, i) => (i === 0 ? paint(c, '1', l) : paint(c, '2', l)));
  const rows = rep.scenarios;
  const all = [COLUMNS, ...rows.map(cells)];
  const width = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((s, i) => (RIGHT[i] ? s.padStart(width[i]!) : s.padEnd(width[i]!))).join('  ').trimEnd();
  const sections = [...SECTIONS, ...new Set(rows.map((r) => r.section).filter((s) => !SECTIONS.includes(s)))];
  for (const section of sections) {
    const mine = rows.filter((r) => r.section === section);
    if (mine.length === 0) continue;
    out.push('', paint(c, '1', section), `  ${paint(c, '2', line(COLUMNS))}`);
    for (const r of mine) {
      if (r.status === 'failed') {
        out.push(`  ${r.name.padEnd(width[0]!)}  ${paint(c, '31', `FAILED: ${r.error ?? 'unknown error'}`)}`);
      } else {
        const text = line(cells(r));
        out.push(`  ${r.kind === 'kos' ? paint(c, '1', text) : text}`);
      }
      const probe = probeLine(r);
      if (probe) out.push(`      ${paint(c, '2', probe)}`);
      for (const n of r.notes) out.push(`      ${paint(c, '2', `note: ${n}`)}`);
    }
  }
  out.push('', '× floor: median ÷ the floor\'s median (1× = as fast as JavaScript can go between these threads);',
    '× best peer: median ÷ the fastest peer\'s median (below 1× = faster than every peer measured).');
  if (rep.other_processes_cpu_ratio !== null) {
    out.push('', `other processes used ${(rep.other_processes_cpu_ratio * 100).toFixed(1)}% of the machine's CPU time during the run`);
  }
  for (const w of rep.warnings) out.push('', paint(c, '33', `warning: ${w}`));
  if (rep.goals.length > 0) {
    out.push('', paint(c, '1', 'goals'));
    const w = Math.max(...rep.goals.map((g) => g.text.length));
    for (const g of rep.goals) {
      const limit = `${g.sense === 'at_most' ? '≤' : '≥'} ${g.limit_ratio}`;
      const verdict = g.met ? paint(c, '32', 'met') : paint(c, '33', 'missed');
      out.push(`  ${g.text.padEnd(w)}  ${fmtRatio(g.value_ratio).padStart(7)}  (goal ${limit})  ${verdict}`);
    }
  }
  const failed = rep.failed_count;
  out.push('', `${rows.length} scenarios in ${rep.duration_s.toFixed(1)} s` +
    (failed > 0 ? `, ${paint(c, '31', `${failed} failed`)}` : ', none failed'));
  return `${out.join('\n')}\n`;
}

/** The JSON document (schema 1), as printed by --json. */
export function formatJson(rep: BenchReport): string {
  return `${JSON.stringify(rep, null, 2)}\n`;
}

/** The --list output: id and name of each selected scenario. */
export function formatList(scenarios: { id: string; name: string; kind: string }[]): string {
  const w = Math.max(...scenarios.map((s) => s.id.length));
  return `${scenarios.map((s) => `${s.id.padEnd(w)}  ${s.kind.padEnd(9)}  ${s.name}`).join('\n')}\n`;
}
