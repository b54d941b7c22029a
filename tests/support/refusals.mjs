// The refusals every suite that feeds the engine bad input checks: one table, read by
// tests/node/errors.test.mjs (each on every build, then the engine's memory after many) and
// tests/property/refusals.test.mjs (which adds random breakages of random valid calls). Each case:
// [description, call(attn), error type, pattern the message must match]; the message names the
// argument.
import { I2, k, q, v } from './matrices.mjs';

export const REFUSALS = [
  [
    'downsample without rows',
    (attn) => attn.downsample([[1, 2]], { cols: 1 }),
    TypeError,
    /^rows: expected an integer/,
  ],
  [
    'downsample to more rows than x has',
    (attn) => attn.downsample([[1, 2]], { rows: 2, cols: 1 }),
    RangeError,
    /^rows: must be in \[1, 1\] for x \[1, 2\], got 2/,
  ],
  [
    'downsample of a 3-D tensor',
    (attn) => attn.downsample([[[1]]], { rows: 1, cols: 1 }),
    RangeError,
    /^x: expected shape \[M, N\]/,
  ],
  [
    'downsample by a sum',
    (attn) => attn.downsample([[1]], { rows: 1, cols: 1, reduce: 'sum' }),
    TypeError,
    /^reduce: unknown reduction 'sum'/,
  ],
  [
    'downsample with reduce a number',
    (attn) => attn.downsample([[1]], { rows: 1, cols: 1, reduce: 1 }),
    TypeError,
    /^reduce: expected a string/,
  ],
  ['queries is a string', (attn) => attn.attention('abc', k, v), TypeError, /^queries: expected a nested array/],
  [
    'add of different shapes',
    (attn) => attn.add([[1, 2]], [[1], [2]]),
    RangeError,
    /^b: shape \[2, 1\] does not match a \[1, 2\]/,
  ],
  ['add overflowing float32', (attn) => attn.add([3e38], [3e38]), RangeError, /a \+ b/],
  ['keys is null', (attn) => attn.attention(q, null, v), TypeError, /^keys: /],
  ['values is a plain object', (attn) => attn.attention(q, k, { rows: 3 }), TypeError, /^values: /],
  [
    'ragged queries',
    (attn) => attn.attention([[1, 2], [3]], k, v),
    TypeError,
    /^queries\[1\]: ragged nested array: length 1, expected 2/,
  ],
  [
    'a string inside keys',
    (attn) =>
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
    (attn) => attn.attention(q, k, v, { scoring: 'cosine' }),
    TypeError,
    /^scoring: unknown scoring function 'cosine'/,
  ],
  ['unknown mode', (attn) => attn.attention(q, k, v, { mode: 'hard' }), TypeError, /^mode: unknown mode 'hard'/],
  [
    'snake_case option',
    (attn) => attn.attention(q, k, v, { valid_lens: [1, 2] }),
    TypeError,
    /unknown option 'valid_lens' \(did you mean 'validLens'\?\)/,
  ],
  ['options not an object', (attn) => attn.softmax([1, 2], 3), TypeError, /^softmax: options must be an object/],
  [
    'temperature as a string',
    (attn) => attn.softmax([1, 2], { temperature: '2' }),
    TypeError,
    /^temperature: expected a number/,
  ],
  [
    'causal as a number',
    (attn) => attn.attention(q, k, v, { causal: 1 }),
    TypeError,
    /^causal: expected true or false/,
  ],
  [
    'additive without wq',
    (attn) => attn.attention(q, k, v, { scoring: 'additive', wk: [[1], [1]], v: [1] }),
    TypeError,
    /^wq: required for scoring 'additive'/,
  ],
  [
    'bilinear without w',
    (attn) => attn.score(q, k, { scoring: 'bilinear' }),
    TypeError,
    /^w: required for scoring 'bilinear'/,
  ],
  ['selfAttention without wv', (attn) => attn.selfAttention(q, { wq: [[1], [1]], wk: [[1], [1]] }), TypeError, /wv/],
  [
    'selfAttention with additive',
    (attn) => attn.selfAttention(q, { wq: [[1], [1]], wk: [[1], [1]], wv: [[1], [1]], scoring: 'additive' }),
    TypeError,
    /^scoring: 'additive' is not available in selfAttention/,
  ],
  [
    'multi-head without wo',
    (attn) => attn.multiHeadAttention(q, q, q, { numHeads: 1, wq: q, wk: q, wv: q }),
    TypeError,
    /^wo: required/,
  ],
  ['positionalEncoding length as a string', (attn) => attn.positionalEncoding('8', 4), TypeError, /^length: /],

  [
    'dot scoring with dq != dk',
    (attn) => attn.attention(q, [[1, 2, 3]], [[1]]),
    RangeError,
    /^keys: scaled_dot scoring needs .* dq = 2 and dk = 3/,
  ],
  [
    'values rows != keys rows',
    (attn) => attn.attention(q, k, [[1], [2]]),
    RangeError,
    /^values: shape \[2, 1\] does not match keys \[3, 2\]/,
  ],
  [
    'batched queries, unbatched keys',
    (attn) => attn.attention([q], k, v),
    RangeError,
    /^queries, keys, values: ranks 3, 2, 2 differ/,
  ],
  [
    'rank-1 queries',
    (attn) => attn.attention([1, 2], k, v),
    RangeError,
    /^queries: expected shape \[Q, dq\] or \[B, Q, dq\], got \[2\]/,
  ],
  ['an empty axis', (attn) => attn.attention([[]], k, v), RangeError, /^queries: every dimension must be at least 1/],
  [
    'an empty axis beside huge ones',
    (attn) => attn.softmax({ data: [], shape: [0, 4294967295, 4294967295] }),
    RangeError,
    /^x: .*over the limit of 16777216 elements/,
  ],
  [
    'NaN in queries',
    (attn) =>
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
    (attn) => attn.attention(q, k, [[1], [Infinity], [3]]),
    RangeError,
    /^values: element \[1, 0\] is Infinity/,
  ],
  [
    '-Infinity in wq',
    (attn) => attn.score(q, k, { scoring: 'additive', wq: [[-Infinity], [1]], wk: [[1], [1]], v: [1] }),
    RangeError,
    /^wq: element \[0, 0\] is -Infinity/,
  ],
  ['a value beyond float32', (attn) => attn.softmax([1e39, 1]), RangeError, /^x: element \[0\] is Infinity/],
  [
    'validLens above K',
    (attn) => attn.attention(q, k, v, { validLens: [1, 4] }),
    RangeError,
    /^validLens: element \[1\] is 4\.0+; lengths must be integers in \[0, 3\]/,
  ],
  [
    'validLens negative',
    (attn) => attn.attention(q, k, v, { validLens: -1 }),
    RangeError,
    /^validLens: .*integers in \[0, 3\]/,
  ],
  [
    'validLens fractional',
    (attn) => attn.maskedSoftmax([[1, 2]], [1.5]),
    RangeError,
    /^validLens: element \[0\] is 1\.5/,
  ],
  [
    'validLens of the wrong shape',
    (attn) => attn.attention(q, k, v, { validLens: [1, 2, 3] }),
    RangeError,
    /^validLens: shape \[3\] does not fit scores of shape \[2, 3\]/,
  ],
  [
    'mask with a 2',
    (attn) =>
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
    (attn) =>
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
    (attn) =>
      attn.multiHeadAttention(q, q, q, {
        numHeads: 3,
        wq: I2,
        wk: I2,
        wv: I2,
        wo: [[1], [1]],
      }),
    RangeError,
    /^numHeads: 3 does not divide the model width D = 2/,
  ],
  [
    'numHeads 0',
    (attn) => attn.multiHeadAttention(q, q, q, { numHeads: 0, wq: q, wk: q, wv: q, wo: q }),
    RangeError,
    /^numHeads: /,
  ],
  [
    'wk of the wrong shape',
    (attn) =>
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
    (attn) => attn.attention(q, k, v, { temperature: 0 }),
    RangeError,
    /^temperature: must be a finite number > 0/,
  ],
  ['temperature NaN', (attn) => attn.softmax([1], { temperature: NaN }), RangeError, /^temperature: /],
  [
    'fill NaN',
    (attn) => attn.attention(q, k, v, { fill: NaN, validLens: 1 }),
    RangeError,
    /^fill: must be a number or -Infinity/,
  ],
  ['fill +Infinity', (attn) => attn.maskedSoftmax([[1, 2]], 1, { fill: Infinity }), RangeError, /^fill: /],
  [
    'seed fractional',
    (attn) => attn.attention(q, k, v, { mode: 'sample', seed: 1.5 }),
    RangeError,
    /^seed: expected an integer/,
  ],
  [
    'data length != product of shape',
    (attn) => attn.softmax({ data: [1, 2, 3], shape: [2, 2] }),
    RangeError,
    /^x: data has 3 elements but shape \[2, 2\] needs 4/,
  ],
  [
    'a negative shape entry',
    (attn) => attn.softmax({ data: [], shape: [-1] }),
    RangeError,
    /^x: shape entries must be integers >= 0/,
  ],
  [
    'an input over the size limit',
    (attn) => attn.softmax({ data: [], shape: [5000, 5000] }),
    RangeError,
    /^x: shape \[5000, 5000\] has 25000000 elements, over the limit of 16777216/,
  ],
  [
    'scores over the size limit',
    (attn) =>
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
    (attn) => attn.attention([[1e30]], [[1e30]], [[1]], { scoring: 'dot' }),
    RangeError,
    /^scores: .*overflowed float32/,
  ],
  [
    'a temperature that overflows the logits',
    (attn) => attn.attention([[1e15]], [[1e15]], [[1]], { scoring: 'dot', temperature: 1e-30 }),
    RangeError,
    /^logits: .*overflowed float32.*larger temperature/,
  ],
  [
    'positionalEncoding(0, 4)',
    (attn) => attn.positionalEncoding(0, 4),
    RangeError,
    /^positionalEncoding: length and dim must be at least 1/,
  ],

  // the transformer-block ops
  [
    'multi-head bias of the wrong length',
    (attn) => attn.multiHeadAttention(q, q, q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, bk: [1, 2, 3] }),
    RangeError,
    /^bk: expected shape \[2\], got \[3\]/,
  ],
  [
    'multi-head bias as a string',
    (attn) => attn.multiHeadAttention(q, q, q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, bo: 'zero' }),
    TypeError,
    /^bo: /,
  ],
  ['layerNorm eps 0', (attn) => attn.layerNorm(q, { eps: 0 }), RangeError, /^eps: must be a finite number > 0/],
  ['layerNorm eps Infinity', (attn) => attn.layerNorm(q, { eps: Infinity }), RangeError, /^eps: /],
  ['layerNorm eps as a string', (attn) => attn.layerNorm(q, { eps: '1e-5' }), TypeError, /^eps: expected a number/],
  [
    'layerNorm gamma of the wrong length',
    (attn) => attn.layerNorm(q, { gamma: [1, 1, 1] }),
    RangeError,
    /^gamma: expected shape \[2\], got \[3\] \(\[D\], D = 2 from x\)/,
  ],
  [
    'layerNorm with an unknown option',
    (attn) => attn.layerNorm(q, { epsilon: 1e-5 }),
    TypeError,
    /^layerNorm: unknown option 'epsilon'/,
  ],
  [
    'linear w of the wrong shape',
    (attn) => attn.linear(q, [[1, 2, 3]]),
    RangeError,
    /^w: expected shape \[2, any\], got \[1, 3\]/,
  ],
  ['linear without w', (attn) => attn.linear(q), TypeError, /^w: /],
  [
    'linear bias of the wrong length',
    (attn) => attn.linear(q, q, { bias: [1] }),
    RangeError,
    /^bias: expected shape \[2\], got \[1\]/,
  ],
  ['feedForward without w2', (attn) => attn.feedForward(q, { w1: q }), TypeError, /^w2: required by feedForward/],
  [
    'feedForward unknown activation',
    (attn) => attn.feedForward(q, { w1: q, w2: q, activation: 'tanh' }),
    TypeError,
    /^activation: unknown activation 'tanh'; expected 'relu' or 'gelu'/,
  ],
  [
    'feedForward w2 not matching w1',
    (attn) =>
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
    (attn) => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w2: q }),
    TypeError,
    /^w1: required by transformerBlock/,
  ],
  [
    'transformerBlock unknown norm',
    (attn) => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q, norm: 'middle' }),
    TypeError,
    /^norm: unknown placement 'middle'; expected 'post' or 'pre'/,
  ],
  [
    'transformerBlock norm as a boolean',
    (attn) => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q, norm: true }),
    TypeError,
    /^norm: expected a string/,
  ],
  [
    'transformerBlock numHeads not dividing D',
    (attn) => attn.transformerBlock(q, { numHeads: 3, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q }),
    RangeError,
    /^numHeads: 3 does not divide the model width D = 2/,
  ],
  [
    'transformerBlock wo not [D, D]',
    (attn) => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: [[1], [1]], w1: q, w2: q }),
    RangeError,
    /^wo: expected shape \[2, 2\], got \[2, 1\]/,
  ],
  [
    'transformerBlock w2 not back to D',
    (attn) => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: [[1], [1]] }),
    RangeError,
    /^w2: expected shape \[2, 2\], got \[2, 1\]/,
  ],
  [
    'transformerBlock beta2 of the wrong length',
    (attn) => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q, beta2: [0] }),
    RangeError,
    /^beta2: expected shape \[2\], got \[1\]/,
  ],
  [
    'transformerBlock eps negative',
    (attn) => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q, eps: -1 }),
    RangeError,
    /^eps: /,
  ],
  [
    'transformerBlock rank-1 x',
    (attn) => attn.transformerBlock([1, 2], { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q }),
    RangeError,
    /^x: expected shape \[T, D\] or \[B, T, D\], got \[2\]/,
  ],
  [
    'transformerBlock temperature (not an option)',
    (attn) => attn.transformerBlock(q, { numHeads: 1, wq: q, wk: q, wv: q, wo: q, w1: q, w2: q, temperature: 2 }),
    TypeError,
    /^transformerBlock: unknown option 'temperature'/,
  ],
];
