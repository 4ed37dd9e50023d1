// The service locator's tables: channel names (init.yaml connection ids) per process, and the
// endpoint names of each server process with their RIIDs. Names are UTF-8 bytes the host writes
// to its scratch area (admin) or its thread's staging buffer; at most NAME_MAX bytes. Both
// tables grow (table.ts); lookups scan the records made, at configuration time and in
// ServiceLocator* calls only.

import { MAX_NAMES, MAX_ENDPOINTS, NAME_MAX, ST_OK, ST_QUOTA, ST_BAD_ARG, ST_EXISTS } from './abi';
import {
  nameEntry, endpointEntry, made, TB_NAMES, TB_ENDPOINTS, DIR_NAMES, DIR_ENDPOINTS, NAME_BITS,
  NAME_SIZE, N_PROC, N_KIND, N_HANDLE, N_LEN, N_BYTES,
} from './layout';
import { tableAlloc, tableFree, tableReserve } from './table';

export const NAME_CLIENT: u32 = 1;
export const NAME_SERVER: u32 = 2;
/** A process's own name (its class), for the connection manager (cm.ts). */
export const NAME_PROC: u32 = 3;
/** The service name of a KnCmConnect request in flight (cm.ts). */
export const NAME_CM: u32 = 4;

function sameName(e: u32, name: u32, len: u32): bool {
  if (load<u32>(e + N_LEN) != len) return false;
  return memory.compare(e + N_BYTES, name, len) == 0;
}

/** True when the name table can take `n` more names. */
export function namesFree(n: u32): bool {
  return tableReserve(TB_NAMES, DIR_NAMES, NAME_BITS, NAME_SIZE, MAX_NAMES, n);
}

/** The handle registered for `name` in process `p`, or 0. */
export function nameFind(p: u32, kind: u32, name: u32, len: u32): u32 {
  const n = made(TB_NAMES);
  for (let i: u32 = 0; i < n; i++) {
    const e = nameEntry(i);
    if (load<u32>(e + N_PROC) == p + 1 && load<u32>(e + N_KIND) == kind && sameName(e, name, len)) {
      return load<u32>(e + N_HANDLE);
    }
  }
  return 0;
}

/** Registers `name` -> `handle` in process `p`: ST_OK, ST_EXISTS, ST_BAD_ARG or ST_QUOTA. */
export function nameAdd(p: u32, kind: u32, handle: u32, name: u32, len: u32): i32 {
  if (len == 0 || len > NAME_MAX) return ST_BAD_ARG;
  if (nameFind(p, kind, name, len) != 0) return ST_EXISTS;
  const i = tableAlloc(TB_NAMES, DIR_NAMES, NAME_BITS, NAME_SIZE, MAX_NAMES, N_HANDLE);
  if (i < 0) return ST_QUOTA;
  const e = nameEntry(<u32>i);
  store<u32>(e + N_PROC, p + 1);
  store<u32>(e + N_KIND, kind);
  store<u32>(e + N_HANDLE, handle);
  store<u32>(e + N_LEN, len);
  memory.copy(e + N_BYTES, name, len);
  return ST_OK;
}

function nameFree(i: u32): void {
  store<u32>(nameEntry(i) + N_PROC, 0);
  tableFree(TB_NAMES, DIR_NAMES, NAME_BITS, NAME_SIZE, i, N_HANDLE);
}

/** Forgets the name bound to `handle` in process `p` (a closed handle cannot be found again). */
export function nameForgetHandle(p: u32, handle: u32): void {
  const n = made(TB_NAMES);
  for (let i: u32 = 0; i < n; i++) {
    const e = nameEntry(i);
    if (load<u32>(e + N_PROC) == p + 1 && load<u32>(e + N_HANDLE) == handle) nameFree(i);
  }
}

/** Forgets every name and endpoint of process `p`. */
export function namesForgetProcess(p: u32): void {
  let n = made(TB_NAMES);
  for (let i: u32 = 0; i < n; i++) {
    if (load<u32>(nameEntry(i) + N_PROC) == p + 1) nameFree(i);
  }
  n = made(TB_ENDPOINTS);
  for (let i: u32 = 0; i < n; i++) {
    const e = endpointEntry(i);
    if (load<u32>(e + N_PROC) == p + 1) {
      store<u32>(e + N_PROC, 0);
      tableFree(TB_ENDPOINTS, DIR_ENDPOINTS, NAME_BITS, NAME_SIZE, i, N_HANDLE);
    }
  }
}

/** Endpoint entries reuse the name layout with N_KIND holding the RIID. */
export function endpointAdd(p: u32, riid: u32, name: u32, len: u32): i32 {
  if (len == 0 || len > NAME_MAX) return ST_BAD_ARG;
  if (endpointFind(p, name, len) >= 0) return ST_EXISTS;
  const i = tableAlloc(TB_ENDPOINTS, DIR_ENDPOINTS, NAME_BITS, NAME_SIZE, MAX_ENDPOINTS, N_HANDLE);
  if (i < 0) return ST_QUOTA;
  const e = endpointEntry(<u32>i);
  store<u32>(e + N_PROC, p + 1);
  store<u32>(e + N_KIND, riid);
  store<u32>(e + N_HANDLE, 0);
  store<u32>(e + N_LEN, len);
  memory.copy(e + N_BYTES, name, len);
  return ST_OK;
}

/** RIID of endpoint `name` of server process `p`, or -1 when it has no such endpoint. */
export function endpointFind(p: u32, name: u32, len: u32): i32 {
  const n = made(TB_ENDPOINTS);
  for (let i: u32 = 0; i < n; i++) {
    const e = endpointEntry(i);
    if (load<u32>(e + N_PROC) == p + 1 && sameName(e, name, len)) return load<i32>(e + N_KIND);
  }
  return -1;
}

// ---- process names and request names (the connection manager, cm.ts) ----------------------

/** Stores `name` as an entry of `kind` for process `p` (the caller checked namesFree): its index. */
export function nameStore(p: u32, kind: u32, name: u32, len: u32): u32 {
  const i = <u32>tableAlloc(TB_NAMES, DIR_NAMES, NAME_BITS, NAME_SIZE, MAX_NAMES, N_HANDLE);
  const e = nameEntry(i);
  store<u32>(e + N_PROC, p + 1);
  store<u32>(e + N_KIND, kind);
  store<u32>(e + N_HANDLE, 0); // never a handle value: nameForgetHandle leaves it alone
  store<u32>(e + N_LEN, len);
  memory.copy(e + N_BYTES, name, len);
  return i;
}

/** Frees name entry `i` (from nameStore). */
export function nameRelease(i: u32): void {
  nameFree(i);
}

/** The entry index of process `p`'s own name, or -1. */
export function procNameEntry(p: u32): i32 {
  const n = made(TB_NAMES);
  for (let i: u32 = 0; i < n; i++) {
    const e = nameEntry(i);
    if (load<u32>(e + N_PROC) == p + 1 && load<u32>(e + N_KIND) == NAME_PROC) return <i32>i;
  }
  return -1;
}

/** The process whose own name is `name`, or -1. */
export function procByName(name: u32, len: u32): i32 {
  const n = made(TB_NAMES);
  for (let i: u32 = 0; i < n; i++) {
    const e = nameEntry(i);
    if (load<u32>(e + N_KIND) == NAME_PROC && load<u32>(e + N_PROC) != 0 && sameName(e, name, len)) {
      return <i32>load<u32>(e + N_PROC) - 1;
    }
  }
  return -1;
}

/** True when name entry `i` holds `name`. */
export function nameIs(i: u32, name: u32, len: u32): bool {
  return sameName(nameEntry(i), name, len);
}

/** Copies name entry `i` to `dst`: its length. */
export function nameCopy(i: u32, dst: u32): u32 {
  const e = nameEntry(i);
  const len = load<u32>(e + N_LEN);
  memory.copy(dst, e + N_BYTES, len);
  return len;
}
