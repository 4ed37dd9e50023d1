/**
 * The performance goals (issues 5 and 12), checked against the rows of one run. A goal whose rows did
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
  value(m: (id: string) => number | undefined): number | undefined;
}

const div = (a: number | undefined, b: number | undefined): number | undefined =>
  a !== undefined && b !== undefined && b > 0 ? a / b : undefined;

export const GOALS: Goal[] = [
  { id: 'w2w_spin_vs_atomics', text: 'worker ↔ worker Call median ÷ Atomics spin ping-pong', limit: 1.5, sense: 'at_most',
    value: (m) => div(m('kos.w2w.spin'), m('atomics.w2w.spin')) },
  { id: 'postmessage_vs_w2w_spin', text: 'postMessage median ÷ worker ↔ worker Call median', limit: 50, sense: 'at_least',
    value: (m) => div(m('postmessage.main'), m('kos.w2w.spin')) },
  { id: 'w2w_wait_vs_atomics', text: 'pure-wait Call median ÷ Atomics.wait ping-pong', limit: 1.2, sense: 'at_most',
    value: (m) => div(m('kos.w2w.wait'), m('atomics.w2w.wait')) },
  { id: 'realm_async_vs_promise', text: 'one-realm CallAsync median ÷ bare Promise rendezvous', limit: 1.5, sense: 'at_most',
    value: (m) => div(m('kos.realm.async'), m('promise.realm')) },
  { id: 'codec_4k_vs_v8', text: 'v8.serialize + deserialize median ÷ generated classes encode + decode (4 KiB)', limit: 5, sense: 'at_least',
    value: (m) => div(m('v8.codec.4k'), m('gen.codec.4k')) },
  { id: 'codec_4k_vs_clone', text: 'structuredClone median ÷ generated classes encode + decode (4 KiB)', limit: 5, sense: 'at_least',
    value: (m) => div(m('clone.codec.4k'), m('gen.codec.4k')) },
  { id: 'arena_4k_vs_64b_plus_copy', text: '4 KiB request median ÷ (64 B request + one 4 KiB copy)', limit: 1.3, sense: 'at_most',
    value: (m) => { const a = m('kos.w2w.spin'), c = m('copy.4k'); return div(m('kos.size.4k'), a !== undefined && c !== undefined ? a + c : undefined); } },
];

export function evaluateGoals(rows: Row[]): GoalResult[] {
  const medians = new Map(rows.filter((r) => r.status === 'ok' && r.median_us !== null).map((r) => [r.id, r.median_us!]));
  const out: GoalResult[] = [];
  for (const g of GOALS) {
    const v = g.value((id) => medians.get(id));
    if (v === undefined) continue;
    out.push({
      id: g.id, text: g.text, limit_ratio: g.limit, sense: g.sense,
      value_ratio: Number(v.toPrecision(4)),
      met: g.sense === 'at_most' ? v <= g.limit : v >= g.limit,
    });
  }
  return out;
}
