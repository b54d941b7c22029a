// The quadratic cost of self-attention (#example=quadratic-cost): time and WASM memory of the
// materialised and the streaming attention against the sequence length N, measured live in the
// worker pool, and the [N, N] weights shrunk to a heatmap in WASM. Its measuring code loads with
// its first use (quadratic-cost-compute.js, through `load`); its texts are in web/i18n/.
import { loadCharts } from '../charts.js';

let impl = null; // quadratic-cost-compute.js, once loaded

const N_MIN = 6,
  N_MAX = 14; // N = 2^6 … 2^14

/** @type {import('./model.js').Example} */
export default {
  id: 'quadratic-cost',
  title: 'quadratic-cost.title',
  summary: 'quadratic-cost.summary',
  controls: [
    {
      name: 'n',
      key: 'n',
      kind: 'number',
      range: true,
      label: 'quadratic-cost.n',
      min: N_MIN,
      max: N_MAX,
      valueText: (s, t) => t('quadratic-cost.nValue', { n: s.options.n }),
      get: (s) => Math.log2(s.options.n),
      set(s, v) {
        s.options.n = 2 ** Math.round(v);
      },
    },
    {
      name: 'reduce',
      key: 'reduce',
      kind: 'select',
      label: 'quadratic-cost.reduce',
      choices: (s, t) => [
        ['mean', t('quadratic-cost.mean')],
        ['max', t('quadratic-cost.max')],
      ],
      get: (s) => s.options.reduce,
      set(s, v) {
        s.options.reduce = v;
      },
    },
  ],
  load: async () => {
    [impl] = await Promise.all([import('./quadratic-cost-compute.js'), loadCharts()]);
  },
  defaults: () => ({ labels: {}, inputs: {}, options: { n: 1024, reduce: 'mean' } }),
  compute: (attn, s, msg, context) => impl.compute(attn, s, msg, context),
};
