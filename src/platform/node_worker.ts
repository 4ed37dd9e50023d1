/** Node worker entry: boots the process over the shared memory, then imports its module. */
import { workerData, parentPort } from 'node:worker_threads';
import { bootWorker } from '../worker_boot.js';
import type { WorkerBoot } from './types.js';

const boot = workerData as WorkerBoot;
await bootWorker(boot, true);
parentPort?.postMessage('ready');
await import(boot.moduleUrl);
