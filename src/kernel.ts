/**
 * Kernel: one emulated KasperskyOS system. It owns the kernel memory and the core's instance in
 * the realm that created it, makes processes (in this realm, or each in its own worker), wires
 * static channels as init.yaml does, loads the security policy, and ends it all on shutdown.
 */
import { Core, ADMIN_OWNER } from './core.js';
import { Process, type ProcessExit } from './process.js';
import { platform } from './platform/index.js';
import type { Platform, WorkerHandle } from './platform/types.js';
import { ST_OK, ST_EXISTS, ST_QUOTA, ST_LOCK_BUSY, ST_DEAD } from './rtl/status.js';
import { parseInit, type InitDescription } from './init.js';
import { compilePolicy, type Policy } from './policy.js';
import { planShapes, declareShapes, rememberEndpoints, declareInterface, type Interfaces } from './shapes.js';
import type { IdlInterface } from './nk/idl_layout.js';

export interface KernelOptions {
  /** The core as bytes or a compiled module (default: the .wasm shipped beside this file). */
  wasm?: Uint8Array | ArrayBuffer | WebAssembly.Module;
  /** Use the debug build of the core (assertions kept). Default false. */
  debug?: boolean;
  /** Initial kernel memory in MiB (default 16); it grows on demand up to `maxMemoryMiB`. */
  memoryMiB?: number;
  /** Maximum kernel memory in MiB (default 1024). */
  maxMemoryMiB?: number;
  /**
   * Spin budget in microseconds before a blocking wait sleeps (default: 50 when the machine has
   * a spare core, else 0). `false` or 0 disables spinning.
   */
  spin?: number | boolean;
  /** The security policy (default: grant everything). */
  policy?: Policy;
}

/** Endpoints of a server process, in declaration order (RIID 0, 1, ...): name -> interface. */
export type Endpoints = Record<string, string> | { name: string; interface?: string }[];

export interface ProcessOptions {
  endpoints?: Endpoints;
  /**
   * Message shapes of the endpoints' interfaces, by interface name: the kernel then checks the
   * arena descriptors of every request and response of those methods (docs/message-format.md).
   */
  interfaces?: Interfaces;
  /** Arguments of a spawned process (EntitySetArgs): `thisProcess().args` inside its worker. */
  args?: string[];
}

function argsOf(fn: string, args: unknown): string[] {
  if (args === undefined) return [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) {
    throw new TypeError(`${fn}: args must be an array of strings`);
  }
  return args as string[];
}

interface PendingChannel { client: string; server: string; id: string }

const PAGE = 65536;
const encoder = new TextEncoder();

function checkName(fn: string, what: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) {
    throw new TypeError(`${fn}: ${what} must be a non-empty string, got ${typeof v} ${String(v)}`);
  }
  return v;
}

function checkOptions(o: KernelOptions): void {
  if (o === null || typeof o !== 'object') throw new TypeError(`Kernel.create: options must be an object, got ${String(o)}`);
  const mib = (k: 'memoryMiB' | 'maxMemoryMiB'): void => {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > 4096)) {
      throw new RangeError(`Kernel.create: ${k} must be a number of MiB from 1 to 4096, got ${String(v)}`);
    }
  };
  mib('memoryMiB');
  mib('maxMemoryMiB');
  if (o.memoryMiB !== undefined && o.maxMemoryMiB !== undefined && o.maxMemoryMiB < o.memoryMiB) {
    throw new RangeError(`Kernel.create: maxMemoryMiB (${o.maxMemoryMiB}) is below memoryMiB (${o.memoryMiB})`);
  }
  if (o.spin !== undefined && typeof o.spin !== 'boolean' && (typeof o.spin !== 'number' || !(o.spin >= 0))) {
    throw new TypeError(`Kernel.create: spin must be a number of microseconds or a boolean, got ${String(o.spin)}`);
  }
  const w = o.wasm;
  if (w !== undefined && !(w instanceof WebAssembly.Module) && !(w instanceof Uint8Array) && !(w instanceof ArrayBuffer)) {
    throw new TypeError('Kernel.create: wasm must be a WebAssembly.Module, a Uint8Array or an ArrayBuffer');
  }
}

export class Kernel {
  /** 'shared': processes may run in workers; 'unshared': in-realm processes only. */
  readonly mode: 'shared' | 'unshared';
  /** @internal */
  readonly core: Core;
  private readonly module: WebAssembly.Module;
  private readonly platform: Platform;
  private readonly byName = new Map<string, Process>();
  private readonly workers = new Map<Process, WorkerHandle>();
  private readonly threadWorkers = new Map<Process, Set<WorkerHandle>>();
  private readonly classes = new Map<string, number>();
  private readonly pending: PendingChannel[] = [];
  private nextRealm = 1;
  private closed = false;
  private readonly spinUs: number;

  private readonly debug: boolean;

  private constructor(core: Core, module: WebAssembly.Module, plat: Platform, spinUs: number, debug: boolean) {
    this.debug = debug;
    this.core = core;
    this.module = module;
    this.platform = plat;
    this.mode = core.memory.buffer instanceof ArrayBuffer ? 'unshared' : 'shared';
    this.spinUs = spinUs;
  }

  /** Boots one emulated system. */
  static async create(options: KernelOptions = {}): Promise<Kernel> {
    checkOptions(options);
    const plat = await platform();
    const shared = plat.sharedMemory();
    const module = options.wasm instanceof WebAssembly.Module ? options.wasm
      : options.wasm ? await WebAssembly.compile(options.wasm as BufferSource)
        : await plat.loadCore(options.debug === true, shared);
    const initial = Math.max(2, Math.ceil((options.memoryMiB ?? 16) * 1048576 / PAGE));
    const maximum = Math.min(65536, Math.max(initial, Math.ceil((options.maxMemoryMiB ?? 1024) * 1048576 / PAGE)));
    const memory = new WebAssembly.Memory({ initial, maximum, shared } as WebAssembly.MemoryDescriptor);
    const debug = options.debug === true;
    let core: Core;
    try {
      core = await Core.instantiate(module, memory, 0, plat.mainThreadCanBlock(), debug);
    } catch (e) {
      if (e instanceof WebAssembly.LinkError && /shared/i.test(e.message)) {
        throw new Error(`Kernel.create: the core given in { wasm } is built for ${shared ? 'unshared' : 'shared'} memory, ` +
          `but this ${shared ? 'realm has' : 'page has no'} SharedArrayBuffer; pass dist/${shared ? 'kernel.wasm' : 'kernel.unshared.wasm'} ` +
          `(${e.message})`);
      }
      throw e;
    }
    const key = (Math.random() * 0x100000000) >>> 0;
    const st = core.exports.k_init(key);
    if (st !== ST_OK) throw new Error(`Kernel.create: the core could not initialise its tables (status ${st}); give more memoryMiB`);
    const spin = options.spin;
    const spinUs = spin === false ? 0 : typeof spin === 'number' ? Math.max(0, spin)
      : plat.parallelism() > 1 ? 50 : 0;
    core.spinUs = spinUs;
    const kernel = new Kernel(core, module, plat, spinUs, debug);
    if (options.policy) kernel.setPolicy(options.policy);
    return kernel;
  }

  /** With debug, the loader's URL resolved here, for workers (which may not resolve it). */
  private loader(): { loaderUrl?: string } {
    if (!this.debug) return {};
    const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
    try {
      return resolve ? { loaderUrl: resolve('@assemblyscript/loader') } : {};
    } catch {
      return {};
    }
  }

  private admin(f: () => number): number {
    return this.core.retry(ADMIN_OWNER, f);
  }

  private open(fn: string): void {
    if (this.closed) throw new Error(`${fn}: the kernel is shut down`);
  }

  private classId(name: string): number {
    let id = this.classes.get(name);
    if (id === undefined) {
      id = this.classes.size + 1;
      if (id > 0xffff) throw new Error('too many process classes (65535 at most)');
      this.classes.set(name, id);
    }
    return id;
  }

  /** Writes a name into the admin scratch area (below the heap, used by this realm only). */
  private scratch(fn: string, name: string): [number, number] {
    const bytes = encoder.encode(name);
    if (bytes.length > this.core.layout.nameMax) {
      throw new RangeError(`${fn}: "${name}" is ${bytes.length} bytes of UTF-8; names have at most ${this.core.layout.nameMax}`);
    }
    const at = this.core.layout.tablesEnd;
    this.core.u8().set(bytes, at);
    return [at, bytes.length];
  }

  private newProcess(fn: string, name: string, realm: number, local: boolean, options: ProcessOptions): Process {
    this.open(fn);
    checkName(fn, 'name', name);
    if (this.byName.has(name)) throw new Error(`${fn}: a process named "${name}" already exists`);
    const cls = this.classId(name);
    const shapes = planShapes(fn, options.endpoints, options.interfaces);
    const p = this.admin(() => {
      const r = this.core.exports.k_proc_create(realm, cls);
      return r === -ST_LOCK_BUSY ? ST_LOCK_BUSY : r < 0 ? -1 - ST_QUOTA : r + 100;
    });
    if (p < 100) throw new Error(`${fn}: the kernel's process table is full (${this.core.layout.maxProcs} processes)`);
    const index = p - 100;
    const args = argsOf(fn, options.args);
    const proc = new Process(name, index, this.core.exports.k_proc_task(index) >>> 0, local ? this.core : null, args);
    this.byName.set(name, proc);
    try {
      this.addEndpoints(fn, proc, options.endpoints);
      rememberEndpoints(proc, options.endpoints);
      declareShapes(this.core, (f) => this.admin(f), fn, name, index, shapes);
      this.applyPending();
    } catch (e) {
      // a process that cannot be set up as asked is not left half made
      this.release(proc);
      proc.markEnded({ code: 0, error: e });
      throw e;
    }
    return proc;
  }

  private addEndpoints(fn: string, proc: Process, endpoints: Endpoints | undefined): void {
    if (!endpoints) return;
    const names = Array.isArray(endpoints) ? endpoints.map((e) => e.name) : Object.keys(endpoints);
    names.forEach((ep, riid) => {
      checkName(fn, 'an endpoint name', ep);
      for (const n of [ep, `${proc.name}.${ep}`]) {
        const [at, len] = this.scratch(fn, n);
        const st = this.admin(() => this.core.exports.k_endpoint(proc.index, riid, at, len));
        if (st === ST_EXISTS) throw new Error(`${fn}: endpoint "${n}" of "${proc.name}" is declared twice`);
        if (st !== ST_OK) throw new Error(`${fn}: the kernel's endpoint table is full`);
      }
    });
  }

  /** A process whose thread is this realm (its calls are made with the Async forms, or block
   * when its peers run in workers). */
  createProcess(name: string, options: ProcessOptions = {}): Process {
    return this.newProcess('createProcess', name, this.core.realm, true, options);
  }

  /**
   * A process whose thread is a new worker over the kernel's shared memory. Inside it the
   * package's top-level functions act on that process. The process exists as soon as spawn is
   * called (so channels declared with `connect` are in place before its module runs); the
   * promise resolves once the worker has booted.
   */
  spawn(name: string, moduleUrl: string | URL, options: ProcessOptions = {}): Promise<Process> {
    if (this.mode !== 'shared') {
      return Promise.reject(new Error('spawn: workers need SharedArrayBuffer, which this page does not have; ' +
        'serve it cross-origin isolated (Cross-Origin-Opener-Policy: same-origin and ' +
        'Cross-Origin-Embedder-Policy: require-corp), or use in-realm processes (createProcess)'));
    }
    if (typeof moduleUrl !== 'string' && !(moduleUrl instanceof URL)) {
      return Promise.reject(new TypeError(`spawn: moduleUrl must be a string or URL, got ${typeof moduleUrl}`));
    }
    let proc: Process;
    let args: string[];
    try {
      args = argsOf('spawn', options.args);
      proc = this.newProcess('spawn', name, this.nextRealm++, false, options);
    } catch (e) {
      return Promise.reject(e);
    }
    this.core.crossRealm = true;
    const worker = this.platform.startWorker({
      module: this.module, memory: this.core.memory, realm: this.nextRealm - 1, proc: proc.index,
      taskId: proc.taskId, name, moduleUrl: this.platform.resolveModule(moduleUrl), spinUs: this.spinUs, args, debug: this.debug, ...this.loader(),
    });
    this.workers.set(proc, worker);
    void worker.exit.then((exit) => this.ended(proc, exit));
    return worker.ready.then(() => proc, (e: unknown) => { throw e; });
  }

  /**
   * Another thread of process `p`: a new worker over the shared memory that runs `moduleUrl` as
   * `p` (its top-level functions act on `p`, with `p`'s handles). Resolves when the worker has
   * booted; `exited` resolves when that thread ends. The process goes on without it; when the
   * process ends, its threads end too.
   */
  spawnThread(p: Process, moduleUrl: string | URL, args: string[] = []): Promise<{ exited: Promise<ProcessExit> }> {
    if (this.mode !== 'shared') return Promise.reject(new Error('spawnThread: workers need SharedArrayBuffer (see spawn)'));
    if (!(p instanceof Process) || this.byName.get(p.name) !== p) {
      return Promise.reject(new TypeError(`spawnThread: not a live process of this kernel: ${String((p as Process)?.name ?? p)}`));
    }
    try { argsOf('spawnThread', args); } catch (e) { return Promise.reject(e); }
    const realm = this.nextRealm++;
    this.admin(() => this.core.exports.k_proc_add_realm(p.index, realm));
    this.core.crossRealm = true;
    const worker = this.platform.startWorker({
      module: this.module, memory: this.core.memory, realm, proc: p.index, taskId: p.taskId,
      name: p.name, moduleUrl: this.platform.resolveModule(moduleUrl), spinUs: this.spinUs,
      args: argsOf('spawnThread', args), debug: this.debug, ...this.loader(),
    });
    let set = this.threadWorkers.get(p);
    if (!set) this.threadWorkers.set(p, set = new Set());
    set.add(worker);
    void worker.exit.then(() => {
      set!.delete(worker);
      if (!this.closed && this.byName.get(p.name) === p) {
        this.admin(() => {
          const st = this.core.exports.k_realm_release(p.index, realm);
          return st === ST_DEAD ? ST_OK : st;
        });
      }
    });
    return worker.ready.then(() => ({ exited: worker.exit }));
  }

  /**
   * A static channel, as an init.yaml connection: process `client` gets a client IPC handle and
   * `server` a listener handle, both found by `id` with ServiceLocatorConnect/Register. Either
   * process may be created later: the channel appears when both exist.
   */
  connect(client: string | Process, server: string | Process, id: string): void {
    this.open('connect');
    const c = typeof client === 'string' ? client : client?.name;
    const s = typeof server === 'string' ? server : server?.name;
    checkName('connect', 'client', c);
    checkName('connect', 'server', s);
    checkName('connect', 'id', id);
    this.scratch('connect', id);
    if (this.pending.some((x) => x.client === c && x.id === id)) {
      throw new Error(`connect: process "${c}" already has a channel named "${id}"`);
    }
    this.pending.push({ client: c!, server: s!, id });
    this.applyPending();
  }

  private applyPending(): void {
    for (let i = 0; i < this.pending.length; i++) {
      const x = this.pending[i]!;
      const cp = this.byName.get(x.client), sp = this.byName.get(x.server);
      if (!cp || !sp) continue;
      this.pending.splice(i--, 1);
      const [at, len] = this.scratch('connect', x.id);
      const st = this.admin(() => this.core.exports.k_connect(cp.index, sp.index, at, len));
      if (st === ST_EXISTS) throw new Error(`connect: process "${x.client}" already has a channel named "${x.id}"`);
      if (st === ST_DEAD) throw new Error(`connect: process "${x.client}" or "${x.server}" has ended`);
      if (st !== ST_OK) throw new Error(`connect: the kernel's tables are full (status ${st})`);
    }
  }

  /**
   * Builds a system from an init.yaml description (an object or YAML text): entities with a
   * `module` run in workers, the others in this realm; connections and endpoints as declared.
   * Every process and channel exists before any worker runs its module.
   */
  async init(description: InitDescription | string): Promise<Record<string, Process>> {
    const desc = await parseInit(description);
    const started: Promise<Process>[] = [];
    const out: Record<string, Process> = {};
    for (const e of desc.entities) {
      for (const c of e.connections) this.connect(e.name, c.target, c.id);
    }
    for (const e of desc.entities) {
      const options: ProcessOptions = {};
      if (e.endpoints) options.endpoints = e.endpoints;
      if (e.args) options.args = e.args;
      if (e.endpoints && desc.interfaces) {
        // only the interfaces this entity's endpoints name
        const names = new Set(Array.isArray(e.endpoints) ? e.endpoints.map((x) => x.interface) : Object.values(e.endpoints));
        const mine = Object.fromEntries(Object.entries(desc.interfaces).filter(([n]) => names.has(n)));
        if (Object.keys(mine).length > 0) options.interfaces = mine;
      }
      if (e.module) started.push(this.spawn(e.name, e.module, options));
      else out[e.name] = this.createProcess(e.name, options);
    }
    for (const p of await Promise.all(started)) out[p.name] = p;
    return out;
  }

  /**
   * Declares the message shapes of endpoint `endpoint` (its name or RIID) of `process`: from now
   * on the kernel checks the requests and responses of its methods (docs/message-format.md).
   */
  declareInterface(process: string | Process, endpoint: string | number, description: IdlInterface): void {
    this.open('declareInterface');
    const p = typeof process === 'string' ? this.byName.get(process) : process;
    if (!(p instanceof Process) || this.byName.get(p.name) !== p) {
      throw new TypeError(`declareInterface: not a live process of this kernel: ${String((process as Process)?.name ?? process)}`);
    }
    declareInterface(this.core, (f) => this.admin(f), p, endpoint, description);
  }

  /** Replaces the security policy: rules in order, first match decides. */
  setPolicy(policy: Policy): void {
    this.open('setPolicy');
    const compiled = compilePolicy(policy, (name) => this.classId(name));
    this.admin(() => this.core.exports.k_policy_reset(compiled.defaultGrant ? 1 : 0));
    for (const r of compiled.rules) {
      const st = this.admin(() => this.core.exports.k_policy_add(r.events, r.src, r.dst, r.iid, r.mid, r.grant ? 1 : 0));
      if (st !== ST_OK) throw new Error('setPolicy: too many rules (256 at most)');
    }
  }

  /** The live process named `name`, if any. */
  process(name: string): Process | undefined {
    return this.byName.get(name);
  }

  /** Every live process. */
  get processes(): Process[] {
    return [...this.byName.values()];
  }

  /** Ends a process: its waiting threads and peers are released, its handles closed. */
  async terminate(p: Process): Promise<ProcessExit> {
    if (!(p instanceof Process) || this.byName.get(p.name) !== p) {
      throw new TypeError(`terminate: not a live process of this kernel: ${String((p as Process)?.name ?? p)}`);
    }
    this.release(p);
    await this.endThreads(p);
    const worker = this.workers.get(p);
    if (worker) {
      await worker.terminate();
      this.recoverLock();
      return worker.exit;
    }
    p.markEnded({ code: 0 });
    return p.exited;
  }

  /** Frees the process in the core (under the kernel lock: never in the middle of a syscall). */
  private release(p: Process): void {
    if (this.byName.get(p.name) !== p) return;
    this.byName.delete(p.name);
    this.admin(() => {
      const st = this.core.exports.k_proc_terminate(p.index);
      return st === ST_DEAD ? ST_OK : st;
    });
  }

  private async endThreads(p: Process): Promise<void> {
    const set = this.threadWorkers.get(p);
    if (!set) return;
    this.threadWorkers.delete(p);
    await Promise.all([...set].map((w) => w.terminate()));
    this.recoverLock();
  }

  /**
   * A worker stopped between taking and releasing the kernel lock (only possible in the entry
   * that finds its freshly freed thread gone) would leave it held: release it (lock.ts).
   */
  private recoverLock(): void {
    if (!this.closed || this.workers.size > 0) this.core.exports.k_unlock_if_dead_owner();
  }

  private ended(p: Process, exit: { code: number; error?: unknown }): void {
    this.workers.delete(p);
    this.recoverLock();
    if (!this.closed) this.release(p);
    void this.endThreads(p);
    p.markEnded(exit);
  }

  /** Ends every process and worker; the kernel cannot be used afterwards. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    const all = [...this.byName.values()];
    for (const p of all) this.release(p);
    this.closed = true;
    const exits: Promise<unknown>[] = [];
    for (const [p, w] of this.workers) {
      exits.push(w.terminate().then(() => w.exit).then((e) => p.markEnded(e)));
    }
    for (const p of all) if (!this.workers.has(p)) p.markEnded({ code: 0 });
    for (const p of [...this.threadWorkers.keys()]) exits.push(this.endThreads(p));
    await Promise.all(exits);
    this.workers.clear();
  }
}
