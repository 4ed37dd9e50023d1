// How the benchmark client in a worker hands its figures to the page: over kos-ipc itself.
// The page is a process too ("Page", in the window's realm); the client Calls it on channel
// "report" (a blocking Call in the worker, a RecvAsync on the page's main thread). Because Call
// returns only once the page has answered, nothing is lost when the worker ends, and the answer
// carries the page's Stop button.
//
// Report request: nk_message header (24 bytes), UInt32 kind at 24, UInt32 unused at 28, and an
// nk_ptr_t at 32 naming Float64 values in the arena. Answer: UInt32 at 24, 1 = stop the run.
import {
  Call, ServiceLocatorConnect, SMsgHdr, PackOutMsg, PackInMsg, nk_req_reset, nk_arena_init, nk_arena_reset,
  nk_arena_store, nk_arena_get, rcOk, retcodeName, INVALID_HANDLE,
} from '../dist/index.js';

export const REPORT_CHANNEL = 'report';
/** The kinds of report; their values are those of measure.js's send, and for 'done': [served]. */
export const KINDS = ['start', 'chunks', 'done'];
const MAX_VALUES = 8192;
const SIZE = 40;

/** Client side (a worker): `send(kind, values)` makes blocking Calls to the page; true = stop. */
export function reporter() {
  const handle = ServiceLocatorConnect(REPORT_CHANNEL);
  if (handle === INVALID_HANDLE) throw new Error(`reporter: no channel "${REPORT_CHANNEL}"`);
  const req = new Uint8Array(SIZE), res = new Uint8Array(SIZE), arena = nk_arena_init(new Uint8Array(MAX_VALUES * 8));
  const out = new SMsgHdr(); PackOutMsg(out, req, arena);
  const inn = new SMsgHdr(); PackInMsg(inn, res, null);
  const dv = new DataView(req.buffer), answer = new DataView(res.buffer);
  return function send(kind, values) {
    let stop = false;
    for (let at = 0; at === 0 || at < values.length; at += MAX_VALUES) {
      nk_req_reset(req, SIZE);
      nk_arena_reset(arena);
      dv.setUint32(24, KINDS.indexOf(kind), true);
      nk_arena_store(Float64Array, arena, req, 32, values.slice(at, at + MAX_VALUES));
      const rc = Call(handle, out, inn);
      if (rc !== rcOk) throw new Error(`reporter: Call returned ${retcodeName(rc)}`);
      stop ||= answer.getUint32(24, true) === 1;
    }
    return stop;
  };
}

/**
 * Page side: answers reports on `handle` of process `page` with RecvAsync until a 'done' report
 * or Recv fails. `onReport(kind, values)` sees each; `stopRequested()` is put in each answer.
 */
export async function serveReports(page, handle, onReport, stopRequested) {
  const req = new Uint8Array(SIZE), arena = nk_arena_init(new Uint8Array(MAX_VALUES * 8));
  const inn = new SMsgHdr(); PackInMsg(inn, req, arena);
  const res = new Uint8Array(SIZE);
  const out = new SMsgHdr(); PackOutMsg(out, res, null);
  const dv = new DataView(req.buffer), answer = new DataView(res.buffer);
  for (;;) {
    const rc = await page.RecvAsync(handle, inn);
    if (rc !== rcOk) throw new Error(`page: RecvAsync of a report returned ${retcodeName(rc)}`);
    const kind = KINDS[dv.getUint32(24, true)];
    onReport(kind, Array.from(nk_arena_get(Float64Array, arena, req, 32) ?? []));
    nk_req_reset(res, SIZE);
    answer.setUint32(24, stopRequested() ? 1 : 0, true);
    out.threadId = inn.threadId;
    page.Reply(handle, out);
    if (kind === 'done') return;
  }
}
