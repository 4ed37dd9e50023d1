/**
 * The classes compileIdl makes at run time, with no code evaluation: the same bases, names,
 * sizes and accessors the emitted classes have (emit_idl.ts prints them as source), each field
 * read and written by the same codec at the same offset.
 */
import { nk_arena_init, type NkArena } from '../nk/arena.js';
import * as rt from './runtime.js';

type Ctor<T> = new (...args: never[]) => T;

function named<T extends Ctor<object>>(C: T, name: string): T {
  Object.defineProperty(C, 'name', { value: name });
  return C;
}

/** A struct or union view class: `new C(base_, offset_, arena_)`. */
export function viewClass(name: string): rt.ViewClass {
  return named(class extends rt.NkView {}, name);
}

/** A message class: `new C(base_?, arena_?)` over `size` bytes, with an arena of `arenaSize` by default. */
export function messageClass(name: string, size: number, arenaSize: number): rt.MessageClass {
  const C = class extends rt.NkMessage {
    constructor(base_?: Uint8Array, arena_?: NkArena | null) {
      super(name, size, base_, arena_ === undefined ? (arenaSize > 0 ? nk_arena_init(new Uint8Array(arenaSize)) : null) : arena_);
    }
  };
  Object.defineProperty(C, 'size', { value: size, enumerable: true });
  return named(C, name);
}

/** Accessors of `fields` ([name, codec, offset from the view's start]) on class `C` named `cls`. */
export function defineFields(C: Ctor<rt.NkView>, cls: string, fields: readonly (readonly [string, rt.NkCodec, number])[]): void {
  for (const [name, codec, off] of fields) {
    const where = `${cls}.${name}`;
    Object.defineProperty(C.prototype, name, {
      get(this: rt.NkView) { return codec.get(this, this.offset_ + off); },
      set(this: rt.NkView, v: unknown) { rt.set(this, this.offset_ + off, codec, v, where); },
      configurable: true,
    });
  }
}

/** The tag_ reader and the member accessors of a union view class. */
export function defineMembers(C: Ctor<rt.NkView>, cls: string, codec: rt.UnionCodec<rt.NkView>): void {
  Object.defineProperty(C.prototype, 'tag_', {
    get(this: rt.NkView) { return this.dv_.getUint32(this.offset_, true); }, configurable: true,
  });
  codec.members.forEach(([name], index) => {
    Object.defineProperty(C.prototype, name, {
      get(this: rt.NkView) { return codec.member(this, index); },
      set(this: rt.NkView, v: unknown) { codec.setMember(this, index, v, `${cls}.${name}`); },
      configurable: true,
    });
  });
}

/** The res_ and err_ accessors of a response class. */
export function defineResponse(C: Ctor<rt.NkMessage>, Err: rt.MessageClass): void {
  Object.defineProperty(C.prototype, 'res_', { get(this: rt.NkMessage) { return this; }, configurable: true });
  Object.defineProperty(C.prototype, 'err_', { get(this: rt.NkMessage) { return new Err(this.base_, this.arena_); }, configurable: true });
}

/** A proxy class whose ops are `ops`, with `base` returning itself. */
export function proxyClass(name: string, ops: object): new () => rt.NkProxy {
  const C = class extends rt.NkProxy {
    readonly ops = ops;
    get base(): this { return this; }
  };
  return named(C, name);
}

/** A component or entity class with its parts (endpoints and instances) set to null. */
export function partsClass(name: string, parts: readonly string[]): new () => object {
  const C = class {
    constructor() {
      for (const p of parts) (this as Record<string, unknown>)[p] = null;
    }
  };
  return named(C, name);
}
