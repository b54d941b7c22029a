// The package as a user gets it: `npm pack` holds what a user needs and nothing else, and the
// tarball installed into a fresh Vite 7 project (npm's cache first, the registry only for what it
// lacks) builds without configuration; the built site, served under the strict CSP, shows the
// engine's numbers in headless Chromium; the engine subpath runs in Node from the install, and
// a strict TypeScript file type-checks against the three subpaths' types. The README's VitePress
// and Astro recipes are built the same way (both pinned as dev dependencies, so npm's cache has
// them); Docusaurus and Jupyter Book are not run (see README.md, "Use it in your site").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { launch, openPage, fullScreenshot } from './chromium.mjs';
import { CSP, startServer } from '../../scripts/serve.mjs';
import { root } from '../../scripts/run.mjs';
import { attention } from '../support/oracle.mjs';

const exec = promisify(execFile);
const npm = (args, cwd) =>
  exec('npm', args, {
    cwd,
    maxBuffer: 64 << 20,
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

let env, work, packed;
before(async () => {
  env = await launch();
  work = mkdtempSync(path.join(os.tmpdir(), 'attn-package-'));
  const { stdout } = await npm(['pack', '--json', '--pack-destination', work], root);
  packed = JSON.parse(stdout)[0];
});
after(async () => {
  await env?.close();
  if (work && !process.env.KEEP) rmSync(work, { recursive: true, force: true });
});

test('npm pack holds dist/, the engine, the types, README and LICENSE, and nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  const allowed = [
    /^dist\//,
    /^web\/lib\/[a-z-]+\.js$/,
    /^web\/i18n\/[a-zA-Z.-]+\.js$/, // the checker's diagnoses are written from the English catalogue
    /^web\/lib\/wasm\/attention_(model_simd|model_scalar|relaxed|simd|scalar)\.(js|wasm)$/,
    /^web\/(lib|components)\/[a-z]+\.d\.ts$/,
    /^(README\.md|LICENSE|package\.json)$/,
  ];
  for (const f of files)
    assert.ok(
      allowed.some((re) => re.test(f)),
      `${f} should not be in the package`,
    );
  assert.ok(
    !files.some((f) => f.endsWith('.classic.js') && f.startsWith('web/')),
    'the classic twins are bundled, not shipped',
  );
  // every file that package.json's exports and types name is in the tarball
  const named = [
    pkg.types,
    ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e))),
  ].map((p) => p.replace(/^\.\//, ''));
  for (const f of [
    ...named,
    'LICENSE',
    'README.md',
    'dist/wasm/attention_relaxed.wasm',
    'dist/wasm/attention_simd.wasm',
    'dist/wasm/attention_scalar.wasm',
    'web/lib/wasm/attention_relaxed.wasm',
    'web/lib/wasm/attention_simd.wasm',
    'web/lib/wasm/attention_scalar.wasm',
    'web/lib/wasm/attention_model_simd.wasm',
    'web/lib/wasm/attention_model_scalar.wasm',
    'dist/wasm/attention_model_simd.wasm',
    'dist/models/translator.safetensors',
    'dist/katex/fonts/KaTeX_Main-Regular.woff2',
    'dist/pool-worker.js', // the worker of every pool, the package's engine's included
  ]) {
    assert.ok(files.includes(f), `${f} is missing from the package`);
  }
  assert.equal(pkg.private, undefined, 'the package can be published');
  assert.match(readFileSync(path.join(root, 'LICENSE'), 'utf8'), /^MIT License/);
  // 1.19 MB packed, 43 files when this was written: the two WASM builds ship three times (dist/wasm,
  // web/lib/wasm for the engine subpath, and inlined in the classic file). 1.89 MB with loadModel
  // (2026-12-06): its two model modules twice (not inlined in the classic file), and the trained
  // translator in dist/models; 2.25 MB with the relaxed-SIMD build (twice: not in the classic file)
  // and the pool's worker (dist/pool-worker.js: the engine and its glues in one file)
  assert.ok(packed.size < 2.4e6, `the tarball is ${packed.size} B`);
  // 102 files on 2026-12-06: the lazy chunks (each example's steps, the charts, the exporters,
  // the pool and its worker, the translator's), web/i18n/ with the catalogues' parts
  assert.ok(files.length < 120, `the tarball holds ${files.length} files`);
  console.log(`# tarball: ${packed.size} B packed, ${packed.unpackedSize} B unpacked, ${files.length} files`);
});

test('a fresh Vite 7 project installs the tarball, builds it and shows the numbers under the strict CSP', async () => {
  const app = path.join(work, 'app');
  const write = (name, text) => writeFileSync(path.join(app, name), text);
  mkdirSync(app);
  write('package.json', JSON.stringify({ name: 'tutorial', private: true, type: 'module' }));
  write(
    'index.html',
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>A tutorial</title>
<script type="module" src="/main.js"></script>
<main><h1>Self-attention</h1><attention-steps example="self-attention"></attention-steps></main></html>`,
  );
  // the elements, and the engine's worker pool from the package's main export: Vite bundles its
  // worker (new Worker(new URL(...), { type: 'module' })) with no config
  write(
    'main.js',
    `import 'attention-playground/elements';
import { initPool } from 'attention-playground';
initPool({ workers: 2 }).then(async (pool) => {
  const r = await pool.softmax([[0, Math.log(3)]]);
  document.body.dataset.pool = JSON.stringify({ workers: pool.workers, weights: r.toArray()[0] });
});
`,
  );
  await npm(
    ['install', '--prefer-offline', '--no-save', path.join(work, packed.filename), `vite@${pkg.devDependencies.vite}`],
    app,
  );
  await exec(process.execPath, [path.join(app, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: app,
  });

  // the types of the three subpaths, as a TypeScript user meets them (strict, library files checked)
  write(
    'check.ts',
    `import { init, initPool } from 'attention-playground';
import { AttentionHeatmap, define } from 'attention-playground/elements';
import 'attention-playground/classic';
const hm: AttentionHeatmap = document.createElement('attention-heatmap');
hm.values = [[0.25, 0.75]];
hm.addEventListener('attention-cell-focus', (e) => console.log(e.detail.row, e.detail.value));
document.createElement('attention-steps').example = 'self-attention';
const ok: Promise<boolean> = document.createElement('attention-playground').load('causal-mask');
define(customElements);
document.querySelector('attention-check')?.addEventListener('attention-check', (e) => console.log(e.detail.verdict));
export const checked: string | null | undefined = document.createElement('attention-check').result?.firstWrong;
export const simd: boolean = (await init()).simd;
const pool = await initPool({ workers: 2 });
export const pooled: Float32Array = (await pool.attention([[1]], [[1]], [[1]], { weights: false })).output.data;
export const held: number = (await pool.memory()).heldBytes;
// @ts-expect-error: a pool's methods return promises
export const notSync: Float32Array = pool.softmax([[1]]).data;
pool.close();
// @ts-expect-error: not a colour scheme the element knows
hm.scheme = 'jet';
`,
  );
  write(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2022', 'dom'],
        noEmit: true,
        skipLibCheck: false,
      },
      files: ['check.ts'],
    }),
  );
  await exec(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app }).catch(
    (e) => assert.fail(`tsc: ${e.stdout}${e.stderr}`),
  );

  // the engine subpath, from the installed package, in Node
  const { stdout } = await exec(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const { init } = await import('attention-playground'); const a = await init(); console.log(JSON.stringify(a.softmax([[0, Math.log(3)]]).toArray()))",
    ],
    { cwd: app },
  );
  assert.deepEqual(
    JSON.parse(stdout)[0].map((x) => x.toFixed(6)),
    ['0.250000', '0.750000'],
  );

  const site = path.join(app, 'dist');
  const { page, close } = await showsTheNumbers(site);
  await fullScreenshot(page, 'vite-built');
  await page.waitForSelector('body[data-pool]', { timeout: 30000 });
  const pool = JSON.parse(await page.evaluate(() => document.body.dataset.pool));
  assert.equal(pool.workers, 2, 'two Web Workers started from the Vite build, under the CSP');
  assert.deepEqual(
    pool.weights.map((x) => x.toFixed(6)),
    ['0.250000', '0.750000'],
  );
  // the WASM came from the build's own assets (renamed by Vite), not from a path the glue guessed
  const wasm = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((n) => n.endsWith('.wasm')),
  );
  assert.equal(wasm.length, 1, `wasm requests: ${wasm}`);
  // Chromium validates relaxed SIMD, so the engine loads that build (and only that one)
  assert.match(wasm[0], /\/assets\/attention_relaxed-[\w-]+\.wasm$/);
  await close();
});

/**
 * Serves a built site under `csp` and checks in Chromium that its <attention-steps
 * example="self-attention"> shows the engine's weights (against the float64 oracle), its formulas
 * render, and nothing goes wrong on the page (console errors, CSP violations, requests elsewhere).
 * Resolves with the page, still open, and close().
 */
async function showsTheNumbers(site, { csp = CSP } = {}) {
  copyFileSync(path.join(root, 'web/favicon.svg'), path.join(site, 'favicon.ico'));
  const { server, url } = await startServer({ port: 0, dir: site, csp });
  const { page, problems } = await openPage(env.browser, url);
  const close = async () => {
    assert.deepEqual(problems, []);
    await page.close();
    await new Promise((r) => server.close(r));
  };
  try {
    const response = await page.goto(url);
    assert.equal(response.headers()['content-security-policy'], csp);
    await page.waitForFunction(
      () =>
        document.querySelector('attention-steps')?.shadowRoot?.querySelector('table[data-matrix="weights"] tbody td'),
      null,
      { timeout: 15000 },
    );
    const shown = await page.evaluate(() =>
      [
        ...document.querySelector('attention-steps').shadowRoot.querySelector('table[data-matrix="weights"]').tBodies[0]
          .rows,
      ].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    // the example: X = I₃, W_Q = W_K = W_V = [[1, 0], [0, 1], [1, 1]], so Q = K = V = W
    const W = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    const want = attention(W, W, W, { scoring: 'scaled_dot' }).weights.map((row) => row.map((x) => x.toFixed(4)));
    assert.deepEqual(shown, want);
    await page.waitForFunction(() => document.querySelector('attention-steps').shadowRoot.querySelector('.katex'));
  } catch (e) {
    await page.close();
    await new Promise((r) => server.close(r));
    throw new Error(`${e.message}\nproblems on the page: ${problems.join('\n')}`);
  }
  return { page, close };
}

/** A fresh project folder under the test's work folder, with the packed tarball and `deps` installed. */
async function project(name, deps, files) {
  const dir = path.join(work, name);
  for (const [file, text] of Object.entries({
    'package.json': JSON.stringify({ name, private: true, type: 'module' }),
    ...files,
  })) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  const versions = deps.map((d) => `${d}@${pkg.devDependencies[d]}`);
  await npm(['install', '--prefer-offline', '--no-save', path.join(work, packed.filename), ...versions], dir);
  return dir;
}

// The recipes of README.md "Use it in your site", as a user follows them. VitePress's own pages
// need inline scripts and styles and data: images (its theme), so its site is served with those
// allowed, and data: fonts: VitePress 1 builds with Vite 5, which ignores the ?no-inline that keeps
// KaTeX's smallest font (KaTeX_Size3, 3 KB) a file, and inlines it.
test('VitePress: the README recipe builds, and the page shows the numbers', async () => {
  const dir = await project('vitepress-site', ['vitepress'], {
    'docs/.vitepress/config.js': `export default {
  title: 'A tutorial',
  vue: { template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('attention-') } } },
};
`,
    'docs/.vitepress/theme/index.js': `import DefaultTheme from 'vitepress/theme';
export default {
  extends: DefaultTheme,
  async enhanceApp() {
    if (!import.meta.env.SSR) await import('attention-playground/elements');
  },
};
`,
    'docs/index.md': '# Self-attention\n\n<attention-steps example="self-attention"></attention-steps>\n',
  });
  await exec(process.execPath, [path.join(dir, 'node_modules/vitepress/bin/vitepress.js'), 'build', 'docs'], {
    cwd: dir,
  });
  const { page, close } = await showsTheNumbers(path.join(dir, 'docs/.vitepress/dist'), {
    csp: `${CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")}; img-src 'self' data:; font-src 'self' data:`,
  });
  await fullScreenshot(page, 'vitepress-built');
  await close();
});

// Astro 5: the last major release that runs on Node 20 (6 and 7 ask for Node 22).
test('Astro: the README recipe builds, and the page shows the numbers under the strict CSP', async () => {
  const dir = await project('astro-site', ['astro'], {
    'src/pages/index.astro': `---
---
<html lang="en">
  <head><meta charset="utf-8" /><title>A tutorial</title></head>
  <body>
    <main><h1>Self-attention</h1><attention-steps example="self-attention"></attention-steps></main>
    <script>
      import 'attention-playground/elements';
    </script>
  </body>
</html>
`,
  });
  await exec(process.execPath, [path.join(dir, 'node_modules/astro/astro.js'), 'build'], {
    cwd: dir,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  const { page, close } = await showsTheNumbers(path.join(dir, 'dist'));
  await fullScreenshot(page, 'astro-built');
  await close();
});
