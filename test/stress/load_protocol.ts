// What the load figure (load.ts) and its workers (fixtures/load_server.ts, fixtures/load_client.ts)
// agree on. A request carries the client worker's index, its sequence number and its process's
// TaskId; the answer carries the index and the sequence number + 1.
//
//   request  +24 index, u32 | +28 sequence, u32 | +32 TaskId of the sender, u32
//   answer   +24 index | +28 sequence + 1
//   to Main (channel `report`): +24 index | +28 calls that returned rcOk | +32 calls that failed
//            | +36 answers that were not the request's | arena: each call's time, f64 microseconds
// The index STATS asks the server for its counts: +24 requests | +28 out of order (a sequence
// number other than the next one of its index: lost or duplicated) | +32 sent by another
// process than the one the request names.
export const MSG_SIZE = 40;
export const L_INDEX = 24, L_SEQ = 28, L_TASK = 32;
export const C_CALLS = 28, C_FAILED = 32, C_WRONG = 36;
export const S_REQUESTS = 24, S_DISORDER = 28, S_SENDER = 32;
export const STATS = 0xfffffffe, STOP = 0xffffffff;
