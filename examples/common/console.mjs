// The Console process: a process of the main thread that prints every line it receives (on
// static channel `console`) and answers it, so lines from several workers keep their order.
import { SMsgHdr, PackInMsg, rcOk } from 'kos-ipc';
import { message, pack, text } from './text.mjs';

/** Serves `process` until the kernel shuts down. */
export async function serveConsole(process) {
  const handle = process.ServiceLocatorRegister('console', null, 0);
  const req = message(), res = message();
  const inn = new SMsgHdr(); PackInMsg(inn, req.buf, req.arena);
  while (await process.RecvAsync(handle, inn) === rcOk) {
    console.log(text(req));
    const out = pack(res, '');
    out.threadId = inn.threadId;
    process.Reply(handle, out);
  }
}
