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
  title: 'why-scale.title',
  summary: 'why-scale.summary',
  controls: [
    integer('keys', 'why-scale.keys', 2, 64),
    integer('samples', 'why-scale.samples', 4, 64),
    integer('seed', 'pg.seed', 0, 2 ** 31),
    {
      name: 'experiment',
      key: 'demoDk',
      kind: 'select',
      label: 'why-scale.demoDk',
      choices: () => [8, 64, 512].map((x) => [x, String(x)]),
      get: (s) => s.options.demoDk,
      set(s, v) {
        s.options.demoDk = Number(v);
      },
    },
  ],
  defaults: () => ({ labels: {}, inputs: {}, options: { keys: 16, samples: 16, seed: 1, demoDk: 64 } }),
  compute(attn, s, msg) {
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
    const vs = msg('why-scale.vs');
    return {
      steps: [
        {
          id: 'variance',
          title: msg('why-scale.variance'),
          tex: `\\operatorname{Var}(q \\cdot k) = d_k \\quad\\text{${vs}}\\quad \\operatorname{Var}\\big(\\tfrac{q \\cdot k}{\\sqrt{d_k}}\\big) = 1`,
          chart: {
            x: DIMS,
            xLabel: 'd_k',
            yLabel: msg('why-scale.varianceAxis'),
            log: true,
            series: series('variance', 'varianceScaled'),
          },
        },
        {
          id: 'entropy',
          title: msg('why-scale.entropy'),
          tex: `H(A_{i\\cdot}) = -\\sum_j A_{ij} \\ln A_{ij}, \\quad \\text{${msg('why-scale.uniform', { n: o.keys })} } \\ln ${o.keys}`,
          chart: {
            x: DIMS,
            xLabel: 'd_k',
            yLabel: msg('why-scale.entropyAxis'),
            series: series('entropy', 'entropyScaled'),
          },
        },
        {
          id: 'max-weight',
          title: msg('why-scale.maxWeight'),
          tex: '\\max_j A_{ij}',
          chart: {
            x: DIMS,
            xLabel: 'd_k',
            yLabel: msg('why-scale.maxWeightAxis'),
            series: series('maxWeight', 'maxWeightScaled'),
          },
        },
        {
          id: 'demo',
          title: msg('why-scale.demo', { keys: o.keys, dk: o.demoDk }),
          tex: `\\operatorname{softmax}(q K^\\top) \\quad\\text{${vs}}\\quad \\operatorname{softmax}\\big(q K^\\top / \\sqrt{d_k}\\big)`,
          matrices: [
            {
              name: 'unscaled',
              label: `\\text{${msg('why-scale.unscaled')}}`,
              values: arr(raw.weights),
              rows: ['q'],
              cols: keyNames,
              heatmap: 'sequential',
            },
            {
              name: 'scaled',
              label: `\\text{${msg('why-scale.scaled')}}`,
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
