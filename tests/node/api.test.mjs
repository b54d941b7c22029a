// The public JS API's surface: init() and its three builds, the tensor formats it takes and returns,
// and the builds agreeing. Each function has its own file (attention, softmax, multihead,
// positional, streaming, errors, fixtures).
import { spawnSync } from 'node:child_process';
import '../support/relaxed.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, relaxedSimdSupported, simdSupported, supportedIsas, Tensor } from 'attention-playground';
import { root } from '../../scripts/run.mjs';
import * as ref from '../support/oracle.mjs';
import { randomMatrix, rng } from '../support/random.mjs';

const builds = [
  ['simd', await init({ isa: 'simd128' })],
  ['scalar', await init({ simd: false })],
  ['relaxed', await init({ isa: 'relaxed-simd' })],
];

test('init picks the fastest build that validates (relaxed SIMD here, with the flag), memoises, and forces one by isa or simd', async () => {
  const [[, simd], [, scalar], [, relaxed]] = builds;
  assert.equal(relaxedSimdSupported(), true);
  assert.equal(simdSupported(), true);
  assert.deepEqual(supportedIsas(), ['relaxed-simd', 'simd128', 'scalar']);
  assert.equal(simd.simd, true);
  assert.equal(simd.isa, 'simd128');
  assert.equal(relaxed.simd, true);
  assert.equal(relaxed.isa, 'relaxed-simd');
  assert.equal(scalar.simd, false);
  assert.equal(scalar.isa, 'scalar');
  assert.equal(await init(), relaxed);
  assert.equal(await init({ simd: true }), relaxed); // the faster SIMD build
  assert.equal(await init({ simd: false }), scalar);
  assert.equal(await init({ isa: 'scalar' }), scalar);
  assert.equal(await init({ isa: 'simd128' }), simd);
  assert.equal(await init({ isa: relaxed.isa }), relaxed); // what a worker does with the main thread's isa
  await assert.rejects(init({ simd: 'yes' }), TypeError);
  await assert.rejects(init({ isa: 'avx512' }), /isa must be 'auto', 'relaxed-simd', 'simd128', 'scalar'/);
  await assert.rejects(init({ isa: 'simd128', simd: true }), /pass isa or simd, not both/);
});

test('without the flag, Node 20 does not validate relaxed SIMD: init() picks SIMD128 and isa: relaxed-simd is refused', () => {
  const script = `
    import { init, supportedIsas } from 'attention-playground';
    const a = await init();
    let refused = '';
    try { await init({ isa: 'relaxed-simd' }); } catch (e) { refused = e.message; }
    console.log(JSON.stringify({ isa: a.isa, supported: supportedIsas(), refused }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { isa, supported, refused } = JSON.parse(r.stdout);
  assert.equal(isa, 'simd128');
  assert.deepEqual(supported, ['simd128', 'scalar']);
  assert.match(refused, /cannot run the 'relaxed-simd' build/);
});

test('the relaxed build holds the standard f32x4.relaxed_madd (valid only with relaxed SIMD), the SIMD128 build none', () => {
  const validate = (name, flags) =>
    spawnSync(
      process.execPath,
      [
        ...flags,
        '-e',
        `process.stdout.write(String(WebAssembly.validate(require('fs').readFileSync(process.argv[1]))))`,
        name,
      ],
      { encoding: 'utf8' },
    ).stdout;
  const file = (name) => new URL(`../../web/lib/wasm/attention_${name}.wasm`, import.meta.url).pathname;
  assert.equal(validate(file('relaxed'), []), 'false');
  assert.equal(validate(file('relaxed'), ['--experimental-wasm-relaxed-simd']), 'true');
  assert.equal(validate(file('simd'), []), 'true');
});

test('tensor inputs: nested arrays, { data, shape } with typed or plain data, Tensor results, booleans in masks', () => {
  const [[, attn]] = builds;
  const nested = attn.softmax([
    [1, 2],
    [3, 4],
  ]);
  for (const data of [Float32Array.of(1, 2, 3, 4), Float64Array.of(1, 2, 3, 4), [1, 2, 3, 4]]) {
    assert.deepEqual(attn.softmax({ data, shape: [2, 2] }).data, nested.data);
  }
  assert.ok(nested instanceof Tensor);
  assert.deepEqual(attn.softmax(nested).shape, [2, 2]); // a result is a valid input
  const withBooleans = attn.attention([[1]], [[1], [2]], [[1], [2]], { mask: [[true, false]] });
  assert.deepEqual(withBooleans.weights.toArray(), [[1, 0]]);
  assert.equal(attn.softmax(Float32Array.of(0, 0)).shape[0], 2);
});

test('the SIMD128, relaxed-SIMD and scalar builds agree on a larger problem; FMA changes the last bits only', () => {
  const [[, simd], [, scalar], [, relaxed]] = builds;
  const next = rng(6);
  const q = [randomMatrix(64, 32, next), randomMatrix(64, 32, next)];
  const k = [randomMatrix(80, 32, next), randomMatrix(80, 32, next)];
  const v = [randomMatrix(80, 16, next), randomMatrix(80, 16, next)];
  const b = scalar.attention(q, k, v, { causal: true, validLens: [50, 80] });
  for (const attn of [simd, relaxed]) {
    const a = attn.attention(q, k, v, { causal: true, validLens: [50, 80] });
    ref.assertClose(Array.from(a.weights.data), Array.from(b.weights.data), { abs: 1e-6, rel: 1e-5 });
    ref.assertClose(Array.from(a.output.data), Array.from(b.output.data), { abs: 1e-6, rel: 1e-5 });
  }
  // the fused build rounds differently from the unfused one (so the FMA is really in use)
  const a = relaxed.attention(q, k, v, { weights: false }).output.data;
  const c = simd.attention(q, k, v, { weights: false }).output.data;
  assert.ok(
    a.some((x, i) => x !== c[i]),
    'the relaxed and SIMD128 builds gave bit-identical outputs',
  );
});
