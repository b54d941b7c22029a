// The public JS API's surface: init() and its two builds, the tensor formats it takes and returns,
// and the two builds agreeing. Each function has its own file (attention, softmax, multihead,
// positional, streaming, errors, fixtures).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, Tensor } from 'attention-playground';
import * as ref from '../support/oracle.mjs';
import { randomMatrix, rng } from '../support/random.mjs';

const builds = [
  ['simd', await init()],
  ['scalar', await init({ simd: false })],
];

test('init picks SIMD in Node 20, memoises, and loads the scalar build on request', async () => {
  const [[, simd], [, scalar]] = builds;
  assert.equal(simd.simd, true);
  assert.equal(simd.isa, 'simd128');
  assert.equal(scalar.simd, false);
  assert.equal(scalar.isa, 'scalar');
  assert.equal(await init(), simd);
  assert.equal(await init({ simd: false }), scalar);
  await assert.rejects(init({ simd: 'yes' }), TypeError);
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

test('the SIMD and scalar builds agree on a larger problem', () => {
  const [[, simd], [, scalar]] = builds;
  const next = rng(6);
  const q = [randomMatrix(64, 32, next), randomMatrix(64, 32, next)];
  const k = [randomMatrix(80, 32, next), randomMatrix(80, 32, next)];
  const v = [randomMatrix(80, 16, next), randomMatrix(80, 16, next)];
  const a = simd.attention(q, k, v, { causal: true, validLens: [50, 80] });
  const b = scalar.attention(q, k, v, { causal: true, validLens: [50, 80] });
  ref.assertClose(Array.from(a.weights.data), Array.from(b.weights.data), { abs: 1e-6, rel: 1e-5 });
  ref.assertClose(Array.from(a.output.data), Array.from(b.output.data), { abs: 1e-6, rel: 1e-5 });
});
