// The kernel object table: channels (the client end), listeners (the server end, serving one or
// more channels, with the rendezvous queues) and IPC sync objects. An object lives while at
// least one handle names it (O_REFS); lifecycle.ts destroys it when the last one closes.

import { MAX_OBJECTS } from './abi';
import { obj, O_KIND, OBJ_SIZE, K_FREE } from './layout';

export function objAlloc(kind: i32): i32 {
  for (let i: u32 = 0; i < MAX_OBJECTS; i++) {
    const a = obj(i);
    if (load<i32>(a + O_KIND) != K_FREE) continue;
    memory.fill(a, 0, OBJ_SIZE);
    store<i32>(a + O_KIND, kind);
    return <i32>i;
  }
  return -1;
}

/** True when the object table has at least `n` free entries. */
export function objsFree(n: u32): bool {
  let free: u32 = 0;
  for (let i: u32 = 0; i < MAX_OBJECTS && free < n; i++) {
    if (load<i32>(obj(i) + O_KIND) == K_FREE) free++;
  }
  return free >= n;
}

export function objFree(i: u32): void {
  memory.fill(obj(i), 0, OBJ_SIZE);
}
