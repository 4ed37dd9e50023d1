// A worker has no import map: import the package by URL.
import { ServiceLocatorRegister, Recv, Reply, SMsgHdr, PackInMsg, PackOutMsg, nk_req_reset, rcOk } from '../dist/index.js';
const h = ServiceLocatorRegister('echo', null, 0);
const req = new Uint8Array(32), res = new Uint8Array(32); nk_req_reset(res);
const msgIn = new SMsgHdr(); PackInMsg(msgIn, req, null);
const msgOut = new SMsgHdr(); PackOutMsg(msgOut, res, null);
while (Recv(h, msgIn) === rcOk) Reply(h, msgOut); // blocks this worker, never the page
