// How the benchmark client in a worker hands its samples to the page: over kos-ipc itself.
// The page is a process too ("Page", in the window's realm); the client Calls it on channel
// "report" (a blocking Call in the worker, a RecvAsync on the page's main thread). Because Call
// returns only once the page has answered, nothing is lost when the worker ends.
//
// Report request: nk_message header (24 bytes), UInt32 kind at 24, UInt32 batch at 28, and an
// nk_ptr_t at 32 naming Float64 values in the arena.
import {
  Call, ServiceLocatorConnect, SMsgHdr, PackOutMsg, PackInMsg, nk_req_reset, nk_arena_init, nk_arena_reset,
  nk_arena_store, nk_arena_get, rcOk, retcodeName, INVALID_HANDLE,
} from '../dist/index.js';

export const REPORT_CHANNEL = 'report';
export const REPORT_START = 1;   // values: [timer resolution in microseconds]
export const REPORT_SAMPLES = 2; // values: mean round trip of each batch, microseconds
export const REPORT_DONE = 3;    // values: [round trips measured, round trips checked]
const MAX_VALUES = 8192;
const SIZE = 40;

/** Client side (a worker): `send(kind, batch, values)` makes one blocking Call to the page. */
export function reporter() {
  const handle = ServiceLocatorConnect(REPORT_CHANNEL);
  if (handle === INVALID_HANDLE) throw new Error(`reporter: no channel "${REPORT_CHANNEL}"`);
  const req = new Uint8Array(SIZE), arena = nk_arena_init(new Uint8Array(MAX_VALUES * 8));
  const out = new SMsgHdr(); PackOutMsg(out, req, arena);
  const inn = new SMsgHdr(); PackInMsg(inn, new Uint8Array(SIZE), null);
  const dv = new DataView(req.buffer);
  return function send(kind, batch, values) {
    for (let at = 0; at === 0 || at < values.length; at += MAX_VALUES) {
      nk_req_reset(req, SIZE);
      nk_arena_reset(arena);
      dv.setUint32(24, kind, true);
      dv.setUint32(28, batch, true);
      nk_arena_store(Float64Array, arena, req, 32, values.slice(at, at + MAX_VALUES));
      const rc = Call(handle, out, inn);
      if (rc !== rcOk) throw new Error(`reporter: Call returned ${retcodeName(rc)}`);
    }
  };
}

/**
 * Page side: answers reports on `handle` of process `page` with RecvAsync until `onReport`
 * returns true (after REPORT_DONE) or Recv fails.
 */
export async function serveReports(page, handle, onReport) {
  const req = new Uint8Array(SIZE), arena = nk_arena_init(new Uint8Array(MAX_VALUES * 8));
  const inn = new SMsgHdr(); PackInMsg(inn, req, arena);
  const res = new Uint8Array(SIZE);
  const out = new SMsgHdr(); PackOutMsg(out, res, null);
  const dv = new DataView(req.buffer);
  for (;;) {
    const rc = await page.RecvAsync(handle, inn);
    if (rc !== rcOk) throw new Error(`page: RecvAsync of a report returned ${retcodeName(rc)}`);
    const values = Array.from(nk_arena_get(Float64Array, arena, req, 32) ?? []);
    const finished = onReport(dv.getUint32(24, true), dv.getUint32(28, true), values);
    nk_req_reset(res, SIZE);
    out.threadId = inn.threadId;
    page.Reply(handle, out);
    if (finished) return;
  }
}
