// `npm start`: builds what the page needs and serves web/ at http://127.0.0.1:8080 (PORT to change).
// Only the project's own files are served, with a strict Content-Security-Policy: the page and the
// engine must work offline and without eval.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from './build.mjs';
import { log, main, root } from './run.mjs';
import { setup } from './setup.mjs';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.md': 'text/markdown; charset=utf-8',
};

// URL prefix -> folder. Everything else is 404.
const MOUNTS = [
  ['/dist/', path.join(root, 'dist')],
  ['/', path.join(root, 'web')],
];

function resolve(urlPath, mounts) {
  for (const [prefix, dir] of mounts) {
    if (!urlPath.startsWith(prefix)) continue;
    const file = path.join(dir, decodeURIComponent(urlPath.slice(prefix.length)));
    if (file !== dir && !file.startsWith(dir + path.sep)) return null; // no escaping the folder
    try {
      const stat = statSync(file);
      if (stat.isDirectory()) return resolve(path.posix.join(urlPath, 'index.html'), mounts);
      return file;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Starts the static server. Resolves with { server, url } once it listens.
 * @param {{ port?: number, host?: string, dir?: string, csp?: string }} [options] port 0 picks a
 *   free one; dir serves that folder alone instead of the project (tests use it for a page with a
 *   copied dist/, or a site a generator built); csp, the policy sent (a site generator's own pages
 *   may need more than the elements)
 */
export function startServer({ port = 8080, host = '127.0.0.1', dir = null, csp = CSP } = {}) {
  const mounts = dir ? [['/', dir]] : MOUNTS;
  const server = createServer((req, res) => {
    let file = null;
    try {
      file = resolve(new URL(req.url, 'http://localhost').pathname, mounts);
    } catch {
      file = null;
    }
    const headers = {
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    };
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', (e) => {
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`serve: port ${port} on ${host} is in use; set PORT to another port, e.g. PORT=8081 npm start`)
          : e,
      );
    });
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolvePromise({ server, url: `http://${host}:${actual}/` });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(async () => {
    const port = process.env.PORT === undefined ? 8080 : Number(process.env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`serve: PORT must be a port number, got '${process.env.PORT}'`);
    await setup({ parts: ['build'] });
    await build({ native: false, wasmTests: false });
    const { url } = await startServer({ port });
    log('serve', `attention-playground is at ${url}  (Ctrl+C to stop)`);
  });
}
