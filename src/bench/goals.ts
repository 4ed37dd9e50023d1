/**
 * The performance goals (issues 5, 12 and 13), checked against the rows of one run. A goal whose rows did
 * not run (a filter) or failed is left out.
 */
import type { Row } from './runner.js';

export interface GoalResult {
  id: string;
  text: string;
  /** The measured ratio (dimensionless). */
  value_ratio: number;
  limit_ratio: number;
  /** 'at_most': value <= limit is met; 'at_least': value >= limit. */
  sense: 'at_most' | 'at_least';
  met: boolean;
}

interface Goal {
  id: string;
  text: string;
  limit: number;
  sense: 'at_most' | 'at_least';
  /** The ratio from the rows' medians `m` (and p99s `p99`), or undefined when a row is missing. */
  value(m: (id: string) => number | undefined, p99: (id: string) => number | undefined): number | undefined;
}

const div = (a: number | undefined, b: number | undefined): number | undefined =>
  a !== undefined && b !== undefined && b > 0 ? a / b : undefined;

export const GOALS: Goal[] = [
  { id: 'w2w_copied_vs_tight', text: 'worker ↔ worker Call (64 B copied) ÷ tight Atomics ping-pong', limit: 2, sense: 'at_most',
    value: (m) => div(m('kos.w2w.spin'), m('atomics.w2w.tight')) },
  { id: 'w2w_alloc_vs_tight', text: 'worker ↔ worker Call (process.alloc buffers) ÷ tight Atomics ping-pong', limit: 1.5, sense: 'at_most',
    value: (m) => div(m('kos.alloc.64'), m('atomics.w2w.tight')) },
  { id: 'realm_async_vs_promise', text: 'one-realm CallAsync ÷ bare Promise rendezvous', limit: 4, sense: 'at_most',
    value: (m) => div(m('kos.realm.async'), m('promise.realm')) },
  { id: 'main_async_vs_floor', text: 'Node main → worker CallAsync ÷ Atomics that polls before waitAsync', limit: 2, sense: 'at_most',
    value: (m) => div(m('kos.main.async'), m('atomics.main.spin')) },
  { id: 'clients16_vs_floor', text: '16 client workers: Call median ÷ the 16-client Atomics floor', limit: 1.2, sense: 'at_most',
    value: (m) => div(m('kos.clients.16'), m('atomics.clients.16')) },
  { id: 'clients16_p99_vs_floor', text: '16 client workers: Call p99 ÷ the 16-client Atomics floor\'s p99', limit: 2, sense: 'at_most',
    value: (_, p99) => div(p99('kos.clients.16'), p99('atomics.clients.16')) },
  { id: 'scale_vs_empty', text: 'Call with 1,000 processes and 100,000 handles ÷ on an empty kernel', limit: 1.2, sense: 'at_most',
    value: (m) => div(m('kos.scale.w2w'), m('kos.w2w.spin')) },
  { id: 'postmessage_vs_w2w_spin', text: 'postMessage median ÷ worker ↔ worker Call median', limit: 50, sense: 'at_least',
    value: (m) => div(m('postmessage.main'), m('kos.w2w.spin')) },
  { id: 'w2w_wait_vs_atomics', text: 'pure-wait Call median ÷ Atomics.wait ping-pong', limit: 1.2, sense: 'at_most',
    value: (m) => div(m('kos.w2w.wait'), m('atomics.w2w.wait')) },
  { id: 'codec_4k_vs_v8', text: 'v8.serialize + deserialize median ÷ generated classes encode + decode (4 KiB)', limit: 5, sense: 'at_least',
    value: (m) => div(m('v8.codec.4k'), m('gen.codec.4k')) },
  { id: 'codec_4k_vs_clone', text: 'structuredClone median ÷ generated classes encode + decode (4 KiB)', limit: 5, sense: 'at_least',
    value: (m) => div(m('clone.codec.4k'), m('gen.codec.4k')) },
  { id: 'arena_4k_vs_64b_plus_copy', text: '4 KiB request median ÷ (64 B request + one 4 KiB copy)', limit: 1.3, sense: 'at_most',
    value: (m) => { const a = m('kos.w2w.spin'), c = m('copy.4k'); return div(m('kos.size.4k'), a !== undefined && c !== undefined ? a + c : undefined); } },
];

export function evaluateGoals(rows: Row[]): GoalResult[] {
  const medians = new Map(rows.filter((r) => r.status === 'ok' && r.median_us !== null).map((r) => [r.id, r.median_us!]));
  const p99s = new Map(rows.filter((r) => r.status === 'ok' && r.p99_us !== null).map((r) => [r.id, r.p99_us!]));
  const out: GoalResult[] = [];
  for (const g of GOALS) {
    const v = g.value((id) => medians.get(id), (id) => p99s.get(id));
    if (v === undefined) continue;
    out.push({
      id: g.id, text: g.text, limit_ratio: g.limit, sense: g.sense,
      value_ratio: Number(v.toPrecision(4)),
      met: g.sense === 'at_most' ? v <= g.limit : v >= g.limit,
    });
  }
  return out;
}
