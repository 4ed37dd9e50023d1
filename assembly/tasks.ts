// Tasks (task.h): every process has a task object, made with it, and a handle to it in its own
// table (KosTaskGetHandle(KosTaskGetSelf())), which it may transfer (a server- or
// client-identifying handle for DCM) but not close. When the process ends, EVENT_TASK_COMPLETED
// happens on the task object, and stays signalled for whoever subscribes later; the object lives
// on while other processes hold handles to it.

import { EVENT_TASK_COMPLETED, OCAP_TASK_SELF } from './abi';
import { obj, proc, O_OWNER, O_TASK_PROC, P_TASK_OBJ, P_TASK_HANDLE, K_TASK } from './layout';
import { objAlloc } from './objects';
import { handleAlloc } from './handles';
import { objectSignal } from './subscriptions';


/** Makes process `p`'s task object and its own task handle (the caller checked for room). */
export function taskCreate(p: u32): void {
  const t = <u32>objAlloc(K_TASK);
  store<u32>(obj(t) + O_OWNER, p + 1);
  store<u32>(obj(t) + O_TASK_PROC, p + 1);
  store<u32>(proc(p) + P_TASK_OBJ, t + 1);
  store<u32>(proc(p) + P_TASK_HANDLE, handleAlloc(p, t, OCAP_TASK_SELF));
}

/** Process `p` ends: its task completes. */
export function taskEnd(p: u32): void {
  const t = load<u32>(proc(p) + P_TASK_OBJ);
  if (t == 0) return;
  store<u32>(obj(t - 1) + O_TASK_PROC, 0);
  objectSignal(t - 1, EVENT_TASK_COMPLETED, true);
}

/** True when handle `value` is process `p`'s own task handle. */
export function isOwnTaskHandle(p: u32, value: u32): bool {
  return load<u32>(proc(p) + P_TASK_HANDLE) == value;
}
