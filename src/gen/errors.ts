/**
 * The one error the IDL/CDL/EDL compiler throws for bad input: where (file, line, column, all
 * 1-based) and what was expected. Its message starts with `file:line:column:` so editors and
 * terminals can jump to it.
 */

/** A position in a source file (line and column are 1-based; column counts UTF-16 units). */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** A syntax or meaning error in an IDL, CDL or EDL file. */
export class IdlError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The message without the position prefix. */
  readonly reason: string;

  constructor(pos: SourcePos, reason: string) {
    super(`${pos.file}:${pos.line}:${pos.column}: ${reason}`);
    this.name = 'IdlError';
    this.file = pos.file;
    this.line = pos.line;
    this.column = pos.column;
    this.reason = reason;
  }
}

/** Throws an IdlError at `pos`. */
export function fail(pos: SourcePos, reason: string): never {
  throw new IdlError(pos, reason);
}
