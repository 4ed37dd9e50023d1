// The SDK's echo example on kos-ipc: `node examples/echo-sdk/main.mjs`. The system is
// init.yaml's; the server's endpoint and message shapes come from its compiled EDL, so the
// kernel checks every Echo request and response. Client and server run in workers.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Kernel } from 'kos-ipc';
import { applyEdl } from 'kos-ipc/gen';
import { Server_entity_options } from './generated/Server.edl.js';

const init = parse(readFileSync(new URL('./init.yaml', import.meta.url), 'utf8'));
for (const e of init.entities) e.module = new URL(e.module, import.meta.url);

const kernel = await Kernel.create();
const system = await kernel.init(applyEdl(init, { Server: Server_entity_options }));
const exit = await system.Client.exited;
await kernel.shutdown();
if (exit.code !== 0) throw exit.error ?? new Error(`the client exited with code ${exit.code}`);
