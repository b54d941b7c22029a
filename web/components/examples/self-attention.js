// The seed article's self-attention worked example, every matrix, with its published (wrong)
// arithmetic beside the engine's.
import { attentionSteps, engineOptions, maskOptions } from './attention-steps.js';
import { openMask, projectionSizing } from './inputs.js';
import { arr, colNames, inputMatrix } from './model.js';

// The seed article's X and W (written once: the tests take them from here too).
export const SEED_W = [
  [1, 0],
  [0, 1],
  [1, 1],
];
export const SEED_X = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
// What the article prints (TeX), for the comparison step.
const PUBLISHED = {
  qkv: '\\begin{bmatrix}1&0\\\\0&1\\\\0&0\\end{bmatrix}',
  scores: '\\tfrac{1}{\\sqrt{2}}\\begin{bmatrix}1&0&0\\\\0&1&0\\end{bmatrix}\\;(2\\times 3)',
  weights: '\\begin{bmatrix}\\tfrac12&\\tfrac12&0\\\\[0.4em]0&\\tfrac12&\\tfrac12\\end{bmatrix}', // rows apart: ½ over ½ touched
  output: '\\begin{bmatrix}\\tfrac12&\\tfrac12\\\\[0.4em]0&0\\end{bmatrix}',
};

/** @type {import('./model.js').Example} */
export default {
  id: 'self-attention',
  title: 'self-attention.title',
  summary: 'self-attention.summary',
  controls: ['labels', 'scoring', 'mask', 'temperature', 'mode', 'size', 'randomise'],
  defaults: () => ({
    labels: { queries: ['x₁', 'x₂', 'x₃'] },
    inputs: { x: SEED_X, wq: SEED_W, wk: SEED_W, wv: SEED_W },
    options: { scoring: 'scaled_dot', mask: 'none', ...openMask(3), temperature: 1, mode: 'soft', seed: 0, fill: -1e6 },
  }),
  ...projectionSizing(),
  compute(attn, s, msg) {
    const t = s.labels.queries;
    const { x, wq, wk, wv } = s.inputs;
    const o = s.options;
    const r = attn.selfAttention(x, {
      wq,
      wk,
      wv,
      scoring: o.scoring,
      temperature: o.temperature,
      mode: o.mode,
      seed: o.seed,
      ...maskOptions(o),
    });
    const dims = colNames('d', x[0].length),
      kcols = colNames('k', wq[0].length);
    const steps = [
      {
        id: 'inputs',
        title: msg('self-attention.inputs'),
        tex: 'X \\in \\mathbb{R}^{T \\times d}, \\; W_Q, W_K, W_V \\in \\mathbb{R}^{d \\times d_k}',
        note: msg('self-attention.inputs.note'),
        hint: msg('self-attention.inputs.hint'),
        matrices: [
          inputMatrix('x', 'X', x, t, dims),
          inputMatrix('wq', 'W_Q', wq, dims, kcols),
          inputMatrix('wk', 'W_K', wk, dims, kcols),
          inputMatrix('wv', 'W_V', wv, dims, kcols),
        ],
      },
      {
        id: 'projections',
        title: msg('att.projections'),
        tex: 'Q = X W_Q, \\quad K = X W_K, \\quad V = X W_V',
        matrices: [
          { name: 'q', label: 'Q', values: arr(r.q), rows: t, cols: kcols },
          { name: 'k', label: 'K', values: arr(r.k), rows: t, cols: kcols },
          { name: 'v', label: 'V', values: arr(r.v), rows: t, cols: kcols },
        ],
      },
    ];
    const rest = attentionSteps(attn, {
      q: arr(r.q),
      k: arr(r.k),
      v: arr(r.v),
      rows: t,
      cols: t,
      options: engineOptions(o),
      t: msg,
    });
    steps.push(...rest.steps);
    // the published version of this example, against the engine's numbers for the original inputs
    const seed = attn.selfAttention(SEED_X, { wq: SEED_W, wk: SEED_W, wv: SEED_W });
    steps.push({
      id: 'erratum',
      title: msg('self-attention.erratum'),
      note: msg('self-attention.erratum.note'),
      comparison: [
        { what: 'Q = K = V', published: PUBLISHED.qkv, correct: arr(seed.q) },
        ...['scores', 'weights', 'output'].map((what) => ({
          what,
          label: msg(`self-attention.erratum.${what}`),
          published: PUBLISHED[what],
          correct: arr(seed[what]),
        })),
      ],
    });
    return { steps };
  },
};
