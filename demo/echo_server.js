// The echo server process, run in a worker by kernel.spawn('Server', ...): blocking Recv and
// Reply, exactly as the C code would be; it ends after answering STOP or when Recv fails.
import { ServiceLocatorRegister, Recv, Reply, rcOk, INVALID_HANDLE } from '../dist/index.js';
import { serverMessages, CHANNEL, STOP } from './echo_messages.js';

const handle = ServiceLocatorRegister(CHANNEL, null, 0);
if (handle === INVALID_HANDLE) throw new Error(`echo server: no channel "${CHANNEL}"`);
const m = serverMessages();
while (Recv(handle, m.in) === rcOk) {
  const v = m.answer();
  Reply(handle, m.out);
  if (v === STOP) break;
}
