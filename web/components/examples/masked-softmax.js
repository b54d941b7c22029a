// d2l's masked_softmax on rand(2, 2, 5), with its two ways of giving valid lengths and both fills.
import { arr, colNames, inputMatrix } from './model.js';

// d2l's two examples (lengths per batch element, per row) and one with empty rows, as per-row lengths
const LENGTHS = {
  'per-batch': [
    [2, 2],
    [3, 3],
  ],
  'per-row': [
    [1, 3],
    [2, 4],
  ],
  zero: [
    [0, 3],
    [2, 0],
  ],
};
const random = (attn, seed) =>
  arr(attn.random([2, 2, 5], { seed, distribution: 'uniform', scale: 0.5, offset: 0.5, decimals: 4 }));

/** @type {import('./model.js').Example} */
export default {
  id: 'masked-softmax',
  title: "d2l's masked softmax",
  summary:
    "d2l's masked_softmax on rand(2, 2, 5): entries at or past each row's valid length are replaced before " +
    'the softmax. Lengths [2, 3] are shared by the rows of each batch element; [[1, 3], [2, 4]] give one length ' +
    "per row. With d2l's fill of −10⁶ a row of valid length 0 comes out uniform; with −∞ it is all zeros.",
  controls: [
    {
      name: 'lens',
      key: 'lens',
      kind: 'select',
      label: 'Valid lengths',
      choices: () => [
        ['per-batch', '[2, 3]'],
        ['per-row', '[[1, 3], [2, 4]]'],
        ['zero', '[[0, 3], [2, 0]]'],
      ],
      get: (s) => s.options.lensPreset,
      set(s, v) {
        s.options.lensPreset = v;
        s.inputs.lens = LENGTHS[v];
      },
    },
    'randomise',
  ],
  defaults: (attn) => ({
    labels: {},
    inputs: { x: random(attn, 2), lens: LENGTHS['per-batch'] },
    options: { lensPreset: 'per-batch' },
  }),
  randomise: (attn, s, seed) => ({ ...s, inputs: { ...s.inputs, x: random(attn, seed) } }),
  compute(attn, s) {
    const { x, lens } = s.inputs;
    const keys = colNames('k', 5),
      rows = ['row 1', 'row 2'];
    const steps = [
      {
        id: 'inputs',
        title: 'Scores and valid lengths',
        tex: 'X \\in [0, 1)^{2 \\times 2 \\times 5}',
        note: 'The valid lengths are per row here: [2, 3] is the same as [[2, 2], [3, 3]].',
        hint: 'Set a length to 0 to see a fully masked row.',
        matrices: [
          inputMatrix('x0', 'X_1', x[0], rows, keys, ['x', 0]),
          inputMatrix('x1', 'X_2', x[1], rows, keys, ['x', 1]),
          inputMatrix('lens', 'valid lengths', lens, ['batch 1', 'batch 2'], rows),
        ],
      },
    ];
    for (const fill of [-1e6, -Infinity]) {
      const name = fill === -Infinity ? 'inf' : '1e6';
      const masked = arr(attn.applyMask(x, { validLens: lens, fill }));
      const w = arr(attn.maskedSoftmax(x, lens, { fill }));
      steps.push({
        id: `fill-${name}`,
        title: `fill = ${fill === -Infinity ? '−∞' : '−10⁶'}`,
        tex:
          '\\operatorname{masked\\_softmax}(X, \\text{lens})_{bij} = \\operatorname{softmax}_j\\big(X_{bij} ' +
          `\\text{ if } j < \\text{len}_{bi} \\text{ else } ${fill === -Infinity ? '-\\infty' : '-10^{6}'}\\big)`,
        note:
          fill === -Infinity
            ? 'Masked weights are exactly 0; a row of valid length 0 is all zeros, never NaN.'
            : "d2l's choice: masked weights are e^(−10⁶ − m) ≈ 0; a row of valid length 0 is uniform (1/5 each).",
        matrices: [
          {
            name: `logits-${name}-1`,
            label: 'L_1',
            values: masked[0],
            rows,
            cols: keys,
            heatmap: 'diverging',
            maskedValue: fill,
          },
          {
            name: `logits-${name}-2`,
            label: 'L_2',
            values: masked[1],
            rows,
            cols: keys,
            heatmap: 'diverging',
            maskedValue: fill,
          },
          {
            name: `weights-${name}-1`,
            label: 'A_1',
            values: w[0],
            rows,
            cols: keys,
            heatmap: 'sequential',
            explain: masked[0],
          },
          {
            name: `weights-${name}-2`,
            label: 'A_2',
            values: w[1],
            rows,
            cols: keys,
            heatmap: 'sequential',
            explain: masked[1],
          },
        ],
      });
    }
    return { steps };
  },
};
