// positionalEncoding() through the public JS API, in both builds, against the float64 definition.
import '../support/relaxed.mjs';
import { test } from 'node:test';
import { init } from 'attention-playground';
import * as ref from '../support/oracle.mjs';

const builds = [
  ['simd', await init({ isa: 'simd128' })],
  ['scalar', await init({ isa: 'scalar' })],
  ['relaxed', await init({ isa: 'relaxed-simd' })],
];

for (const [name, attn] of builds) {
  test(`[${name}] positional encoding`, () => {
    for (const [length, dim] of [
      [1, 1],
      [7, 4],
      [50, 9],
    ]) {
      ref.assertClose(attn.positionalEncoding(length, dim).toArray(), ref.positionalEncoding(length, dim), {
        abs: 1e-6,
      });
    }
  });
}
