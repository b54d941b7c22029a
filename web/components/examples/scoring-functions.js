// Dot, scaled dot, additive and bilinear scores on the same queries and keys, with a difference view.
import { scoreTex } from './attention-steps.js';
import { grow, randomMatrix, tokensFor } from './inputs.js';
import { arr, colNames, inputMatrix } from './model.js';

const SCORINGS = ['dot', 'scaled_dot', 'additive', 'bilinear'];
const scoringName = (msg, scoring) => msg(`scoring-functions.${scoring}`);
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
  compute(attn, s, msg) {
    const { q, k, wq, wk, va, w } = s.inputs;
    const rows = s.labels.queries,
      cols = s.labels.keys;
    const dims = colNames('d', q[0].length),
      hid = colNames('h', wq[0].length);
    const params = { additive: { wq, wk, v: va[0] }, bilinear: { w } };
    const steps = [
      {
        id: 'inputs',
        title: msg('scoring-functions.inputs'),
        tex: 'Q \\in \\mathbb{R}^{n_q \\times d}, \\; K \\in \\mathbb{R}^{n_k \\times d}',
        matrices: [
          inputMatrix('q', 'Q', q, rows, dims),
          inputMatrix('k', 'K', k, cols, dims),
          inputMatrix('wq', 'W_q', wq, dims, hid),
          inputMatrix('wk', 'W_k', wk, dims, hid),
          inputMatrix('va', 'v', va, ['v'], hid),
          inputMatrix('w', 'W', w, dims, dims),
        ],
      },
    ];
    const weights = {};
    for (const scoring of SCORINGS) {
      const r = attn.attention(q, k, k, {
        scoring,
        ...params[scoring],
        temperature: s.options.temperature,
        trace: true,
      });
      weights[scoring] = arr(r.weights);
      steps.push({
        id: `score-${scoring}`,
        title: scoringName(msg, scoring),
        tex: scoreTex(scoring, q[0].length),
        matrices: [
          { name: `scores-${scoring}`, label: 'S', values: arr(r.steps.scores), rows, cols, heatmap: 'diverging' },
          {
            name: `weights-${scoring}`,
            label: 'A',
            values: weights[scoring],
            rows,
            cols,
            heatmap: 'sequential',
            explain: arr(r.steps.logits),
          },
        ],
      });
    }
    const { compareA: A, compareB: B } = s.options;
    steps.push({
      id: 'difference',
      title: msg('scoring-functions.difference', { a: scoringName(msg, A), b: scoringName(msg, B) }),
      tex: `A_{\\text{${A.replace('_', '\\_')}}} - A_{\\text{${B.replace('_', '\\_')}}}`,
      matrices: [
        {
          name: 'difference',
          label: 'ΔA',
          values: arr(attn.subtract(weights[A], weights[B])),
          rows,
          cols,
          heatmap: 'diverging',
        },
      ],
    });
    return { steps };
  },
};
export default example;
