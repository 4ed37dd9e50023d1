// The MessageChannel benchmark client: a plain module worker that calls port_echo.js over a
// MessageChannel port for `ms` milliseconds (first message: { port, ms }), timed by measure.js.
// It posts { kind, values } to the page as the kos-ipc client reports ('start', 'chunks',
// 'done' with the server's count, or 'error'); the page posts 'stop' to end the run early.
import { Measurement, measureAsync, timerResolutionUs } from './measure.js';
import { portCaller, STOP } from './port_messages.js';

self.onmessage = async (e) => {
  const { port, ms } = e.data;
  let stop = false;
  self.onmessage = (m) => { if (m.data === 'stop') stop = true; };
  try {
    const call = portCaller(port);
    let value = 1;
    const send = (kind, values) => { self.postMessage({ kind, values }); return stop; };
    await measureAsync(async () => {
      const got = await call(value);
      if (got !== value + 1) throw new Error(`MessageChannel client: sent ${value}, got ${got} back`);
      value = (value + 1) & 0x7fffffff;
    }, new Measurement({ ms, timerUs: timerResolutionUs(), send }));
    self.postMessage({ kind: 'done', values: [await call(STOP)] });
  } catch (err) {
    self.postMessage({ kind: 'error', values: [], message: err.message });
  }
};
