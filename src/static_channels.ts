/**
 * Static channels as init.yaml declares them (`connections: - target, id`), and the endpoint
 * names of server processes. A channel may name processes not yet created: it is kept pending
 * and made in the core (k_connect) as soon as both ends exist.
 * @internal
 */
import { SYS, ADMIN, ST_OK, ST_EXISTS, ST_DEAD } from './abi.js';
import type { Core } from './core.js';
import { scratchName } from './scratch.js';
import type { Process } from './process.js';

/** Endpoints of a server process, in declaration order (RIID 0, 1, ...): name -> interface. */
export type Endpoints = Record<string, string> | { name: string; interface?: string }[];

interface PendingChannel { client: string; server: string; id: string }

export function checkName(fn: string, what: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) {
    throw new TypeError(`${fn}: ${what} must be a non-empty string, got ${typeof v} ${String(v)}`);
  }
  return v;
}

export class StaticChannels {
  private readonly pending: PendingChannel[] = [];

  constructor(private readonly core: Core, private readonly live: (name: string) => Process | undefined) {}

  /** Declares channel `id` from `client` to `server`; made now if both exist (kernel.connect). */
  connect(client: string, server: string, id: string): void {
    scratchName(this.core, 'connect', id); // a name the core cannot hold is refused now
    if (this.pending.some((x) => x.client === client && x.id === id)) {
      throw new Error(`connect: process "${client}" already has a channel named "${id}"`);
    }
    this.pending.push({ client, server, id });
    this.apply();
  }

  /** Makes every pending channel whose two processes exist. */
  apply(): void {
    for (let i = 0; i < this.pending.length; i++) {
      const x = this.pending[i]!;
      const cp = this.live(x.client), sp = this.live(x.server);
      if (!cp || !sp) continue;
      this.pending.splice(i--, 1);
      const [at, len] = scratchName(this.core, 'connect', x.id);
      const st = this.core.sys(SYS.k_connect, ADMIN, cp.index, sp.index, at, len);
      if (st === ST_EXISTS) throw new Error(`connect: process "${x.client}" already has a channel named "${x.id}"`);
      if (st === ST_DEAD) throw new Error(`connect: process "${x.client}" or "${x.server}" has ended`);
      if (st !== ST_OK) throw new Error(`connect: the kernel's tables are full (status ${st})`);
    }
  }

  /** Registers the endpoint names of server `proc`, bare and qualified, with their RIIDs. */
  addEndpoints(fn: string, proc: Process, endpoints: Endpoints | undefined): void {
    if (!endpoints) return;
    const names = Array.isArray(endpoints) ? endpoints.map((e) => e.name) : Object.keys(endpoints);
    names.forEach((ep, riid) => {
      checkName(fn, 'an endpoint name', ep);
      for (const n of [ep, `${proc.name}.${ep}`]) {
        const [at, len] = scratchName(this.core, fn, n);
        const st = this.core.sys(SYS.k_endpoint, ADMIN, proc.index, riid, at, len);
        if (st === ST_EXISTS) throw new Error(`${fn}: endpoint "${n}" of "${proc.name}" is declared twice`);
        if (st !== ST_OK) throw new Error(`${fn}: the kernel's endpoint table is full`);
      }
    });
  }
}
