/**
 * Resolving a set of IDL/CDL/EDL files from one root: every file the root reaches is loaded
 * through `load` (no file system here: the CLI passes one that reads include directories,
 * compileIdl one that reads a map), parsed, and resolved dependencies first.
 *
 * Files are found as nk-gen-c finds them: package `echo.Ping` (an `import`, or the interface of
 * an endpoint or a security interface) in `echo/Ping.idl`, component `echo.Ping` (a component
 * instance) in `echo/Ping.cdl`. A loaded file must declare the name it was looked up by.
 *
 * RIIDs (nk-gen-c's enums in public projects, docs/sources.md): a component's own endpoints are numbered from 0 in
 * declaration order, then each component instance takes the next `iidMax` of its component, in
 * declaration order; a process class (EDL) is numbered the same way from 0.
 */
import type { ComponentFile, IdlFile, QName, SourceFile } from './ast.js';
import { fail, IdlError, type SourcePos } from './errors.js';
import type { ComponentModel, FileModel, FlatEndpoint, Model, PackageModel } from './model.js';
import { parseCdl, parseEdl } from './parse_cdl_edl.js';
import { parseIdl } from './parse_idl.js';
import { resolvePackage } from './resolve_package.js';
import { idlMethodLayout, idlTypeLayout, type IdlMethod, type IdlParams, type IdlTypes } from '../nk/idl_layout.js';

/** Returns the text of the file at `path` (relative: `echo/Ping.idl`), or undefined when there is none. */
export type SourceLoader = (path: string) => string | undefined;

export type FileKind = 'idl' | 'cdl' | 'edl';

/** The kind of a file: by its extension, else by its first word. */
export function kindOf(file: string, text: string): FileKind {
  const ext = /\.(idl|cdl|edl)$/i.exec(file)?.[1]?.toLowerCase();
  if (ext) return ext as FileKind;
  const word = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*([A-Za-z]+)/.exec(text)?.[1];
  return word === 'component' ? 'cdl' : word === 'entity' || word === 'task' ? 'edl' : 'idl';
}

export function parseSource(kind: FileKind, text: string, file: string): SourceFile {
  return kind === 'idl' ? parseIdl(text, file) : kind === 'cdl' ? parseCdl(text, file) : parseEdl(text, file);
}

const pathOf = (name: string, ext: string): string => `${name.replace(/\./g, '/')}.${ext}`;

/** Types of a resolved package as nk/idl_layout takes them. */
function layoutTypes(p: PackageModel, into: IdlTypes): void {
  for (const t of p.types) {
    const fields: IdlParams = Object.fromEntries(t.fields?.map((x) => [x.name, x.type]) ?? []);
    into[t.qname] = t.kind === 'typedef' ? t.type! : t.kind === 'struct' ? fields : { union: fields };
  }
}

/** idl_layout's checks (kernel limits) reported at the declaration they concern. */
function checkLayouts(p: PackageModel, types: IdlTypes): void {
  const at = (pos: SourcePos, f: () => unknown): void => {
    try { f(); } catch (e) {
      if (e instanceof IdlError) throw e;
      fail(pos, (e as Error).message.replace(/^[^:]*: /, ''));
    }
  };
  for (const t of p.types) if (t.kind !== 'typedef') at(t.pos, () => idlTypeLayout(t.qname, types));
  for (const m of p.methods ?? []) at(m.pos, () => idlMethodLayout(toIdlMethod(m), types, m.mid, `method ${m.name}:`));
}

/** A resolved method as nk/idl_layout takes it. */
export function toIdlMethod(m: { name: string; in: { name: string; type: string }[]; out: { name: string; type: string }[]; error: { name: string; type: string }[] }): IdlMethod {
  const params = (l: { name: string; type: string }[]): IdlParams => Object.fromEntries(l.map((x) => [x.name, x.type]));
  return { name: m.name, in: params(m.in), out: params(m.out), error: params(m.error) };
}

/** Loads, parses and resolves `rootText` (the contents of `rootFile`) and all it reaches. */
export function resolveAll(rootText: string, rootFile: string, load: SourceLoader): Model {
  const packages = new Map<string, PackageModel>();
  const components = new Map<string, ComponentModel>();
  const files: FileModel[] = [];
  const types: IdlTypes = {};
  const busy: string[] = [];

  function source(name: QName, ext: FileKind, why: string): SourceFile {
    const path = pathOf(name.name, ext);
    const text = load(path);
    if (text === undefined) fail(name.pos, `cannot find ${path} (${why} ${name.name}); add the directory that holds it to the include paths (-I)`);
    const f = parseSource(ext, text, path);
    const declared = f.kind === 'idl' ? f.package : f.name;
    if (declared.name !== name.name) fail(declared.pos, `${path} declares ${declared.name}, but it was loaded for ${name.name}`);
    return f;
  }

  function enter(key: string, pos: SourcePos): void {
    const at = busy.indexOf(key);
    if (at >= 0) fail(pos, `a cycle: ${[...busy.slice(at), key].map((k) => k.slice(4)).join(' -> ')}`);
    busy.push(key);
  }

  function pkg(name: QName, why: string, parsed?: IdlFile): PackageModel {
    const done = packages.get(name.name);
    if (done) return done;
    enter(`idl:${name.name}`, name.pos);
    const f = parsed ?? (source(name, 'idl', why) as IdlFile);
    const seen = new Set<string>();
    const imports = f.imports.map((q) => {
      if (seen.has(q.name)) fail(q.pos, `${q.name} is imported twice`);
      seen.add(q.name);
      if (q.name === f.package.name) fail(q.pos, `package ${q.name} imports itself`);
      return pkg(q, 'to import');
    });
    const p = resolvePackage(f, imports);
    layoutTypes(p, types);
    checkLayouts(p, types);
    busy.pop();
    packages.set(p.name, p);
    files.push(p);
    return p;
  }

  function iface(name: QName, why: string): PackageModel {
    const p = pkg(name, why);
    if (!p.methods) fail(name.pos, `package ${name.name} declares no interface, so it cannot be ${why === 'the security interface' ? 'a security interface' : 'an endpoint\'s interface'}`);
    return p;
  }

  function component(f: ComponentFile): ComponentModel {
    enter(`${f.kind}:${f.name.name}`, f.name.pos);
    const names = new Map<string, number>();
    const unique = (n: string, pos: SourcePos): void => {
      if (names.has(n)) fail(pos, `"${n}" is already declared in ${f.name.name} at line ${names.get(n)}`);
      names.set(n, pos.line);
    };
    let security: string | null = null;
    if (f.security) {
      const s = iface(f.security, 'the security interface');
      const bad = s.methods!.find((m) => m.out.length > 0 || m.error.length > 0);
      if (bad) fail(f.security.pos, `${s.name} cannot be a security interface: its method ${bad.name} has out or error parameters`);
      security = s.name;
    }
    const endpoints = f.endpoints.map((e, iid) => {
      unique(e.name, e.pos);
      return { name: e.name, iface: iface(e.iface, 'the interface of endpoint').name, iid };
    });
    let next = endpoints.length, securityIidMax = security ? 1 : 0;
    const instances = f.components.map((c) => {
      unique(c.name, c.pos);
      const sub = components.get(c.component.name) ?? component(source(c.component, 'cdl', 'the component') as ComponentFile);
      const out = { name: c.name, component: sub.name, iidOffset: next };
      next += sub.iidMax;
      securityIidMax += sub.securityIidMax;
      return out;
    });
    busy.pop();
    const m: ComponentModel = {
      kind: f.kind, name: f.name.name, file: f.file, pos: f.name.pos, security, endpoints, components: instances,
      iidMax: next, securityIidMax,
    };
    if (f.kind === 'cdl') components.set(m.name, m);
    files.push(m);
    return m;
  }

  const kind = kindOf(rootFile, rootText);
  const parsed = parseSource(kind, rootText, rootFile);
  const root = parsed.kind === 'idl' ? pkg(parsed.package, '', parsed) : component(parsed);
  return { root, files, packages, components, types };
}

/** The endpoints of a component tree with their RIIDs and instance paths, in RIID order. */
export function flatEndpoints(model: Model, c: ComponentModel, prefix = '', base = 0): FlatEndpoint[] {
  const out: FlatEndpoint[] = c.endpoints.map((e) => ({ riid: base + e.iid, path: prefix + e.name, iface: e.iface }));
  for (const i of c.components) {
    out.push(...flatEndpoints(model, model.components.get(i.component)!, `${prefix}${i.name}.`, base + i.iidOffset));
  }
  return out;
}
