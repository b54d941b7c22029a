// "Tom chase Jerry" → "汤姆 追逐 杰瑞": cross-attention as alignment, and the article's weights for 杰瑞
// as a target the learner reproduces by editing.
import { attentionSteps, engineOptions } from './attention-steps.js';
import { randomMatrix } from './inputs.js';
import { arr, colNames, inputMatrix } from './model.js';

/** @type {import('./model.js').Example} */
export default {
  id: 'translation-alignment',
  title: 'Tom chase Jerry → 汤姆 追逐 杰瑞',
  summary:
    'Cross-attention in a translation model: each Chinese word being generated (a decoder query) attends over ' +
    'the English words (encoder keys). The article gives the weights used when producing 杰瑞: Tom 0.3, chase 0.2, ' +
    'Jerry 0.5. Edit the query of 杰瑞 (or the keys) until its row of weights matches the target.',
  controls: ['labels', 'scoring', 'temperature', 'randomise'],
  defaults: () => ({
    labels: { queries: ['汤姆', '追逐', '杰瑞'], keys: ['Tom', 'chase', 'Jerry'] },
    inputs: {
      k: [
        [1, 0, 0, 0.5],
        [0, 1, 0, 0.2],
        [0, 0, 1, 0.5],
      ],
      q: [
        [2, 0, 0, 0],
        [0, 2, 0, 0],
        [0.3, 0, 1.2, 0],
      ],
      target: [[0.3, 0.2, 0.5]],
    },
    options: { scoring: 'dot', mask: 'none', temperature: 1, mode: 'soft', seed: 0, fill: -1e6 },
  }),
  randomise(attn, s, seed) {
    const d = s.inputs.k[0].length;
    return {
      ...s,
      inputs: {
        ...s.inputs,
        q: randomMatrix(attn, s.inputs.q.length, d, seed),
        k: randomMatrix(attn, s.inputs.k.length, d, seed + 1),
      },
    };
  },
  compute(attn, s) {
    const { q, k, target } = s.inputs;
    const rows = s.labels.queries,
      cols = s.labels.keys;
    const dims = colNames('h', k[0].length);
    const steps = [
      {
        id: 'inputs',
        title: 'Encoder states and decoder queries',
        tex: 'K = \\text{encoder}(x), \\; V = K, \\quad Q = \\text{decoder states}',
        note: 'One row per word. The values are the encoder states themselves.',
        matrices: [inputMatrix('k', 'K', k, cols, dims), inputMatrix('q', 'Q', q, rows, dims)],
      },
    ];
    const a = attentionSteps(attn, {
      q,
      k,
      v: k,
      rows,
      cols,
      options: engineOptions(s.options),
      weightsTitle: 'Alignment: who attends to whom',
    });
    steps.push(...a.steps);
    const last = rows.length - 1;
    const current = [arr(a.result.weights)[last]];
    steps.push({
      id: 'target',
      title: `The article's weights for ${rows[last]}`,
      tex: `\\alpha_{\\text{${rows[last]}}} \\stackrel{?}{=} (0.3,\\ 0.2,\\ 0.5)`,
      note:
        'The target, the current row, and current − target. Scores that reproduce it exactly are log(0.3), ' +
        'log(0.2), log(0.5) plus any constant.',
      hint: 'Edit the query of the last word (or the target) above.',
      matrices: [
        inputMatrix('target', 'target', target, ['target'], cols),
        { name: 'current', label: 'current', values: current, rows: [rows[last]], cols, heatmap: 'sequential' },
        {
          name: 'difference',
          label: 'current − target',
          values: arr(attn.subtract(current, target)),
          rows: ['Δ'],
          cols,
        },
      ],
    });
    return { steps };
  },
};
