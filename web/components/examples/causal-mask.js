// Decoder self-attention under the causal mask; the learner types a sentence, one token per word.
import { attentionSteps, engineOptions, maskOptions } from './attention-steps.js';
import { openMask, projectionSizing, randomMatrix, words } from './inputs.js';
import { arr, colNames, inputMatrix } from './model.js';

/** @type {import('./model.js').Example} */
export default {
  id: 'causal-mask',
  title: 'causal-mask.title',
  summary: 'causal-mask.summary',
  controls: ['labels', 'scoring', 'mask', 'temperature', 'size', 'randomise'],
  defaults: (attn) => ({
    labels: { queries: words('the cat sat on the mat') },
    inputs: {
      x: randomMatrix(attn, 6, 4, 21),
      wq: randomMatrix(attn, 4, 4, 22),
      wk: randomMatrix(attn, 4, 4, 23),
      wv: randomMatrix(attn, 4, 4, 24),
    },
    options: {
      scoring: 'scaled_dot',
      mask: 'causal',
      ...openMask(6),
      temperature: 1,
      mode: 'soft',
      seed: 0,
      fill: -Infinity,
    },
  }),
  ...projectionSizing(),
  compute(attn, s, msg) {
    const t = s.labels.queries;
    const { x, wq, wk, wv } = s.inputs;
    const o = s.options;
    const r = attn.selfAttention(x, { wq, wk, wv, scoring: o.scoring, temperature: o.temperature, ...maskOptions(o) });
    const dims = colNames('d', x[0].length),
      kcols = colNames('k', wq[0].length);
    const steps = [
      {
        id: 'inputs',
        title: msg('causal-mask.inputs'),
        tex: 'Q = X W_Q, \\; K = X W_K, \\; V = X W_V',
        matrices: [
          inputMatrix('x', 'X', x, t, dims),
          inputMatrix('wq', 'W_Q', wq, dims, kcols),
          inputMatrix('wk', 'W_K', wk, dims, kcols),
          inputMatrix('wv', 'W_V', wv, dims, kcols),
        ],
      },
    ];
    steps.push(
      ...attentionSteps(attn, {
        q: arr(r.q),
        k: arr(r.k),
        v: arr(r.v),
        rows: t,
        cols: t,
        options: engineOptions(o),
        t: msg,
      }).steps,
    );
    return { steps };
  },
};
