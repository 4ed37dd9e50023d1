#!/usr/bin/env node
// A small static server for the browser demo (and the browser test). It serves the package's
// dist/ and demo/ folders, plus the two dependencies a page may import (yaml, the AssemblyScript
// loader), on 127.0.0.1 only. With isolation (the default) every response carries the headers
// that make a page cross-origin isolated, so it gets SharedArrayBuffer and workers:
//   Cross-Origin-Opener-Policy: same-origin
//   Cross-Origin-Embedder-Policy: require-corp
// Without them the page runs the kernel with unshared memory and in-realm processes only.
// `node scripts/demo-server.mjs --help` tells how to run it.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** URL path prefixes that are served; anything else is 404. */
const SERVED = ['/demo/', '/dist/', '/node_modules/yaml/', '/node_modules/@assemblyscript/loader/'];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The file a URL path names, or null when it is outside the served folders. `mounts` maps more
 * URL prefixes (like '/doc/') to folders anywhere on disk.
 */
function fileOf(urlPath, mounts) {
  let path;
  try { path = decodeURIComponent(urlPath); } catch { return null; }
  if (path.endsWith('/')) path += 'index.html';
  if (path.includes('\0')) return null;
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!path.startsWith(prefix)) continue;
    const file = normalize(join(dir, path.slice(prefix.length)));
    return file.startsWith(normalize(join(dir, '/'))) ? file : null;
  }
  if (!SERVED.some((p) => path.startsWith(p))) return null;
  const file = normalize(join(ROOT, path));
  return SERVED.some((p) => file.startsWith(join(ROOT, p))) ? file : null;
}

/**
 * Starts one server. `isolated`: send COOP/COEP on every response (workers' scripts included,
 * which Chromium requires of a worker started by an isolated page). `mounts`: more folders to
 * serve, { '/prefix/': '/absolute/folder' } (the doc-block test serves its pages this way).
 * Resolves to { url, port, isolated, close() }.
 */
export function startDemoServer({ isolated = true, port = 0, host = '127.0.0.1', mounts = {} } = {}) {
  const server = createServer(async (req, res) => {
    const headers = { 'Cache-Control': 'no-store', ...(isolated ? ISOLATION_HEADERS : {}) };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/' || url.pathname === '/demo') {
      res.writeHead(302, { ...headers, Location: `/demo/${url.search}` }).end();
      return;
    }
    const file = fileOf(url.pathname, mounts);
    try {
      if (!file || !(await stat(file)).isFile()) throw new Error('not found');
      const body = await readFile(file);
      res.writeHead(200, {
        ...headers,
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.byteLength,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${url.pathname}\n`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({
        url: `http://${host}:${actual}/demo/`,
        port: actual,
        isolated,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

const HELP = `Serves the kos-ipc browser demo on 127.0.0.1 (build first: npm run build).
  node scripts/demo-server.mjs [--port N]       isolated on N (default $PORT or 8080), not isolated on N+1
  node scripts/demo-server.mjs --no-isolation   one server without COOP/COEP on --port
  node scripts/demo-server.mjs --isolated-only  one isolated server on --port
  --port 0 picks free ports.`;

async function main(argv) {
  const flag = (name) => argv.includes(name);
  if (flag('--help') || flag('-h')) { console.log(HELP); return; }
  const at = argv.indexOf('--port');
  const port = at >= 0 ? Number(argv[at + 1]) : Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`demo-server: --port must be a port number, got ${argv[at + 1]}`);
  }
  const plan = flag('--no-isolation') ? [false] : flag('--isolated-only') ? [true] : [true, false];
  for (const [i, isolated] of plan.entries()) {
    const s = await startDemoServer({ isolated, port: port === 0 ? 0 : port + i });
    console.log(`${isolated ? 'cross-origin isolated (workers)  ' : 'not isolated (in-realm only)     '} ${s.url}`);
  }
  console.log('Ctrl-C stops the server.');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  main(process.argv.slice(2)).catch((e) => { console.error(e.message); process.exit(1); });
}
