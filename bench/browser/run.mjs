// `npm run bench -- --browser`: the bench in headless Chromium (Debian's, driven by playwright-core),
// peers included. Serves the project's files on a free port (no CSP: the peers are not the
// project's code), bundles page.mjs, runs the rounds in the page and returns the same record as
// the Node bench, so scripts/bench.mjs prints the same table.
import { createServer } from 'node:http';
import { createReadStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { log, root } from '../../scripts/run.mjs';
import { ARGS } from '../../tests/browser/chromium.mjs';

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};
const SERVED = ['/web/lib/', '/node_modules/', '/build/wasm/bench/', '/build/bench/browser/'];

function serve() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost').pathname;
    if (url === '/favicon.ico') {
      res.writeHead(204).end(); // asked for by every page
      return;
    }
    const file = path.join(root, decodeURIComponent(url));
    let ok = SERVED.some((p) => url.startsWith(p)) && file.startsWith(root + path.sep);
    try {
      ok &&= statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (!ok) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function browserBenchmark({ sizes, rounds }) {
  const out = path.join(root, 'build/bench/browser');
  mkdirSync(out, { recursive: true });
  const { build } = await import('esbuild');
  await build({
    entryPoints: [path.join(root, 'bench/browser/page.mjs')],
    outfile: path.join(out, 'page.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    external: ['node:*'],
    logLevel: 'error',
  });
  writeFileSync(
    path.join(out, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="page.js"></script>\n',
  );
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...ARGS, '--js-flags=--expose-gc'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.text().startsWith('[bench]')) log('bench', `chromium: ${m.text().slice(8)}`);
      else if (m.type() === 'error') log('bench', `chromium console error: ${m.text()}`);
    });
    await page.goto(`${origin}/build/bench/browser/index.html`);
    await page.waitForFunction(() => typeof globalThis.runBench === 'function');
    const loadBefore = os.loadavg();
    const r = await page.evaluate((o) => globalThis.runBench(o), { sizes, rounds });
    return {
      ...r,
      runtime: `${r.runtime} (headless, ${browser.version()})`,
      load: { before: loadBefore, after: os.loadavg() },
    };
  } finally {
    await browser.close();
    server.close();
  }
}
