// An echo server for the message-passing baselines (a plain worker): answers on every port in
// workerData.ports (MessageChannel), or on parentPort (postMessage main <-> worker).
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { answerer } from '../echo.js';

const ports = ((workerData as { ports?: MessagePort[] } | null)?.ports) ?? [parentPort!];
for (const port of ports) {
  const answer = answerer();
  port.on('message', (m: Uint8Array) => port.postMessage(answer(m)));
}
