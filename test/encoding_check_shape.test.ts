// checkMessageShape names the rule a message breaks, in the kernel's order, so that a Call
// refused with rcInvalidArgument can be explained.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkMessageShape, type ShapeCheck } from 'kos-ipc/nk/message_shape';
import { idlMessageLayout } from 'kos-ipc/nk/idl_layout';
import { nk_arena_init, nk_arena_store, nk_arena_store_string, type NkArena } from 'kos-ipc/nk/arena';
import { nk_req_reset, nk_err_reset, nk_message_set_size } from 'kos-ipc/services/rtl/nk_msg';

const PAIR = idlMessageLayout({ name: 'string<4>', words: 'sequence<UInt32, 2>' }); // ptrs at 24, 32

function pair(build: (c: Uint8Array, a: NkArena) => void): [Uint8Array, NkArena] {
  const c = new Uint8Array(PAIR.size);
  const a = nk_arena_init(new Uint8Array(32));
  nk_req_reset(c);
  nk_arena_store_string(a, c, 24, 'ab', 4);
  nk_arena_store(Uint32Array, a, c, 32, [1, 2]);
  build(c, a);
  return [c, a];
}

const ptr = (c: Uint8Array, at: number, offset: number, size: number): void => {
  const dv = new DataView(c.buffer);
  dv.setUint32(at, offset, true);
  dv.setUint32(at + 4, size, true);
};

function ruleOf(r: ShapeCheck): string {
  return r.ok ? 'ok' : r.rule;
}

test('a message built with the arena API passes', () => {
  const [c, a] = pair(() => {});
  assert.equal(checkMessageShape(PAIR, 'request', c, a), { ok: true });
});

test('each broken rule is named, with the descriptor and a reason', () => {
  const cases: [string, (c: Uint8Array, a: NkArena) => void][] = [
    ['type', (c) => nk_err_reset(c)],
    ['size', (c) => nk_message_set_size(c, 39)],
    ['max', (c) => ptr(c, 24, 0, 6)],
    ['bounds', (c) => ptr(c, 32, 8, 8)],
    ['align', (c) => ptr(c, 32, 2, 4)],
    ['unit', (c) => ptr(c, 32, 4, 6)],
    ['string', (_c, a) => { a.buffer[2] = 0x21; }],
    ['overlap', (c) => ptr(c, 24, 4, 4)],
  ];
  for (const [rule, mutate] of cases) {
    const [c, a] = pair(mutate);
    assert.is(ruleOf(checkMessageShape(PAIR, 'request', c, a)), rule, rule);
  }
  const [c, a] = pair((c) => ptr(c, 32, 8, 8));
  const r = checkMessageShape(PAIR, 'request', c, a);
  assert.equal(r, { ok: false, rule: 'bounds', descriptor: 1, reason: 'descriptor words at 32: [8, 8 + 8) is not inside the 12 used arena bytes' });
});

test('a count of used bytes stands for an arena whose contents are unknown: strings are not read', () => {
  const [c] = pair(() => {});
  assert.equal(checkMessageShape(PAIR, 'request', c, 12), { ok: true });
  assert.is(ruleOf(checkMessageShape(PAIR, 'request', c, 11)), 'bounds');
  assert.is(ruleOf(checkMessageShape(PAIR, 'request', c, null)), 'bounds');
});

test('an error response must carry type ERR and a results response type REQ', () => {
  const err = idlMessageLayout({ status: 'UInt16' });
  const m = new Uint8Array(err.size);
  nk_err_reset(m, 26);
  assert.is(ruleOf(checkMessageShape(err, 'error', m, null)), 'ok');
  assert.is(ruleOf(checkMessageShape(err, 'response', m, null)), 'type');
});

test('checkMessageShape throws a TypeError for a constant part shorter than the header', () => {
  assert.throws(() => checkMessageShape(PAIR, 'request', new Uint8Array(8), null), (e: Error) =>
    e instanceof TypeError && /checkMessageShape: constPart must be a Uint8Array of at least 24 bytes/.test(e.message));
});

test.run();
