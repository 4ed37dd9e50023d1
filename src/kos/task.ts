/**
 * `kos/task.h`, the part for a process's own task: KosTaskGetSelf and KosTaskGetHandle, for the
 * current process (inside a worker).
 */
import { thisProcess } from '../current.js';
import type { Handle } from '../nk/types.js';
import type { KosTask } from '../task.js';

export type { KosTask } from '../task.js';

/** The task object of the current process. */
export function KosTaskGetSelf(): KosTask {
  return thisProcess().KosTaskGetSelf();
}
/** The process handle of `task`: transferable, signals EVENT_TASK_COMPLETED, cannot be closed by its own process. */
export function KosTaskGetHandle(task: KosTask): Handle {
  return thisProcess().KosTaskGetHandle(task);
}
