// A MessageChannel client (a plain worker) measuring async round trips to port_echo.
import { workerData, type MessagePort } from 'node:worker_threads';
import { runClient, type ClientConfig } from '../bus.js';
import { portRoundTrip } from '../echo.js';

const d = workerData as { cfg: ClientConfig; port: MessagePort };
await runClient(d.cfg, () => ({
  rtAsync: portRoundTrip('MessageChannel', d.cfg.size_bytes, d.cfg.index,
    (m) => d.port.postMessage(m), (f) => d.port.on('message', f)),
}));
