/**
 * The syntax trees of IDL, CDL and EDL files, as the parsers build them: names and expressions
 * are kept as written (resolve.ts gives them meaning), every node has its position.
 */
import type { SourcePos } from './errors.js';

/** A possibly qualified name (`echo.Ping`, `MaxSize`), as written. */
export interface QName {
  name: string;
  pos: SourcePos;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '**' | '<<' | '>>' | '&' | '|' | '^';

/** An integer constant expression. */
export type Expr =
  | { kind: 'num'; value: bigint; pos: SourcePos }
  | { kind: 'ref'; name: string; pos: SourcePos }
  | { kind: 'unary'; op: '-' | '+' | '~'; arg: Expr; pos: SourcePos }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: SourcePos };

/** A type as written: a name (a primitive, Handle or a declared type), or a constructed type. */
export type TypeExpr =
  | { kind: 'named'; name: string; pos: SourcePos }
  | { kind: 'string' | 'bytes'; bound: Expr; pos: SourcePos }
  | { kind: 'sequence' | 'array'; elem: TypeExpr; bound: Expr; pos: SourcePos };

/** A struct field, a union member. */
export interface FieldDecl {
  name: string;
  type: TypeExpr;
  pos: SourcePos;
}

export type IdlDecl =
  | { kind: 'typedef'; name: string; type: TypeExpr; pos: SourcePos }
  | { kind: 'const'; name: string; type: TypeExpr; value: Expr; pos: SourcePos }
  | { kind: 'struct'; name: string; fields: FieldDecl[]; pos: SourcePos }
  | { kind: 'union'; name: string; members: FieldDecl[]; pos: SourcePos };

export type ParamDir = 'in' | 'out' | 'error';

export interface ParamDecl {
  dir: ParamDir;
  name: string;
  type: TypeExpr;
  pos: SourcePos;
}

export interface MethodDecl {
  name: string;
  params: ParamDecl[];
  pos: SourcePos;
}

/** An .idl file: `package`, `import`s, declarations, and at most one `interface`. */
export interface IdlFile {
  kind: 'idl';
  file: string;
  package: QName;
  imports: QName[];
  decls: IdlDecl[];
  methods: MethodDecl[] | null;
  /** Where `interface` was written (null without one). */
  interfacePos: SourcePos | null;
}

/** `name : pkg.Interface` in an `endpoints` (or `interfaces`) block. */
export interface EndpointDecl {
  name: string;
  iface: QName;
  pos: SourcePos;
}

/** `name : pkg.Component` in a `components` block. */
export interface InstanceDecl {
  name: string;
  component: QName;
  pos: SourcePos;
}

/** A .cdl file (`component`) or an .edl file (`entity` or `task class`). */
export interface ComponentFile {
  kind: 'cdl' | 'edl';
  file: string;
  name: QName;
  security: QName | null;
  endpoints: EndpointDecl[];
  components: InstanceDecl[];
}

export type SourceFile = IdlFile | ComponentFile;
