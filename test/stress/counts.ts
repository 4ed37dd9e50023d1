// How full the kernel's tables are, counted through the public API: probe processes take entries
// of one table until the kernel refuses the next one, then end (which gives them back). The
// fault figure compares the counts before and after a thousand processes came and went.
//
// The kernel's digest (k_digest) cannot serve here: it hashes the tables byte for byte, and
// every process that comes and goes moves counters that never return (the next TaskId, the
// generations inside handle values, Tids and reply tokens, the order of the heap's free lists).
import { rcQuotaExceeded, INVALID_HANDLE, type Kernel, type Process } from 'kos-ipc';
import { abi, outMsg, inMsg } from '../helpers.js';

export interface Counts {
  /** Live processes (kernel.processes). */
  processes: number;
  /** Process records the kernel can still give (createProcess until it throws). */
  freeProcesses: number;
  /** Thread records it can still give (Async calls in flight until rcQuotaExceeded). */
  freeThreads: number;
  /** Kernel objects it can still give (IPC sync objects until INVALID_HANDLE). */
  freeObjects: number;
  /** Static channels it can still make between two new processes (two names each). */
  freeChannels: number;
  /** Bytes of kernel memory (it only grows; a leak of kernel heap shows as growth). */
  memoryBytes: number;
}

const HANDLES = abi.limits.HANDLES_PER_PROC![0];

let probes = 0;
function probe(kernel: Kernel): Process {
  return kernel.createProcess(`probe${probes++}`);
}

async function end(kernel: Kernel, ps: Process[]): Promise<void> {
  for (const p of ps) await kernel.terminate(p);
}

async function freeProcesses(kernel: Kernel): Promise<number> {
  const made: Process[] = [];
  try {
    for (;;) made.push(probe(kernel));
  } catch (e) {
    if (!/process table is full/.test((e as Error).message)) throw e;
  }
  await end(kernel, made);
  return made.length;
}

async function freeThreads(kernel: Kernel): Promise<number> {
  const caller = probe(kernel), holder = probe(kernel);
  kernel.connect(caller, holder, 'hold'); // nobody receives: every call stays queued, on its own thread
  const ch = caller.ServiceLocatorConnect('hold');
  let n = 0;
  for (;;) {
    const state = { rc: 0, done: false };
    void caller.CallAsync(ch, outMsg(n).hdr, inMsg().hdr).then((rc) => { state.rc = rc; state.done = true; });
    await null; // a call refused at once has settled by now
    if (state.done) {
      if (state.rc !== rcQuotaExceeded) throw new Error(`counting threads: a parked call returned ${state.rc}`);
      break;
    }
    n++;
  }
  await end(kernel, [caller, holder]);
  return n;
}

async function freeObjects(kernel: Kernel): Promise<number> {
  const made: Process[] = [];
  let n = 0;
  for (;;) {
    const p = probe(kernel);
    made.push(p);
    let mine = 0;
    while (p.KnIpcCreateSyncObject() !== INVALID_HANDLE) mine++;
    n += mine;
    if (mine < HANDLES) break; // the object table, not this process's handle table, ran out
  }
  await end(kernel, made);
  return n;
}

async function freeChannels(kernel: Kernel): Promise<number> {
  const made: Process[] = [];
  let n = 0;
  for (let full = false; !full;) {
    const c = probe(kernel), s = probe(kernel);
    made.push(c, s);
    for (let i = 0; i < HANDLES; i++) { // a new id each time: a listener and a channel, one handle on each side
      try {
        kernel.connect(c, s, `c${i}`);
        n++;
      } catch (e) {
        if (!/tables are full/.test((e as Error).message)) throw e;
        full = true; // a fresh pair has room for HANDLES handles each: names or objects ran out
        break;
      }
    }
  }
  await end(kernel, made);
  return n;
}

/** Bytes of kernel memory. */
export function memoryBytes(kernel: Kernel): number {
  return (kernel as unknown as { core: { memory: WebAssembly.Memory } }).core.memory.buffer.byteLength;
}

/** Counts every table; the kernel must be quiet (no process allocating entries meanwhile). */
export async function tableCounts(kernel: Kernel): Promise<Counts> {
  return {
    processes: kernel.processes.length,
    freeProcesses: await freeProcesses(kernel),
    freeThreads: await freeThreads(kernel),
    freeObjects: await freeObjects(kernel),
    freeChannels: await freeChannels(kernel),
    memoryBytes: memoryBytes(kernel),
  };
}

/** The fields of `b` that differ from `a`, as text; empty when they agree. */
export function countsDiffer(a: Counts, b: Counts): string[] {
  return (Object.keys(a) as (keyof Counts)[]).filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k]} -> ${b[k]}`);
}

