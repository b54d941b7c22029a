// The steps of the hard-vs-soft example (see hard-vs-soft.js), loaded with its first use, out of what
// every page downloads.
import { weightsTex } from './attention-steps.js';
import { arr, colNames, inputMatrix } from './model.js';
import en from '../../i18n/en.hard-vs-soft.js';
import zh from '../../i18n/zh-CN.hard-vs-soft.js';

// its step texts travel with it, in this chunk (web/i18n/index.js, t.with)
const MESSAGES = { en, 'zh-CN': zh };

/** The steps at state s. */
export function compute(attn, s, msg) {
  msg = msg.with(MESSAGES);
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
        matrices: [
          inputMatrix('q', 'Q', q, rows, colNames('d', q[0].length)),
          inputMatrix('k', 'K', k, cols, colNames('d', k[0].length)),
          inputMatrix('v', 'V', v, cols, out),
        ],
      },
      {
        // the L that every mode below starts from (its weights are the softmax of L)
        id: 'logits',
        title: msg('hard-vs-soft.logits'),
        tex: 'L = S / T, \\quad S = Q K^\\top',
        note: msg('hard-vs-soft.logits.note', { t: s.options.temperature }),
        matrices: [{ name: 'logits', label: 'L', values: arr(soft.steps.logits), rows, cols }],
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
        note: msg('hard-vs-soft.soft.note'),
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
}
