// positionalEncoding on random lengths and widths against the float64 definition, in both builds.
import '../support/relaxed.mjs';
import { test } from 'node:test';
import fc from 'fast-check';
import { init } from 'attention-playground';
import * as o from '../support/oracle.mjs';
import { axis } from './cases.mjs';
import { check } from './harness.mjs';

const builds = [
  ['simd', await init({ isa: 'simd128' })],
  ['scalar', await init({ isa: 'scalar' })],
  ['relaxed', await init({ isa: 'relaxed-simd' })],
];

test('positionalEncoding matches the float64 definition to float32 rounding', (t) => {
  check(
    t,
    'positionalEncoding',
    fc.record({ length: fc.integer({ min: 1, max: 512 }), dim: axis }),
    ({ length, dim }) => {
      const want = o.positionalEncoding(length, dim);
      for (const [name, attn] of builds) {
        const pe = attn.positionalEncoding(length, dim);
        want.forEach((row, p) =>
          row.forEach((x, col) => {
            const angle = p / 10000 ** ((col - (col % 2)) / dim);
            // float32 rounding of the result, plus the two float64 computations of the angle
            const tol = o.U * Math.abs(x) + Math.abs(angle) * 2 ** -50 + o.TINY;
            const got = pe.data[p * dim + col];
            if (!(Math.abs(got - x) <= tol)) throw new Error(`${name}: PE[${p}, ${col}] = ${got}, want ${x} ± ${tol}`);
          }),
        );
      }
    },
    { numRuns: 200 },
  );
});
