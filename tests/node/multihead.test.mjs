// multiHeadAttention() through the public JS API, in both builds, against the float64 oracle
// (tests/support/oracle.mjs): projections, every head, the output projection.
import '../support/relaxed.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from 'attention-playground';
import * as ref from '../support/oracle.mjs';
import { randomMatrix, rng } from '../support/random.mjs';

const builds = [
  ['simd', await init({ isa: 'simd128' })],
  ['scalar', await init({ isa: 'scalar' })],
  ['relaxed', await init({ isa: 'relaxed-simd' })],
];

for (const [name, attn] of builds) {
  test(`[${name}] multi-head attention against the float64 reference`, () => {
    const next = rng(5);
    for (const [B, Q, K, dq, dk, dv, D, H, dout] of [
      [0, 3, 4, 6, 6, 6, 6, 2, 6],
      [2, 5, 3, 4, 7, 3, 8, 4, 5],
      [1, 2, 2, 3, 3, 3, 3, 1, 2],
    ]) {
      const batch = Math.max(B, 1);
      const q = Array.from({ length: batch }, () => randomMatrix(Q, dq, next));
      const k = Array.from({ length: batch }, () => randomMatrix(K, dk, next));
      const v = Array.from({ length: batch }, () => randomMatrix(K, dv, next));
      const w = {
        wq: randomMatrix(dq, D, next),
        wk: randomMatrix(dk, D, next),
        wv: randomMatrix(dv, D, next),
        wo: randomMatrix(D, dout, next),
      };
      const causal = H > 1;
      const got = attn.multiHeadAttention(B ? q : q[0], B ? k : k[0], B ? v : v[0], {
        numHeads: H,
        ...w,
        causal,
        fill: -Infinity,
      });
      const d = D / H;
      for (let b = 0; b < batch; b++) {
        const [qp, kp, vp] = [
          [q[b], w.wq],
          [k[b], w.wk],
          [v[b], w.wv],
        ].map(([x, m]) => ref.matmulRows(x, m));
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
}
