// The benchmark client process, run in a worker by kernel.spawn('Client', ..., { args }):
// blocking Call in a loop for args[0] milliseconds (or until the page says stop), each answer
// checked (value + 1), timed by measure.js; the figures go to the page over the "report"
// channel. Then it asks the server to stop and reports the server's count of answered calls.
import { ServiceLocatorConnect, Call, rcOk, retcodeName, INVALID_HANDLE, thisProcess } from '../dist/index.js';
import { clientMessages, CHANNEL, STOP } from './echo_messages.js';
import { Measurement, measureSync, timerResolutionUs } from './measure.js';
import { reporter } from './report.js';

const send = reporter();
const handle = ServiceLocatorConnect(CHANNEL);
if (handle === INVALID_HANDLE) throw new Error(`echo client: no channel "${CHANNEL}"`);
const m = clientMessages();
let value = 1;

measureSync(() => {
  m.set(value);
  const rc = Call(handle, m.out, m.in);
  if (rc !== rcOk) throw new Error(`echo client: Call with ${value} returned ${retcodeName(rc)}`);
  const got = m.get();
  if (got !== value + 1) throw new Error(`echo client: sent ${value}, got ${got} back`);
  value = (value + 1) & 0x7fffffff;
}, new Measurement({ ms: Number(thisProcess().args[0]), timerUs: timerResolutionUs(), send }));
m.set(STOP);
const rc = Call(handle, m.out, m.in);
if (rc !== rcOk) throw new Error(`echo client: the Call that stops the server returned ${retcodeName(rc)}`);
send('done', [m.get()]);
