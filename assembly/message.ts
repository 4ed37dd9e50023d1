// Message structure checks and copies. A message is a constant part (the 24-byte nk_message
// header first) plus the used part of an arena; only those bytes travel.
//
//   nk_message (abi.ts NK_OFF_*, from abi/kernel.mjs, which src/nk/message_layout.ts also reads)
//   +0 size u32 | +4 type u32 | +8 iid u16 | +10 mid u16 | +12 ncaps u32 | +16 self u32 | +20 selfRights u32
//   then ncaps handle descriptors of 16 B (transfer.ts)
//
// Every address handed in by the host must lie in the heap: a bad one is refused, so a message
// can never read or write the kernel's tables.

import { KERNEL_END, NK_MESSAGE_SIZE, NK_OFF_SIZE, MAX_MESSAGE, ST_OK, ST_INVALID_MSG, ST_TOO_LARGE } from './abi';
import { capsOf } from './transfer';

/** True when [addr, addr + len) lies inside the heap part of memory (len 0: any addr is fine). */
export function inHeap(addr: u32, len: u32): bool {
  if (len == 0) return true;
  const end: u64 = <u64>addr + <u64>len;
  return addr >= KERNEL_END && end <= (<u64>memory.size() << 16);
}

/**
 * Checks an outgoing message: a constant part of `bound` bytes at `c` whose header's size field
 * says how much of it is sent (at least the header, at most the buffer), and `alen` used arena
 * bytes at `a`. Returns ST_OK or why it is refused.
 */
export function checkOutgoing(c: u32, bound: u32, a: u32, alen: u32): i32 {
  if (bound < NK_MESSAGE_SIZE || !inHeap(c, bound) || !inHeap(a, alen)) return ST_INVALID_MSG;
  const size = load<u32>(c + NK_OFF_SIZE);
  if (size < NK_MESSAGE_SIZE || size > bound) return ST_INVALID_MSG;
  if (<u64>size + <u64>alen > <u64>MAX_MESSAGE) return ST_TOO_LARGE;
  if (capsOf(c, size) < 0) return ST_INVALID_MSG; // more descriptors than MAX_NCAPS, or than the constant part holds
  return ST_OK;
}

/** Checks receive buffers: room for at least a header, both inside the heap. */
export function checkIncoming(c: u32, ccap: u32, a: u32, acap: u32): i32 {
  if (ccap < NK_MESSAGE_SIZE || !inHeap(c, ccap) || !inHeap(a, acap)) return ST_INVALID_MSG;
  return ST_OK;
}

/** Size of the constant part that travels (already checked by checkOutgoing). */
export function sentSize(c: u32): u32 {
  return load<u32>(c + NK_OFF_SIZE);
}
