// d2l's masked_softmax on rand(2, 2, 5), with its two ways of giving valid lengths and both fills.
// Its steps load with its first use (masked-softmax-compute.js).
import { arr } from './model.js';

let impl = null; // masked-softmax-compute.js, once loaded

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
  title: 'masked-softmax.title',
  summary: 'masked-softmax.summary',
  controls: [
    {
      name: 'lens',
      key: 'lens',
      kind: 'select',
      label: 'masked-softmax.lens',
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
  load: async () => {
    impl ??= await import('./masked-softmax-compute.js');
  },
  compute: (attn, s, msg) => impl.compute(attn, s, msg),
};
