/**
 * The lexer shared by the IDL, CDL and EDL parsers: identifiers, integer literals (decimal,
 * 0x hex, 0o octal, 0b binary), punctuation and operators, with C and C++ comments skipped.
 * Every token carries its position; a character that starts no token is an IdlError there.
 */
import { fail, type SourcePos } from './errors.js';

export type TokenKind = 'ident' | 'number' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The text: the identifier, the literal as written, the punctuation, or '' at the end. */
  text: string;
  /** For numbers: the value. */
  value?: bigint;
  pos: SourcePos;
}

/** Multi-character operators first, so that `**` is not read as two `*`. */
const PUNCT = ['**', '<<', '>>', '{', '}', '(', ')', '<', '>', ',', ';', ':', '=', '.', '+', '-', '*', '/', '%', '&', '|', '^', '~'];

const isIdStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isId = (c: string): boolean => /[A-Za-z0-9_]/.test(c);

/** Describes a token for "expected ..., found ..." messages. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'the end of the file';
    case 'ident': return `"${t.text}"`;
    case 'number': return `the number ${t.text}`;
    default: return `"${t.text}"`;
  }
}

const DIGITS: Record<string, RegExp> = { x: /[0-9a-fA-F_]/, o: /[0-7_]/, b: /[01_]/ };

/** Splits `text` (the contents of `file`) into tokens, the last one 'eof'. */
export function tokenize(text: string, file: string): Token[] {
  const out: Token[] = [];
  let i = 0, line = 1, col = 1;
  const here = (): SourcePos => ({ file, line, column: col });
  const advance = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (text[i] === '\n') { line++; col = 1; } else col++;
      i++;
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v' || c === '\ufeff') { advance(1); continue; }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') advance(1);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const start = here();
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail(start, 'this comment is not closed: expected "*/" before the end of the file');
      advance(end + 2 - i);
      continue;
    }
    const pos = here();
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < text.length && isId(text[j]!)) j++;
      out.push({ kind: 'ident', text: text.slice(i, j), pos });
      advance(j - i);
      continue;
    }
    if (c >= '0' && c <= '9') {
      let j = i + 1;
      const base = c === '0' ? text[i + 1]?.toLowerCase() : undefined;
      const digits = base !== undefined ? DIGITS[base] : undefined;
      if (digits) {
        j = i + 2;
        while (j < text.length && digits.test(text[j]!)) j++;
      } else {
        while (j < text.length && /[0-9_]/.test(text[j]!)) j++;
      }
      if (j < text.length && isId(text[j]!)) {
        fail(pos, `"${text.slice(i, j + 1)}" is not a number: use digits, 0x hex, 0o octal or 0b binary`);
      }
      const lit = text.slice(i, j);
      const body = lit.replace(/_/g, '');
      if (digits && body.length === 2) fail(pos, `"${lit}" has no digits after its base prefix`);
      if (!digits && body.length > 1 && body.startsWith('0')) {
        fail(pos, `"${lit}" has a leading zero: write 0o${body.slice(1)} for octal or ${body.replace(/^0+/, '') || '0'} for decimal`);
      }
      out.push({ kind: 'number', text: lit, value: BigInt(digits ? `0${base}${body.slice(2)}` : body), pos });
      advance(j - i);
      continue;
    }
    const p = PUNCT.find((q) => text.startsWith(q, i));
    if (!p) fail(pos, `unexpected character ${JSON.stringify(c)}`);
    out.push({ kind: 'punct', text: p, pos });
    advance(p.length);
  }
  out.push({ kind: 'eof', text: '', pos: here() });
  return out;
}

/** A cursor over tokens with the helpers every parser needs. */
export class Cursor {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  /** True (and consumes it) when the next token is punctuation `p`. */
  eat(p: string): boolean {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === p) { this.i++; return true; }
    return false;
  }

  /** True when the next token is the identifier `word`. */
  isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'ident' && t.text === word;
  }

  /** Fails with "expected <what>, found <next token>". */
  expected(what: string, t: Token = this.peek()): never {
    fail(t.pos, `expected ${what}, found ${describeToken(t)}`);
  }

  /** Consumes punctuation `p` or fails saying it was expected `where`. */
  expect(p: string, where = ''): Token {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === p) { this.i++; return t; }
    this.expected(`"${p}"${where ? ` ${where}` : ''}`);
  }

  /** Consumes an identifier or fails saying what it should have named. */
  ident(what: string): Token {
    const t = this.peek();
    if (t.kind !== 'ident') this.expected(what);
    this.i++;
    return t;
  }

  /** Replaces a `>>` token by two `>` (closing two type argument lists at once). */
  splitShift(): void {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '>>') {
      const second: Token = { kind: 'punct', text: '>', pos: { ...t.pos, column: t.pos.column + 1 } };
      this.tokens.splice(this.i, 1, { kind: 'punct', text: '>', pos: t.pos }, second);
    }
  }
}
