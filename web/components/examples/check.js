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
  label: 'check.paste',
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
  label: 'pg.mask',
  choices: (s, msg) => [
    ['no', msg('pg.mask.none')],
    ['yes', msg('pg.mask.causal')],
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
  label: 'check.decimals',
  choices: (s, msg) => [
    ['auto', msg('check.decimals.auto')],
    ...[0, 1, 2, 3, 4, 5, 6].map((d) => [String(d), msg('check.decimals.n', { count: d })]),
  ],
  get: (s) => s.options.decimals,
  set: (s, v) => {
    s.options.decimals = v;
  },
};

/** @type {import('./model.js').Example} */
export default {
  id: 'check',
  title: 'check.title',
  summary: 'check.summary',
  controls: [PASTE, 'scoring', CAUSAL, DECIMALS],
  load: async () => {
    steps ??= await import('./check-compute.js');
  },
  defaults: () => steps.defaults(),
  compute: (attn, s, msg) => steps.compute(attn, s, colNames, msg),
};
