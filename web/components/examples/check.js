// The checker (#example=check): paste a published worked example of self-attention and see which
// numbers are wrong, the first wrong step and why. Its steps, the article's text, the parser and
// the checker load with its first use (check-compute.js, through `load`): every page downloads
// the example list, only the checker's page downloads the checker.
import { colNames } from './model.js';

let steps = null; // check-compute.js, once loaded

const PASTE = {
  name: 'paste',
  key: 'paste',
  kind: 'text',
  label: 'Worked example (X =, W_Q =, Q =, QK^T =, scores =, weights =, output = …)',
  rows: 10,
  get: (s) => s.texts?.paste ?? '',
  set: (s, text) => {
    s.texts = { ...s.texts, paste: text };
  },
};
const CAUSAL = {
  name: 'causal',
  key: 'causal',
  kind: 'select',
  label: 'Mask',
  choices: () => [
    ['no', 'none'],
    ['yes', 'causal'],
  ],
  get: (s) => s.options.causal,
  set: (s, v) => {
    s.options.causal = v;
  },
};
const DECIMALS = {
  name: 'decimals',
  key: 'decimals',
  kind: 'select',
  label: 'Claims printed to',
  choices: () => [
    ['auto', 'the decimals each matrix shows'],
    ...[0, 1, 2, 3, 4, 5, 6].map((d) => [String(d), `${d} decimals`]),
  ],
  get: (s) => s.options.decimals,
  set: (s, v) => {
    s.options.decimals = v;
  },
};

/** @type {import('./model.js').Example} */
export default {
  id: 'check',
  title: 'Check a worked example',
  summary:
    'Paste a published worked example of self-attention, whole or matrix by matrix: the engine recomputes every ' +
    'step, marks each wrong number with the right value beside it and says where and why it first goes wrong. It opens ' +
    "on the source article's example.",
  controls: [PASTE, 'scoring', CAUSAL, DECIMALS],
  load: async () => {
    steps ??= await import('./check-compute.js');
  },
  defaults: () => steps.defaults(),
  compute: (attn, s) => steps.compute(attn, s, colNames),
};
