// The public JS API against a float64 oracle (tests/support/oracle.mjs) and closed forms, in both builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, Tensor } from 'attention-playground';
import * as ref from '../support/oracle.mjs';
import { randomMatrix, rng } from '../support/random.mjs';

const builds = [['simd', await init()], ['scalar', await init({ simd: false })]];

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

for (const [name, attn] of builds) {
  test(`[${name}] the seed article's self-attention example, computed correctly`, () => {
    // X = I3, W_Q = W_K = W_V = [[1,0],[0,1],[1,1]], d_k = 2. X W = W, so Q = K = V = W (3 × 2);
    // Q Kᵀ = [[1,0,1],[0,1,1],[1,1,2]] (3 × 3), not the published 2 × 3 matrix.
    const W = [[1, 0], [0, 1], [1, 1]];
    const r = attn.selfAttention([[1, 0, 0], [0, 1, 0], [0, 0, 1]], { wq: W, wk: W, wv: W });
    for (const m of [r.q, r.k, r.v]) assert.deepEqual(m.toArray(), W);
    const a = Math.SQRT1_2;
    assert.deepEqual(r.scores.shape, [3, 3]);
    ref.assertClose(r.scores.toArray(), [[a, 0, a], [0, a, a], [a, a, 2 * a]], { what: 'scores' });
    const ea = Math.exp(a), e2a = Math.exp(2 * a);
    const w0 = [ea, 1, ea].map((x) => x / (2 * ea + 1));
    const w2 = [ea, ea, e2a].map((x) => x / (2 * ea + e2a));
    ref.assertClose(r.weights.toArray(), [w0, [w0[1], w0[0], w0[2]], w2], { what: 'weights' });
    // output row i = weights_i · V
    const out = [w0, [w0[1], w0[0], w0[2]], w2].map((w) => [w[0] + w[2], w[1] + w[2]]);
    ref.assertClose(r.output.toArray(), out, { what: 'output' });
    assert.deepEqual(r.output.shape, [3, 2]);  // published: [[1/2, 1/2], [0, 0]], 2 × 2
    assert.ok(Math.abs(r.output.toArray()[0][0] - 0.5) > 0.2);
  });

  test(`[${name}] random shapes, scorings and masks against the float64 reference`, () => {
    const next = rng(name === 'simd' ? 1 : 2);
    const int = (lo, hi) => lo + Math.floor(next(0, 1) * (hi - lo + 1));
    for (let trial = 0; trial < 120; trial++) {
      const Q = int(1, 19), K = int(1, 19), dq = int(1, 17), dv = int(1, 9);
      const scoring = ['dot', 'scaled_dot', 'additive', 'bilinear'][trial % 4];
      const dk = scoring === 'additive' || scoring === 'bilinear' ? int(1, 13) : dq;
      const h = int(1, 11);
      const q = randomMatrix(Q, dq, next), k = randomMatrix(K, dk, next), v = randomMatrix(K, dv, next);
      const options = { scoring, temperature: [1, 0.5, 2.5][trial % 3], fill: trial % 5 === 0 ? -Infinity : -1e6 };
      if (scoring === 'additive') {
        Object.assign(options, { wq: randomMatrix(dq, h, next), wk: randomMatrix(dk, h, next), v: randomMatrix(1, h, next)[0] });
      }
      if (scoring === 'bilinear') options.w = randomMatrix(dq, dk, next);
      const lens = Array.from({ length: Q }, () => int(0, K));
      const mask = randomMatrix(Q, K, next, 0, 1).map((r) => r.map((x) => (x < 0.8 ? 1 : 0)));
      const kind = trial % 4;  // none, validLens, mask, causal + validLens
      if (kind === 1) options.validLens = lens;
      if (kind === 2) options.mask = mask;
      if (kind === 3) Object.assign(options, { causal: true, validLens: lens });
      const keep = (i, j) => (kind !== 1 && kind !== 3 || j < lens[i]) && (kind !== 2 || mask[i][j] === 1) && (kind !== 3 || j <= i);
      const want = ref.attention(q, k, v, { ...options, keep });
      const got = attn.attention(q, k, v, { ...options, trace: true });
      const what = `trial ${trial} (${scoring}, Q=${Q} K=${K} dq=${dq} dk=${dk}, mask kind ${kind})`;
      ref.assertClose(got.steps.scores.toArray(), want.scores, { what: `${what} scores`, abs: 2e-6 });
      ref.assertClose(got.steps.logits.toArray(), want.logits, { what: `${what} logits`, abs: 5e-6 });
      ref.assertClose(got.weights.toArray(), want.weights, { what: `${what} weights` });
      ref.assertClose(got.output.toArray(), want.output, { what: `${what} output` });
    }
  });

  test(`[${name}] batched inputs: each batch element is its own problem; [B] and [B, Q] lengths`, () => {
    const next = rng(3);
    const B = 3, Q = 4, K = 6, d = 5;
    const q = Array.from({ length: B }, () => randomMatrix(Q, d, next));
    const k = Array.from({ length: B }, () => randomMatrix(K, d, next));
    const v = Array.from({ length: B }, () => randomMatrix(K, 2, next));
    const perBatch = [1, 6, 3], perRow = [[0, 1, 2, 3], [6, 5, 4, 3], [2, 2, 2, 2]];
    for (const [validLens, len] of [[perBatch, (b) => perBatch[b]], [perRow, (b, i) => perRow[b][i]], [4, () => 4]]) {
      const got = attn.attention(q, k, v, { validLens, fill: -Infinity });
      assert.deepEqual(got.output.shape, [B, Q, 2]);
      for (let b = 0; b < B; b++) {
        const want = ref.attention(q[b], k[b], v[b], { fill: -Infinity, keep: (i, j) => j < len(b, i) });
        ref.assertClose(got.weights.toArray()[b], want.weights, { what: `batch ${b} weights` });
        ref.assertClose(got.output.toArray()[b], want.output, { what: `batch ${b} output` });
      }
    }
  });

  test(`[${name}] d2l masked softmax: the article's examples, and a row of valid length 0`, () => {
    const next = rng(4);
    const x = Array.from({ length: 2 }, () => randomMatrix(2, 5, next, 0, 1));
    for (const [lens, len] of [[[2, 3], (b) => [2, 3][b]], [[[1, 3], [2, 4]], (b, i) => [[1, 3], [2, 4]][b][i]]]) {
      const got = attn.maskedSoftmax(x, lens).toArray();
      x.forEach((xb, b) => xb.forEach((row, i) => {
        const want = ref.softmaxRow(row.map((s, j) => (j < len(b, i) ? s : -1e6)));
        ref.assertClose(got[b][i], want, { what: `row (${b}, ${i})` });
      }));
    }
    // valid length 0: uniform under d2l's -1e6, all zeros (never NaN) under -Infinity
    const zero = [[[1, 2, 3], [4, 5, 6]]];
    assert.deepEqual(attn.maskedSoftmax(zero, [[0, 3]]).toArray()[0][0].map((w) => +w.toFixed(6)), [1 / 3, 1 / 3, 1 / 3].map((w) => +w.toFixed(6)));
    assert.deepEqual(attn.maskedSoftmax(zero, [[0, 1]], { fill: -Infinity }).toArray(), [[[0, 0, 0], [1, 0, 0]]]);
    // 2-D input: [Q] is one length per row
    assert.deepEqual(attn.maskedSoftmax([[1, 1], [1, 1]], [1, 2], { fill: -Infinity }).toArray(), [[1, 0], [0.5, 0.5]]);
  });

  test(`[${name}] softmax: stable on [90, 100] and ±1e30, temperature divides the logits`, () => {
    ref.assertClose(attn.softmax([90, 100]).toArray(), ref.softmaxRow([90, 100]));
    ref.assertClose(attn.softmax([[1e30, -1e30, 1e30]]).toArray(), [[0.5, 0, 0.5]]);
    ref.assertClose(attn.softmax([1, 2, 3], { temperature: 0.5 }).toArray(), ref.softmaxRow([2, 4, 6]));
    const x3 = [[[1, 2], [3, 5]], [[0, 0], [-1, 1]]];
    ref.assertClose(attn.softmax(x3).toArray(), x3.map((m) => m.map(ref.softmaxRow)));
  });

  test(`[${name}] causal mask is top-left aligned, also when Q != K`, () => {
    const q = [[1, 0], [0, 1], [1, 1]], k = [[1, 1], [1, 0], [0, 1], [2, 2]];
    const w = attn.attention(q, k, k, { causal: true, fill: -Infinity }).weights.toArray();
    w.forEach((row, i) => row.forEach((x, j) => (j > i ? assert.equal(x, 0) : assert.ok(x > 0))));
  });

  test(`[${name}] argmax takes the first index on ties; sample is seeded`, () => {
    const r = attn.attention([[1, 1]], [[1, 1], [1, 1], [0, 0]], [[1], [2], [3]], { mode: 'argmax', trace: true });
    assert.deepEqual(r.weights.toArray(), [[1, 0, 0]]);
    assert.deepEqual(r.output.toArray(), [[1]]);
    ref.assertClose(r.steps.probabilities.toArray()[0], ref.softmaxRow([2, 2, 0].map((s) => s / Math.SQRT2)));
    // 3000 identical rows with weights [0.2, 0.3, 0.5]: a seeded draw per row
    const logits = [Math.log(0.2), Math.log(0.3), Math.log(0.5)];
    const q = Array.from({ length: 3000 }, () => [1]), k = logits.map((l) => [l]);
    const draw = (seed) => attn.attention(q, k, [[0], [1], [2]], { scoring: 'dot', mode: 'sample', seed }).output.toArray().map((r) => r[0]);
    const a = draw(7), b = draw(7), c = draw(8);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    const freq = [0, 1, 2].map((i) => a.filter((x) => x === i).length / a.length);
    [0.2, 0.3, 0.5].forEach((p, i) => assert.ok(Math.abs(freq[i] - p) < 0.03, `frequency of ${i}: ${freq[i]}`));
    // a fully masked row under -Infinity stays all zeros in every mode
    for (const mode of ['soft', 'argmax', 'sample']) {
      const z = attn.attention([[1], [1]], [[1], [2]], [[5], [6]], { mode, validLens: [0, 2], fill: -Infinity });
      assert.deepEqual(z.weights.toArray()[0], [0, 0]);
      assert.deepEqual(z.output.toArray()[0], [0]);
    }
  });

  test(`[${name}] trace returns every step; weights: false returns null weights`, () => {
    const q = [[1, 2]], k = [[1, 0], [0, 1]], v = [[1], [2]];
    const r = attn.attention(q, k, v, { trace: true, temperature: 2, validLens: 1 });
    assert.deepEqual(Object.keys(r.steps).sort(), ['logits', 'output', 'scores', 'weights']);
    ref.assertClose(r.steps.scores.toArray(), [[1 / Math.SQRT2, 2 / Math.SQRT2]]);
    ref.assertClose(r.steps.logits.toArray(), [[1 / Math.SQRT2 / 2, -1e6]]);
    assert.equal(r.steps.weights, r.weights);
    const lean = attn.attention(q, k, v, { weights: false });
    assert.equal(lean.weights, null);
    ref.assertClose(lean.output.toArray(), attn.attention(q, k, v).output.toArray(), { abs: 0, rel: 0 });
  });

  test(`[${name}] multi-head attention against the float64 reference`, () => {
    const next = rng(5);
    for (const [B, Q, K, dq, dk, dv, D, H, dout] of [[0, 3, 4, 6, 6, 6, 6, 2, 6], [2, 5, 3, 4, 7, 3, 8, 4, 5], [1, 2, 2, 3, 3, 3, 3, 1, 2]]) {
      const batch = Math.max(B, 1);
      const q = Array.from({ length: batch }, () => randomMatrix(Q, dq, next));
      const k = Array.from({ length: batch }, () => randomMatrix(K, dk, next));
      const v = Array.from({ length: batch }, () => randomMatrix(K, dv, next));
      const w = { wq: randomMatrix(dq, D, next), wk: randomMatrix(dk, D, next), wv: randomMatrix(dv, D, next), wo: randomMatrix(D, dout, next) };
      const causal = H > 1;
      const got = attn.multiHeadAttention(B ? q : q[0], B ? k : k[0], B ? v : v[0], { numHeads: H, ...w, causal, fill: -Infinity });
      const d = D / H;
      for (let b = 0; b < batch; b++) {
        const [qp, kp, vp] = [[q[b], w.wq], [k[b], w.wk], [v[b], w.wv]].map(([x, m]) => ref.matmulRows(x, m));
        const heads = [];
        const concat = qp.map(() => []);
        for (let h = 0; h < H; h++) {
          const cols = (m) => m.map((row) => row.slice(h * d, (h + 1) * d));
          const r = ref.attention(cols(qp), cols(kp), cols(vp), { fill: -Infinity, keep: (i, j) => !causal || j <= i });
          heads.push(r.weights);
          r.output.forEach((row, i) => concat[i].push(...row));
        }
        const weights = B ? got.weights.toArray()[b] : got.weights.toArray();
        const output = B ? got.output.toArray()[b] : got.output.toArray();
        ref.assertClose(weights, heads, { what: `weights b=${b} H=${H}` });
        ref.assertClose(output, ref.matmulRows(concat, w.wo), { what: `output b=${b} H=${H}` });
      }
      assert.deepEqual(got.weights.shape, B ? [B, H, Q, K] : [H, Q, K]);
    }
  });

  test(`[${name}] positional encoding`, () => {
    for (const [length, dim] of [[1, 1], [7, 4], [50, 9]]) {
      ref.assertClose(attn.positionalEncoding(length, dim).toArray(), ref.positionalEncoding(length, dim), { abs: 1e-6 });
    }
  });
}

test('tensor inputs: nested arrays, { data, shape } with typed or plain data, Tensor results, booleans in masks', () => {
  const [[, attn]] = builds;
  const nested = attn.softmax([[1, 2], [3, 4]]);
  for (const data of [Float32Array.of(1, 2, 3, 4), Float64Array.of(1, 2, 3, 4), [1, 2, 3, 4]]) {
    assert.deepEqual(attn.softmax({ data, shape: [2, 2] }).data, nested.data);
  }
  assert.ok(nested instanceof Tensor);
  assert.deepEqual(attn.softmax(nested).shape, [2, 2]);  // a result is a valid input
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
