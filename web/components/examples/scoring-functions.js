// Dot, scaled dot, additive and bilinear scores on the same queries and keys, with a difference view.
// Its steps load with its first use (scoring-functions-compute.js).
import { grow, randomMatrix, tokensFor } from './inputs.js';

let impl = null; // scoring-functions-compute.js, once loaded

export const SCORINGS = ['dot', 'scaled_dot', 'additive', 'bilinear'];
export const scoringName = (msg, scoring) => msg(`scoring-functions.${scoring}`);
const compare = (key, label) => ({
  name: 'compare',
  key,
  kind: 'select',
  label,
  choices: (s, msg) => SCORINGS.map((v) => [v, scoringName(msg, v)]),
  get: (s) => s.options[key],
  set(s, v) {
    s.options[key] = v;
  },
});

/** @type {import('./model.js').Example} */
const example = {
  id: 'scoring-functions',
  title: 'scoring-functions.title',
  summary: 'scoring-functions.summary',
  controls: [
    'labels',
    compare('compareA', 'scoring-functions.compare'),
    compare('compareB', 'scoring-functions.minus'),
    'temperature',
    'size',
    'randomise',
  ],
  defaults: (attn) => ({
    labels: { queries: ['q1', 'q2', 'q3'], keys: ['k1', 'k2', 'k3', 'k4'] },
    inputs: {
      q: randomMatrix(attn, 3, 4, 11),
      k: randomMatrix(attn, 4, 4, 12),
      wq: randomMatrix(attn, 4, 3, 13),
      wk: randomMatrix(attn, 4, 3, 14),
      va: randomMatrix(attn, 1, 3, 15),
      w: randomMatrix(attn, 4, 4, 16),
    },
    options: { compareA: 'scaled_dot', compareB: 'dot', temperature: 1 },
  }),
  sizes: (s) => ({ tokens: s.inputs.q.length, keys: s.inputs.k.length, dk: s.inputs.q[0].length }),
  sizeLabels: { tokens: 'pg.queryCount' }, // its size field sets the queries (the keys follow)
  resize(attn, s, { tokens, keys = tokens, dk, seed = 1 }) {
    const h = s.inputs.va[0].length; // the additive score's hidden width (v is kept)
    return {
      ...s,
      labels: { queries: tokensFor(s.labels.queries, tokens, 'q'), keys: tokensFor(s.labels.keys, keys, 'k') },
      inputs: {
        q: grow(s.inputs.q, tokens, dk, () => randomMatrix(attn, tokens, dk, seed)),
        k: grow(s.inputs.k, keys, dk, () => randomMatrix(attn, keys, dk, seed + 1)),
        wq: grow(s.inputs.wq, dk, h, () => randomMatrix(attn, dk, h, seed + 2)),
        wk: grow(s.inputs.wk, dk, h, () => randomMatrix(attn, dk, h, seed + 3)),
        va: s.inputs.va,
        w: grow(s.inputs.w, dk, dk, () => randomMatrix(attn, dk, dk, seed + 4)),
      },
    };
  },
  randomise(attn, s, seed) {
    const cleared = { ...s, inputs: { ...s.inputs, q: [[0]], k: [[0]], wq: [[0]], wk: [[0]], w: [[0]] } };
    return example.resize(attn, cleared, {
      tokens: s.inputs.q.length,
      keys: s.inputs.k.length,
      dk: s.inputs.q[0].length,
      seed,
    });
  },
  load: async () => {
    impl ??= await import('./scoring-functions-compute.js');
  },
  compute: (attn, s, msg) => impl.compute(attn, s, msg),
};
export default example;
