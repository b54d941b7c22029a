// "Tom chase Jerry" → "汤姆 追逐 杰瑞": cross-attention as alignment, and the article's weights for 杰瑞
// as a target the learner reproduces by editing.
import { attentionSteps, engineOptions } from './attention-steps.js';
import { randomMatrix } from './inputs.js';
import { arr, colNames, inputMatrix } from './model.js';

/** @type {import('./model.js').Example} */
export default {
  id: 'translation-alignment',
  title: 'translation-alignment.title',
  summary: 'translation-alignment.summary',
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
  compute(attn, s, msg) {
    const { q, k, target } = s.inputs;
    const rows = s.labels.queries,
      cols = s.labels.keys;
    const dims = colNames('h', k[0].length);
    const steps = [
      {
        id: 'inputs',
        title: msg('translation-alignment.inputs'),
        tex: `K = \\text{${msg('translation-alignment.encoder')}}(x), \\; V = K, \\quad Q = \\text{${msg('translation-alignment.decoderStates')}}`,
        note: msg('translation-alignment.inputs.note'),
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
      t: msg,
      weightsTitle: msg('translation-alignment.alignment'),
    });
    steps.push(...a.steps);
    const last = rows.length - 1;
    const current = [arr(a.result.weights)[last]];
    const targetLabel = msg('translation-alignment.targetLabel'),
      currentLabel = msg('translation-alignment.current');
    steps.push({
      id: 'target',
      title: msg('translation-alignment.target', { token: rows[last] }),
      tex: `\\alpha_{\\text{${rows[last]}}} \\stackrel{?}{=} (0.3,\\ 0.2,\\ 0.5)`,
      note: msg('translation-alignment.target.note'),
      hint: msg('translation-alignment.target.hint'),
      matrices: [
        inputMatrix('target', `\\text{${targetLabel}}`, target, [targetLabel], cols),
        {
          name: 'current',
          label: `\\text{${currentLabel}}`,
          values: current,
          rows: [rows[last]],
          cols,
          heatmap: 'sequential',
        },
        {
          name: 'difference',
          label: `\\text{${currentLabel}} - \\text{${targetLabel}}`,
          values: arr(attn.subtract(current, target)),
          rows: ['Δ'],
          cols,
        },
      ],
    });
    return { steps };
  },
};
