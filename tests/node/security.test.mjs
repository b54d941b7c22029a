// What SECURITY.md promises about the engine at runtime: no network, no code generated from
// strings (no eval, no new Function: strict-CSP pages can load it), only its own .wasm file fetched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

test('the engine runs every function with eval and new Function disabled and every network API refusing', () => {
  const script = fileURLToPath(new URL('support/locked-down.mjs', import.meta.url));
  const out = execFileSync(
    process.execPath,
    ['--disallow-code-generation-from-strings', '--experimental-wasm-relaxed-simd', script],
    { encoding: 'utf8' },
  );
  const { attempts, evalBlocked, functionBlocked, results } = JSON.parse(out);
  assert.ok(evalBlocked && functionBlocked, 'the child really ran with code generation from strings disabled');
  assert.deepEqual(attempts, [], 'no network API was touched');
  assert.deepEqual(Object.keys(results).sort(), ['relaxed-simd', 'scalar', 'simd128']);
  for (const [isa, r] of Object.entries(results)) {
    assert.deepEqual(
      r.seed.map((row) => row.map((x) => +x.toFixed(4))),
      [
        [0.4011, 0.1978, 0.4011],
        [0.1978, 0.4011, 0.4011],
        [0.2483, 0.2483, 0.5035],
      ],
      isa,
    );
    assert.deepEqual(
      r.softmax.map((x) => +x.toFixed(4)),
      [0.09, 0.2447, 0.6652],
      isa,
    );
    assert.deepEqual(
      r.masked.map((row) => row.map((x) => +x.toFixed(4))),
      [[0.2689, 0.7311, 0]],
      isa,
    );
    // causal: query 0 sees key 0 only; query 1 sees keys 0 and 1 with scores 0 and 1/√2
    const w1 = Math.exp(Math.SQRT1_2) / (1 + Math.exp(Math.SQRT1_2));
    assert.equal(r.attention[0][0], 1, isa);
    assert.ok(Math.abs(r.attention[1][0] - (1 + w1)) < 1e-6, `${isa}: ${r.attention[1][0]}`);
    assert.deepEqual(
      r.score,
      [
        [1, 0, 1],
        [0, 1, 1],
      ],
      isa,
    );
    assert.deepEqual(r.additive, [2, 1], isa);
    assert.deepEqual(r.multiHead, [2, 2], isa);
    assert.deepEqual(
      r.positional.map((x) => +x.toFixed(4)),
      [0.8415, 0.5403],
      isa,
    );
    assert.deepEqual(
      r.applyMask,
      [
        [1, null],
        [3, 4],
      ],
      isa,
    ); // -Infinity crosses JSON as null
    assert.deepEqual(r.steps, [[0.5, 0.5]], isa);
    assert.deepEqual(r.random, [2, 3], isa);
    assert.deepEqual(r.subtract, [2, 3], isa);
    assert.deepEqual(r.add, [4, 7], isa);
    assert.deepEqual(r.scale, [2], isa);
    assert.equal(r.refused, 'RangeError', isa);
    assert.deepEqual(r.translation, ['<bos>', '汤姆', '追逐', '杰瑞', '<eos>'], isa);
  }
});

test('the WebAssembly glue holds no eval or new Function, and fetches nothing but its own .wasm', () => {
  for (const build of ['relaxed', 'simd', 'scalar', 'model_simd', 'model_scalar']) {
    const glue = readFileSync(new URL(`../../web/lib/wasm/attention_${build}.js`, import.meta.url), 'utf8');
    assert.doesNotMatch(glue, /\beval\s*\(/, `${build}: eval(`);
    assert.doesNotMatch(glue, /\bnew\s+Function\s*\(/, `${build}: new Function(`);
    const fetches = glue.match(/\bfetch\([^,)]*/g) ?? [];
    assert.ok(
      fetches.length > 0 && fetches.every((f) => f === 'fetch(wasmBinaryFile'),
      `${build}: ${fetches.join('; ')}`,
    );
    assert.match(
      glue,
      /wasmBinaryFile=new URL\("attention_\w+\.wasm",import\.meta\.url\)/,
      `${build}: the .wasm next to the glue`,
    );
  }
});
