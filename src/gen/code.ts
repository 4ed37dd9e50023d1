/**
 * A small model of a generated module and its three printings: TypeScript (`.ts`), or
 * JavaScript (`.js`) with its declarations (`.d.ts`) for running without a build step.
 *
 * Statement bodies are JavaScript; a TypeScript-only fragment inside one (a cast) is written
 * `ts(' as T')` and only the TypeScript printing keeps it. Everything is printed in the order
 * given, two-space indented, so the same model always prints the same bytes.
 */

export interface Param { name: string; type: string; optional?: boolean }

export type Member =
  | { kind: 'static'; name: string; type: string; value: string; doc?: string }
  | { kind: 'field'; name: string; type: string; value: string; readonly: boolean; doc?: string }
  | { kind: 'ctor'; params: Param[]; body: string[] }
  | { kind: 'get'; name: string; type: string; body: string[]; doc?: string }
  | { kind: 'set'; name: string; type: string; body: string[] };

export type Decl =
  | { kind: 'const'; name: string; type: string; value: string; exported: boolean; doc?: string }
  | { kind: 'type'; name: string; type: string; doc?: string }
  | { kind: 'interface'; name: string; members: string[]; doc?: string }
  | { kind: 'function'; name: string; params: Param[]; ret: string; body: string[]; doc?: string }
  | { kind: 'class'; name: string; extends?: string; implements?: string; members: Member[]; doc?: string }
  | { kind: 'blank' }
  | { kind: 'comment'; text: string };

export interface Import { what: string; from: string; typeOnly: boolean }

export interface Module {
  header: string;
  imports: Import[];
  decls: Decl[];
}

export type Lang = 'ts' | 'js' | 'dts';

const TS_START = '\u0001', TS_END = '\u0002';

/** A fragment only the TypeScript printing keeps. */
export const ts = (fragment: string): string => `${TS_START}${fragment}${TS_END}`;

function body(lines: string[], lang: Lang, indent: string): string[] {
  return lines.map((l) => indent + (lang === 'ts' ? l.replace(/[\u0001\u0002]/g, '') : l.replace(/\u0001[^\u0002]*\u0002/g, '')));
}

function doc(text: string | undefined, indent: string): string[] {
  if (!text) return [];
  const lines = text.split('\n');
  return lines.length === 1 ? [`${indent}/** ${lines[0]} */`] : [`${indent}/**`, ...lines.map((l) => `${indent} *${l ? ` ${l}` : ''}`), `${indent} */`];
}

function params(ps: Param[], lang: Lang): string {
  return ps.map((p) => (lang === 'js' ? p.name : `${p.name}${p.optional ? '?' : ''}: ${p.type}`)).join(', ');
}

function member(m: Member, lang: Lang): string[] {
  const i = '  ';
  switch (m.kind) {
    case 'static':
      return [...doc(m.doc, i), lang === 'ts' ? `${i}static readonly ${m.name}: ${m.type} = ${m.value};`
        : lang === 'js' ? `${i}static ${m.name} = ${m.value};` : `${i}static readonly ${m.name}: ${m.type};`];
    case 'field': {
      const ro = m.readonly ? 'readonly ' : '';
      return [...doc(m.doc, i), lang === 'ts' ? `${i}${ro}${m.name}: ${m.type} = ${m.value};`
        : lang === 'js' ? `${i}${m.name} = ${m.value};` : `${i}${ro}${m.name}: ${m.type};`];
    }
    case 'ctor':
      if (lang === 'dts') return [`${i}constructor(${params(m.params, lang)});`];
      return [`${i}constructor(${params(m.params, lang)}) {`, ...body(m.body, lang, i + i), `${i}}`];
    case 'get':
      if (lang === 'dts') return [...doc(m.doc, i), `${i}get ${m.name}(): ${m.type};`];
      return [...doc(m.doc, i), `${i}get ${m.name}()${lang === 'ts' ? `: ${m.type}` : ''} {`, ...body(m.body, lang, i + i), `${i}}`];
    case 'set':
      if (lang === 'dts') return [`${i}set ${m.name}(v: ${m.type});`];
      return [`${i}set ${m.name}(v${lang === 'ts' ? `: ${m.type}` : ''}) {`, ...body(m.body, lang, i + i), `${i}}`];
  }
}

function decl(d: Decl, lang: Lang): string[] {
  const ex = (exported: boolean): string => (exported ? 'export ' : '');
  switch (d.kind) {
    case 'blank': return [''];
    case 'comment': return lang === 'dts' ? [] : [`// ${d.text}`];
    case 'const':
      if (lang === 'dts') return d.exported ? [...doc(d.doc, ''), `export declare const ${d.name}: ${d.type};`] : [];
      return [...doc(d.doc, ''), `${ex(d.exported)}const ${d.name}${lang === 'ts' && d.type ? `: ${d.type}` : ''} = ${d.value};`];
    case 'type':
      return lang === 'js' ? [] : [...doc(d.doc, ''), `export type ${d.name} = ${d.type};`];
    case 'interface':
      return lang === 'js' ? [] : [...doc(d.doc, ''), `export interface ${d.name} {`, ...d.members.map((m) => `  ${m}`), '}'];
    case 'function': {
      const head = `${params(d.params, lang)})${lang === 'js' ? '' : `: ${d.ret}`}`;
      if (lang === 'dts') return [...doc(d.doc, ''), `export declare function ${d.name}(${head};`];
      return [...doc(d.doc, ''), `export function ${d.name}(${head} {`, ...body(d.body, lang, '  '), '}'];
    }
    case 'class': {
      const impl = d.implements && lang !== 'js' ? ` implements ${d.implements}` : '';
      const head = `export ${lang === 'dts' ? 'declare ' : ''}class ${d.name}${d.extends ? ` extends ${d.extends}` : ''}${impl} {`;
      return [...doc(d.doc, ''), head, ...d.members.flatMap((m) => member(m, lang)), '}'];
    }
  }
}

/** The module printed as `lang`. */
export function print(m: Module, lang: Lang): string {
  const lines = [m.header, ''];
  for (const i of m.imports) {
    if (i.typeOnly && lang === 'js') continue;
    lines.push(`import ${i.typeOnly && lang !== 'dts' ? 'type ' : ''}${i.what} from '${i.from}';`);
  }
  const out = [...lines, ...m.decls.flatMap((d) => decl(d, lang))];
  // no blank line twice in a row, one newline at the end
  return `${out.filter((l, k) => !(l === '' && out[k - 1] === '')).join('\n').trimEnd()}\n`;
}
