/**
 * Integer constant expressions of IDL (`const UInt32 X = 0o100;`, bounds like `string<Max + 1>`),
 * evaluated exactly with BigInt. C semantics: `/` truncates toward zero, `%` takes the sign of
 * the dividend, `>>` is arithmetic; `**` is a power. Intermediate values are kept within 2^128
 * so that no expression can make the compiler run long; anything else is an IdlError at the
 * operator.
 */
import type { Expr } from './ast.js';
import { fail, type SourcePos } from './errors.js';

const LIMIT = 1n << 128n;

/** Inclusive ranges of the integer primitives. */
export const INT_RANGES: Record<string, [bigint, bigint]> = {
  UInt8: [0n, 0xffn], UInt16: [0n, 0xffffn], UInt32: [0n, 0xffffffffn], UInt64: [0n, 0xffffffffffffffffn],
  SInt8: [-0x80n, 0x7fn], SInt16: [-0x8000n, 0x7fffn], SInt32: [-0x80000000n, 0x7fffffffn],
  SInt64: [-0x8000000000000000n, 0x7fffffffffffffffn],
};

function checked(v: bigint, pos: SourcePos): bigint {
  if (v >= LIMIT || v <= -LIMIT) fail(pos, 'this expression overflows: constant values stay within 2^128');
  return v;
}

/** Evaluates `e`; `ref(name, pos)` gives the value of a named constant. */
export function evaluate(e: Expr, ref: (name: string, pos: SourcePos) => bigint): bigint {
  switch (e.kind) {
    case 'num': return checked(e.value, e.pos);
    case 'ref': return ref(e.name, e.pos);
    case 'unary': {
      const v = evaluate(e.arg, ref);
      return e.op === '-' ? -v : e.op === '~' ? ~v : v;
    }
    case 'binary': {
      const a = evaluate(e.left, ref), b = evaluate(e.right, ref);
      switch (e.op) {
        case '+': return checked(a + b, e.pos);
        case '-': return checked(a - b, e.pos);
        case '*': return checked(a * b, e.pos);
        case '/': case '%':
          if (b === 0n) fail(e.pos, `division by zero in this constant expression`);
          return e.op === '/' ? a / b : a % b;
        case '**':
          if (b < 0n) fail(e.pos, `a negative exponent (${b}) has no integer value`);
          if (b > 128n && a !== 0n && a !== 1n && a !== -1n) fail(e.pos, 'this expression overflows: constant values stay within 2^128');
          return checked(a ** b, e.pos);
        case '<<': case '>>':
          if (b < 0n || b > 128n) fail(e.pos, `the shift count must be from 0 to 128, got ${b}`);
          return e.op === '<<' ? checked(a << b, e.pos) : a >> b;
        case '&': return a & b;
        case '|': return a | b;
        default: return a ^ b;
      }
    }
  }
}
