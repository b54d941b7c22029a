// The why-scale experiment: score variance, softmax entropy and the largest weight over d_k, with
// and without ÷√d_k, every point a live run of the engine.
import { arr, colNames } from './model.js';

const DIMS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const integer = (key, label, min, max) => ({
  name: 'experiment',
  key,
  kind: 'number',
  label,
  min,
  max,
  get: (s) => s.options[key],
  set(s, v) {
    s.options[key] = v;
  },
});

/** @type {import('./model.js').Example} */
export default {
  id: 'why-scale',
  title: 'Why divide by √d_k?',
  summary:
    'For random queries and keys with unit-variance entries, q·k has variance d_k: as d_k grows the scores ' +
    'spread out, the softmax saturates on one key (entropy falls, the max weight goes to 1) and its gradients ' +
    'vanish. Dividing by √d_k keeps the variance at 1. Every point below is a live experiment run by the engine.',
  controls: [
    integer('keys', 'Keys', 2, 64),
    integer('samples', 'Samples per d_k', 4, 64),
    integer('seed', 'Seed', 0, 2 ** 31),
    {
      name: 'experiment',
      key: 'demoDk',
      kind: 'select',
      label: 'Demo d_k',
      choices: () => [8, 64, 512].map((x) => [x, String(x)]),
      get: (s) => s.options.demoDk,
      set(s, v) {
        s.options.demoDk = Number(v);
      },
    },
  ],
  defaults: () => ({ labels: {}, inputs: {}, options: { keys: 16, samples: 16, seed: 1, demoDk: 64 } }),
  compute(attn, s) {
    const o = s.options;
    const e = attn.scaleExperiment({ dims: DIMS, keys: o.keys, samples: o.samples, seed: o.seed });
    const series = (a, b) => [
      { name: 'q·k', values: arr(e[a]) },
      { name: 'q·k / √d_k', values: arr(e[b]) },
    ];
    const q = arr(attn.random([1, o.demoDk], { seed: o.seed + 100 }));
    const k = arr(attn.random([o.keys, o.demoDk], { seed: o.seed + 200 }));
    const raw = attn.attention(q, k, k, { scoring: 'dot' });
    const scaled = attn.attention(q, k, k, { scoring: 'scaled_dot' });
    const keyNames = colNames('k', o.keys);
    return {
      steps: [
        {
          id: 'variance',
          title: 'Variance of the scores',
          tex: '\\operatorname{Var}(q \\cdot k) = d_k \\quad\\text{vs}\\quad \\operatorname{Var}\\big(\\tfrac{q \\cdot k}{\\sqrt{d_k}}\\big) = 1',
          chart: {
            x: DIMS,
            xLabel: 'd_k',
            yLabel: 'variance',
            log: true,
            series: series('variance', 'varianceScaled'),
          },
        },
        {
          id: 'entropy',
          title: 'Entropy of the softmax (nats)',
          tex: `H(A_{i\\cdot}) = -\\sum_j A_{ij} \\ln A_{ij}, \\quad \\text{uniform over ${o.keys} keys: } \\ln ${o.keys}`,
          chart: { x: DIMS, xLabel: 'd_k', yLabel: 'entropy', series: series('entropy', 'entropyScaled') },
        },
        {
          id: 'max-weight',
          title: 'Largest weight in a row',
          tex: '\\max_j A_{ij}',
          chart: { x: DIMS, xLabel: 'd_k', yLabel: 'max weight', series: series('maxWeight', 'maxWeightScaled') },
        },
        {
          id: 'demo',
          title: `One query over ${o.keys} keys at d_k = ${o.demoDk}`,
          tex: '\\operatorname{softmax}(q K^\\top) \\quad\\text{vs}\\quad \\operatorname{softmax}\\big(q K^\\top / \\sqrt{d_k}\\big)',
          matrices: [
            {
              name: 'unscaled',
              label: 'unscaled',
              values: arr(raw.weights),
              rows: ['q'],
              cols: keyNames,
              heatmap: 'sequential',
            },
            {
              name: 'scaled',
              label: 'scaled',
              values: arr(scaled.weights),
              rows: ['q'],
              cols: keyNames,
              heatmap: 'sequential',
            },
          ],
        },
      ],
    };
  },
};
