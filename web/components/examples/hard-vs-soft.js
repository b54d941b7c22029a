// Soft attention against hard attention (argmax, and a seeded sample) on the same inputs.
import { weightsTex } from './attention-steps.js';
import { randomMatrix } from './inputs.js';
import { arr, colNames, inputMatrix } from './model.js';

/** @type {import('./model.js').Example} */
export default {
  id: 'hard-vs-soft',
  title: 'hard-vs-soft.title',
  summary: 'hard-vs-soft.summary',
  controls: ['labels', 'temperature', 'seed', 'randomise'],
  defaults: () => ({
    labels: { queries: ['汤姆', '追逐', '杰瑞'], keys: ['Tom', 'chase', 'Jerry'] },
    inputs: {
      q: [
        [2, 0, 0, 0],
        [0, 2, 0, 0],
        [0.3, 0, 1.2, 0],
      ],
      k: [
        [1, 0, 0, 0.5],
        [0, 1, 0, 0.2],
        [0, 0, 1, 0.5],
      ],
      v: [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
    },
    options: { temperature: 1, seed: 7 },
  }),
  randomise: (attn, s, seed) => ({
    ...s,
    inputs: {
      q: randomMatrix(attn, 3, 4, seed),
      k: randomMatrix(attn, 3, 4, seed + 1),
      v: randomMatrix(attn, 3, 2, seed + 2),
    },
  }),
  compute(attn, s, msg) {
    const { q, k, v } = s.inputs;
    const rows = s.labels.queries,
      cols = s.labels.keys;
    const base = { scoring: 'dot', temperature: s.options.temperature, trace: true };
    const soft = attn.attention(q, k, v, { ...base, mode: 'soft' });
    const hard = attn.attention(q, k, v, { ...base, mode: 'argmax' });
    const sample = attn.attention(q, k, v, { ...base, mode: 'sample', seed: s.options.seed });
    const out = colNames('o', v[0].length);
    return {
      steps: [
        {
          id: 'inputs',
          title: msg('att.qkvInputs'),
          tex: 'S = Q K^\\top',
          matrices: [
            inputMatrix('q', 'Q', q, rows, colNames('d', q[0].length)),
            inputMatrix('k', 'K', k, cols, colNames('d', k[0].length)),
            inputMatrix('v', 'V', v, cols, out),
          ],
        },
        {
          id: 'soft',
          title: msg('hard-vs-soft.soft'),
          tex: weightsTex('soft'),
          matrices: [
            {
              name: 'soft',
              label: 'A_{soft}',
              values: arr(soft.weights),
              rows,
              cols,
              heatmap: 'sequential',
              explain: arr(soft.steps.logits),
            },
            { name: 'soft-out', label: 'O_{soft}', values: arr(soft.output), rows, cols: out },
          ],
        },
        {
          id: 'argmax',
          title: msg('hard-vs-soft.argmax'),
          tex: weightsTex('argmax'),
          note: msg('hard-vs-soft.argmax.note'),
          matrices: [
            { name: 'argmax', label: 'A_{argmax}', values: arr(hard.weights), rows, cols, heatmap: 'sequential' },
            { name: 'argmax-out', label: 'O_{argmax}', values: arr(hard.output), rows, cols: out },
          ],
        },
        {
          id: 'sample',
          title: msg('hard-vs-soft.sample', { seed: s.options.seed }),
          tex: weightsTex('sample'),
          note: msg('hard-vs-soft.sample.note'),
          hint: msg('hard-vs-soft.sample.hint'),
          matrices: [
            { name: 'sample', label: 'A_{sample}', values: arr(sample.weights), rows, cols, heatmap: 'sequential' },
            { name: 'sample-out', label: 'O_{sample}', values: arr(sample.output), rows, cols: out },
          ],
        },
      ],
    };
  },
};
