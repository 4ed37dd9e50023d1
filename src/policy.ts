/**
 * The security policy the kernel evaluates on every message, in the spirit of PSL:
 *
 *   { default: 'grant',
 *     rules: [ { event: 'request', src: 'Client', dst: 'Server', mid: 1, decision: 'deny' },
 *              { event: 'response', dst: 'Client', decision: 'grant' } ] }
 *
 * `request` events are checked at Call (src = client, dst = server), `response` and `error` at
 * Reply (src = server, dst = client; `error` when the response carries the error flag). Rules
 * are tried in order; the first whose selectors all match decides; otherwise `default`.
 * A denied request makes Call return rcSecurityDisallow and never reaches the server; a denied
 * response makes both Reply and the waiting Call return rcSecurityDisallow.
 *
 * Like the Kaspersky Security Module, the policy sees resources by SID, never by handle value:
 * a rule with `sid` matches only a message that carries a handle of that resource (the SID
 * KnHandleGetSidByHandle reports).
 */
export type PolicyEvent = 'request' | 'response' | 'error';

export interface PolicyRule {
  /** Which events the rule applies to (default: all three). */
  event?: PolicyEvent | PolicyEvent[];
  /** Sending process's class (name); omitted: any. */
  src?: string;
  /** Receiving process's class (name); omitted: any. */
  dst?: string;
  /** Interface (RIID) of the message; omitted: any. */
  iid?: number;
  /** Method (MID) of the message; omitted: any. */
  mid?: number;
  /** A resource's SID (KnHandleGetSidByHandle): the message must carry a handle to it; omitted: any. */
  sid?: number;
  decision: 'grant' | 'deny';
}

export interface Policy {
  default?: 'grant' | 'deny';
  rules?: PolicyRule[];
}

/** A rule as the core takes it; `decision` is bit 0 grant, bits 1..31 the SID (0: any). */
export interface CompiledRule { events: number; src: number; dst: number; iid: number; mid: number; decision: number }

const EVENT_BITS: Record<PolicyEvent, number> = { request: 1, response: 2, error: 4 };

function bad(what: string): never {
  throw new TypeError(`setPolicy: ${what}`);
}

function u16(i: number, field: string, v: unknown): number {
  if (v === undefined) return 0xffff;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 0xffff) {
    bad(`rules[${i}].${field} must be an integer from 0 to 65534, got ${String(v)}`);
  }
  return v;
}

export function compilePolicy(policy: Policy, classId: (name: string) => number): { defaultGrant: boolean; rules: CompiledRule[] } {
  if (!policy || typeof policy !== 'object') bad('the policy must be an object');
  const d = policy.default ?? 'grant';
  if (d !== 'grant' && d !== 'deny') bad(`default must be 'grant' or 'deny', got ${String(d)}`);
  const rules = (policy.rules ?? []).map((r, i): CompiledRule => {
    if (!r || typeof r !== 'object') bad(`rules[${i}] must be an object`);
    if (r.decision !== 'grant' && r.decision !== 'deny') bad(`rules[${i}].decision must be 'grant' or 'deny'`);
    const evs = r.event === undefined ? (['request', 'response', 'error'] as PolicyEvent[])
      : Array.isArray(r.event) ? r.event : [r.event];
    let events = 0;
    for (const e of evs) {
      if (!(e in EVENT_BITS)) bad(`rules[${i}].event must be 'request', 'response' or 'error', got ${String(e)}`);
      events |= EVENT_BITS[e];
    }
    const cls = (field: string, v: unknown): number => {
      if (v === undefined) return 0;
      if (typeof v !== 'string' || !v) bad(`rules[${i}].${field} must be a process class name`);
      return classId(v);
    };
    let sid = 0;
    if (r.sid !== undefined) {
      if (typeof r.sid !== 'number' || !Number.isInteger(r.sid) || r.sid < 1 || r.sid > 0x7fffffff) {
        bad(`rules[${i}].sid must be a SID (an integer from 1 to 0x7FFFFFFF), got ${String(r.sid)}`);
      }
      sid = r.sid;
    }
    return {
      events, src: cls('src', r.src), dst: cls('dst', r.dst), iid: u16(i, 'iid', r.iid),
      mid: u16(i, 'mid', r.mid), decision: ((sid << 1) | (r.decision === 'grant' ? 1 : 0)) >>> 0,
    };
  });
  return { defaultGrant: d === 'grant', rules };
}
