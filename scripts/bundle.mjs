// Bundles the elements and the engine into dist/ with esbuild:
//   dist/attention-playground.js   the ES module that registers the elements (plus its lazy chunks)
//   dist/wasm/                     the two WASM builds, found relative to the module (import.meta.url)
//   dist/models/                   the trained translator (model/translator.safetensors)
//   dist/katex/fonts/              KaTeX's fonts (its CSS is in a chunk), loaded only when a formula is shown
// Copying dist/ next to a page is the whole installation.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { log, main, root } from './run.mjs';

// The classic bundle swaps three modules for their .classic.js twins: the WASM bytes inlined,
// KaTeX's CSS bundled as text (file:// pages cannot fetch either), and no workers for the pool (a
// file:// page cannot start one).
const classicTwins = {
  name: 'classic-twins',
  setup(build) {
    build.onResolve({ filter: /\/(wasm-source|katex-css|pool-spawn)\.js$/ }, (args) => ({
      path: path.join(args.resolveDir, args.path.replace(/\.js$/, '.classic.js')),
    }));
    // the relaxed-SIMD build is not inlined (wasm-source.classic.js), so neither is its glue
    build.onResolve({ filter: /\/attention_relaxed\.js$/ }, () => ({ path: 'relaxed', namespace: 'classic-none' }));
    build.onLoad({ filter: /.*/, namespace: 'classic-none' }, () => ({ contents: 'export default null;' }));
  },
};

// The ES module's KaTeX styles: bundlers (Vite, esbuild, webpack) copy and rename the files that a
// module names as new URL('<literal>', import.meta.url), but not the fonts that a copied stylesheet
// names in its url()s, which then 404. So the ES module gets KaTeX's CSS as text (a chunk loaded
// with the first formula) whose woff2 fonts are each named that way, adopted as a constructable
// sheet by the document (where @font-face works) and by the element's shadow root. `?no-inline`
// keeps Vite from turning the small fonts into data: URLs, which a strict CSP's font-src refuses
// (servers ignore the query).
const katexFonts = {
  name: 'katex-fonts',
  setup(build) {
    build.onResolve({ filter: /\/katex-css\.js$/ }, () => ({ path: 'styles', namespace: 'katex-fonts' }));
    build.onResolve({ filter: /^katex-fonts:css$/ }, () => ({ path: 'katex-styles', namespace: 'katex-fonts' }));
    // the chunk: the CSS with the fonts' URLs (it sits in dist/ too, so the same relative paths hold)
    build.onLoad({ filter: /^katex-styles$/, namespace: 'katex-fonts' }, () => {
      const fonts = readdirSync(path.join(root, 'node_modules/katex/dist/fonts')).filter((f) => f.endsWith('.woff2'));
      const urls = fonts.map(
        (f) => `${JSON.stringify(f)}: new URL(${JSON.stringify(`./katex/fonts/${f}?no-inline`)}, import.meta.url).href`,
      );
      return {
        resolveDir: path.join(root, 'web/components'),
        contents: `import css from 'katex/dist/katex.min.css';
const FONTS = { ${urls.join(', ')} };
export default css.replace(/src:url\\(fonts\\/([\\w-]+\\.woff2)\\)[^;}]*/g, (_, f) => \`src:url(\${FONTS[f]}) format("woff2")\`);
`,
      };
    });
    // what the elements import: adopts the sheet, loading the chunk with the first formula
    build.onLoad({ filter: /^styles$/, namespace: 'katex-fonts' }, () => ({
      resolveDir: path.join(root, 'web/components'),
      contents: `let sheet = null;
export async function addKatexStyles(root) {
  sheet ??= import('katex-fonts:css').then(({ default: css }) => {
    const s = new CSSStyleSheet();
    s.replaceSync(css);
    return s;
  });
  const s = await sheet;
  for (const target of new Set([document, root])) {
    if (!target.adoptedStyleSheets.includes(s)) target.adoptedStyleSheets = [...target.adoptedStyleSheets, s];
  }
}
`,
    }));
  },
};

// The ES module finds the pool's worker next to itself (pool-worker-url.dist.js); the package's
// engine finds it in dist/ (pool-worker-url.js).
const distTwins = {
  name: 'dist-twins',
  setup(build) {
    build.onResolve({ filter: /\/pool-worker-url\.js$/ }, (args) => ({
      path: path.join(args.resolveDir, args.path.replace(/\.js$/, '.dist.js')),
    }));
  },
};

// d3-scale-chromatic ships one file in which every scheme is built at the top level by a call
// (`var BrBG = ramp(scheme)`), which a bundler must keep in case the call has effects: all of its
// ~40 schemes came with the 6 the heatmaps use. The calls only build values, so they are marked
// pure, and the unused ones drop out (2 KB gzip of the eager module).
const pureSchemes = {
  name: 'pure-schemes',
  setup(build) {
    build.onLoad({ filter: /d3-scale-chromatic[\\/]dist[\\/]d3-scale-chromatic\.mjs$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(
        /^(var [\w$]+ = )(?=[\w$]+\(|new Array)/gm,
        '$1/* @__PURE__ */ ',
      ),
      loader: 'js',
    }));
  },
};

// The elements' styles are CSS in template literals (sheet(`…`), constructable stylesheets), which
// the JS minifier leaves as written: their comments, indentation and the spaces around { } ; : go
// (0.6 KB gzip of the eager module), the rules stay as they are.
const compactStyles = {
  name: 'compact-styles',
  setup(build) {
    build.onLoad({ filter: /web[\\/]components[\\/][\w./-]*\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(
        /\bsheet\(`([^`]*)`\)/g,
        (_, css) =>
          `sheet(\`${css
            .replace(/\/\*[\s\S]*?\*\//g, '')
            .replace(/\s+/g, ' ')
            .replace(/\s*([{};,>])\s*/g, '$1')
            // in a declaration block (no selectors there, so no pseudo-classes): the space after a colon
            .replace(/\{[^{}]*\}/g, (block) => block.replace(/:\s+/g, ':'))
            .trim()}\`)`,
      ),
      loader: 'js',
    }));
  },
};

export async function bundle() {
  const { build } = await import('esbuild');
  const dist = path.join(root, 'dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const common = {
    bundle: true,
    platform: 'browser',
    target: ['es2022'],
    external: ['node:*'],
    minify: true,
    legalComments: 'linked',
    logLevel: 'warning',
  };
  await build({
    ...common,
    entryPoints: { 'attention-playground': path.join(root, 'web/components/index.js') },
    outdir: dist,
    format: 'esm',
    splitting: true, // KaTeX and each WASM glue become chunks loaded on demand
    chunkNames: '[name]-[hash]',
    loader: { '.css': 'text' },
    plugins: [katexFonts, pureSchemes, compactStyles, distTwins],
  });
  // the pool's worker, next to the module, where pool-spawn.js's new URL('./pool-worker.js') finds
  // it: a build of its own (the engine bundled in, both glues inlined), so that it shares no chunk
  // with the module and adds nothing to what a page loads before its first pool call
  await build({
    ...common,
    entryPoints: { 'pool-worker': path.join(root, 'web/lib/pool-worker.js') },
    outdir: dist,
    format: 'esm',
  });
  await build({
    ...common,
    entryPoints: { 'attention-playground.classic': path.join(root, 'web/components/index.js') },
    outdir: dist,
    format: 'iife',
    loader: { '.wasm': 'binary', '.css': 'text' },
    plugins: [classicTwins, pureSchemes, compactStyles],
    // Emscripten's ES6 glue resolves its .wasm against import.meta.url at start-up; the classic
    // bundle hands it the bytes, so any valid base will do
    define: { 'import.meta.url': 'location.href' },
  });
  cpSync(path.join(root, 'web/lib/wasm'), path.join(dist, 'wasm'), {
    recursive: true,
    filter: (f) => !f.endsWith('.js') || statSync(f).isDirectory(),
  });
  // the trained translator (model/train.py), for pages that load it from dist/
  mkdirSync(path.join(dist, 'models'), { recursive: true });
  cpSync(path.join(root, 'model/translator.safetensors'), path.join(dist, 'models/translator.safetensors'));
  const katex = path.join(root, 'node_modules/katex/dist');
  mkdirSync(path.join(dist, 'katex/fonts'), { recursive: true });
  for (const f of readdirSync(path.join(katex, 'fonts'))) {
    if (f.endsWith('.woff2')) cpSync(path.join(katex, 'fonts', f), path.join(dist, 'katex/fonts', f));
  }
  return sizes(dist);
}

/**
 * What a page downloads: the ES module with the glue and the SIMD WASM (the budget: 150 KB gzipped,
 * KaTeX not counted, as it loads only with the first formula), and, separately, every file. Where
 * relaxed SIMD validates (Chromium), the page downloads the relaxed glue and WASM instead of the
 * SIMD128 ones: `relaxed` is that alternative, held to the same budget.
 */
export function sizes(dist) {
  const gz = (f) => gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length;
  const files = readdirSync(dist)
    .filter((f) => f.endsWith('.js'))
    .concat(['wasm/attention_relaxed.wasm', 'wasm/attention_simd.wasm', 'wasm/attention_scalar.wasm']);
  const rows = files.map((name) => ({ name, bytes: statSync(path.join(dist, name)).size, gzip: gz(name) }));
  // the module, the chunks it imports statically (code it shares with lazy chunks), the glue, the wasm
  const imported = [
    ...readFileSync(path.join(dist, 'attention-playground.js'), 'utf8').matchAll(
      /(?:from|import)\s*"\.\/([\w-]+\.js)"/g,
    ),
  ].map((m) => m[1]);
  const page = (build) => {
    const files = rows.filter(
      (r) =>
        r.name === 'attention-playground.js' ||
        imported.includes(r.name) ||
        r.name.startsWith(`attention_${build}`) ||
        r.name === `wasm/attention_${build}.wasm`,
    );
    return { gzip: files.reduce((a, r) => a + r.gzip, 0), limit: 150 * 1024, files: files.map((r) => r.name) };
  };
  return { rows, budget: page('simd'), relaxed: page('relaxed') };
}

export function report({ rows, budget, relaxed }, stage) {
  for (const r of rows)
    log(stage, `  dist/${r.name.padEnd(36)} ${String(r.bytes).padStart(8)} B  ${String(r.gzip).padStart(7)} B gzip`);
  const kb = (n) => (n / 1024).toFixed(1);
  log(
    stage,
    `  module + glue + SIMD wasm: ${kb(budget.gzip)} KB gzip (budget ${kb(budget.limit)} KB; KaTeX loads only with a formula); ` +
      `with the relaxed-SIMD glue and wasm instead: ${kb(relaxed.gzip)} KB`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(async () => {
    report(await bundle(), 'bundle');
  });
}
