// What a tutorial page downloads stays within issue 4's budget: the ES module, the Emscripten glue
// and the SIMD WASM, 150 KB gzipped together (KaTeX is not counted: it loads with the first formula).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { root } from '../../scripts/run.mjs';
import { sizes } from '../../scripts/bundle.mjs';

test('module + glue + SIMD wasm in dist/ are within 150 KB gzip', () => {
  const { budget } = sizes(path.join(root, 'dist'));
  // the module (with any chunk it imports statically), the glue and the wasm
  for (const want of [/^attention-playground\.js$/, /^attention_simd-[\w-]+\.js$/, /^wasm\/attention_simd\.wasm$/])
    assert.ok(
      budget.files.some((f) => want.test(f)),
      `${want} not counted in ${budget.files}`,
    );
  assert.ok(budget.gzip <= budget.limit, `${(budget.gzip / 1024).toFixed(1)} KB gzip > ${budget.limit / 1024} KB`);
});

// Where relaxed SIMD validates, the page downloads the relaxed glue and wasm instead of the SIMD128 ones.
test('module + glue + relaxed-SIMD wasm, the alternative a Chromium page downloads, are within 150 KB gzip', () => {
  const { relaxed } = sizes(path.join(root, 'dist'));
  for (const want of [
    /^attention-playground\.js$/,
    /^attention_relaxed-[\w-]+\.js$/,
    /^wasm\/attention_relaxed\.wasm$/,
  ])
    assert.ok(
      relaxed.files.some((f) => want.test(f)),
      `${want} not counted in ${relaxed.files}`,
    );
  assert.ok(relaxed.gzip <= relaxed.limit, `${(relaxed.gzip / 1024).toFixed(1)} KB gzip > ${relaxed.limit / 1024} KB`);
});
