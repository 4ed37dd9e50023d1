/** Inside a worker: instantiate the core over the kernel's memory and become the process. */
import { Core } from './core.js';
import { Process } from './process.js';
import { setCurrentProcess } from './current.js';
import type { WorkerBoot } from './platform/types.js';

export async function bootWorker(boot: WorkerBoot, canBlock: boolean): Promise<Process> {
  const core = await Core.instantiate(boot.module, boot.memory, boot.realm, canBlock, boot.debug, boot.loaderUrl);
  core.crossRealm = true;
  core.spinUs = boot.spinUs;
  const p = new Process(boot.name, boot.proc, boot.taskId, core, boot.args);
  setCurrentProcess(p);
  return p;
}
