// The transformer-block ops and multi-head attention's new options through the public JS API, in both
// builds: what each option changes and what it leaves alone. (The numbers themselves are checked
// against PyTorch in fixtures.test.mjs and against float64 references in tests/native/test_block.cpp.)
import '../support/relaxed.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from 'attention-playground';

const builds = [
  ['simd', await init({ isa: 'simd128' })],
  ['scalar', await init({ isa: 'scalar' })],
  ['relaxed', await init({ isa: 'relaxed-simd' })],
];

function close(got, want, where, tol = 1e-6) {
  assert.deepEqual(got.shape, want.shape, `${where}: shape`);
  for (let i = 0; i < want.data.length; i++) {
    assert.ok(
      Math.abs(got.data[i] - want.data[i]) <= tol * (1 + Math.abs(want.data[i])),
      `${where}: element ${i}: ${got.data[i]} vs ${want.data[i]}`,
    );
  }
}

for (const [name, attn] of builds) {
  const D = 4,
    F = 6,
    T = 3;
  const r = (shape, seed, scale = 0.5) => attn.random(shape, { seed, scale });
  const weights = {
    numHeads: 2,
    wq: r([D, D], 1),
    wk: r([D, D], 2),
    wv: r([D, D], 3),
    wo: r([D, D], 4),
    bq: r([D], 5),
    bk: r([D], 6),
    bv: r([D], 7),
    bo: r([D], 8),
    w1: r([D, F], 9),
    b1: r([F], 10),
    w2: r([F, D], 11),
    b2: r([D], 12),
    gamma1: r([D], 13, 0.1),
    beta1: r([D], 14),
    gamma2: r([D], 15, 0.1),
    beta2: r([D], 16),
  };
  const x = r([2, T, D], 17, 1);

  test(`[${name}] multiHeadAttention: weights: false gives the same output and no weights`, () => {
    const o = {
      numHeads: 2,
      wq: weights.wq,
      wk: weights.wk,
      wv: weights.wv,
      wo: weights.wo,
      bq: weights.bq,
      bo: weights.bo,
      validLens: [2, 3],
    };
    const full = attn.multiHeadAttention(x, x, x, o);
    const lean = attn.multiHeadAttention(x, x, x, { ...o, weights: false });
    assert.equal(lean.weights, null);
    assert.deepEqual(full.weights.shape, [2, 2, T, T]);
    close(lean.output, full.output, 'output');
    // the biases change the output: they are not ignored
    const unbiased = attn.multiHeadAttention(x, x, x, { ...o, bq: undefined, bo: undefined });
    assert.ok(unbiased.output.data.some((v, i) => Math.abs(v - full.output.data[i]) > 1e-3));
  });

  test(`[${name}] transformerBlock: the trace names every intermediate, and the output is the last`, () => {
    for (const norm of ['post', 'pre']) {
      const plain = attn.transformerBlock(x, { ...weights, norm });
      const traced = attn.transformerBlock(x, { ...weights, norm, trace: true });
      assert.equal(plain.steps, undefined);
      const s = traced.steps;
      assert.deepEqual(Object.keys(s), [
        'q',
        'k',
        'v',
        'scores',
        'logits',
        'weights',
        'heads',
        'attention',
        'residual1',
        'norm1',
        'hidden',
        'feedForward',
        'residual2',
        'norm2',
        'output',
      ]);
      for (const key of [
        'q',
        'k',
        'v',
        'heads',
        'attention',
        'residual1',
        'norm1',
        'feedForward',
        'residual2',
        'norm2',
        'output',
      ]) {
        assert.deepEqual(s[key].shape, [2, T, D], `${norm} ${key}`);
      }
      assert.deepEqual(s.hidden.shape, [2, T, F]);
      for (const key of ['scores', 'logits', 'weights']) assert.deepEqual(s[key].shape, [2, 2, T, T], `${norm} ${key}`);
      close(traced.output, plain.output, `${norm}: traced vs streamed output`);
      close(traced.weights, plain.weights, `${norm}: traced vs streamed weights`);
      assert.deepEqual(s.output.data, traced.output.data);
      // post: the output is norm2(residual2); pre: the second residual sum
      assert.deepEqual((norm === 'post' ? s.norm2 : s.residual2).data, traced.output.data);
      // the residual sums are sums of what the steps show
      const [a, b] = norm === 'post' ? [s.norm1, s.feedForward] : [s.residual1, s.feedForward];
      close(s.residual2, attn.add(a, b), `${norm}: residual2`);
      close(s.residual1, attn.add(x, s.attention), `${norm}: residual1`);
    }
  });

  test(`[${name}] transformerBlock: defaults are post-norm, relu, eps 1e-5; weights: false streams`, () => {
    const implicit = attn.transformerBlock(x, weights);
    const explicit = attn.transformerBlock(x, { ...weights, norm: 'post', activation: 'relu', eps: 1e-5 });
    assert.deepEqual(implicit.output.data, explicit.output.data);
    const gelu = attn.transformerBlock(x, { ...weights, activation: 'gelu' });
    assert.ok(
      gelu.output.data.some((v, i) => Math.abs(v - implicit.output.data[i]) > 1e-4),
      'gelu changes the output',
    );
    const lean = attn.transformerBlock(x, { ...weights, weights: false, causal: true, validLens: [3, 2] });
    assert.equal(lean.weights, null);
    close(
      lean.output,
      attn.transformerBlock(x, { ...weights, causal: true, validLens: [3, 2] }).output,
      'weights: false',
    );
  });

  test(`[${name}] layerNorm, linear and feedForward take typed arrays and keep the leading axes`, () => {
    const flat = { data: new Float64Array([1, 2, 3, 4, 5, 7]), shape: [2, 3] };
    const y = attn.layerNorm(flat, { gamma: [1, 2, 3], beta: { data: new Float32Array([0, 1, 0]), shape: [3] } });
    assert.deepEqual(y.shape, [2, 3]);
    assert.ok(Math.abs(y.data[1] - 1) < 1e-6, 'the middle of [1, 2, 3] normalises to 0, then · 2 + 1');
    assert.deepEqual(attn.linear(x, r([D, 5], 20), { bias: r([5], 21) }).shape, [2, T, 5]);
    assert.deepEqual(attn.feedForward(x, { w1: weights.w1, w2: r([F, 2], 22) }).shape, [2, T, 2]);
  });
}
