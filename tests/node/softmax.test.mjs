// softmax() and maskedSoftmax() through the public JS API, in both builds, against the float64
// oracle (tests/support/oracle.mjs) and d2l's examples.
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
  test(`[${name}] d2l masked softmax: the article's examples, and a row of valid length 0`, () => {
    const next = rng(4);
    const x = Array.from({ length: 2 }, () => randomMatrix(2, 5, next, 0, 1));
    for (const [lens, len] of [
      [[2, 3], (b) => [2, 3][b]],
      [
        [
          [1, 3],
          [2, 4],
        ],
        (b, i) =>
          [
            [1, 3],
            [2, 4],
          ][b][i],
      ],
    ]) {
      const got = attn.maskedSoftmax(x, lens).toArray();
      x.forEach((xb, b) =>
        xb.forEach((row, i) => {
          const want = ref.softmaxRow(row.map((s, j) => (j < len(b, i) ? s : -1e6)));
          ref.assertClose(got[b][i], want, { what: `row (${b}, ${i})` });
        }),
      );
    }
    // valid length 0: uniform under d2l's -1e6, all zeros (never NaN) under -Infinity
    const zero = [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ];
    assert.deepEqual(
      attn
        .maskedSoftmax(zero, [[0, 3]])
        .toArray()[0][0]
        .map((w) => +w.toFixed(6)),
      [1 / 3, 1 / 3, 1 / 3].map((w) => +w.toFixed(6)),
    );
    assert.deepEqual(attn.maskedSoftmax(zero, [[0, 1]], { fill: -Infinity }).toArray(), [
      [
        [0, 0, 0],
        [1, 0, 0],
      ],
    ]);
    // 2-D input: [Q] is one length per row
    assert.deepEqual(
      attn
        .maskedSoftmax(
          [
            [1, 1],
            [1, 1],
          ],
          [1, 2],
          { fill: -Infinity },
        )
        .toArray(),
      [
        [1, 0],
        [0.5, 0.5],
      ],
    );
  });

  test(`[${name}] softmax: stable on [90, 100] and ±1e30, temperature divides the logits`, () => {
    ref.assertClose(attn.softmax([90, 100]).toArray(), ref.softmaxRow([90, 100]));
    ref.assertClose(attn.softmax([[1e30, -1e30, 1e30]]).toArray(), [[0.5, 0, 0.5]]);
    ref.assertClose(attn.softmax([1, 2, 3], { temperature: 0.5 }).toArray(), ref.softmaxRow([2, 4, 6]));
    const x3 = [
      [
        [1, 2],
        [3, 5],
      ],
      [
        [0, 0],
        [-1, 1],
      ],
    ];
    ref.assertClose(
      attn.softmax(x3).toArray(),
      x3.map((m) => m.map(ref.softmaxRow)),
    );
  });
}
