/**
 * Every scenario of the benchmark, in display order: its id (what --filter matches, with the
 * name), what it measures, and for each kos-ipc row the floor and the peers its ratios are
 * taken against. Baselines measure the same bytes between the same kinds of threads.
 */
import type { RunContext } from './context.js';
import { spinFor } from './context.js';
import type { Measurement } from './stats.js';
import { UsageError } from './options.js';
import { ASYNC_SPIN_POLLS } from '../kernel_options.js';
import { kosMain, kosRealm, kosWorkers } from './suites/kos.js';
import { copyInto, pingPongMain, pingPongWorkers, promiseRendezvous } from './suites/floors.js';
import { channelRealm, channelWorkers, comlink, postMessageMain, synckit } from './suites/peers.js';
import { cloneCodec, genCodec, genWorkers, v8Codec } from './suites/gen.js';
import { capRealm, capWorkers } from './suites/caps.js';
import { connectDcm, connectKnCm, connectStatic } from './suites/connect.js';

/** kos: a kos-ipc round trip; floor: the platform's minimum; peer: another library or API;
 * reference: a figure a goal needs (a plain copy). */
export type Kind = 'kos' | 'floor' | 'peer' | 'reference';

export interface Scenario {
  id: string;
  name: string;
  section: string;
  kind: Kind;
  /** Bytes of arena (kos-ipc) or payload beyond the 40-byte constant part (baselines). */
  size_bytes: number;
  clients_count: number;
  /** kos rows: the id of the floor and the ids of the peers they are compared with. */
  floor?: string;
  peers?: string[];
  /** Other rows a goal about this row needs (selected with it by --filter). */
  needs?: string[];
  run(ctx: RunContext): Promise<Measurement>;
}

const KIB = 1024;
/** Client workers of the many-clients rows (64: spin is off on any machine with fewer cores). */
const CLIENTS = [1, 4, 16, 64];
/** The scale row: processes in the kernel (clients and server included) and handles in the client. */
const SCALE_PROCESSES = 1000;
const SCALE_HANDLES = 100000;
const SIZES: [string, number][] = [['1k', KIB], ['4k', 4 * KIB], ['64k', 64 * KIB]];
const label = (n: number): string => (n >= KIB ? `${n / KIB} KiB` : `${n} B`);
const BASE = 64;
const CROSS_PEERS = ['postmessage.main', 'channel.w2w', 'synckit.main', 'comlink.main'];

const S_W2W = 'worker ↔ worker, blocking Call (64 B arena)';
const S_PEERS = 'peers across threads (64 B)';
const S_SIZE = 'request size (worker ↔ worker, blocking)';
const S_REALM = 'one realm, async';
const S_MAIN = 'Node main thread → worker, async';
const S_MANY = 'many clients, one server (64 B)';
const S_SCALE = 'a full kernel: 1,000 processes, 100,000 handles (worker ↔ worker, 64 B)';
const S_GEN = 'generated proxy vs raw Call (worker ↔ worker, 64 B arena)';
const S_CODEC = 'encode + decode a 4 KiB message (one thread)';
const S_CAPS = 'one handle in the request (worker ↔ worker, blocking Call, 48-byte messages)';
const S_CAPS_REALM = 'one handle in the request (one realm, async, 48-byte messages)';
const S_CONNECT = 'a new connection and its first call (one realm, async, 64 B arena)';

function w2w(ctx: RunContext, id: string, size: number, alloc: boolean, spin: boolean): Promise<Measurement> {
  return kosWorkers(ctx, id, { clients: 1, size_bytes: size, alloc, spin_us: spin ? spinFor(ctx, 2) : 0 });
}

export function catalog(): Scenario[] {
  const list: Scenario[] = [];
  const add = (s: Omit<Scenario, 'size_bytes' | 'clients_count'> & Partial<Pick<Scenario, 'size_bytes' | 'clients_count'>>): void => {
    list.push({ size_bytes: BASE, clients_count: 1, ...s });
  };

  add({ id: 'kos.w2w.spin', name: 'kos-ipc Call, spin then wait', section: S_W2W, kind: 'kos',
    floor: 'atomics.w2w.tight', peers: CROSS_PEERS, needs: ['atomics.w2w.spin'], run: (c) => w2w(c, 'kos.w2w.spin', BASE, false, true) });
  add({ id: 'kos.w2w.wait', name: 'kos-ipc Call, pure wait (spin: 0)', section: S_W2W, kind: 'kos',
    floor: 'atomics.w2w.wait', peers: CROSS_PEERS, run: (c) => w2w(c, 'kos.w2w.wait', BASE, false, false) });
  add({ id: 'atomics.w2w.tight', name: 'Atomics ping-pong, tight (polls, no clock)', section: S_W2W, kind: 'floor',
    run: (c) => pingPongWorkers(c, 'atomics.w2w.tight', { clients: 1, size_bytes: BASE }, spinFor(c, 2), true) });
  add({ id: 'atomics.w2w.spin', name: 'Atomics ping-pong, kos-ipc\'s spin then wait', section: S_W2W, kind: 'floor',
    run: (c) => pingPongWorkers(c, 'atomics.w2w.spin', { clients: 1, size_bytes: BASE }, spinFor(c, 2)) });
  add({ id: 'atomics.w2w.wait', name: 'Atomics ping-pong, pure wait', section: S_W2W, kind: 'floor',
    run: (c) => pingPongWorkers(c, 'atomics.w2w.wait', { clients: 1, size_bytes: BASE }, 0) });

  add({ id: 'postmessage.main', name: 'postMessage main ↔ worker', section: S_PEERS, kind: 'peer',
    run: (c) => postMessageMain(c, BASE) });
  add({ id: 'channel.w2w', name: 'MessageChannel worker ↔ worker', section: S_PEERS, kind: 'peer',
    run: (c) => channelWorkers(c, 'channel.w2w', 1, BASE) });
  add({ id: 'synckit.main', name: 'synckit sync call main → worker', section: S_PEERS, kind: 'peer',
    run: (c) => synckit(c, BASE) });
  add({ id: 'comlink.main', name: 'comlink call main → worker', section: S_PEERS, kind: 'peer',
    run: (c) => comlink(c, BASE) });

  for (const [tag, n] of SIZES) {
    add({ id: `kos.size.${tag}`, name: `kos-ipc Call, ${label(n)} copied`, section: S_SIZE, kind: 'kos', size_bytes: n,
      floor: `atomics.size.${tag}`, peers: [`channel.size.${tag}`], needs: tag === '4k' ? ['kos.w2w.spin', 'copy.4k'] : [],
      run: (c) => w2w(c, `kos.size.${tag}`, n, false, true) });
  }
  for (const [tag, n] of [['64', BASE] as [string, number], ...SIZES]) {
    const base = n === BASE;
    add({ id: `kos.alloc.${tag}`, name: `kos-ipc Call, ${label(n)} in place (process.alloc)`, section: S_SIZE, kind: 'kos',
      size_bytes: n, floor: base ? 'atomics.w2w.tight' : `atomics.size.${tag}`, peers: base ? CROSS_PEERS : [`channel.size.${tag}`],
      run: (c) => w2w(c, `kos.alloc.${tag}`, n, true, true) });
  }
  for (const [tag, n] of SIZES) {
    add({ id: `atomics.size.${tag}`, name: `Atomics ping-pong, ${label(n)}, spin then wait`, section: S_SIZE, kind: 'floor',
      size_bytes: n, run: (c) => pingPongWorkers(c, `atomics.size.${tag}`, { clients: 1, size_bytes: n }, spinFor(c, 2)) });
  }
  for (const [tag, n] of SIZES) {
    add({ id: `channel.size.${tag}`, name: `MessageChannel worker ↔ worker, ${label(n)}`, section: S_SIZE, kind: 'peer',
      size_bytes: n, run: (c) => channelWorkers(c, `channel.size.${tag}`, 1, n) });
  }
  add({ id: 'copy.4k', name: 'copy 4 KiB into a SharedArrayBuffer', section: S_SIZE, kind: 'reference',
    size_bytes: 4 * KIB, run: (c) => copyInto(c, 4 * KIB) });

  add({ id: 'kos.realm.async', name: 'kos-ipc CallAsync / RecvAsync, one realm', section: S_REALM, kind: 'kos',
    floor: 'promise.realm', peers: ['channel.realm'], run: (c) => kosRealm(c, BASE) });
  add({ id: 'promise.realm', name: 'bare Promise rendezvous', section: S_REALM, kind: 'floor',
    size_bytes: 0, run: (c) => promiseRendezvous(c) });
  add({ id: 'channel.realm', name: 'MessageChannel, both ports in one realm', section: S_REALM, kind: 'peer',
    run: (c) => channelRealm(c, BASE) });

  add({ id: 'kos.main.async', name: 'kos-ipc CallAsync main → server worker', section: S_MAIN, kind: 'kos',
    floor: 'atomics.main.spin', peers: CROSS_PEERS, needs: ['atomics.main.async'], run: (c) => kosMain(c, BASE, spinFor(c, 2)) });
  add({ id: 'atomics.main.spin', name: 'Atomics main ↔ worker, polls then waitAsync', section: S_MAIN, kind: 'floor',
    run: (c) => pingPongMain(c, BASE, spinFor(c, 2), c.cores_count > 1 ? ASYNC_SPIN_POLLS : 0) });
  add({ id: 'atomics.main.async', name: 'Atomics.waitAsync main ↔ worker', section: S_MAIN, kind: 'floor',
    run: (c) => pingPongMain(c, BASE, spinFor(c, 2)) });

  for (const n of CLIENTS) {
    add({ id: `kos.clients.${n}`, name: `kos-ipc Call, ${n} client worker${n > 1 ? 's' : ''}`, section: S_MANY, kind: 'kos',
      clients_count: n, floor: n === 1 ? 'atomics.w2w.tight' : `atomics.clients.${n}`,
      peers: [n === 1 ? 'channel.w2w' : `channel.clients.${n}`].filter((id) => id !== 'channel.clients.64'),
      run: (c) => kosWorkers(c, `kos.clients.${n}`, { clients: n, size_bytes: BASE, alloc: false, spin_us: spinFor(c, n + 1) }) });
  }
  for (const n of CLIENTS.filter((n) => n > 1)) {
    add({ id: `atomics.clients.${n}`, name: `Atomics ping-pong, ${n} clients`, section: S_MANY, kind: 'floor', clients_count: n,
      run: (c) => pingPongWorkers(c, `atomics.clients.${n}`, { clients: n, size_bytes: BASE }, spinFor(c, n + 1)) });
  }
  for (const n of [4, 16]) {
    add({ id: `channel.clients.${n}`, name: `MessageChannel, ${n} client workers`, section: S_MANY, kind: 'peer', clients_count: n,
      run: (c) => channelWorkers(c, `channel.clients.${n}`, n, BASE) });
  }

  add({ id: 'kos.scale.w2w', name: 'kos-ipc Call, 1,000 processes and 100,000 handles', section: S_SCALE, kind: 'kos',
    floor: 'kos.w2w.spin', run: (c) => kosWorkers(c, 'kos.scale.w2w', {
      clients: 1, size_bytes: BASE, alloc: false, spin_us: spinFor(c, 2), idle_processes: SCALE_PROCESSES - 2, handles: SCALE_HANDLES,
    }) });

  add({ id: 'gen.proxy.w2w', name: 'generated proxy + dispatcher (kos-ipc gen)', section: S_GEN, kind: 'kos',
    floor: 'atomics.w2w.spin', peers: ['gen.call.w2w'], run: (c) => genWorkers(c, 'gen.proxy.w2w', 'proxy', BASE, spinFor(c, 2)) });
  add({ id: 'gen.call.w2w', name: 'raw Call of the same bytes, same server', section: S_GEN, kind: 'peer',
    run: (c) => genWorkers(c, 'gen.call.w2w', 'call', BASE, spinFor(c, 2)) });
  add({ id: 'gen.codec.4k', name: 'generated classes: write fields, read them back', section: S_CODEC, kind: 'kos', size_bytes: 4 * KIB,
    clients_count: 0, peers: ['v8.codec.4k', 'clone.codec.4k'], run: (c) => genCodec(c) });
  add({ id: 'v8.codec.4k', name: 'v8.serialize + v8.deserialize', section: S_CODEC, kind: 'peer', size_bytes: 4 * KIB, clients_count: 0,
    run: (c) => v8Codec(c) });
  add({ id: 'clone.codec.4k', name: 'structuredClone', section: S_CODEC, kind: 'peer', size_bytes: 4 * KIB, clients_count: 0,
    run: (c) => cloneCodec(c) });
  add({ id: 'cap.transfer.w2w', name: 'kos-ipc Call transferring one handle (the server closes it)', section: S_CAPS, kind: 'kos',
    size_bytes: 0, peers: ['cap.none.w2w'], run: (c) => capWorkers(c, 'cap.transfer.w2w', 'transfer', spinFor(c, 2)) });
  add({ id: 'cap.deref.w2w', name: 'kos-ipc Call sending one handle back (dereferenced)', section: S_CAPS, kind: 'kos',
    size_bytes: 0, peers: ['cap.none.w2w'], run: (c) => capWorkers(c, 'cap.deref.w2w', 'deref', spinFor(c, 2)) });
  add({ id: 'cap.none.w2w', name: 'kos-ipc Call, the same bytes without a handle (ncaps 0)', section: S_CAPS, kind: 'peer',
    size_bytes: 0, run: (c) => capWorkers(c, 'cap.none.w2w', 'none', spinFor(c, 2)) });
  add({ id: 'cap.transfer.realm', name: 'kos-ipc CallAsync transferring one handle (the server closes it)', section: S_CAPS_REALM,
    kind: 'kos', size_bytes: 0, peers: ['cap.none.realm'], run: (c) => capRealm(c, 'transfer') });
  add({ id: 'cap.deref.realm', name: 'kos-ipc CallAsync sending one handle back (dereferenced)', section: S_CAPS_REALM, kind: 'kos',
    size_bytes: 0, peers: ['cap.none.realm'], run: (c) => capRealm(c, 'deref') });
  add({ id: 'cap.none.realm', name: 'kos-ipc CallAsync, the same bytes without a handle (ncaps 0)', section: S_CAPS_REALM, kind: 'peer',
    size_bytes: 0, run: (c) => capRealm(c, 'none') });

  add({ id: 'kos.connect.dcm', name: 'DCM: create, listen, accept, connect, close, call', section: S_CONNECT, kind: 'kos',
    floor: 'kos.realm.async', peers: ['connect.static'], run: (c) => connectDcm(c, BASE) });
  add({ id: 'kos.connect.kncm', name: 'KnCmConnect, KnCmListen, KnCmAccept, call, close', section: S_CONNECT, kind: 'kos',
    floor: 'kos.realm.async', peers: ['connect.static'], run: (c) => connectKnCm(c, BASE) });
  add({ id: 'connect.static', name: 'static channel: ServiceLocatorConnect, call', section: S_CONNECT, kind: 'peer',
    run: (c) => connectStatic(c, BASE) });
  return list;
}

/** Section titles in display order. */
export const SECTIONS = [S_W2W, S_PEERS, S_SIZE, S_REALM, S_MAIN, S_MANY, S_SCALE, S_GEN, S_CODEC, S_CAPS, S_CAPS_REALM, S_CONNECT];

/**
 * The scenarios `filter` selects (matched against id and name), plus the floors and peers their
 * ratios need, in catalog order. Throws when nothing matches.
 */
export function select(all: Scenario[], filter: RegExp | null): Scenario[] {
  if (!filter) return all;
  const byId = new Map(all.map((s) => [s.id, s]));
  const chosen = new Set<string>();
  for (const s of all) {
    if (!filter.test(s.id) && !filter.test(s.name)) continue;
    chosen.add(s.id);
    for (const dep of [s.floor, ...(s.peers ?? []), ...(s.needs ?? [])]) if (dep && byId.has(dep)) chosen.add(dep);
  }
  if (chosen.size === 0) {
    throw new UsageError(`--filter ${String(filter)} matches no scenario; \`kos-ipc bench --list\` prints their ids`);
  }
  return all.filter((s) => chosen.has(s.id));
}
