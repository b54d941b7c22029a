// weights: false runs the streaming (flash) kernel; weights: true builds the weights. Through the
// public API, in both builds, they must give the same output, and the float64 reference's, for
// every mask kind and both fills, at sizes around the kernel's blocks (16 query rows, 64 keys).
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

const SIZES = [
  [1, 1],
  [5, 63],
  [16, 64],
  [17, 65],
  [33, 130],
  [40, 7],
];
const MASKS = ['none', 'validLens', 'mask', 'causal', 'causal+validLens'];

for (const [name, attn] of builds) {
  test(`[${name}] weights: false matches weights: true and the float64 reference`, () => {
    const next = rng(name === 'simd' ? 11 : 12);
    let trial = 0;
    for (const [Q, K] of SIZES) {
      for (const kind of MASKS) {
        for (const fill of [-1e6, -Infinity]) {
          const d = 1 + (trial % 9),
            dv = 1 + ((trial * 5) % 11);
          trial++;
          const q = randomMatrix(Q, d, next),
            k = randomMatrix(K, d, next),
            v = randomMatrix(K, dv, next);
          // lengths include 0 (a fully masked row: uniform under -1e6, zeros under -Infinity)
          const lens = Array.from({ length: Q }, (_, i) => (i === 0 ? 0 : Math.floor(next(0, K + 1))));
          const mask = randomMatrix(Q, K, next, 0, 1).map((r) => r.map((x) => (x < 0.7 ? 1 : 0)));
          const options = { fill, temperature: [1, 0.5, 2][trial % 3] };
          if (kind.includes('validLens')) options.validLens = lens;
          if (kind === 'mask') options.mask = mask;
          if (kind.startsWith('causal')) options.causal = true;
          const keep = (i, j) =>
            (!options.validLens || j < lens[i]) && (!options.mask || mask[i][j] === 1) && (!options.causal || j <= i);
          const what = `Q=${Q} K=${K} d=${d} dv=${dv} mask ${kind} fill ${fill}`;
          const lean = attn.attention(q, k, v, { ...options, weights: false });
          const full = attn.attention(q, k, v, options);
          assert.equal(lean.weights, null, what);
          ref.assertClose(lean.output.toArray(), full.output.toArray(), {
            what: `${what}: streamed vs materialised`,
            abs: 2e-6,
            rel: 2e-5,
          });
          const want = ref.attention(q, k, v, { ...options, keep });
          ref.assertClose(lean.output.toArray(), want.output, { what: `${what}: streamed vs float64` });
        }
      }
    }
  });
}
