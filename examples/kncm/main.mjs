// The kernel's connection manager (cm_api.h): `node examples/kncm/main.mjs`. A client and a
// server, each in a worker, make an echo channel at run time with KnCmConnect, KnCmListen and
// KnCmAccept: no static channel between them, only to the Console that prints their lines.
import { Kernel } from 'kos-ipc';
import { serveConsole } from '../common/console.mjs';

const kernel = await Kernel.create();
const con = kernel.createProcess('Console');
for (const name of ['Server', 'Client']) kernel.connect(name, con, 'console');
const module = (file) => new URL(file, import.meta.url);
const server = kernel.spawn('Server', module('./server.mjs'));
const printing = serveConsole(con);             // once a worker exists, so workers can wake it
await server;
await (await kernel.spawn('Client', module('./client.mjs'))).exited;
await kernel.shutdown();
await printing;
