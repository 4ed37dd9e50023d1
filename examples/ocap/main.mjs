// The SDK's OCap scenario on kos-ipc: `node examples/ocap/main.mjs`. The system is init.yaml's;
// the provider's endpoints and message shapes come from its compiled EDL, so the kernel checks
// every message (the Handle fields included). Provider and consumer run in workers and print a
// trace; at the end the kernel holds nothing of either.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Kernel } from 'kos-ipc';
import { applyEdl } from 'kos-ipc/gen';
import { Provider_entity_options } from './generated/Provider.edl.js';

const init = parse(readFileSync(new URL('./init.yaml', import.meta.url), 'utf8'));
for (const e of init.entities) e.module = new URL(e.module, import.meta.url);

const kernel = await Kernel.create();
const system = await kernel.init(applyEdl(init, { Provider: Provider_entity_options }));
const exits = await Promise.all([system.Consumer.exited, system.Provider.exited]);
const { handles, objects } = kernel.stats();
console.log(`kernel.stats(): ${handles} handles, ${objects} objects left`);
await kernel.shutdown();
for (const [name, exit] of [['Consumer', exits[0]], ['Provider', exits[1]]]) {
  if (exit.code !== 0) throw exit.error ?? new Error(`the ${name} exited with code ${exit.code}`);
}
