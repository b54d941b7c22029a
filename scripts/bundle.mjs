// Bundles the elements and the engine into dist/ with esbuild:
//   dist/attention-playground.js   the ES module that registers the elements (plus its lazy chunks)
//   dist/wasm/                     the two WASM builds, found relative to the module (import.meta.url)
//   dist/katex/                    KaTeX's CSS and fonts, loaded only when a formula is shown
// Copying dist/ next to a page is the whole installation.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { log, main, root } from './run.mjs';

export async function bundle() {
  const { build } = await import('esbuild');
  const dist = path.join(root, 'dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  await build({
    entryPoints: { 'attention-playground': path.join(root, 'web/components/index.js') },
    outdir: dist,
    bundle: true,
    format: 'esm',
    splitting: true,            // KaTeX and each WASM glue become chunks loaded on demand
    chunkNames: '[name]-[hash]',
    platform: 'browser',
    target: ['es2022'],
    external: ['node:*'],       // the loader's Node branch never runs in a browser
    minify: true,
    sourcemap: false,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  cpSync(path.join(root, 'web/lib/wasm'), path.join(dist, 'wasm'), { recursive: true, filter: (f) => !f.endsWith('.js') || statSync(f).isDirectory() });
  const katex = path.join(root, 'node_modules/katex/dist');
  mkdirSync(path.join(dist, 'katex/fonts'), { recursive: true });
  cpSync(path.join(katex, 'katex.min.css'), path.join(dist, 'katex/katex.min.css'));
  for (const f of readdirSync(path.join(katex, 'fonts'))) {
    if (f.endsWith('.woff2')) cpSync(path.join(katex, 'fonts', f), path.join(dist, 'katex/fonts', f));
  }
  return sizes(dist);
}

/** Sizes of what a page downloads: the module with its eager imports, the SIMD wasm, KaTeX. */
function sizes(dist) {
  const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
  const files = readdirSync(dist).filter((f) => f.endsWith('.js'));
  const row = (name, file) => ({ name, bytes: statSync(file).size, gzip: gz(file) });
  return [
    ...files.map((f) => row(f, path.join(dist, f))),
    row('wasm/attention_simd.wasm', path.join(dist, 'wasm/attention_simd.wasm')),
    row('wasm/attention_scalar.wasm', path.join(dist, 'wasm/attention_scalar.wasm')),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(async () => {
    for (const r of await bundle()) log('bundle', `${r.name.padEnd(34)} ${String(r.bytes).padStart(8)} B  ${String(r.gzip).padStart(7)} B gzip`);
  });
}
