// The steps of the translation-alignment example (see translation-alignment.js), loaded with its first use, out of what
// every page downloads.
import { attentionSteps, engineOptions } from './attention-steps.js';
import { arr, colNames, inputMatrix } from './model.js';
import en from '../../i18n/en.translation-alignment.js';
import zh from '../../i18n/zh-CN.translation-alignment.js';

// its step texts travel with it, in this chunk (web/i18n/index.js, t.with)
const MESSAGES = { en, 'zh-CN': zh };

/** The steps at state s. */
export function compute(attn, s, msg) {
  msg = msg.with(MESSAGES);
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
}
