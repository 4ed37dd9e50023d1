// KnIpcSetInterrupt / KnIpcClearInterrupt and the end of a sync object. Setting the interrupt
// wakes, with ST_INTERRUPTED, every thread that named the object in CallEx or RecvEx and is
// still in its interruptible window: a Call not yet received (QUEUED), a Recv waiting for a
// request (WAIT_RECV). A Call already received (WAIT_REPLY) is left to its reply or timeout.

import { ST_INTERRUPTED } from './abi';
import { thread, T_STATE, T_SYNC, TS_QUEUED, TS_WAIT_RECV } from './layout';
import { sysCancel } from './rendezvous';
import { syncSetFlag, syncAutoclear } from './sync';
import { threadsMade } from './threads';

export function interruptSet(o: u32): void {
  syncSetFlag(o, true);
  let woke = 0;
  const n = threadsMade();
  for (let i: u32 = 0; i < n; i++) {
    const a = thread(i);
    if (load<u32>(a + T_SYNC) != o + 1) continue;
    const s = load<i32>(a + T_STATE);
    if (s != TS_QUEUED && s != TS_WAIT_RECV) continue;
    sysCancel(i, ST_INTERRUPTED);
    woke++;
  }
  if (woke > 0 && syncAutoclear(o)) syncSetFlag(o, false);
}

export function interruptClear(o: u32): void {
  syncSetFlag(o, false);
}

/** Sync object `o` ends (its last handle closed): waiting calls that named it just lose it. */
export function syncDestroy(o: u32): void {
  const n = threadsMade();
  for (let i: u32 = 0; i < n; i++) {
    const a = thread(i);
    if (load<u32>(a + T_SYNC) == o + 1) store<u32>(a + T_SYNC, 0);
  }
}
