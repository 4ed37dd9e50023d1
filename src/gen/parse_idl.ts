/**
 * The IDL parser: recursive descent over the lexer's tokens into an IdlFile.
 *
 *   file      := 'package' qname { 'import' qname } { decl | interface }
 *   decl      := 'typedef' type ident ';'
 *              | 'const' type ident '=' expr ';'
 *              | ('struct' | 'union') ident '{' { type ident ';' } '}' [';']
 *   interface := 'interface' '{' { ident '(' [ param { ',' param } ] ')' ';' } '}' [';']
 *   param     := ('in' | 'out' | 'error') type ident
 *   type      := qname | ('string' | 'bytes') '<' bound '>' | ('sequence' | 'array') '<' type ',' bound '>'
 *   expr      := or;  or := xor {'|' xor};  xor := and {'^' and};  and := shift {'&' shift};
 *                shift := add {('<<'|'>>') add};  add := mul {('+'|'-') mul};
 *                mul := unary {('*'|'/'|'%') unary};  unary := ('-'|'+'|'~') unary | pow;
 *                pow := atom ['**' unary];  atom := number | qname | '(' expr ')'
 *
 * A bound inside `<...>` is an expression without the shift operators, so that `>>` can close two
 * type argument lists (`sequence<sequence<UInt8, 4>>`); parenthesize a shift there.
 */
import type { BinaryOp, Expr, IdlDecl, IdlFile, MethodDecl, ParamDecl, QName, TypeExpr, FieldDecl } from './ast.js';
import { fail } from './errors.js';
import { Cursor, tokenize } from './lexer.js';

/** Words that cannot name a declared type, a field or a parameter. */
const KEYWORDS = new Set(['package', 'import', 'typedef', 'const', 'struct', 'union', 'interface', 'in', 'out', 'error',
  'string', 'bytes', 'sequence', 'array']);

/** A dotted name: ident { '.' ident }. */
export function parseQName(c: Cursor, what: string): QName {
  const first = c.ident(what);
  let name = first.text;
  while (c.peek().kind === 'punct' && c.peek().text === '.') {
    c.next();
    name += '.' + c.ident(`a name after "." in ${name}.`).text;
  }
  return { name, pos: first.pos };
}

/** A declared name: an identifier that is not a keyword. */
function declName(c: Cursor, what: string): { text: string; pos: QName['pos'] } {
  const t = c.ident(what);
  if (KEYWORDS.has(t.text)) fail(t.pos, `expected ${what}, found the keyword "${t.text}"`);
  return { text: t.text, pos: t.pos };
}

const LEVELS: BinaryOp[][] = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

function atom(c: Cursor, inBound: boolean): Expr {
  const t = c.peek();
  if (t.kind === 'number') { c.next(); return { kind: 'num', value: t.value!, pos: t.pos }; }
  if (t.kind === 'ident') { const q = parseQName(c, 'a constant'); return { kind: 'ref', name: q.name, pos: q.pos }; }
  if (c.eat('(')) {
    const e = expr(c, false);
    c.expect(')', 'to close the parenthesis');
    return e;
  }
  return c.expected(inBound ? 'a number, a constant name or "(" in this bound' : 'a number, a constant name or "("');
}

function unary(c: Cursor, inBound: boolean): Expr {
  const t = c.peek();
  if (t.kind === 'punct' && (t.text === '-' || t.text === '+' || t.text === '~')) {
    c.next();
    return { kind: 'unary', op: t.text, arg: unary(c, inBound), pos: t.pos };
  }
  const base = atom(c, inBound);
  const op = c.peek();
  if (op.kind === 'punct' && op.text === '**') {
    c.next();
    return { kind: 'binary', op: '**', left: base, right: unary(c, inBound), pos: op.pos };
  }
  return base;
}

function level(c: Cursor, k: number, inBound: boolean): Expr {
  if (k === LEVELS.length) return unary(c, inBound);
  let left = level(c, k + 1, inBound);
  for (;;) {
    const t = c.peek();
    const ops = LEVELS[k]!;
    if (t.kind !== 'punct' || !ops.includes(t.text as BinaryOp)) return left;
    if (inBound && (t.text === '<<' || t.text === '>>')) return left;
    c.next();
    left = { kind: 'binary', op: t.text as BinaryOp, left, right: level(c, k + 1, inBound), pos: t.pos };
  }
}

/** An integer constant expression. */
export function expr(c: Cursor, inBound: boolean): Expr {
  return level(c, 0, inBound);
}

function closeAngle(c: Cursor, what: string): void {
  const t = c.peek(), after = c.peek(1);
  if (t.kind === 'punct' && t.text === '>>' && (after.kind === 'number' || (after.kind === 'punct' && after.text === '('))) {
    fail(t.pos, `a shift inside ${what} must be in parentheses, as in (8 >> 1): ">>" there closes two type argument lists`);
  }
  c.splitShift();
  c.expect('>', `to close ${what}`);
}

/** A type: a (qualified) name, or string/bytes/sequence/array with their arguments. */
export function parseType(c: Cursor, what = 'a type'): TypeExpr {
  const t = c.peek();
  if (t.kind !== 'ident') c.expected(what);
  if (t.text === 'string' || t.text === 'bytes') {
    c.next();
    c.expect('<', `after ${t.text} (${t.text}<N>)`);
    const bound = expr(c, true);
    closeAngle(c, `${t.text}<N>`);
    return { kind: t.text, bound, pos: t.pos };
  }
  if (t.text === 'sequence' || t.text === 'array') {
    c.next();
    c.expect('<', `after ${t.text} (${t.text}<T, N>)`);
    const elem = parseType(c, `the element type of ${t.text}<T, N>`);
    c.expect(',', `between the element type and the bound of ${t.text}<T, N>`);
    const bound = expr(c, true);
    closeAngle(c, `${t.text}<T, N>`);
    return { kind: t.text, elem, bound, pos: t.pos };
  }
  if (KEYWORDS.has(t.text)) c.expected(what);
  const q = parseQName(c, what);
  return { kind: 'named', name: q.name, pos: q.pos };
}

function fields(c: Cursor, owner: string): FieldDecl[] {
  c.expect('{', `to open ${owner}`);
  const out: FieldDecl[] = [];
  while (!c.eat('}')) {
    if (c.peek().kind === 'eof') c.expected(`a field or "}" to close ${owner}`);
    const type = parseType(c, `a field type or "}" to close ${owner}`);
    const name = declName(c, 'a field name');
    c.expect(';', `after the field ${name.text}`);
    out.push({ name: name.text, type, pos: name.pos });
  }
  c.eat(';');
  return out;
}

function decl(c: Cursor): IdlDecl {
  const kw = c.next();
  switch (kw.text) {
    case 'typedef': {
      const type = parseType(c);
      const name = declName(c, 'the name of the typedef');
      c.expect(';', `after typedef ${name.text}`);
      return { kind: 'typedef', name: name.text, type, pos: name.pos };
    }
    case 'const': {
      const type = parseType(c, 'the type of the constant');
      const name = declName(c, 'the name of the constant');
      c.expect('=', `after const ${name.text}`);
      const value = expr(c, false);
      c.expect(';', `after the value of ${name.text}`);
      return { kind: 'const', name: name.text, type, value, pos: name.pos };
    }
    case 'struct': {
      const name = declName(c, 'the name of the struct');
      return { kind: 'struct', name: name.text, fields: fields(c, `struct ${name.text}`), pos: name.pos };
    }
    default: {
      const name = declName(c, 'the name of the union');
      return { kind: 'union', name: name.text, members: fields(c, `union ${name.text}`), pos: name.pos };
    }
  }
}

function param(c: Cursor, method: string): ParamDecl {
  const d = c.peek();
  if (!(c.isWord('in') || c.isWord('out') || c.isWord('error'))) c.expected(`"in", "out" or "error" for a parameter of ${method}`);
  c.next();
  const type = parseType(c, `the type of a parameter of ${method}`);
  const name = declName(c, `the name of a parameter of ${method}`);
  return { dir: d.text as ParamDecl['dir'], name: name.text, type, pos: name.pos };
}

function methods(c: Cursor): MethodDecl[] {
  c.expect('{', 'after "interface"');
  const out: MethodDecl[] = [];
  while (!c.eat('}')) {
    if (c.peek().kind === 'eof') c.expected('a method or "}" to close the interface');
    const name = declName(c, 'a method name or "}" to close the interface');
    c.expect('(', `after the method name ${name.text}`);
    const params: ParamDecl[] = [];
    if (!c.eat(')')) {
      do params.push(param(c, name.text)); while (c.eat(','));
      c.expect(')', `or "," after a parameter of ${name.text}`);
    }
    c.expect(';', `after the method ${name.text}`);
    out.push({ name: name.text, params, pos: name.pos });
  }
  c.eat(';');
  return out;
}

/** Parses the text of an .idl file. */
export function parseIdl(text: string, file: string): IdlFile {
  const c = new Cursor(tokenize(text, file));
  if (!c.isWord('package')) c.expected('"package" and the package name at the start of an IDL file');
  c.next();
  const pkg = parseQName(c, 'the package name');
  c.eat(';');
  const imports: QName[] = [];
  const decls: IdlDecl[] = [];
  let methodList: MethodDecl[] | null = null;
  let interfacePos: IdlFile['interfacePos'] = null;
  for (;;) {
    const t = c.peek();
    if (t.kind === 'eof') break;
    if (c.isWord('import')) {
      c.next();
      if (decls.length > 0 || methodList) fail(t.pos, '"import" must come before the declarations and the interface');
      imports.push(parseQName(c, 'the imported package name'));
      c.eat(';');
    } else if (c.isWord('interface')) {
      c.next();
      if (methodList) fail(t.pos, `a package has one interface; the first is at line ${interfacePos!.line}`);
      interfacePos = t.pos;
      methodList = methods(c);
    } else if (t.kind === 'ident' && ['typedef', 'const', 'struct', 'union'].includes(t.text)) {
      decls.push(decl(c));
    } else {
      c.expected('"import", "typedef", "const", "struct", "union" or "interface"');
    }
  }
  return { kind: 'idl', file, package: pkg, imports, decls, methods: methodList, interfacePos };
}
