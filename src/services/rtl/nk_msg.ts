/**
 * `services/rtl/nk_msg.h` and the nk_message helpers: SMsgHdr (the kernel-ABI message header of
 * `ipc/if_rend.h`), PackOutMsg/PackInMsg that bind it to a constant part and an arena, and the
 * readers and writers of the 24-byte nk_message header at the start of every constant part.
 *
 * Every accessor goes through NK_MESSAGE_FIELDS (nk/message_layout.ts); all fields are
 * little-endian. A constant part is a Uint8Array of at least NK_MESSAGE_SIZE (24) bytes.
 */
import { describe } from '../../describe.js';
import { NkArena } from '../../nk/arena.js';
import { NK_MESSAGE_FIELDS, NK_MSG_TYPE_ERR, NK_MSG_TYPE_REQ, NK_HANDLE_DESC_FIELDS, NK_HANDLE_DESC_DEREFERENCED, type NkMessageField } from '../../nk/message_layout.js';
import {
  INVALID_HANDLE,
  NK_EINVAL,
  NK_EOK,
  NK_MESSAGE_SIZE,
  NK_HANDLE_DESC_SIZE,
  type Handle,
  type nk_handle_desc_t,
  type nk_err_t,
  type nk_iid_t,
  type nk_mid_t,
  type TaskId,
  type Tid,
} from '../../nk/types.js';

/**
 * The rendezvous message header passed to Call/Recv/Reply. Bind it to buffers with PackOutMsg or
 * PackInMsg; the kernel fills replyHandle, sender and threadId on Recv.
 */
export class SMsgHdr {
  /** On Recv: the server IPC handle to reply through. */
  replyHandle: Handle = INVALID_HANDLE;
  /** Sender process id. */
  sender: TaskId = 0;
  /** On Recv: the caller's thread id; on Reply: the thread to answer (0: the first queued). */
  threadId: Tid = 0;
  /** Current trace id. */
  traceId = 0n;
  /** Client span id. */
  spanId = 0n;
  /** Size of immediate data; 0 means the indirect descriptors below are used (always, here). */
  immSize = 0;
  /** Indirect descriptor 0: the constant part (nk_message header first). */
  constPart: Uint8Array | null = null;
  /** Indirect descriptor 1: the arena (its used part is sent; its capacity receives), or null. */
  arena: NkArena | null = null;
}


function pack(fn: string, hdr: unknown, constPart: unknown, arena: unknown): nk_err_t {
  if (!(hdr instanceof SMsgHdr)) {
    throw new TypeError(`${fn}: hdr must be an SMsgHdr (create one with new SMsgHdr()), got ${describe(hdr)}`);
  }
  if (!(constPart instanceof Uint8Array)) {
    throw new TypeError(`${fn}: constPart must be a Uint8Array, got ${describe(constPart)}`);
  }
  if (arena !== undefined && arena !== null && !(arena instanceof NkArena)) {
    throw new TypeError(
      `${fn}: arena must be an NkArena (from nk_arena_init), null or omitted, got ${describe(arena)}`,
    );
  }
  if (constPart.byteLength < NK_MESSAGE_SIZE) return NK_EINVAL;
  hdr.immSize = 0;
  hdr.constPart = constPart;
  hdr.arena = arena ?? null;
  return NK_EOK;
}

/**
 * Bind `hdr` to an outgoing message (a request for Call, a response for Reply): the constant
 * part and optionally an arena, whose used part travels. Returns NK_EOK, or NK_EINVAL (and leaves
 * `hdr` unchanged) when constPart is shorter than the 24-byte nk_message header.
 */
export function PackOutMsg(hdr: SMsgHdr, constPart: Uint8Array, arena?: NkArena | null): nk_err_t {
  return pack('PackOutMsg', hdr, constPart, arena);
}

/**
 * Bind `hdr` to the buffers that receive a message (the response of Call, the request of Recv):
 * the constant-part buffer and optionally an arena, whose whole capacity may be filled. Returns
 * NK_EOK, or NK_EINVAL (and leaves `hdr` unchanged) when the buffer is shorter than 24 bytes.
 */
export function PackInMsg(hdr: SMsgHdr, constPartBuffer: Uint8Array, arena?: NkArena | null): nk_err_t {
  return pack('PackInMsg', hdr, constPartBuffer, arena);
}

function checkMsg(fn: string, msg: unknown): asserts msg is Uint8Array {
  if (!(msg instanceof Uint8Array)) {
    throw new TypeError(`${fn}: msg must be a Uint8Array holding a constant part, got ${describe(msg)}`);
  }
  if (msg.byteLength < NK_MESSAGE_SIZE) {
    throw new RangeError(
      `${fn}: msg must be at least ${NK_MESSAGE_SIZE} bytes (the nk_message header), ` +
        `got ${msg.byteLength}; allocate the whole constant part`,
    );
  }
}

function checkUint(fn: string, name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${fn}: ${name} must be an integer from 0 to 0x${max.toString(16)}, got ${describe(value)}`);
  }
  return value;
}

function read(msg: Uint8Array, name: NkMessageField): number {
  const { offset, width } = NK_MESSAGE_FIELDS[name];
  if (width === 2) return msg[offset]! | (msg[offset + 1]! << 8);
  return (msg[offset]! | (msg[offset + 1]! << 8) | (msg[offset + 2]! << 16) | (msg[offset + 3]! << 24)) >>> 0;
}

function write(msg: Uint8Array, name: NkMessageField, value: number): void {
  const { offset, width } = NK_MESSAGE_FIELDS[name];
  for (let i = 0; i < width; i++) msg[offset + i] = value >>> (8 * i);
}

function reset(fn: string, msg: Uint8Array, size: number | undefined, type: number): void {
  checkMsg(fn, msg);
  const bytes = size === undefined ? msg.byteLength : size;
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < NK_MESSAGE_SIZE || bytes > msg.byteLength) {
    throw new RangeError(
      `${fn}: size must be an integer from ${NK_MESSAGE_SIZE} to msg.byteLength ` +
        `(${msg.byteLength}), got ${describe(bytes)}`,
    );
  }
  if (bytes > 0xffffffff) throw new RangeError(`${fn}: size ${bytes} does not fit the u32 size field`);
  msg.fill(0, 0, NK_MESSAGE_SIZE);
  write(msg, 'size', bytes);
  write(msg, 'type', type);
}

/**
 * Start a request (or a response carrying results): zero the 24-byte header, set its size
 * (default: the whole buffer, like sizeof(req)) and type NK_MSG_TYPE_REQ.
 */
export function nk_req_reset(msg: Uint8Array, size?: number): void {
  reset('nk_req_reset', msg, size, NK_MSG_TYPE_REQ);
}

/**
 * Start a response carrying error parameters: zero the 24-byte header, set its size (default:
 * the whole buffer) and type NK_MSG_TYPE_ERR.
 */
export function nk_err_reset(msg: Uint8Array, size?: number): void {
  reset('nk_err_reset', msg, size, NK_MSG_TYPE_ERR);
}

/** Stamp the endpoint (RIID) and method ids, each 0..0xFFFF. */
export function nk_msg_set_method_id(msg: Uint8Array, iid: nk_iid_t, mid: nk_mid_t): void {
  const fn = 'nk_msg_set_method_id';
  checkMsg(fn, msg);
  checkUint(fn, 'iid', iid, 0xffff);
  checkUint(fn, 'mid', mid, 0xffff);
  write(msg, 'iid', iid);
  write(msg, 'mid', mid);
}

/** Set the number of handles the message carries. */
export function nk_msg_set_ncaps(msg: Uint8Array, n: number): void {
  checkMsg('nk_msg_set_ncaps', msg);
  write(msg, 'ncaps', checkUint('nk_msg_set_ncaps', 'n', n, 0xffffffff));
}

/** True when the message is a response carrying error parameters (type NK_MSG_TYPE_ERR). */
export function nk_msg_check_err(msg: Uint8Array): boolean {
  checkMsg('nk_msg_check_err', msg);
  return read(msg, 'type') === NK_MSG_TYPE_ERR;
}

/** The `size` field: bytes of the constant part, header included. */
export function nk_message_get_size(msg: Uint8Array): number {
  checkMsg('nk_message_get_size', msg);
  return read(msg, 'size');
}

/**
 * Write the `size` field. Any u32 is accepted, not only a size that fits msg, so that tests can
 * build hostile headers: the kernel validates sizes on Call/Reply.
 */
export function nk_message_set_size(msg: Uint8Array, size: number): void {
  checkMsg('nk_message_set_size', msg);
  write(msg, 'size', checkUint('nk_message_set_size', 'size', size, 0xffffffff));
}

/** The `type` field: NK_MSG_TYPE_REQ or NK_MSG_TYPE_ERR (any other value is a malformed header). */
export function nk_message_get_type(msg: Uint8Array): number {
  checkMsg('nk_message_get_type', msg);
  return read(msg, 'type');
}

/** Mark the message as a request (or a response with results): type NK_MSG_TYPE_REQ. */
export function nk_message_make_req(msg: Uint8Array): void {
  checkMsg('nk_message_make_req', msg);
  write(msg, 'type', NK_MSG_TYPE_REQ);
}

/** The `iid` field (RIID). */
export function nk_message_get_iid(msg: Uint8Array): nk_iid_t {
  checkMsg('nk_message_get_iid', msg);
  return read(msg, 'iid');
}

/** Write the `iid` field (RIID), 0..0xFFFF. */
export function nk_message_set_iid(msg: Uint8Array, iid: nk_iid_t): void {
  checkMsg('nk_message_set_iid', msg);
  write(msg, 'iid', checkUint('nk_message_set_iid', 'iid', iid, 0xffff));
}

/** The `mid` field (method id). */
export function nk_message_get_mid(msg: Uint8Array): nk_mid_t {
  checkMsg('nk_message_get_mid', msg);
  return read(msg, 'mid');
}

/** Write the `mid` field (method id), 0..0xFFFF. */
export function nk_message_set_mid(msg: Uint8Array, mid: nk_mid_t): void {
  checkMsg('nk_message_set_mid', msg);
  write(msg, 'mid', checkUint('nk_message_set_mid', 'mid', mid, 0xffff));
}

/** The `ncaps` field: number of handles carried. */
export function nk_message_get_ncaps(msg: Uint8Array): number {
  checkMsg('nk_message_get_ncaps', msg);
  return read(msg, 'ncaps');
}

/** Write the `ncaps` field (same as nk_msg_set_ncaps). */
export function nk_message_set_ncaps(msg: Uint8Array, n: number): void {
  checkMsg('nk_message_set_ncaps', msg);
  write(msg, 'ncaps', checkUint('nk_message_set_ncaps', 'n', n, 0xffffffff));
}

// ---- handles in a raw constant part (kos-ipc's helpers; generated code uses Handle fields) ----

const HD_BASE = NK_MESSAGE_SIZE;

function descAt(fn: string, msg: Uint8Array, index: number): DataView {
  checkMsg(fn, msg);
  checkUint(fn, 'index', index, 63);
  const at = HD_BASE + index * NK_HANDLE_DESC_SIZE;
  if (msg.byteLength < at + NK_HANDLE_DESC_SIZE) {
    throw new RangeError(`${fn}: descriptor ${index} needs ${at + NK_HANDLE_DESC_SIZE} bytes of constant part, the buffer has ${msg.byteLength}`);
  }
  return new DataView(msg.buffer, msg.byteOffset + at, NK_HANDLE_DESC_SIZE);
}

/**
 * Writes handle descriptor `index` (0..63) of a constant part: the `index`-th nk_handle_desc_t
 * after the header (offset 24 + 16 * index). Set the count with nk_msg_set_ncaps.
 */
export function nk_msg_set_handle(msg: Uint8Array, index: number, desc: nk_handle_desc_t): void {
  const fn = 'nk_msg_set_handle';
  const dv = descAt(fn, msg, index);
  if (desc === null || typeof desc !== 'object') {
    throw new TypeError(`${fn}: desc must be an nk_handle_desc_t (nk_handle_desc(handle, rights, badge)), got ${describe(desc)}`);
  }
  for (const [name, f] of Object.entries(NK_HANDLE_DESC_FIELDS)) {
    const v = (desc as unknown as Record<string, unknown>)[name] ?? 0;
    dv.setUint32(f.offset, checkUint(fn, `desc.${name}`, v as number, 0xffffffff), true);
  }
}

/** Reads handle descriptor `index` of a constant part (on receipt: rewritten by the kernel). */
export function nk_msg_get_handle(msg: Uint8Array, index: number): nk_handle_desc_t {
  const dv = descAt('nk_msg_get_handle', msg, index);
  const f = NK_HANDLE_DESC_FIELDS;
  return {
    handle: dv.getUint32(f.handle.offset, true),
    rights: dv.getUint32(f.rights.offset, true),
    badge: dv.getUint32(f.badge.offset, true),
    flags: dv.getUint32(f.flags.offset, true),
  };
}

/**
 * The callable handle a request came through, as a dereferenced descriptor: `badge` is the key of
 * the context the server gave KnHandleCreateUserObjectEx (or of the badge it transferred the
 * callable with), `rights` the rights of the caller's callable handle; nk_get_badge_op(desc,
 * OCAP_IPC_CALL, out) gives the context back. `handle` is INVALID_HANDLE and `flags` 0 when the
 * request did not come through a callable handle.
 */
export function nk_msg_get_self(msg: Uint8Array): nk_handle_desc_t {
  checkMsg('nk_msg_get_self', msg);
  const key = read(msg, 'self'), rights = read(msg, 'selfRights');
  return { handle: INVALID_HANDLE, rights, badge: key, flags: key !== 0 ? NK_HANDLE_DESC_DEREFERENCED : 0 };
}
