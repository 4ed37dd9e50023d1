// The security module's decision, evaluated on every request (at Call) and every response or
// error (at Reply). Rules are checked in order, the first that matches decides; with no match
// the default decides. Classes are the processes' class ids (interned by the host).
//
//   rule +0 events mask (EV_REQUEST 1 | EV_RESPONSE 2 | EV_ERROR 4)
//        +4 src class u16 (0 = any) | dst class u16 << 16 (0 = any)
//        +8 iid u16 (0xFFFF = any)  | mid u16 << 16 (0xFFFF = any)
//        +12 bit 0 decision (1 grant, 0 deny); bits 1..31: a SID (0 any): the rule matches only a
//            message that carries a handle of that resource (the policy sees SIDs, not handles)

import { MAX_RULES, ST_OK, ST_QUOTA } from './abi';
import { capsCarry } from './transfer';
import {
  hdr, H_POLICY_N, H_POLICY_DEFAULT, RULES, RULE_SIZE, PR_EVENTS, PR_SRC, PR_IID_MID, PR_DECISION,
} from './layout';

/**
 * The decision for a message of event `ev` from class `src` to class `dst` for (iid, mid),
 * carrying `ncaps` handle descriptors at `c` sent by process `p` (their SIDs are what rules with
 * a SID selector see).
 */
export function policyAllows(ev: u32, src: u32, dst: u32, iid: u32, mid: u32, p: u32, c: u32, ncaps: u32): bool {
  const n = load<u32>(hdr(H_POLICY_N));
  for (let i: u32 = 0; i < n; i++) {
    const r = RULES + i * RULE_SIZE;
    if ((load<u32>(r + PR_EVENTS) & ev) == 0) continue;
    const sd = load<u32>(r + PR_SRC);
    const s = sd & 0xFFFF, d = sd >> 16;
    if ((s != 0 && s != src) || (d != 0 && d != dst)) continue;
    const im = load<u32>(r + PR_IID_MID);
    const ri = im & 0xFFFF, rm = im >> 16;
    if ((ri != 0xFFFF && ri != iid) || (rm != 0xFFFF && rm != mid)) continue;
    const decision = load<u32>(r + PR_DECISION);
    if ((decision >> 1) != 0 && !capsCarry(p, c, ncaps, decision >> 1)) continue;
    return (decision & 1) != 0;
  }
  return load<u32>(hdr(H_POLICY_DEFAULT)) != 0;
}

export function policyReset(defaultGrant: u32): void {
  store<u32>(hdr(H_POLICY_N), 0);
  store<u32>(hdr(H_POLICY_DEFAULT), defaultGrant != 0 ? 1 : 0);
}

export function policyAdd(events: u32, src: u32, dst: u32, iid: u32, mid: u32, grant: u32): i32 {
  // grant: bit 0 the decision, bits 1..31 the SID selector (see the layout above)
  const n = load<u32>(hdr(H_POLICY_N));
  if (n >= MAX_RULES) return ST_QUOTA;
  const r = RULES + n * RULE_SIZE;
  store<u32>(r + PR_EVENTS, events);
  store<u32>(r + PR_SRC, (src & 0xFFFF) | ((dst & 0xFFFF) << 16));
  store<u32>(r + PR_IID_MID, (iid & 0xFFFF) | ((mid & 0xFFFF) << 16));
  store<u32>(r + PR_DECISION, grant);
  store<u32>(hdr(H_POLICY_N), n + 1);
  return ST_OK;
}
