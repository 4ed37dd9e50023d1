// synckit's worker side: the echo as a function that createSyncFn calls synchronously.
import { runAsWorker } from 'synckit';
import { answerer } from '../echo.js';

const answer = answerer();
runAsWorker((req: Uint8Array) => answer(req));
