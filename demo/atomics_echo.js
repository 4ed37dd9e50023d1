// The floor's echo worker (a plain module worker, no kos-ipc): its first message is
// { sab, spinUs }; it answers over the raw Atomics ping-pong of atomics_messages.js, polling as
// long as kos-ipc's blocking Recv would spin (spinUs: the kernel's budget; 0: no polls).
import { serveAtomics } from './atomics_messages.js';
import { answerOf, STOP } from './port_messages.js';
import { spinPolls } from '../dist/wait.js';

self.onmessage = (e) => {
  self.onmessage = null;
  const { sab, spinUs } = e.data;
  serveAtomics(sab, spinUs > 0 ? spinPolls(spinUs, Infinity) : 0, answerOf, STOP);
};
