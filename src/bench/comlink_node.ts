/**
 * comlink's own Node adapter (comlink/dist/umd/node-adapter.js). At run time the UMD file's
 * module.exports is the adapter function, which is what a default import yields; its .d.ts
 * describes an ES module with a `default` member, hence the one cast here.
 */
import adapter from 'comlink/dist/umd/node-adapter.js';
import type { Endpoint } from 'comlink';

import type { MessagePort, Worker } from 'node:worker_threads';

export const nodeEndpoint = adapter as unknown as (port: MessagePort | Worker) => Endpoint;
