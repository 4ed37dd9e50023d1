// The service locator's tables: channel names (init.yaml connection ids) per process, and the
// endpoint names of each server process with their RIIDs. Names are UTF-8 bytes the host writes
// to its scratch area (admin) or its thread's staging buffer; at most NAME_MAX bytes. Configuration-time lookups, linear.

import { MAX_NAMES, MAX_ENDPOINTS, NAME_MAX, ST_OK, ST_QUOTA, ST_BAD_ARG, ST_EXISTS } from './abi';
import { NAMES, ENDPOINTS, NAME_SIZE, N_PROC, N_KIND, N_HANDLE, N_LEN, N_BYTES } from './layout';

export const NAME_CLIENT: u32 = 1;
export const NAME_SERVER: u32 = 2;

function sameName(e: u32, name: u32, len: u32): bool {
  if (load<u32>(e + N_LEN) != len) return false;
  return memory.compare(e + N_BYTES, name, len) == 0;
}

function find(table: u32, count: u32, p: u32, kind: u32, name: u32, len: u32): i32 {
  for (let i: u32 = 0; i < count; i++) {
    const e = table + i * NAME_SIZE;
    if (load<u32>(e + N_PROC) != p + 1 || load<u32>(e + N_KIND) != kind) continue;
    if (sameName(e, name, len)) return <i32>i;
  }
  return -1;
}

function add(table: u32, count: u32, p: u32, kind: u32, value: u32, name: u32, len: u32): i32 {
  if (len == 0 || len > NAME_MAX) return ST_BAD_ARG;
  for (let i: u32 = 0; i < count; i++) {
    const e = table + i * NAME_SIZE;
    if (load<u32>(e + N_PROC) != 0) continue;
    store<u32>(e + N_PROC, p + 1);
    store<u32>(e + N_KIND, kind);
    store<u32>(e + N_HANDLE, value);
    store<u32>(e + N_LEN, len);
    memory.copy(e + N_BYTES, name, len);
    return ST_OK;
  }
  return ST_QUOTA;
}

/** True when the name table has at least `n` free entries. */
export function namesFree(n: u32): bool {
  let free: u32 = 0;
  for (let i: u32 = 0; i < MAX_NAMES && free < n; i++) {
    if (load<u32>(NAMES + i * NAME_SIZE + N_PROC) == 0) free++;
  }
  return free >= n;
}

/** The handle registered for `name` in process `p`, or 0. */
export function nameFind(p: u32, kind: u32, name: u32, len: u32): u32 {
  const i = find(NAMES, MAX_NAMES, p, kind, name, len);
  return i < 0 ? 0 : load<u32>(NAMES + <u32>i * NAME_SIZE + N_HANDLE);
}

export function nameAdd(p: u32, kind: u32, handle: u32, name: u32, len: u32): i32 {
  if (find(NAMES, MAX_NAMES, p, kind, name, len) >= 0) return ST_EXISTS;
  return add(NAMES, MAX_NAMES, p, kind, handle, name, len);
}

/** Forgets the name bound to `handle` in process `p` (a closed handle cannot be found again). */
export function nameForgetHandle(p: u32, handle: u32): void {
  for (let i: u32 = 0; i < MAX_NAMES; i++) {
    const e = NAMES + i * NAME_SIZE;
    if (load<u32>(e + N_PROC) == p + 1 && load<u32>(e + N_HANDLE) == handle) {
      memory.fill(e, 0, NAME_SIZE);
    }
  }
}

/** Forgets every name and endpoint of process `p`. */
export function namesForgetProcess(p: u32): void {
  for (let i: u32 = 0; i < MAX_NAMES; i++) {
    const e = NAMES + i * NAME_SIZE;
    if (load<u32>(e + N_PROC) == p + 1) memory.fill(e, 0, NAME_SIZE);
  }
  for (let i: u32 = 0; i < MAX_ENDPOINTS; i++) {
    const e = ENDPOINTS + i * NAME_SIZE;
    if (load<u32>(e + N_PROC) == p + 1) memory.fill(e, 0, NAME_SIZE);
  }
}

/** Endpoint entries reuse the name layout with N_KIND holding the RIID. */
export function endpointAdd(p: u32, riid: u32, name: u32, len: u32): i32 {
  for (let i: u32 = 0; i < MAX_ENDPOINTS; i++) {
    const e = ENDPOINTS + i * NAME_SIZE;
    if (load<u32>(e + N_PROC) == p + 1 && sameName(e, name, len)) return ST_EXISTS;
  }
  return add(ENDPOINTS, MAX_ENDPOINTS, p, riid, 0, name, len);
}

/** RIID of endpoint `name` of server process `p`, or -1 when it has no such endpoint. */
export function endpointFind(p: u32, name: u32, len: u32): i32 {
  for (let i: u32 = 0; i < MAX_ENDPOINTS; i++) {
    const e = ENDPOINTS + i * NAME_SIZE;
    if (load<u32>(e + N_PROC) == p + 1 && sameName(e, name, len)) return load<i32>(e + N_KIND);
  }
  return -1;
}
