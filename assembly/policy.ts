// The security module's decision, evaluated on every request (at Call) and every response or
// error (at Reply). Rules are checked in order, the first that matches decides; with no match
// the default decides. Classes are the processes' class ids (interned by the host).
//
//   rule +0 events mask (EV_REQUEST 1 | EV_RESPONSE 2 | EV_ERROR 4)
//        +4 src class u16 (0 = any) | dst class u16 << 16 (0 = any)
//        +8 iid u16 (0xFFFF = any)  | mid u16 << 16 (0xFFFF = any)
//        +12 decision (1 grant, 0 deny)

import { MAX_RULES, ST_OK, ST_QUOTA } from './abi';
import {
  hdr, H_POLICY_N, H_POLICY_DEFAULT, RULES, RULE_SIZE, PR_EVENTS, PR_SRC, PR_IID_MID, PR_DECISION,
} from './layout';

export function policyAllows(ev: u32, src: u32, dst: u32, iid: u32, mid: u32): bool {
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
    return load<u32>(r + PR_DECISION) != 0;
  }
  return load<u32>(hdr(H_POLICY_DEFAULT)) != 0;
}

export function policyReset(defaultGrant: u32): void {
  store<u32>(hdr(H_POLICY_N), 0);
  store<u32>(hdr(H_POLICY_DEFAULT), defaultGrant != 0 ? 1 : 0);
}

export function policyAdd(events: u32, src: u32, dst: u32, iid: u32, mid: u32, grant: u32): i32 {
  const n = load<u32>(hdr(H_POLICY_N));
  if (n >= MAX_RULES) return ST_QUOTA;
  const r = RULES + n * RULE_SIZE;
  store<u32>(r + PR_EVENTS, events);
  store<u32>(r + PR_SRC, (src & 0xFFFF) | ((dst & 0xFFFF) << 16));
  store<u32>(r + PR_IID_MID, (iid & 0xFFFF) | ((mid & 0xFFFF) << 16));
  store<u32>(r + PR_DECISION, grant != 0 ? 1 : 0);
  store<u32>(hdr(H_POLICY_N), n + 1);
  return ST_OK;
}
