// IPC sync objects (coresrv/ipc/ipc_api.h). A sync object is a flag: while set, CallEx and
// RecvEx calls that name it are interrupted in their interruptible windows (see interrupt.ts).
// Created not set; with autoclear it clears itself after its first interruption.

import { obj, O_FLAGS, O_OWNER, K_SYNC, OF_SYNC_SET, OF_SYNC_AUTOCLEAR } from './layout';
import { objAlloc } from './objects';

export function syncCreate(p: u32, autoclear: bool): i32 {
  const o = objAlloc(K_SYNC);
  if (o < 0) return o;
  store<u32>(obj(o) + O_OWNER, p + 1);
  store<i32>(obj(o) + O_FLAGS, autoclear ? OF_SYNC_AUTOCLEAR : 0);
  return o;
}

export function syncIsSet(o: u32): bool {
  return (load<i32>(obj(o) + O_FLAGS) & OF_SYNC_SET) != 0;
}

export function syncSetFlag(o: u32, on: bool): void {
  const f = load<i32>(obj(o) + O_FLAGS);
  store<i32>(obj(o) + O_FLAGS, on ? f | OF_SYNC_SET : f & ~OF_SYNC_SET);
}

export function syncAutoclear(o: u32): bool {
  return (load<i32>(obj(o) + O_FLAGS) & OF_SYNC_AUTOCLEAR) != 0;
}

/**
 * A call naming sync object `o` starts: if the object is set the call is interrupted at once
 * (returns true), and an autoclear object clears itself.
 */
export function syncTake(o: u32): bool {
  if (!syncIsSet(o)) return false;
  if (syncAutoclear(o)) syncSetFlag(o, false);
  return true;
}
