// The steps of the scoring-functions example (see scoring-functions.js), loaded with its first use, out of what
// every page downloads.
import { scoreTex } from './attention-steps.js';
import { SCORINGS, scoringName } from './scoring-functions.js';
import { arr, colNames, inputMatrix } from './model.js';
import en from '../../i18n/en.scoring-functions.js';
import zh from '../../i18n/zh-CN.scoring-functions.js';

// its step texts travel with it, in this chunk (web/i18n/index.js, t.with)
const MESSAGES = { en, 'zh-CN': zh };

/** The steps at state s. */
export function compute(attn, s, msg) {
  msg = msg.with(MESSAGES);
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
}
