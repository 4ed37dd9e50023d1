/**
 * Kernel: one emulated KasperskyOS system. It owns the kernel memory and the core's instance in
 * the realm that created it, makes processes (in this realm, or each in its own worker:
 * workers.ts), wires static channels as init.yaml does (static_channels.ts), loads the security
 * policy, and ends it all on shutdown.
 */
import { Core } from './core.js';
import { Process } from './process.js';
import { platform } from './platform/index.js';
import type { Platform, ProcessExit } from './platform/types.js';
import { SYS, ADMIN, ADMIN_RECORD, MAX_PROCS, MAX_RULES, ST_OK, STATS, STAT_NAMES } from './abi.js';
import { checkOptions, memoryPages, spinBudget, asyncSpinPolls, type KernelOptions } from './kernel_options.js';
import { StaticChannels, checkName, type Endpoints } from './static_channels.js';
import { registerName } from './cm_calls.js';
import { DcmProgram } from './dcm/program.js';
import { DCM_CONNECTION } from './dcm/constants.js';
import { Workers } from './workers.js';
import { parseInit, type InitDescription } from './init.js';
import { compilePolicy, type Policy } from './policy.js';
import { planShapes, declareShapes, rememberEndpoints, declareInterface, type Interfaces } from './shapes.js';
import type { IdlInterface } from './nk/idl_layout.js';

export type { KernelOptions } from './kernel_options.js';

type StatName = (typeof STAT_NAMES)[number];
type MemoryName = Extract<StatName, `${string}Bytes`>;
/** kernel.stats(): the kernel's counts, by name (abi/kernel.mjs `stats` lists them, but the *Bytes). */
export type KernelStats = { readonly [K in Exclude<StatName, MemoryName>]: number };
/** kernel.memory(): the kernel memory's size and use, in bytes. */
export type KernelMemory = { readonly [K in MemoryName | 'memoryBytes']: number };
export type { Endpoints } from './static_channels.js';

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

export class Kernel {
  /** 'shared': processes may run in workers; 'unshared': in-realm processes only. */
  readonly mode: 'shared' | 'unshared';
  /** @internal */
  readonly core: Core;
  /** @internal */
  readonly module: WebAssembly.Module;
  /** @internal */
  readonly platform: Platform;
  /** @internal */
  readonly spinUs: number;
  /** @internal */
  readonly debug: boolean;
  private readonly byName = new Map<string, Process>();
  private readonly classes = new Map<string, number>();
  private readonly channels: StaticChannels;
  private readonly workers: Workers;
  private dcm: DcmProgram | undefined;
  private closed = false;

  private constructor(core: Core, module: WebAssembly.Module, plat: Platform, spinUs: number, debug: boolean,
    onProcessError: ((p: Process, error: unknown) => void) | undefined) {
    this.core = core;
    this.module = module;
    this.platform = plat;
    this.spinUs = spinUs;
    this.debug = debug;
    this.mode = core.memory.buffer instanceof ArrayBuffer ? 'unshared' : 'shared';
    this.channels = new StaticChannels(core, (name) => this.byName.get(name));
    this.workers = new Workers({
      core, module, platform: plat, spinUs, debug,
      isOpen: () => !this.closed,
      isLive: (p) => this.byName.get(p.name) === p,
      release: (p) => this.release(p),
      onProcessError,
    });
  }

  /** Boots one emulated system. */
  static async create(options: KernelOptions = {}): Promise<Kernel> {
    checkOptions(options);
    const plat = await platform();
    const shared = plat.sharedMemory();
    const debug = options.debug === true;
    const module = options.wasm instanceof WebAssembly.Module ? options.wasm
      : options.wasm ? await WebAssembly.compile(options.wasm as BufferSource)
        : await plat.loadCore(debug, shared);
    const memory = new WebAssembly.Memory({ ...memoryPages(options), shared } as WebAssembly.MemoryDescriptor);
    let core: Core;
    try {
      core = await Core.instantiate(module, memory, 0, plat.mainThreadCanBlock(), { debug, verify: true });
    } catch (e) {
      if (e instanceof WebAssembly.LinkError && /shared/i.test(e.message)) {
        throw new Error(`Kernel.create: the core given in { wasm } is built for ${shared ? 'unshared' : 'shared'} memory, ` +
          `but this ${shared ? 'realm has' : 'page has no'} SharedArrayBuffer; pass dist/${shared ? 'kernel.wasm' : 'kernel.unshared.wasm'} ` +
          `(${e.message})`);
      }
      throw e;
    }
    const st = core.sys(SYS.k_init, ADMIN, (Math.random() * 0x100000000) >>> 0);
    if (st !== ST_OK) throw new Error(`Kernel.create: the core could not initialise its tables (status ${st}); give more memoryMiB`);
    const spinUs = spinBudget(options, plat.parallelism());
    core.spinUs = spinUs;
    core.asyncSpin = asyncSpinPolls(options, plat.parallelism());
    const kernel = new Kernel(core, module, plat, spinUs, debug, options.onProcessError);
    if (options.policy) kernel.setPolicy(options.policy);
    return kernel;
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

  private live(fn: string, p: unknown): Process {
    const proc = typeof p === 'string' ? this.byName.get(p) : p;
    if (!(proc instanceof Process) || this.byName.get(proc.name) !== proc) {
      throw new TypeError(`${fn}: not a live process of this kernel: ${String((p as Process)?.name ?? p)}`);
    }
    return proc;
  }

  private newProcess(fn: string, name: string, realm: number, local: boolean, options: ProcessOptions): Process {
    this.open(fn);
    checkName(fn, 'name', name);
    if (this.byName.has(name)) throw new Error(`${fn}: a process named "${name}" already exists`);
    const args = argsOf(fn, options.args);
    const shapes = planShapes(fn, options.endpoints, options.interfaces);
    const st = this.core.sys(SYS.k_proc_create, ADMIN, realm, this.classId(name));
    if (st !== ST_OK) throw new Error(`${fn}: the kernel's process table is full (${MAX_PROCS} processes)`);
    const index = this.core.res(ADMIN_RECORD, 0), taskId = this.core.res(ADMIN_RECORD, 1);
    const proc = new Process(name, index, taskId, local ? this.core : null, args);
    this.byName.set(name, proc);
    try {
      registerName(this.core, index, name);
      this.channels.addEndpoints(fn, proc, options.endpoints);
      rememberEndpoints(proc, options.endpoints);
      declareShapes(this.core, fn, name, index, shapes);
      this.channels.apply();
      this.dcm?.attach();
    } catch (e) {
      // a process that cannot be set up as asked is not left half made
      this.release(proc);
      proc.markEnded({ code: 0, error: e });
      throw e;
    }
    return proc;
  }

  /** A process whose thread is this realm (its calls are made with the Async forms, or block
   * when its peers run in workers). */
  createProcess(name: string, options: ProcessOptions = {}): Process {
    return this.newProcess('createProcess', name, this.core.realm, true, options);
  }

  /**
   * A process whose thread is a new worker over the kernel's shared memory. Inside it the
   * package's top-level functions act on that process. The process exists as soon as spawn is
   * called (so channels declared with `connect` are in place before its module runs). The
   * promise resolves once the module has started: it was evaluated, or its process made its
   * first kernel call (a server looking its channel up). It rejects, naming the module and the
   * cause, when the module fails before that (a syntax error with its line, a fetch that failed
   * with its HTTP status, a bare specifier without an import map, an exception at start). A
   * module that looks its channels up at start finds them only if its peers already exist:
   * create or spawn them first, together (`Promise.all`), or describe the system with init.
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
    const realm = this.workers.realm();
    try {
      proc = this.newProcess('spawn', name, realm, false, options);
    } catch (e) {
      return Promise.reject(e);
    }
    try {
      const started = this.workers.spawn(proc, realm, moduleUrl, argsOf('spawn', options.args));
      return started;
    } catch (e) {
      this.release(proc);
      proc.markEnded({ code: 0, error: e });
      return Promise.reject(e);
    }
  }

  /**
   * Another thread of process `p`: a new worker over the shared memory that runs `moduleUrl` as
   * `p` (its top-level functions act on `p`, with `p`'s handles). Resolves when its module has
   * started (as for spawn); `exited` resolves when that thread ends. The process goes on without it; when the
   * process ends, its threads end too.
   */
  spawnThread(p: Process, moduleUrl: string | URL, args: string[] = []): Promise<{ exited: Promise<ProcessExit> }> {
    if (this.mode !== 'shared') return Promise.reject(new Error('spawnThread: workers need SharedArrayBuffer (see spawn)'));
    try {
      const started = this.workers.spawnThread(this.live('spawnThread', p), moduleUrl, argsOf('spawnThread', args));
      return started;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * A static channel, as an init.yaml connection: process `client` gets a client IPC handle and
   * `server` a listener handle, both found by `id` with ServiceLocatorConnect/Register. Either
   * process may be created later: the channel appears when both exist.
   */
  connect(client: string | Process, server: string | Process, id: string): void {
    this.connectAs(client, server, id, true);
  }

  private connectAs(client: string | Process, server: string | Process, id: string, builtinDcm: boolean): void {
    this.open('connect');
    const c = typeof client === 'string' ? client : client?.name;
    const s = typeof server === 'string' ? server : server?.name;
    this.channels.connect(checkName('connect', 'client', c), checkName('connect', 'server', s), checkName('connect', 'id', id));
    if (s === DCM_CONNECTION && builtinDcm) this.startDcm();
    this.dcm?.attach();
  }

  /**
   * The DCM process (`kl.core.DCM`): the kernel's built-in DCM program, started in this realm
   * the first time a connection targets it and no process of that name exists (docs/dcm.md).
   */
  private startDcm(): Process {
    const live = this.byName.get(DCM_CONNECTION);
    if (live) return live;
    const p = this.createProcess(DCM_CONNECTION);
    this.dcm = new DcmProgram(p, (taskId) => this.processes.find((x) => x.taskId === taskId)?.name);
    this.dcm.attach();
    return p;
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
    // an entity kl.core.DCM with a module is the system's own DCM; otherwise the built-in one serves
    const builtinDcm = !desc.entities.some((e) => e.name === DCM_CONNECTION && e.module);
    for (const e of desc.entities) {
      for (const c of e.connections) this.connectAs(e.name, c.target, c.id, builtinDcm);
    }
    for (const e of desc.entities) {
      if (e.name === DCM_CONNECTION && builtinDcm) { out[e.name] = this.startDcm(); continue; }
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
    declareInterface(this.core, this.live('declareInterface', process), endpoint, description);
  }

  /** Replaces the security policy: rules in order, first match decides. */
  setPolicy(policy: Policy): void {
    this.open('setPolicy');
    const compiled = compilePolicy(policy, (name) => this.classId(name));
    if (compiled.rules.length > MAX_RULES) throw new Error(`setPolicy: too many rules (${MAX_RULES} at most)`);
    this.core.sys(SYS.k_policy_reset, ADMIN, compiled.defaultGrant ? 1 : 0);
    for (const r of compiled.rules) {
      this.core.sys(SYS.k_policy_add, ADMIN, r.events, r.src, r.dst, r.iid, r.mid, r.decision);
    }
  }

  /**
   * The kernel's counts of what is alive: processes, threads, objects by kind, handles, badges,
   * subscriptions, pending notifications and received calls. After every process of a system
   * has ended they return to the counts of a fresh kernel (tests assert it).
   */
  stats(): KernelStats {
    return this.readStats('stats', false) as KernelStats;
  }

  /**
   * The kernel memory: its size (`memoryBytes`, the shared wasm memory; it only grows), the
   * heap's high-water mark (`heapBytes`: table chunks, `process.alloc` buffers, staging, taken
   * from the top) and the staging buffers threads hold now (`stagingBytes`). Not counts of live
   * objects: memory taken for a table chunk or a staging buffer stays with the kernel for reuse.
   */
  memory(): KernelMemory {
    const out = this.readStats('memory', true) as Record<string, number>;
    out.memoryBytes = this.core.memory.buffer.byteLength;
    return out as unknown as KernelMemory;
  }

  /** k_stats' counters: the counts of objects, or the memory figures (names ending in Bytes). */
  private readStats(fn: string, memory: boolean): Record<string, number> {
    this.open(fn);
    this.core.sys(SYS.k_stats, ADMIN);
    const out = {} as Record<string, number>;
    STAT_NAMES.forEach((name, i) => {
      if (name.endsWith('Bytes') === memory) out[name] = this.core.field(STATS, i * 4);
    });
    return out;
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
    this.release(this.live('terminate', p));
    const exit = await this.workers.terminate(p);
    if (exit) return exit;
    p.markEnded({ code: 0 });
    return p.exited;
  }

  /** Frees the process in the core (under the kernel lock: never in the middle of a syscall). */
  private release(p: Process): void {
    if (this.byName.get(p.name) !== p) return;
    this.byName.delete(p.name);
    this.core.sys(SYS.k_proc_terminate, ADMIN, p.index);
  }

  /** Ends every process and worker; the kernel cannot be used afterwards. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    const all = [...this.byName.values()];
    for (const p of all) this.release(p);
    this.closed = true;
    for (const p of all) if (!this.workers.has(p)) p.markEnded({ code: 0 });
    await this.workers.shutdown();
  }
}
