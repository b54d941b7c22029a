// attn.downsample, the heatmap of a large matrix (#example=quadratic-cost): each block's mean or
// max against the float64 oracle, at sizes that do and do not divide evenly, in both builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from 'attention-playground';
import { assertClose, downsample } from '../support/oracle.mjs';
import { randomMatrix, rng } from '../support/random.mjs';

for (const simd of [true, false]) {
  test(`[${simd ? 'simd' : 'scalar'}] downsample: mean and max of each block, with its edges`, async () => {
    const attn = await init({ simd });
    const next = rng(simd ? 31 : 32);
    for (const [M, N, rows, cols] of [
      [7, 10, 3, 4],
      [64, 64, 64, 64],
      [65, 129, 8, 16],
      [1, 5, 1, 2],
      [300, 17, 7, 17],
    ]) {
      const x = randomMatrix(M, N, next);
      for (const reduce of ['mean', 'max']) {
        const d = attn.downsample(x, { rows, cols, reduce });
        assert.deepEqual(d.values.shape, [rows, cols]);
        const want = downsample(x, rows, cols, reduce);
        d.values
          .toArray()
          .forEach((row, r) =>
            row.forEach((v, c) =>
              assertClose(v, want[r][c], { what: `${M}×${N} → ${rows}×${cols} ${reduce} [${r}, ${c}]` }),
            ),
          );
        assert.deepEqual(
          Array.from(d.rowEdges.data),
          Array.from({ length: rows + 1 }, (_, i) => Math.floor((i * M) / rows)),
        );
        assert.deepEqual(
          Array.from(d.colEdges.data),
          Array.from({ length: cols + 1 }, (_, j) => Math.floor((j * N) / cols)),
        );
      }
    }
  });
}
