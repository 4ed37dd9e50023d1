// A DCM client: subscribes to interface Echo, reads the first publication, asks its server for a
// channel and, once accepted, calls through the callable handle it got (RIID INVALID_RIID).
import {
  thisProcess, DcmInit, DcmSetSubscription, DcmReadPubQueue, DcmCreateConnection, DcmConnect, DcmCloseHandle,
  DcmFini, KosTaskGetSelf, KosTaskGetHandle, KnHandleClose, retcodeName, rcOk, INFINITE_TIMEOUT, INVALID_HANDLE,
} from 'kos-ipc';
import { call, say } from '../common/text.mjs';

const me = thisProcess().name;
DcmInit();
const sub = {};
DcmSetSubscription('Echo', null, null, INVALID_HANDLE, sub);
const pub = { outServerHandle: INVALID_HANDLE, outServerName: '', outEndpointName: '' };
DcmReadPubQueue(sub.outSubscrHandle, INFINITE_TIMEOUT, pub);
say(`${me}: ${pub.outServerName} published ${pub.outEndpointName}`);

const conn = {};
DcmCreateConnection('Echo', pub.outEndpointName, pub.outServerHandle, KosTaskGetHandle(KosTaskGetSelf()), conn);
const got = {};
const rc = DcmConnect(conn.outConnectionId, 5000, got);
DcmCloseHandle(conn.outConnectionId);
say(`${me}: DcmConnect ${retcodeName(rc)}`);
if (rc === rcOk) {
  for (const line of ['hello', 'how are you?', 'still there?']) {
    const [rc2, answer] = call(got.outSessionHandle, line);
    say(`${me}: ${line} -> ${rc2 === rcOk ? answer : retcodeName(rc2)}`);
  }
  KnHandleClose(got.outSessionHandle);
}
KnHandleClose(pub.outServerHandle);
DcmFini();
