import { NK_OFF_SIZE, NK_OFF_TYPE, NK_OFF_IID, NK_OFF_MID, NK_OFF_NCAPS, NK_OFF_SELF, NK_OFF_SELF_RIGHTS } from '../abi.js';

/**
 * The wire layout of the two structures a message is made of, as data. The header's offsets come
 * from the kernel ABI's declaration (abi/kernel.mjs), which the core is built from too; the
 * TypeScript accessors (services/rtl/nk_msg.ts, nk/arena.ts) read this table. All fields are
 * little-endian unsigned integers.
 *
 * The SDK only fixes sizeof(struct nk_message) == 24 with 16-bit iid and mid
 * (docs/sources.md); the order below is kos-ipc's own.
 *
 * struct nk_message, at offset 0 of every constant part (align 8):
 * ```
 *   0        4        8    10   12       16       20       24
 *  +--------+--------+----+----+--------+--------+--------+
 *  |  size  |  type  |iid |mid | ncaps  |  self  |selfRgt |
 *  +--------+--------+----+----+--------+--------+--------+
 *  size      u32  bytes of the whole constant part, header included (>= 24)
 *  type      u32  NK_MSG_TYPE_REQ (0): a request, or a response carrying results;
 *                 NK_MSG_TYPE_ERR (1): a response carrying error parameters
 *  iid       u16  RIID, the endpoint index in the server (nk_iid_t)
 *  mid       u16  method index in the endpoint's interface (nk_mid_t)
 *  ncaps     u32  number of handles carried by the message: that many nk_handle_desc_t follow
 *                 the header (NK_HANDLE_DESC_FIELDS)
 *  self      u32  the seed's base_.self: on a request made through a callable handle, the
 *                 kernel writes the dereference key of the call's context here; 0 otherwise
 *  selfRgt   u32  selfRights: the rights of that callable handle (0 otherwise); helpers zero it
 * ```
 */
export const NK_MESSAGE_FIELDS = {
  size: { offset: NK_OFF_SIZE, width: 4 },
  type: { offset: NK_OFF_TYPE, width: 4 },
  iid: { offset: NK_OFF_IID, width: 2 },
  mid: { offset: NK_OFF_MID, width: 2 },
  ncaps: { offset: NK_OFF_NCAPS, width: 4 },
  self: { offset: NK_OFF_SELF, width: 4 },
  selfRights: { offset: NK_OFF_SELF_RIGHTS, width: 4 },
} as const;

/** The name of a field of the nk_message header. */
export type NkMessageField = keyof typeof NK_MESSAGE_FIELDS;

/** `type` of a request, or of a response that carries results (set by nk_req_reset). */
export const NK_MSG_TYPE_REQ = 0;
/** `type` of a response that carries error parameters (set by nk_err_reset). */
export const NK_MSG_TYPE_ERR = 1;

/**
 * nk_ptr_t, an arena descriptor in a constant part (8 bytes, align 4):
 * ```
 *   0        4        8
 *  +--------+--------+
 *  | offset |  size  |
 *  +--------+--------+
 *  offset  u32  start of the segment, in bytes from the start of the arena (so it survives the
 *               copy into the receiver's arena)
 *  size    u32  length of the segment in BYTES, not elements: the kernel validates descriptors
 *               (offset + size within the used part, no u32 overflow) without knowing element
 *               types; nk_arena_get(T, ...) returns size / T.BYTES_PER_ELEMENT elements
 * ```
 */
export const NK_PTR_FIELDS = {
  offset: { offset: 0, width: 4 },
  size: { offset: 4, width: 4 },
} as const;

/** Alignment of an nk_ptr_t inside a constant part (generated structs use __nk_alignas(4)). */
export const NK_PTR_ALIGN = 4;

/**
 * nk_handle_desc_t, a Handle parameter in a constant part (16 bytes, align 8); a message's
 * handle descriptors are its first `ncaps` fields after the header (offsets 24, 40, ...):
 * ```
 *   0        4        8        12       16
 *  +--------+--------+--------+--------+
 *  | handle | rights | badge  | flags  |
 *  +--------+--------+--------+--------+
 *  handle  u32  the handle value in the sender's (on receipt: the receiver's) handle space
 *  rights  u32  the rights mask the handle is transferred with
 *  badge   u32  the resource transfer context (badge) handle, or 0
 *  flags   u32  bit 0 (NK_HANDLE_DESC_DEREFERENCED): the handle came back by dereferencing
 * ```
 */
export const NK_HANDLE_DESC_FIELDS = {
  handle: { offset: 0, width: 4 },
  rights: { offset: 4, width: 4 },
  badge: { offset: 8, width: 4 },
  flags: { offset: 12, width: 4 },
} as const;

/** nk_handle_desc_t `flags` bit: the handle in the descriptor came from a dereference. */
export const NK_HANDLE_DESC_DEREFERENCED = 1;
