// The seed article's self-attention worked example, every matrix, with its published (wrong)
// arithmetic beside the engine's.
import { attentionSteps, engineOptions, maskOptions } from './attention-steps.js';
import { openMask, projectionSizing } from './inputs.js';
import { arr, colNames, inputMatrix } from './model.js';

const SEED_W = [
  [1, 0],
  [0, 1],
  [1, 1],
];
const I3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
// What the article prints (TeX), for the comparison step.
const PUBLISHED = {
  qkv: '\\begin{bmatrix}1&0\\\\0&1\\\\0&0\\end{bmatrix}',
  scores: '\\tfrac{1}{\\sqrt{2}}\\begin{bmatrix}1&0&0\\\\0&1&0\\end{bmatrix}\\;(2\\times 3)',
  weights: '\\begin{bmatrix}\\tfrac12&\\tfrac12&0\\\\0&\\tfrac12&\\tfrac12\\end{bmatrix}',
  output: '\\begin{bmatrix}\\tfrac12&\\tfrac12\\\\0&0\\end{bmatrix}',
};

/** @type {import('./model.js').Example} */
export default {
  id: 'self-attention',
  title: 'Self-attention, step by step',
  summary:
    'The worked example from the self-attention article: three tokens embedded as the rows of X = I₃, and ' +
    'W_Q = W_K = W_V = [[1, 0], [0, 1], [1, 1]] (d_k = 2). Every matrix below is computed by the engine; edit any ' +
    'input cell.',
  controls: ['labels', 'scoring', 'mask', 'temperature', 'mode', 'size', 'randomise'],
  defaults: () => ({
    labels: { queries: ['x₁', 'x₂', 'x₃'] },
    inputs: { x: I3, wq: SEED_W, wk: SEED_W, wv: SEED_W },
    options: { scoring: 'scaled_dot', mask: 'none', ...openMask(3), temperature: 1, mode: 'soft', seed: 0, fill: -1e6 },
  }),
  ...projectionSizing(),
  compute(attn, s) {
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
        title: 'Inputs',
        tex: 'X \\in \\mathbb{R}^{T \\times d}, \\; W_Q, W_K, W_V \\in \\mathbb{R}^{d \\times d_k}',
        note: 'The tokens are the rows of X.',
        hint: 'Edit any cell: every step below recomputes.',
        matrices: [
          inputMatrix('x', 'X', x, t, dims),
          inputMatrix('wq', 'W_Q', wq, dims, kcols),
          inputMatrix('wk', 'W_K', wk, dims, kcols),
          inputMatrix('wv', 'W_V', wv, dims, kcols),
        ],
      },
      {
        id: 'projections',
        title: 'Projections',
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
    });
    steps.push(...rest.steps);
    // the published version of this example, against the engine's numbers for the original inputs
    const seed = attn.selfAttention(I3, { wq: SEED_W, wk: SEED_W, wv: SEED_W });
    steps.push({
      id: 'erratum',
      title: 'The published arithmetic is wrong',
      note:
        'The widely copied version of this example goes wrong at its first step. With X = I₃, X·W is W itself, ' +
        'so Q = K = V keep the third row [1, 1]; the article drops it to [0, 0], then prints a 2 × 3 score matrix ' +
        '(one score per query–key pair needs 3 × 3), weights of ½ and 0, and an output of [[½, ½], [0, 0]]. ' +
        'Below, each published value beside the correct one for the original inputs.',
      comparison: [
        { what: 'Q = K = V', published: PUBLISHED.qkv, correct: arr(seed.q) },
        { what: 'scores', published: PUBLISHED.scores, correct: arr(seed.scores) },
        { what: 'weights', published: PUBLISHED.weights, correct: arr(seed.weights) },
        { what: 'output', published: PUBLISHED.output, correct: arr(seed.output) },
      ],
    });
    return { steps };
  },
};
