// comlink's worker side: the echo exposed as a method over parentPort.
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import { nodeEndpoint } from '../comlink_node.js';
import { answerer } from '../echo.js';

const answer = answerer();
expose({ echo: (req: Uint8Array) => answer(req) }, nodeEndpoint(parentPort!));
