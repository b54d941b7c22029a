// The why-scale experiment: score variance, softmax entropy and the largest weight over d_k, with
// and without ÷√d_k, every point a live run of the engine. Its steps load with its first use
// (why-scale-compute.js): at its larger settings the experiment runs in the worker pool.
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
  load: async () => {
    impl ??= await import('./why-scale-compute.js');
  },
  compute: (attn, s, context) => impl.compute(attn, s, context),
};
