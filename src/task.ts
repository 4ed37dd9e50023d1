/**
 * KosTask: what KosTaskGetSelf returns (kos/task.h), the object that stands for a process in the
 * task API. One per Process object, frozen; KosTaskGetHandle takes it.
 * @internal
 */

/** The task object of a process: its name and TaskId. */
export interface KosTask {
  readonly name: string;
  readonly taskId: number;
}

const tasks = new WeakMap<object, KosTask>();

/** The task object of process `p` (the same object on every call). */
export function taskOf(p: { readonly name: string; readonly taskId: number }): KosTask {
  let t = tasks.get(p);
  if (!t) {
    t = Object.freeze({ name: p.name, taskId: p.taskId });
    tasks.set(p, t);
  }
  return t;
}
