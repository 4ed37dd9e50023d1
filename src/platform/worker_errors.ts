/**
 * How a worker's failure is told: a module that fails before it starts names its URL and the
 * cause, with what the host can add (the line of a syntax error, the HTTP status of a failed
 * fetch, the missing import map of a bare specifier).
 */
import type { ReportedError } from './types.js';

/** A plain copy of an error, for postMessage. */
export function reportError(e: unknown): ReportedError {
  if (e instanceof Error) {
    const r: ReportedError = { name: e.name, message: e.message };
    if (e.stack !== undefined) r.stack = e.stack;
    return r;
  }
  return { name: 'Error', message: typeof e === 'string' ? e : String(e) };
}

/** The Error the kernel's realm throws or reports for a worker's ReportedError. */
export function errorOf(r: ReportedError): Error {
  const e = new Error(r.message);
  e.name = r.name;
  if (r.stack !== undefined) e.stack = r.stack;
  return e;
}

const BARE = /Failed to resolve module specifier|Relative references must start with/;

/**
 * The error for module `url` failing before it started with `cause`; `detail` is what the host
 * found out (a syntax error's location, an HTTP status), if anything.
 */
export function startFailure(url: string, processName: string, cause: unknown, detail?: string): ReportedError {
  const c = reportError(cause);
  const bare = BARE.test(c.message)
    ? ' (workers have no import map: use a URL or a bundler for bare specifiers such as \'kos-ipc\')' : '';
  const at = detail ? `\n${detail}` : '';
  return {
    name: c.name,
    message: `the module ${url} of process "${processName}" failed before it started: ${c.name}: ${c.message}${bare}${at}`,
    ...(c.stack !== undefined ? { stack: c.stack } : {}),
  };
}
