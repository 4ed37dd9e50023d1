// DCM, the Dynamic Connection Manager: `node examples/dcm/main.mjs`. A server and two clients,
// each in a worker, reach DCM over the static channel kl.core.DCM; Alice gets a session, uses
// it and loses it when the server revokes it through its badge; Mallory is refused by name.
import { Kernel, DCM_CONNECTION } from 'kos-ipc';
import { serveConsole } from '../common/console.mjs';

const kernel = await Kernel.create();
const con = kernel.createProcess('Console');
for (const name of ['Server', 'Alice', 'Mallory']) {
  kernel.connect(name, DCM_CONNECTION, DCM_CONNECTION);    // init.yaml: connections: kl.core.DCM
  kernel.connect(name, con, 'console');
}
const module = (file) => new URL(file, import.meta.url);
const server = kernel.spawn('Server', module('./server.mjs'));
const printing = serveConsole(con);             // once a worker exists, so workers can wake it
await server;
await (await kernel.spawn('Alice', module('./client.mjs'))).exited;
await (await kernel.spawn('Mallory', module('./client.mjs'))).exited;
await kernel.shutdown();
await printing;
