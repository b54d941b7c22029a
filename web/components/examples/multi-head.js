// Multi-head attention: projections, the split into heads, a heatmap per head, concat, W_O.
import { openMask, projectionSizing, randomMatrix, words } from './inputs.js';
import { SIZE_LIMITS } from './model.js';

let impl = null; // multi-head-compute.js, once loaded: the steps load with the example's first use

const sizing = projectionSizing({ scale: 0.5, base: 't' });

/** @type {import('./model.js').Example} */
export default {
  id: 'multi-head',
  title: 'multi-head.title',
  summary: 'multi-head.summary',
  controls: [
    'labels',
    {
      name: 'heads',
      key: 'heads',
      kind: 'select',
      label: 'multi-head.heads',
      // the head counts that divide D
      choices: (s) =>
        [1, 2, 4, 8]
          .filter((x) => s.inputs.wq[0].length % x === 0 && x <= SIZE_LIMITS.heads)
          .map((x) => [x, String(x)]),
      get: (s) => s.options.heads,
      set(s, v) {
        s.options.heads = Number(v);
      },
    },
    'mask',
    'temperature',
    'size',
    'randomise',
  ],
  defaults: (attn) => ({
    labels: { queries: words('attention is all you need') },
    inputs: {
      x: randomMatrix(attn, 5, 8, 31),
      wq: randomMatrix(attn, 8, 8, 32, 0.5),
      wk: randomMatrix(attn, 8, 8, 33, 0.5),
      wv: randomMatrix(attn, 8, 8, 34, 0.5),
      wo: randomMatrix(attn, 8, 8, 35, 0.5),
    },
    options: { heads: 2, mask: 'none', ...openMask(5), temperature: 1, fill: -1e6 },
  }),
  ...sizing,
  sizeLabels: { dk: 'D' },
  resize(attn, s, sizes) {
    const next = sizing.resize(attn, s, sizes);
    if (next.inputs.wq[0].length % next.options.heads !== 0) next.options = { ...next.options, heads: 1 };
    return next;
  },
  load: async () => {
    impl ??= await import('./multi-head-compute.js');
  },
  compute: (attn, s, msg) => impl.compute(attn, s, msg),
};
