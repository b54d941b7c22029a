// The why-scale experiment: score variance, softmax entropy and the largest weight over d_k, with
// and without ÷√d_k, every point a live run of the engine. Its steps load with its first use
// (why-scale-compute.js): at its larger settings the experiment runs in the worker pool.
import { loadCharts } from '../charts.js';

let impl = null; // why-scale-compute.js, once loaded
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
  load: async () => {
    [impl] = await Promise.all([import('./why-scale-compute.js'), loadCharts()]);
  },
  compute: (attn, s, msg, context) => impl.compute(attn, s, msg, context),
};
