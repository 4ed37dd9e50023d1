/**
 * The meaning of a set of IDL, CDL and EDL files after resolution (resolve.ts): every name
 * qualified, every constant evaluated, every type written as a canonical IDL type string
 * (`sequence<echo.Ping.Point, 4>`) that nk/idl_layout.ts lays out with `types`.
 */
import type { IdlTypes } from '../nk/idl_layout.js';
import type { SourcePos } from './errors.js';

/** An integer constant: `const UInt32 MaxSize = 8;` in package echo.Ping. */
export interface ConstModel {
  name: string;
  /** echo.Ping.MaxSize */
  qname: string;
  /** The canonical type (a primitive). */
  type: string;
  value: bigint;
  pos: SourcePos;
}

/** A named type: typedef, struct or union. */
export interface TypeModel {
  kind: 'typedef' | 'struct' | 'union';
  name: string;
  /** echo.Ping.Point */
  qname: string;
  /** typedef: the canonical aliased type. */
  type?: string;
  /** struct fields / union members in order, canonical types. */
  fields?: { name: string; type: string }[];
  pos: SourcePos;
}

export interface ParamModel {
  name: string;
  type: string;
  pos: SourcePos;
}

export interface MethodModel {
  name: string;
  mid: number;
  in: ParamModel[];
  out: ParamModel[];
  error: ParamModel[];
  pos: SourcePos;
}

/** One .idl file. */
export interface PackageModel {
  kind: 'idl';
  /** echo.Ping */
  name: string;
  /** The file's path as it was found (echo/Ping.idl). */
  file: string;
  imports: string[];
  consts: ConstModel[];
  types: TypeModel[];
  /** The interface's methods in MID order; null when the package declares no interface. */
  methods: MethodModel[] | null;
}

export interface EndpointModel {
  name: string;
  /** The interface's package name. */
  iface: string;
  /** Its RIID within the component that declares it (0-based, endpoints before instances). */
  iid: number;
}

export interface InstanceModel {
  name: string;
  /** The component's name (a .cdl file). */
  component: string;
  /** The first RIID of its endpoints within the component that declares it. */
  iidOffset: number;
}

/** One .cdl (component) or .edl (process class) file. */
export interface ComponentModel {
  kind: 'cdl' | 'edl';
  name: string;
  file: string;
  pos: SourcePos;
  /** The security interface's package name, or null. */
  security: string | null;
  endpoints: EndpointModel[];
  components: InstanceModel[];
  /** Endpoints of the whole tree: this one's, then each instance's in order. */
  iidMax: number;
  /** Security interfaces of the whole tree. */
  securityIidMax: number;
}

/** A flattened endpoint of a component tree: its RIID, its path and its interface. */
export interface FlatEndpoint {
  riid: number;
  /** Instance names down to the endpoint: `ping_comp.ping_impl`, or `main` for the root's own. */
  path: string;
  iface: string;
}

export type FileModel = PackageModel | ComponentModel;

/** Everything one compilation resolved. */
export interface Model {
  /** The file compiled first. */
  root: FileModel;
  /** Every file reached, in the order they were first needed (dependencies first). */
  files: FileModel[];
  packages: Map<string, PackageModel>;
  components: Map<string, ComponentModel>;
  /** Every named type of every package, by qualified name, as nk/idl_layout takes them. */
  types: IdlTypes;
}

/** The C-style prefix of a qualified name: echo.Ping -> echo_Ping. */
export const cname = (qname: string): string => qname.replace(/\./g, '_');
