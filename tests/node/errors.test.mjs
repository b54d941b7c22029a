// Bad input: a TypeError or RangeError whose message names the argument; never an abort; the engine
// stays usable and its memory stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from 'attention-playground';

const q = [
    [1, 2],
    [3, 4],
  ],
  k = [
    [1, 0],
    [0, 1],
    [1, 1],
  ],
  v = [[1], [2], [3]];

// [description, call, error type, pattern the message must match]
const CASES = (attn) => [
  ['downsample without rows', () => attn.downsample([[1, 2]], { cols: 1 }), TypeError, /^rows: expected an integer/],
  [
    'downsample to more rows than x has',
    () => attn.downsample([[1, 2]], { rows: 2, cols: 1 }),
    RangeError,
    /^rows: must be in \[1, 1\] for x \[1, 2\], got 2/,
  ],
  [
    'downsample of a 3-D tensor',
    () => attn.downsample([[[1]]], { rows: 1, cols: 1 }),
    RangeError,
    /^x: expected shape \[M, N\]/,
  ],
  [
    'downsample by a sum',
    () => attn.downsample([[1]], { rows: 1, cols: 1, reduce: 'sum' }),
    TypeError,
    /^reduce: unknown reduction 'sum'/,
  ],
  [
    'downsample with reduce a number',
    () => attn.downsample([[1]], { rows: 1, cols: 1, reduce: 1 }),
    TypeError,
    /^reduce: expected a string/,
  ],
  ['queries is a string', () => attn.attention('abc', k, v), TypeError, /^queries: expected a nested array/],
  [
    'add of different shapes',
    () => attn.add([[1, 2]], [[1], [2]]),
    RangeError,
    /^b: shape \[2, 1\] does not match a \[1, 2\]/,
  ],
  ['add overflowing float32', () => attn.add([3e38], [3e38]), RangeError, /a \+ b/],
  ['keys is null', () => attn.attention(q, null, v), TypeError, /^keys: /],
  ['values is a plain object', () => attn.attention(q, k, { rows: 3 }), TypeError, /^values: /],
  [
    'ragged queries',
    () => attn.attention([[1, 2], [3]], k, v),
    TypeError,
    /^queries\[1\]: ragged nested array: length 1, expected 2/,
  ],
  [
    'a string inside keys',
    () =>
      attn.attention(
        q,
        [
          [1, 0],
          [0, '1'],
          [1, 1],
        ],
        v,
      ),
    TypeError,
    /^keys\[1\]\[1\]: expected a number/,
  ],
  [
    'unknown scoring',
    () => attn.attention(q, k, v, { scoring: 'cosine' }),
    TypeError,
    /^scoring: unknown scoring function 'cosine'/,
  ],
  ['unknown mode', () => attn.attention(q, k, v, { mode: 'hard' }), TypeError, /^mode: unknown mode 'hard'/],
  [
    'snake_case option',
    () => attn.attention(q, k, v, { valid_lens: [1, 2] }),
    TypeError,
    /unknown option 'valid_lens' \(did you mean 'validLens'\?\)/,
  ],
  ['options not an object', () => attn.softmax([1, 2], 3), TypeError, /^softmax: options must be an object/],
  [
    'temperature as a string',
    () => attn.softmax([1, 2], { temperature: '2' }),
    TypeError,
    /^temperature: expected a number/,
  ],
  ['causal as a number', () => attn.attention(q, k, v, { causal: 1 }), TypeError, /^causal: expected true or false/],
  [
    'additive without wq',
    () => attn.attention(q, k, v, { scoring: 'additive', wk: [[1], [1]], v: [1] }),
    TypeError,
    /^wq: required for scoring 'additive'/,
  ],
  [
    'bilinear without w',
    () => attn.score(q, k, { scoring: 'bilinear' }),
    TypeError,
    /^w: required for scoring 'bilinear'/,
  ],
  ['selfAttention without wv', () => attn.selfAttention(q, { wq: [[1], [1]], wk: [[1], [1]] }), TypeError, /wv/],
  [
    'selfAttention with additive',
    () => attn.selfAttention(q, { wq: [[1], [1]], wk: [[1], [1]], wv: [[1], [1]], scoring: 'additive' }),
    TypeError,
    /^scoring: 'additive' is not available in selfAttention/,
  ],
  [
    'multi-head without wo',
    () => attn.multiHeadAttention(q, q, q, { numHeads: 1, wq: q, wk: q, wv: q }),
    TypeError,
    /^wo: required/,
  ],
  ['positionalEncoding length as a string', () => attn.positionalEncoding('8', 4), TypeError, /^length: /],

  [
    'dot scoring with dq != dk',
    () => attn.attention(q, [[1, 2, 3]], [[1]]),
    RangeError,
    /^keys: scaled_dot scoring needs .* dq = 2 and dk = 3/,
  ],
  [
    'values rows != keys rows',
    () => attn.attention(q, k, [[1], [2]]),
    RangeError,
    /^values: shape \[2, 1\] does not match keys \[3, 2\]/,
  ],
  [
    'batched queries, unbatched keys',
    () => attn.attention([q], k, v),
    RangeError,
    /^queries, keys, values: ranks 3, 2, 2 differ/,
  ],
  [
    'rank-1 queries',
    () => attn.attention([1, 2], k, v),
    RangeError,
    /^queries: expected shape \[Q, dq\] or \[B, Q, dq\], got \[2\]/,
  ],
  ['an empty axis', () => attn.attention([[]], k, v), RangeError, /^queries: every dimension must be at least 1/],
  [
    'an empty axis beside huge ones',
    () => attn.softmax({ data: [], shape: [0, 4294967295, 4294967295] }),
    RangeError,
    /^x: .*over the limit of 16777216 elements/,
  ],
  [
    'NaN in queries',
    () =>
      attn.attention(
        [
          [1, NaN],
          [3, 4],
        ],
        k,
        v,
      ),
    RangeError,
    /^queries: element \[0, 1\] is NaN/,
  ],
  [
    'Infinity in values',
    () => attn.attention(q, k, [[1], [Infinity], [3]]),
    RangeError,
    /^values: element \[1, 0\] is Infinity/,
  ],
  [
    '-Infinity in wq',
    () => attn.score(q, k, { scoring: 'additive', wq: [[-Infinity], [1]], wk: [[1], [1]], v: [1] }),
    RangeError,
    /^wq: element \[0, 0\] is -Infinity/,
  ],
  ['a value beyond float32', () => attn.softmax([1e39, 1]), RangeError, /^x: element \[0\] is Infinity/],
  [
    'validLens above K',
    () => attn.attention(q, k, v, { validLens: [1, 4] }),
    RangeError,
    /^validLens: element \[1\] is 4\.0+; lengths must be integers in \[0, 3\]/,
  ],
  [
    'validLens negative',
    () => attn.attention(q, k, v, { validLens: -1 }),
    RangeError,
    /^validLens: .*integers in \[0, 3\]/,
  ],
  ['validLens fractional', () => attn.maskedSoftmax([[1, 2]], [1.5]), RangeError, /^validLens: element \[0\] is 1\.5/],
  [
    'validLens of the wrong shape',
    () => attn.attention(q, k, v, { validLens: [1, 2, 3] }),
    RangeError,
    /^validLens: shape \[3\] does not fit scores of shape \[2, 3\]/,
  ],
  [
    'mask with a 2',
    () =>
      attn.attention(q, k, v, {
        mask: [
          [1, 2, 1],
          [1, 1, 1],
        ],
      }),
    RangeError,
    /^mask: entries must be 0 or 1/,
  ],
  [
    'mask of the wrong shape',
    () =>
      attn.attention(q, k, v, {
        mask: [
          [1, 1],
          [1, 1],
        ],
      }),
    RangeError,
    /^mask: expected shape \[2, 3\]/,
  ],
  [
    'numHeads not dividing D',
    () =>
      attn.multiHeadAttention(q, q, q, {
        numHeads: 3,
        wq: [
          [1, 0],
          [0, 1],
        ],
        wk: [
          [1, 0],
          [0, 1],
        ],
        wv: [
          [1, 0],
          [0, 1],
        ],
        wo: [[1], [1]],
      }),
    RangeError,
    /^numHeads: 3 does not divide the model width D = 2/,
  ],
  [
    'numHeads 0',
    () => attn.multiHeadAttention(q, q, q, { numHeads: 0, wq: q, wk: q, wv: q, wo: q }),
    RangeError,
    /^numHeads: /,
  ],
  [
    'wk of the wrong shape',
    () =>
      attn.multiHeadAttention(q, q, q, {
        numHeads: 1,
        wq: q,
        wk: [
          [1, 2, 3],
          [4, 5, 6],
        ],
        wv: q,
        wo: q,
      }),
    RangeError,
    /^wk: expected shape \[2, 2\], got \[2, 3\]/,
  ],
  [
    'temperature 0',
    () => attn.attention(q, k, v, { temperature: 0 }),
    RangeError,
    /^temperature: must be a finite number > 0/,
  ],
  ['temperature NaN', () => attn.softmax([1], { temperature: NaN }), RangeError, /^temperature: /],
  [
    'fill NaN',
    () => attn.attention(q, k, v, { fill: NaN, validLens: 1 }),
    RangeError,
    /^fill: must be a number or -Infinity/,
  ],
  ['fill +Infinity', () => attn.maskedSoftmax([[1, 2]], 1, { fill: Infinity }), RangeError, /^fill: /],
  [
    'seed fractional',
    () => attn.attention(q, k, v, { mode: 'sample', seed: 1.5 }),
    RangeError,
    /^seed: expected an integer/,
  ],
  [
    'data length != product of shape',
    () => attn.softmax({ data: [1, 2, 3], shape: [2, 2] }),
    RangeError,
    /^x: data has 3 elements but shape \[2, 2\] needs 4/,
  ],
  [
    'a negative shape entry',
    () => attn.softmax({ data: [], shape: [-1] }),
    RangeError,
    /^x: shape entries must be integers >= 0/,
  ],
  [
    'an input over the size limit',
    () => attn.softmax({ data: [], shape: [5000, 5000] }),
    RangeError,
    /^x: shape \[5000, 5000\] has 25000000 elements, over the limit of 16777216/,
  ],
  [
    'scores over the size limit',
    () =>
      attn.attention(
        { data: new Float32Array(4100), shape: [4100, 1] },
        { data: new Float32Array(4100), shape: [4100, 1] },
        { data: new Float32Array(4100), shape: [4100, 1] },
      ),
    RangeError,
    /^scores \[B, Q, K\]: 16810000 elements, over the limit of 16777216/,
  ],
  [
    'scores overflowing float32',
    () => attn.attention([[1e30]], [[1e30]], [[1]], { scoring: 'dot' }),
    RangeError,
    /^scores: .*overflowed float32/,
  ],
  [
    'a temperature that overflows the logits',
    () => attn.attention([[1e15]], [[1e15]], [[1]], { scoring: 'dot', temperature: 1e-30 }),
    RangeError,
    /^logits: .*overflowed float32.*larger temperature/,
  ],
  [
    'positionalEncoding(0, 4)',
    () => attn.positionalEncoding(0, 4),
    RangeError,
    /^positionalEncoding: length and dim must be at least 1/,
  ],

  // the transformer-block ops
  [
    'multi-head bias of the wrong length',
    () => attn.multiHeadAttention(q, q, q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, bk: [1, 2, 3] }),
    RangeError,
    /^bk: expected shape \[2\], got \[3\]/,
  ],
  [
    'multi-head bias as a string',
    () => attn.multiHeadAttention(q, q, q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, bo: 'zero' }),
    TypeError,
    /^bo: /,
  ],
  ['layerNorm eps 0', () => attn.layerNorm(q, { eps: 0 }), RangeError, /^eps: must be a finite number > 0/],
  ['layerNorm eps Infinity', () => attn.layerNorm(q, { eps: Infinity }), RangeError, /^eps: /],
  ['layerNorm eps as a string', () => attn.layerNorm(q, { eps: '1e-5' }), TypeError, /^eps: expected a number/],
  [
    'layerNorm gamma of the wrong length',
    () => attn.layerNorm(q, { gamma: [1, 1, 1] }),
    RangeError,
    /^gamma: expected shape \[2\], got \[3\] \(\[D\], D = 2 from x\)/,
  ],
  [
    'layerNorm with an unknown option',
    () => attn.layerNorm(q, { epsilon: 1e-5 }),
    TypeError,
    /^layerNorm: unknown option 'epsilon'/,
  ],
  [
    'linear w of the wrong shape',
    () => attn.linear(q, [[1, 2, 3]]),
    RangeError,
    /^w: expected shape \[2, any\], got \[1, 3\]/,
  ],
  ['linear without w', () => attn.linear(q), TypeError, /^w: /],
  [
    'linear bias of the wrong length',
    () => attn.linear(q, q, { bias: [1] }),
    RangeError,
    /^bias: expected shape \[2\], got \[1\]/,
  ],
  ['feedForward without w2', () => attn.feedForward(q, { w1: q }), TypeError, /^w2: required by feedForward/],
  [
    'feedForward unknown activation',
    () => attn.feedForward(q, { w1: q, w2: q, activation: 'tanh' }),
    TypeError,
    /^activation: unknown activation 'tanh'; expected 'relu' or 'gelu'/,
  ],
  [
    'feedForward w2 not matching w1',
    () =>
      attn.feedForward(q, {
        w1: [
          [1, 2, 3],
          [4, 5, 6],
        ],
        w2: q,
      }),
    RangeError,
    /^w2: expected shape \[3, any\], got \[2, 2\]/,
  ],
  [
    'transformerBlock without w1',
    () => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w2: q }),
    TypeError,
    /^w1: required by transformerBlock/,
  ],
  [
    'transformerBlock unknown norm',
    () => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q, norm: 'middle' }),
    TypeError,
    /^norm: unknown placement 'middle'; expected 'post' or 'pre'/,
  ],
  [
    'transformerBlock norm as a boolean',
    () => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q, norm: true }),
    TypeError,
    /^norm: expected a string/,
  ],
  [
    'transformerBlock numHeads not dividing D',
    () => attn.transformerBlock(q, { numHeads: 3, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q }),
    RangeError,
    /^numHeads: 3 does not divide the model width D = 2/,
  ],
  [
    'transformerBlock wo not [D, D]',
    () => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: [[1], [1]], w1: q, w2: q }),
    RangeError,
    /^wo: expected shape \[2, 2\], got \[2, 1\]/,
  ],
  [
    'transformerBlock w2 not back to D',
    () => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: [[1], [1]] }),
    RangeError,
    /^w2: expected shape \[2, 2\], got \[2, 1\]/,
  ],
  [
    'transformerBlock beta2 of the wrong length',
    () => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q, beta2: [0] }),
    RangeError,
    /^beta2: expected shape \[2\], got \[1\]/,
  ],
  [
    'transformerBlock eps negative',
    () => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q, eps: -1 }),
    RangeError,
    /^eps: /,
  ],
  [
    'transformerBlock rank-1 x',
    () => attn.transformerBlock([1, 2], { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q }),
    RangeError,
    /^x: expected shape \[T, D\] or \[B, T, D\], got \[2\]/,
  ],
  [
    'transformerBlock temperature (not an option)',
    () => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q, temperature: 2 }),
    TypeError,
    /^transformerBlock: unknown option 'temperature'/,
  ],
];

for (const simd of [true, false]) {
  const attn = await init({ simd });
  const build = simd ? 'simd' : 'scalar';

  test(`[${build}] every bad input throws the right error, naming the argument`, () => {
    for (const [what, call, type, pattern] of CASES(attn)) {
      assert.throws(
        call,
        (e) => {
          assert.equal(e.constructor, type, `${what}: got ${e.constructor.name}: ${e.message}`);
          assert.match(e.message, pattern, what);
          return true;
        },
        what,
      );
    }
  });

  test(`[${build}] the engine stays correct and its memory bounded after many errors`, () => {
    const W = [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      X = [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ];
    const before = attn.selfAttention(X, { wq: W, wk: W, wv: W }).output.toArray();
    const cases = CASES(attn);
    for (let round = 0; round < 3; round++) for (const [, call] of cases) assert.throws(call);
    const baseline = attn.memory();
    for (let round = 0; round < 40; round++) {
      for (const [, call] of cases) assert.throws(call);
      attn.attention(q, k, v, { trace: true });
      attn.multiHeadAttention([q], [q], [q], { numHeads: 2, wq: q, wk: q, wv: q, wo: q });
    }
    const after = attn.memory();
    assert.equal(after.heapBytes, baseline.heapBytes, 'the WASM memory did not grow');
    assert.ok(
      after.allocatedBytes <= baseline.allocatedBytes + 4096,
      `allocated ${after.allocatedBytes} bytes after, ${baseline.allocatedBytes} before`,
    );
    assert.deepEqual(attn.selfAttention(X, { wq: W, wk: W, wv: W }).output.toArray(), before);
  });

  test(`[${build}] a large call, then small ones: memory is given back`, () => {
    const n = 1500;
    const big = { data: new Float32Array(n * 8).fill(0.01), shape: [n, 8] };
    const baseline = attn.memory().allocatedBytes;
    const r = attn.attention(big, big, big);
    assert.deepEqual(r.weights.shape, [n, n]);
    assert.ok(attn.memory().allocatedBytes <= baseline + 4096, 'nothing of the call stays allocated');
  });
}
