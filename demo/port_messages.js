// The echo protocol over postMessage and MessageChannel, the peers a web developer would use
// instead of kos-ipc: the same 32-byte message as the kos-ipc echo (a UInt32 at offset 24),
// copied by structured clone each way. The answer carries value + 1; the answer to STOP is the
// number of requests the server answered, STOP included.

export const STOP = 0xffffffff;
const SIZE = 32;

/** The value a server answers to request value `v`, after `served` requests (this one included). */
export const answerOf = (v, served) => (v === STOP ? served : (v + 1) >>> 0);

const message = (v) => {
  const m = new Uint8Array(SIZE);
  new DataView(m.buffer).setUint32(24, v >>> 0, true);
  return m;
};
const valueOf = (m) => new DataView(m.buffer, m.byteOffset).getUint32(24, true);

/** Serves the echo on `port` (a MessagePort, a Worker's global scope, or a Worker). */
export function servePort(port) {
  let served = 0;
  port.onmessage = (e) => { served++; port.postMessage(message(answerOf(valueOf(e.data), served))); };
}

/** A caller on `port`: `call(v)` resolves to the answer's value (one call at a time). */
export function portCaller(port) {
  let pending = null;
  port.onmessage = (e) => { const resolve = pending; pending = null; resolve(valueOf(e.data)); };
  return (v) => new Promise((resolve) => { pending = resolve; port.postMessage(message(v)); });
}
