// attention() and selfAttention() through the public JS API, in both builds: the seed article's
// example in closed form, random shapes, scorings and masks against the float64 oracle
// (tests/support/oracle.mjs), batches, the causal mask, the hard modes and the trace.
import '../support/relaxed.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from 'attention-playground';
import * as ref from '../support/oracle.mjs';
import { SEED_W, SEED_X } from '../../web/components/examples/self-attention.js';
import { randomMatrix, rng } from '../support/random.mjs';

const builds = [
  ['simd', await init({ isa: 'simd128' })],
  ['scalar', await init({ isa: 'scalar' })],
  ['relaxed', await init({ isa: 'relaxed-simd' })],
];

for (const [name, attn] of builds) {
  test(`[${name}] the seed article's self-attention example, computed correctly`, () => {
    // X = I3, W_Q = W_K = W_V = [[1,0],[0,1],[1,1]], d_k = 2. X W = W, so Q = K = V = W (3 × 2);
    // Q Kᵀ = [[1,0,1],[0,1,1],[1,1,2]] (3 × 3), not the published 2 × 3 matrix.
    const W = SEED_W;
    const r = attn.selfAttention(SEED_X, { wq: W, wk: W, wv: W });
    for (const m of [r.q, r.k, r.v]) assert.deepEqual(m.toArray(), W);
    const a = Math.SQRT1_2;
    assert.deepEqual(r.scores.shape, [3, 3]);
    ref.assertClose(
      r.scores.toArray(),
      [
        [a, 0, a],
        [0, a, a],
        [a, a, 2 * a],
      ],
      { what: 'scores' },
    );
    const ea = Math.exp(a),
      e2a = Math.exp(2 * a);
    const w0 = [ea, 1, ea].map((x) => x / (2 * ea + 1));
    const w2 = [ea, ea, e2a].map((x) => x / (2 * ea + e2a));
    ref.assertClose(r.weights.toArray(), [w0, [w0[1], w0[0], w0[2]], w2], { what: 'weights' });
    // output row i = weights_i · V
    const out = [w0, [w0[1], w0[0], w0[2]], w2].map((w) => [w[0] + w[2], w[1] + w[2]]);
    ref.assertClose(r.output.toArray(), out, { what: 'output' });
    assert.deepEqual(r.output.shape, [3, 2]); // published: [[1/2, 1/2], [0, 0]], 2 × 2
    assert.ok(Math.abs(r.output.toArray()[0][0] - 0.5) > 0.2);
  });

  test(`[${name}] random shapes, scorings and masks against the float64 reference`, () => {
    const next = rng(name === 'simd' ? 1 : 2);
    const int = (lo, hi) => lo + Math.floor(next(0, 1) * (hi - lo + 1));
    for (let trial = 0; trial < 120; trial++) {
      const Q = int(1, 19),
        K = int(1, 19),
        dq = int(1, 17),
        dv = int(1, 9);
      const scoring = ['dot', 'scaled_dot', 'additive', 'bilinear'][trial % 4];
      const dk = scoring === 'additive' || scoring === 'bilinear' ? int(1, 13) : dq;
      const h = int(1, 11);
      const q = randomMatrix(Q, dq, next),
        k = randomMatrix(K, dk, next),
        v = randomMatrix(K, dv, next);
      const options = { scoring, temperature: [1, 0.5, 2.5][trial % 3], fill: trial % 5 === 0 ? -Infinity : -1e6 };
      if (scoring === 'additive') {
        Object.assign(options, {
          wq: randomMatrix(dq, h, next),
          wk: randomMatrix(dk, h, next),
          v: randomMatrix(1, h, next)[0],
        });
      }
      if (scoring === 'bilinear') options.w = randomMatrix(dq, dk, next);
      const lens = Array.from({ length: Q }, () => int(0, K));
      const mask = randomMatrix(Q, K, next, 0, 1).map((r) => r.map((x) => (x < 0.8 ? 1 : 0)));
      const kind = trial % 4; // none, validLens, mask, causal + validLens
      if (kind === 1) options.validLens = lens;
      if (kind === 2) options.mask = mask;
      if (kind === 3) Object.assign(options, { causal: true, validLens: lens });
      const keep = (i, j) =>
        ((kind !== 1 && kind !== 3) || j < lens[i]) && (kind !== 2 || mask[i][j] === 1) && (kind !== 3 || j <= i);
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
    const B = 3,
      Q = 4,
      K = 6,
      d = 5;
    const q = Array.from({ length: B }, () => randomMatrix(Q, d, next));
    const k = Array.from({ length: B }, () => randomMatrix(K, d, next));
    const v = Array.from({ length: B }, () => randomMatrix(K, 2, next));
    const perBatch = [1, 6, 3],
      perRow = [
        [0, 1, 2, 3],
        [6, 5, 4, 3],
        [2, 2, 2, 2],
      ];
    for (const [validLens, len] of [
      [perBatch, (b) => perBatch[b]],
      [perRow, (b, i) => perRow[b][i]],
      [4, () => 4],
    ]) {
      const got = attn.attention(q, k, v, { validLens, fill: -Infinity });
      assert.deepEqual(got.output.shape, [B, Q, 2]);
      for (let b = 0; b < B; b++) {
        const want = ref.attention(q[b], k[b], v[b], { fill: -Infinity, keep: (i, j) => j < len(b, i) });
        ref.assertClose(got.weights.toArray()[b], want.weights, { what: `batch ${b} weights` });
        ref.assertClose(got.output.toArray()[b], want.output, { what: `batch ${b} output` });
      }
    }
  });

  test(`[${name}] causal mask is top-left aligned, also when Q != K`, () => {
    const q = [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      k = [
        [1, 1],
        [1, 0],
        [0, 1],
        [2, 2],
      ];
    const w = attn.attention(q, k, k, { causal: true, fill: -Infinity }).weights.toArray();
    w.forEach((row, i) => row.forEach((x, j) => (j > i ? assert.equal(x, 0) : assert.ok(x > 0))));
  });

  test(`[${name}] argmax takes the first index on ties; sample is seeded`, () => {
    const r = attn.attention(
      [[1, 1]],
      [
        [1, 1],
        [1, 1],
        [0, 0],
      ],
      [[1], [2], [3]],
      { mode: 'argmax', trace: true },
    );
    assert.deepEqual(r.weights.toArray(), [[1, 0, 0]]);
    assert.deepEqual(r.output.toArray(), [[1]]);
    ref.assertClose(r.steps.probabilities.toArray()[0], ref.softmaxRow([2, 2, 0].map((s) => s / Math.SQRT2)));
    // 3000 identical rows with weights [0.2, 0.3, 0.5]: a seeded draw per row
    const logits = [Math.log(0.2), Math.log(0.3), Math.log(0.5)];
    const q = Array.from({ length: 3000 }, () => [1]),
      k = logits.map((l) => [l]);
    const draw = (seed) =>
      attn
        .attention(q, k, [[0], [1], [2]], { scoring: 'dot', mode: 'sample', seed })
        .output.toArray()
        .map((r) => r[0]);
    const a = draw(7),
      b = draw(7),
      c = draw(8);
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
    const q = [[1, 2]],
      k = [
        [1, 0],
        [0, 1],
      ],
      v = [[1], [2]];
    const r = attn.attention(q, k, v, { trace: true, temperature: 2, validLens: 1 });
    assert.deepEqual(Object.keys(r.steps).sort(), ['logits', 'output', 'scores', 'weights']);
    ref.assertClose(r.steps.scores.toArray(), [[1 / Math.SQRT2, 2 / Math.SQRT2]]);
    ref.assertClose(r.steps.logits.toArray(), [[1 / Math.SQRT2 / 2, -1e6]]);
    assert.equal(r.steps.weights, r.weights);
    const lean = attn.attention(q, k, v, { weights: false });
    assert.equal(lean.weights, null);
    ref.assertClose(lean.output.toArray(), attn.attention(q, k, v).output.toArray(), { abs: 0, rel: 0 });
  });
}
