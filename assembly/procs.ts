// The process table: one record per process alive (or ending), reused after it ends. A process
// has a TaskId (1, 2, 3, ...; never reused within a kernel), a class for the policy, the realm
// its first thread runs in, its handle table (handles.ts) and its task object (tasks.ts).

import { MAX_PROCS } from './abi';
import {
  proc, hdr, H_TASK_SEQ, TB_PROCS, DIR_PROCS, PROC_CHUNK_BITS, PROC_SIZE, P_STATE, P_REALM, P_CLASS, P_TASK,
  P_LINK, PS_ALIVE, PS_FREE,
} from './layout';
import { tableAlloc, tableFree, tableLive } from './table';

/** A new process in `realm` of class `cls`: its index, or -1 when the table is full. */
export function procAlloc(realm: u32, cls: u32): i32 {
  const p = tableAlloc(TB_PROCS, DIR_PROCS, PROC_CHUNK_BITS, PROC_SIZE, MAX_PROCS, P_LINK);
  if (p < 0) return p;
  const a = proc(<u32>p);
  memory.fill(a, 0, PROC_SIZE);
  const task = load<u32>(hdr(H_TASK_SEQ)) + 1;
  store<u32>(hdr(H_TASK_SEQ), task);
  store<i32>(a + P_STATE, PS_ALIVE);
  store<u32>(a + P_REALM, realm);
  store<u32>(a + P_CLASS, cls);
  store<u32>(a + P_TASK, task);
  return p;
}

/** Returns process `p`'s record to the table (everything it held is already released). */
export function procFree(p: u32): void {
  store<i32>(proc(p) + P_STATE, PS_FREE);
  tableFree(TB_PROCS, DIR_PROCS, PROC_CHUNK_BITS, PROC_SIZE, p, P_LINK);
}

