/** Inside a worker: instantiate the core over the kernel's memory and become the process. */
import { Core } from './core.js';
import { THREAD_SIZE } from './abi.js';
import { Process } from './process.js';
import { Thread } from './thread.js';
import { setCurrentProcess } from './current.js';
import type { WorkerBoot } from './platform/types.js';

export async function bootWorker(boot: WorkerBoot, canBlock: boolean): Promise<Process> {
  const options = boot.loaderUrl === undefined ? { debug: boot.debug } : { debug: boot.debug, loaderUrl: boot.loaderUrl };
  const core = await Core.instantiate(boot.module, boot.memory, boot.realm, canBlock, options);
  core.crossRealm = true;
  core.spinUs = boot.spinUs;
  // realm-level calls of this worker are made as its boot thread (abi/kernel.mjs)
  core.home = boot.tid;
  core.homeRec = boot.rec;
  core.u8(boot.rec + THREAD_SIZE); // the boot thread's record may lie past the memory's first size
  const p = new Process(boot.name, boot.proc, boot.taskId, core, boot.args, new Thread(boot.tid, boot.rec));
  setCurrentProcess(p);
  return p;
}
