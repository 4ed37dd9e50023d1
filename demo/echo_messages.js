// The demo's echo protocol, shared by the page and the worker processes: a request carries a
// UInt32 at offset 24 (after the 24-byte nk_message header) and the response carries it + 1.
// The value STOP asks the server to end: its answer to STOP is the number of requests it has
// answered, STOP included (the count the page checks its figures against).
//
// Worker modules cannot use the page's import map (Chromium applies import maps to documents
// only), so modules that workers load import the package by its URL, relative to this folder.
import {
  SMsgHdr, PackOutMsg, PackInMsg, nk_req_reset, nk_msg_set_method_id, nk_message_get_iid,
  nk_message_get_mid,
} from '../dist/index.js';
import { STOP, answerOf } from './port_messages.js';

export { STOP };
export const CHANNEL = 'echo';

/** A client's request and response buffers, bound to their SMsgHdr. */
export function clientMessages() {
  const req = new Uint8Array(32), res = new Uint8Array(32);
  nk_req_reset(req);
  nk_msg_set_method_id(req, 0, 0);
  const out = new SMsgHdr(); PackOutMsg(out, req, null);
  const inn = new SMsgHdr(); PackInMsg(inn, res, null);
  const dq = new DataView(req.buffer), dr = new DataView(res.buffer);
  return {
    out, in: inn,
    set: (v) => dq.setUint32(24, v >>> 0, true),
    get: () => dr.getUint32(24, true),
  };
}

/** A server's receive and reply buffers; `answer()` fills the reply and returns the request's value. */
export function serverMessages() {
  let served = 0;
  const req = new Uint8Array(32), res = new Uint8Array(32);
  const inn = new SMsgHdr(); PackInMsg(inn, req, null);
  const out = new SMsgHdr(); PackOutMsg(out, res, null);
  const dq = new DataView(req.buffer), dr = new DataView(res.buffer);
  return {
    in: inn, out,
    answer() {
      const v = dq.getUint32(24, true);
      served++;
      nk_req_reset(res);
      nk_msg_set_method_id(res, nk_message_get_iid(req), nk_message_get_mid(req));
      dr.setUint32(24, answerOf(v, served), true);
      out.threadId = inn.threadId;
      return v;
    },
  };
}
