/**
 * The CDL and EDL parsers: a component (`component pkg.Name`) or a process class (`entity
 * pkg.Name`, or `task class Name` as SDK 1.4 writes it), with its optional security interface,
 * endpoints and nested component instances.
 *
 *   cdl      := 'component' qname { section }
 *   edl      := ('entity' qname | 'task' 'class' qname) { section }
 *   section  := 'security' qname [';']
 *             | ('endpoints' | 'interfaces') '{' { ident ':' qname [';' | ','] } '}' [';']
 *             | 'components' '{' { ident ':' qname [';' | ','] } '}' [';']
 *
 * Each section appears at most once; `interfaces` is the older name of `endpoints`.
 */
import type { ComponentFile, EndpointDecl, InstanceDecl } from './ast.js';
import { fail } from './errors.js';
import { Cursor, tokenize } from './lexer.js';
import { parseQName } from './parse_idl.js';

function entries(c: Cursor, section: string, what: string): { name: string; target: ReturnType<typeof parseQName>; pos: EndpointDecl['pos'] }[] {
  c.expect('{', `after "${section}"`);
  const out: { name: string; target: ReturnType<typeof parseQName>; pos: EndpointDecl['pos'] }[] = [];
  while (!c.eat('}')) {
    if (c.peek().kind === 'eof') c.expected(`"name : ${what}" or "}" to close ${section}`);
    const name = c.ident(`"name : ${what}" or "}" to close ${section}`);
    c.expect(':', `after ${name.text} (name : ${what})`);
    const target = parseQName(c, `the ${what} of ${name.text}`);
    if (!c.eat(';')) c.eat(',');
    out.push({ name: name.text, target, pos: name.pos });
  }
  c.eat(';');
  return out;
}

function body(c: Cursor, file: ComponentFile): ComponentFile {
  const seen = new Map<string, number>();
  for (;;) {
    const t = c.peek();
    if (t.kind === 'eof') return file;
    const word = t.kind === 'ident' ? t.text : '';
    const section = word === 'interfaces' ? 'endpoints' : word;
    if (!['security', 'endpoints', 'components'].includes(section)) {
      c.expected('"security", "endpoints" or "components"');
    }
    if (seen.has(section)) fail(t.pos, `a second "${section}" section; the first is at line ${seen.get(section)}`);
    seen.set(section, t.pos.line);
    c.next();
    if (section === 'security') {
      file.security = parseQName(c, 'the security interface');
      c.eat(';');
    } else if (section === 'endpoints') {
      file.endpoints = entries(c, word, 'interface').map((e): EndpointDecl => ({ name: e.name, iface: e.target, pos: e.pos }));
    } else {
      file.components = entries(c, word, 'component').map((e): InstanceDecl => ({ name: e.name, component: e.target, pos: e.pos }));
    }
  }
}

/** Parses the text of a .cdl file. */
export function parseCdl(text: string, file: string): ComponentFile {
  const c = new Cursor(tokenize(text, file));
  if (!c.isWord('component')) c.expected('"component" and the component name at the start of a CDL file');
  c.next();
  const name = parseQName(c, 'the component name');
  c.eat(';');
  return body(c, { kind: 'cdl', file, name, security: null, endpoints: [], components: [] });
}

/** Parses the text of an .edl file. */
export function parseEdl(text: string, file: string): ComponentFile {
  const c = new Cursor(tokenize(text, file));
  if (c.isWord('entity')) {
    c.next();
  } else if (c.isWord('task') && c.isWord('class', 1)) {
    c.next(); c.next();
  } else {
    c.expected('"entity" or "task class" and the process class name at the start of an EDL file');
  }
  const name = parseQName(c, 'the process class name');
  c.eat(';');
  return body(c, { kind: 'edl', file, name, security: null, endpoints: [], components: [] });
}
