// Text messages for the dcm and kncm examples: a request carries one string (an nk_ptr_t at offset 24, the text
// in the arena), and so does its response. `say` sends a line to the Console process, which
// prints it: the lines of all the workers then appear in the order they happened.
import {
  ServiceLocatorConnect, Call, SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, nk_msg_set_method_id,
  nk_arena_init, nk_arena_store_string, nk_arena_get_string, INVALID_RIID, rcOk,
} from 'kos-ipc';

/** A message buffer pair: constant part and arena. */
export function message() {
  return { buf: new Uint8Array(32), arena: nk_arena_init(new Uint8Array(256)) };
}

/** Writes `text` into message `m` as a request (or response) and binds `hdr` to it. */
export function pack(m, text, hdr = new SMsgHdr()) {
  nk_req_reset(m.buf);
  nk_msg_set_method_id(m.buf, INVALID_RIID, 0);
  m.arena.used = 0;
  nk_arena_store_string(m.arena, m.buf, 24, text);
  PackOutMsg(hdr, m.buf, m.arena);
  return hdr;
}

/** The text message `m` carries. */
export function text(m) {
  return nk_arena_get_string(m.arena, m.buf, 24);
}

/** Calls `handle` with `request`: [Retcode, the response's text]. */
export function call(handle, request) {
  const out = pack(message(), request);
  const res = message();
  const inn = new SMsgHdr(); PackInMsg(inn, res.buf, res.arena);
  const rc = Call(handle, out, inn);
  return [rc, rc === rcOk ? text(res) : null];
}

/** Prints `line` through the Console process. */
export function say(line) {
  call(ServiceLocatorConnect('console'), line);
}
