// The IDL, CDL and EDL compiler refuses bad input with an IdlError at the right file, line and
// column that says what was expected (one table row per mistake), and reads the valid corner
// cases of the grammar (comments, literals, operators, `>>` closing two type argument lists).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileIdl, IdlError } from 'kos-ipc/gen';

type Row = [text: string, files: Record<string, string>, where: string, reason: string];

const IFACE = { 'a.idl': 'package a\ninterface { Do(); }' };

const ROWS: Row[] = [
  // lexer
  ['package a\nconst UInt8 X = 08;', {}, 'input.idl:2:17', '"08" has a leading zero: write 0o8 for octal or 8 for decimal'],
  ['package a\nconst UInt8 X = 0x;', {}, 'input.idl:2:17', '"0x" has no digits after its base prefix'],
  ['package a\nconst UInt8 X = 12abc;', {}, 'input.idl:2:17', '"12a" is not a number: use digits, 0x hex, 0o octal or 0b binary'],
  ['package a\nconst UInt8 X = 1 $ 2;', {}, 'input.idl:2:19', 'unexpected character "$"'],
  ['package a\n/* open', {}, 'input.idl:2:1', 'this comment is not closed: expected "*/" before the end of the file'],
  // IDL syntax
  ['', {}, 'input.idl:1:1', 'expected "package" and the package name at the start of an IDL file, found the end of the file'],
  ['pakage a', {}, 'input.idl:1:1', 'expected "package" and the package name at the start of an IDL file, found "pakage"'],
  ['package a.', {}, 'input.idl:1:11', 'expected a name after "." in a., found the end of the file'],
  ['package a\ntypedef UInt8;', {}, 'input.idl:2:14', 'expected the name of the typedef, found ";"'],
  ['package a\ntypedef UInt8 X', {}, 'input.idl:2:16', 'expected ";" after typedef X, found the end of the file'],
  ['package a\nconst UInt8 X 5;', {}, 'input.idl:2:15', 'expected "=" after const X, found the number 5'],
  ['package a\nconst UInt8 X = ;', {}, 'input.idl:2:17', 'expected a number, a constant name or "(", found ";"'],
  ['package a\nconst UInt8 X = (1 + 2;', {}, 'input.idl:2:23', 'expected ")" to close the parenthesis, found ";"'],
  ['package a\nstruct S { UInt8 a }', {}, 'input.idl:2:20', 'expected ";" after the field a, found "}"'],
  ['package a\nstruct S { UInt8 a;', {}, 'input.idl:2:20', 'expected a field or "}" to close struct S, found the end of the file'],
  ['package a\nstruct S { UInt8 in; }', {}, 'input.idl:2:18', 'expected a field name, found the keyword "in"'],
  ['package a\ninterface { Do(inout UInt8 x); }', {}, 'input.idl:2:16', 'expected "in", "out" or "error" for a parameter of Do, found "inout"'],
  ['package a\ninterface { Do(in UInt8 x) }', {}, 'input.idl:2:28', 'expected ";" after the method Do, found "}"'],
  ['package a\ninterface { Do(in string 4 x); }', {}, 'input.idl:2:26', 'expected "<" after string (string<N>), found the number 4'],
  ['package a\ninterface { Do(in sequence<UInt8> x); }', {}, 'input.idl:2:33', 'expected "," between the element type and the bound of sequence<T, N>, found ">"'],
  ['package a\ninterface { Do(in array<UInt8, 8 >> 1> x); }', {}, 'input.idl:2:34', 'a shift inside array<T, N> must be in parentheses'],
  ['package a\ninterface { } interface { }', {}, 'input.idl:2:15', 'a package has one interface; the first is at line 2'],
  ['package a\ninterface { Do(); }\nimport b', {}, 'input.idl:3:1', '"import" must come before the declarations and the interface'],
  ['package a\nenum E { A }', {}, 'input.idl:2:1', 'expected "import", "typedef", "const", "struct", "union" or "interface", found "enum"'],
  // IDL meaning
  ['package a\nstruct S { }', {}, 'input.idl:2:8', 'struct S has no fields'],
  ['package a\nstruct S { UInt8 a; UInt16 a; }', {}, 'input.idl:2:28', 'struct S has two fields named "a"'],
  ['package a\nstruct S { UInt8 base_; }', {}, 'input.idl:2:18', '"base_" is reserved by kos-ipc\'s generated classes; rename the field'],
  ['package a\nstruct S { S s; }', {}, 'input.idl:2:12', '"S" is defined in terms of itself'],
  ['package a\nstruct S { T t; }\nstruct T { sequence<S, 2> s; }', {}, 'input.idl:3:21', '"S" is defined in terms of itself'],
  ['package a\nstruct S { Handle h; }', {}, 'input.idl:2:12', 'Handle is allowed only as a method parameter (directly or through a typedef), not as a struct or union field'],
  ['package a\ntypedef Handle H;\nunion U { H h; }', {}, 'input.idl:3:11', 'Handle is allowed only as a method parameter (directly or through a typedef), not as a struct or union member'],
  ['package a\ninterface { Do(in sequence<Handle, 2> hs); }', {}, 'input.idl:2:28', 'Handle is allowed only as a method parameter (directly or through a typedef), not as an array or sequence element'],
  ['package a\ninterface { Do(in string<0> s); }', {}, 'input.idl:2:19', 'the bound of string<N> must be from 1 to 4194304, got 0'],
  ['package a\ninterface { Do(in bytes<4194305> s); }', {}, 'input.idl:2:19', 'the bound of bytes<N> must be from 1 to 4194304, got 4194305'],
  ['package a\ninterface { Do(in Foo f); }', {}, 'input.idl:2:19', 'unknown type "Foo": declare it, import its package, or use UInt8..UInt64'],
  ['package a\nconst UInt8 X = 256;', {}, 'input.idl:2:13', 'X = 256 does not fit UInt8 (0..255)'],
  ['package a\nconst SInt8 X = -129;', {}, 'input.idl:2:13', 'X = -129 does not fit SInt8 (-128..127)'],
  ['package a\nconst UInt8 X = 1 / 0;', {}, 'input.idl:2:19', 'division by zero in this constant expression'],
  ['package a\nconst UInt8 X = 2 ** -1;', {}, 'input.idl:2:19', 'a negative exponent (-1) has no integer value'],
  ['package a\nconst UInt8 X = 1 << 200;', {}, 'input.idl:2:19', 'the shift count must be from 0 to 128, got 200'],
  ['package a\nconst UInt64 X = 2 ** 200;', {}, 'input.idl:2:20', 'this expression overflows: constant values stay within 2^128'],
  ['package a\nconst UInt8 X = Y;\nconst UInt8 Y = X;', {}, 'input.idl:3:17', '"X" is defined in terms of itself'],
  ['package a\nconst UInt8 X = Z;', {}, 'input.idl:2:17', 'unknown constant "Z"'],
  ['package a\nconst string<4> X = 1;', {}, 'input.idl:2:7', 'a constant must have an integer type (UInt8..UInt64, SInt8..SInt64 or a typedef of one), got string<4>'],
  ['package a\ntypedef UInt8 T;\nconst UInt8 X = T;', {}, 'input.idl:3:17', '"T" is a typedef, not a constant'],
  ['package a\ntypedef UInt8 X;\ntypedef UInt16 X;', {}, 'input.idl:3:16', '"X" is already declared at line 2'],
  ['package a\ntypedef UInt8 UInt16;', {}, 'input.idl:2:15', '"UInt16" is a built-in type and cannot be declared again'],
  ['package a\ninterface { Do_It(); }', {}, 'input.idl:2:13', 'method names may not contain "_" (Do_It): nk-gen-c joins names with it'],
  ['package a\ninterface { Do(); Do(); }', {}, 'input.idl:2:19', 'method Do is already declared at line 2'],
  ['package a\ninterface { Do(out UInt8 x, in UInt8 y); }', {}, 'input.idl:2:38', 'the in parameter y comes after an out parameter: the order is in, then out, then error'],
  ['package a\ninterface { Do(error UInt8 e, out UInt8 y); }', {}, 'input.idl:2:41', 'the out parameter y comes after an error parameter'],
  ['package a\ninterface { Do(in UInt8 x, in UInt8 x); }', {}, 'input.idl:2:37', 'method Do has two in parameters named "x"'],
  ['package a\ninterface { Do(in UInt8 arena_); }', {}, 'input.idl:2:25', '"arena_" is reserved by kos-ipc\'s generated classes; rename the parameter'],
  ['package a\ninterface { Do(in UInt8 x, error string<4> why); }', {}, 'input.idl:2:44',
    'the first error parameter of Do (string<4> why) must be an integer for the older error convention'],
  ['package a\ninterface { Do(in array<string<1>, 15> many); }', {}, 'input.idl:2:13', 'method Do in.many: array<…, 15> holds 15 nk_ptr_t descriptors in place; the kernel checks at most 14 per message'],
  // imports
  ['package a\nimport b.c', {}, 'input.idl:2:8', 'cannot find b/c.idl (to import b.c); add the directory that holds it to the include paths (-I)'],
  ['package a\nimport b\nimport b', { 'b.idl': 'package b' }, 'input.idl:3:8', 'b is imported twice'],
  ['package a\nimport b\ninterface { Do(in b.X x); }', { 'b.idl': 'package b\nconst UInt8 X = 1;' }, 'input.idl:3:19', '"b.X" is a constant, not a type'],
  ['package a\nimport b\nimport c\ninterface { Do(in X x); }', { 'b.idl': 'package b\ntypedef UInt8 X;', 'c.idl': 'package c\ntypedef UInt8 X;' },
    'input.idl:4:19', '"X" is declared in b and c: qualify it'],
  ['package a\nimport b', { 'b.idl': 'package bb' }, 'b.idl:1:9', 'b.idl declares bb, but it was loaded for b'],
  ['package a\nimport b', { 'b.idl': 'package b\nimport a' }, 'b.idl:2:8', 'a cycle: a -> b -> a'],
  ['package a\ninterface { Do(in q.X x); }', {}, 'input.idl:2:19', '"q" is not this package nor an imported one: add "import q"'],
  ['package a\nimport b\ninterface { Do(in b.Y y); }', { 'b.idl': 'package b\ntypedef UInt8 X;' }, 'input.idl:3:19', 'unknown type "b.Y"'],
  // CDL and EDL
  ['component c\nendpoints { e : x.Y }', {}, 'input.cdl:2:17', 'cannot find x/Y.idl (the interface of endpoint x.Y)'],
  ['component c\nendpoints { e : a }', { 'a.idl': 'package a\ntypedef UInt8 X;' }, 'input.cdl:2:17', 'package a declares no interface, so it cannot be an endpoint\'s interface'],
  ['component c\nendpoints { e  a }', {}, 'input.cdl:2:16', 'expected ":" after e (name : interface), found "a"'],
  ['component c\nendpoints { e : a }\nendpoints { f : a }', IFACE, 'input.cdl:3:1', 'a second "endpoints" section; the first is at line 2'],
  ['component c\nendpoints { e : a; e : a }', IFACE, 'input.cdl:2:20', '"e" is already declared in c at line 2'],
  ['component c\nsecurity a', { 'a.idl': 'package a\ninterface { Do(out UInt8 x); }' }, 'input.cdl:2:10', 'a cannot be a security interface: its method Do has out or error parameters'],
  ['component c\ncomponents { i : c }', { 'c.cdl': 'component c\ncomponents { i : c }' }, 'c.cdl:1:11', 'a cycle: c -> c'],
  ['component c\nservices { }', {}, 'input.cdl:2:1', 'expected "security", "endpoints" or "components", found "services"'],
  ['component c\nendpoints { e : a', IFACE, 'input.cdl:2:18', 'expected "name : interface" or "}" to close endpoints, found the end of the file'],
  ['entity e\ncomponents { i : c }', {}, 'input.edl:2:18', 'cannot find c.cdl (the component c)'],
  ['task e', {}, 'input.edl:1:1', 'expected "entity" or "task class" and the process class name at the start of an EDL file, found "task"'],
  ['entity e\nendpoints { constructor : a }', IFACE, 'input.edl:1:8', '"constructor" is reserved by kos-ipc\'s generated classes; rename it'],
];

test('each bad input of the table is refused with an IdlError at its file, line and column, saying what was expected', () => {
  for (const [text, files, where, reason] of ROWS) {
    let err: unknown;
    try { compileIdl(text, files); } catch (e) { err = e; }
    assert.ok(err instanceof IdlError, `${JSON.stringify(text)}: expected an IdlError, got ${String(err)}`);
    const e = err as IdlError;
    assert.is(`${e.file}:${e.line}:${e.column}`, where, `${JSON.stringify(text)}: ${e.message}`);
    assert.ok(e.reason.startsWith(reason), `${JSON.stringify(text)}: expected "${reason}", got "${e.reason}"`);
    assert.is(e.message, `${where}: ${e.reason}`);
  }
});

test('the file name an error names is the one given, and imported files are named by their path', () => {
  assert.throws(() => compileIdl('package a\nstruct S { }', {}, { file: 'idl/a.idl' }), /^idl\/a\.idl:2:8: struct S has no fields$/);
  assert.throws(() => compileIdl('component c\nfoo', {}), (e: Error) => e instanceof IdlError && e.file === 'input.cdl');
});

test('comments, every literal base, operator precedence and right-associative ** evaluate as C does', () => {
  const c = compileIdl(`// line comment
package a /* block
comment */
const UInt32 Hex = 0xff;
const UInt32 Oct = 0o17;
const UInt32 Bin = 0b101;
const UInt32 Dec = 1_000;
const SInt32 Prec = 1 + 2 * 3 - -4;
const UInt64 Pow = 2 ** 3 ** 2;
const SInt32 Div = -7 / 2;
const SInt32 Mod = -7 % 3;
const UInt32 Bits = (0xf0 | 0x0f) & ~0x3 ^ 1 << 4;
const UInt32 Shift = 256 >> 2;
const UInt16 Ref = Hex + a.Oct;
`);
  const x = c.exports as Record<string, unknown>;
  assert.equal([x.a_Hex, x.a_Oct, x.a_Bin, x.a_Dec, x.a_Prec, x.a_Pow, x.a_Div, x.a_Mod, x.a_Bits, x.a_Shift, x.a_Ref],
    [255, 15, 5, 1000, 11, 512n, -3, -1, ((0xf0 | 0x0f) & ~0x3) ^ (1 << 4), 64, 270]);
});

test('">>" closes two type argument lists, and a parenthesized shift is a bound', () => {
  const c = compileIdl('package a\ninterface { Do(in sequence<sequence<UInt8, 4>> x, in array<UInt8, (8 >> 1)> y); }'.replace('4>>', '4>, 2>'));
  assert.is((c.exports as Record<string, unknown>).a_Do_req_y_size, 4);
  assert.throws(() => compileIdl('package a\ninterface { Do(in sequence<sequence<UInt8, 4>> x); }'),
    /input\.idl:2:46: expected "," between the element type and the bound of sequence<T, N>, found ">"/, 'the inner list took one ">" of ">>"');
});

test('EDL files may start with "task class", and "interfaces" is the older name of "endpoints"', () => {
  const files = { 'a.idl': 'package a\ninterface { Do(); }' };
  const t = compileIdl('task class Server\nendpoints { main : a }', files);
  const e = compileIdl('entity Server;\ninterfaces { main : a; }', files);
  assert.equal(t.processOptions, e.processOptions);
  assert.equal(t.processOptions!.endpoints, [{ name: 'main', interface: 'a' }]);
});

test('compileIdl refuses a text or files of the wrong type with a TypeError naming the argument', () => {
  assert.throws(() => compileIdl(5 as unknown as string), /compileIdl: text must be the contents of an \.idl, \.cdl or \.edl file, got number/);
  assert.throws(() => compileIdl('package a', null as unknown as Record<string, string>), /compileIdl: files must map paths/);
  assert.throws(() => compileIdl('package a', { 'b.idl': 3 as unknown as string }), /compileIdl: files\["b\.idl"\] must be a string, got number/);
});

test.run();
