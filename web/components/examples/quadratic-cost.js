// The quadratic cost of self-attention (#example=quadratic-cost): time and WASM memory of the
// materialised and the streaming attention against the sequence length N, measured live in the
// worker pool, and the [N, N] weights shrunk to a heatmap in WASM. Its measuring code loads with
// its first use (quadratic-cost-compute.js, through `load`).
let impl = null; // quadratic-cost-compute.js, once loaded

// Every string of the example's controls and header, in one place.
const TEXT = {
  title: 'The quadratic cost of attention',
  summary:
    'For N tokens the attention weights are an N × N matrix: time and memory grow with N². Slide N from 64 to ' +
    '16384 and the engine measures, in workers, the materialised attention and the streaming one, whose memory ' +
    'stays linear in N.',
  n: 'Sequence length N',
  nValue: (n) => `N = ${n}`,
  reduce: 'Heatmap block',
  reduceChoices: [
    ['mean', 'mean of the block'],
    ['max', 'max of the block'],
  ],
};

const N_MIN = 6,
  N_MAX = 14; // N = 2^6 … 2^14

/** @type {import('./model.js').Example} */
export default {
  id: 'quadratic-cost',
  title: TEXT.title,
  summary: TEXT.summary,
  controls: [
    {
      name: 'n',
      key: 'n',
      kind: 'number',
      range: true,
      label: TEXT.n,
      min: N_MIN,
      max: N_MAX,
      valueText: (s) => TEXT.nValue(s.options.n),
      get: (s) => Math.log2(s.options.n),
      set(s, v) {
        s.options.n = 2 ** Math.round(v);
      },
    },
    {
      name: 'reduce',
      key: 'reduce',
      kind: 'select',
      label: TEXT.reduce,
      choices: () => TEXT.reduceChoices,
      get: (s) => s.options.reduce,
      set(s, v) {
        s.options.reduce = v;
      },
    },
  ],
  load: async () => {
    impl ??= await import('./quadratic-cost-compute.js');
  },
  defaults: () => ({ labels: {}, inputs: {}, options: { n: 1024, reduce: 'mean' } }),
  compute: (attn, s, context) => impl.compute(attn, s, context),
};
