// The source article's TransformerBlock, every number: multi-head self-attention, add & norm,
// feed-forward, add & norm (post-norm, `norm1(attended + x)` as the article writes it), or the
// pre-norm placement; 3 tokens, d_model = 4, 2 heads, so that every matrix fits on screen. The
// block is the engine's transformerBlock, equal to torch.nn.TransformerEncoderLayer.
import { fitMask, grow, openMask, randomMatrix, tokensFor, words } from './inputs.js';
import { SIZE_LIMITS } from './model.js';

let impl = null; // transformer-block-compute.js, once loaded: the steps load with the example's first use

const F = 8; // the feed-forward's hidden width
const select = (key, label, choices) => ({
  name: key,
  key,
  kind: 'select',
  label,
  choices: (s, msg) => choices(msg),
  get: (s) => s.options[key],
  set(s, v) {
    s.options[key] = v;
  },
});
const row = (attn, n, seed, scale) => randomMatrix(attn, 1, n, seed, scale);
const ones = (n) => [Array(n).fill(1)];
const zeros = (n) => [Array(n).fill(0)];

// the weights of a block of width D, drawn from the seeded generator; layer norms start as identity
function parameters(attn, D, seed) {
  return {
    wq: randomMatrix(attn, D, D, seed + 1, 0.5),
    wk: randomMatrix(attn, D, D, seed + 2, 0.5),
    wv: randomMatrix(attn, D, D, seed + 3, 0.5),
    wo: randomMatrix(attn, D, D, seed + 4, 0.5),
    bq: row(attn, D, seed + 5, 0.1),
    bk: row(attn, D, seed + 6, 0.1),
    bv: row(attn, D, seed + 7, 0.1),
    bo: row(attn, D, seed + 8, 0.1),
    w1: randomMatrix(attn, D, F, seed + 9, 0.5),
    b1: row(attn, F, seed + 10, 0.1),
    w2: randomMatrix(attn, F, D, seed + 11, 0.5),
    b2: row(attn, D, seed + 12, 0.1),
    gamma1: ones(D),
    beta1: zeros(D),
    gamma2: ones(D),
    beta2: zeros(D),
  };
}

/** @type {import('./model.js').Example} */
export default {
  id: 'transformer-block',
  title: 'transformer-block.title',
  summary: 'transformer-block.summary',
  controls: [
    'labels',
    select('norm', 'transformer-block.norm', (msg) => [
      ['post', msg('transformer-block.norm.post')],
      ['pre', msg('transformer-block.norm.pre')],
    ]),
    select('activation', 'transformer-block.activation', () => [
      ['relu', 'ReLU'],
      ['gelu', 'GELU'],
    ]),
    {
      name: 'heads',
      key: 'heads',
      kind: 'select',
      label: 'multi-head.heads',
      choices: (s) =>
        [1, 2, 4, 8].filter((h) => s.inputs.x[0].length % h === 0 && h <= SIZE_LIMITS.heads).map((h) => [h, String(h)]),
      get: (s) => s.options.heads,
      set(s, v) {
        s.options.heads = Number(v);
      },
    },
    'mask',
    'size',
    'randomise',
  ],
  defaults: (attn) => ({
    labels: { queries: words('Tom chase Jerry') },
    inputs: { x: randomMatrix(attn, 3, 4, 51), ...parameters(attn, 4, 51) },
    options: { norm: 'post', activation: 'relu', heads: 2, mask: 'none', ...openMask(3), fill: -1e6 },
  }),
  sizes: (s) => ({ tokens: s.inputs.x.length, dk: s.inputs.x[0].length }),
  sizeLabels: { dk: 'd_model' },
  resize(attn, s, { tokens, dk: D, seed = 1 }) {
    // keep what fits; new cells from fresh draws (and 1 for γ, 0 for β); the heads must divide D
    const fresh = { x: randomMatrix(attn, tokens, D, seed), ...parameters(attn, D, seed) };
    const inputs = Object.fromEntries(
      Object.entries(fresh).map(([k, m]) => [k, grow(s.inputs[k], m.length, m[0].length, () => m)]),
    );
    const heads = D % s.options.heads === 0 ? s.options.heads : 1;
    return {
      ...s,
      labels: { queries: tokensFor(s.labels.queries, tokens, 'x') },
      inputs,
      options: { ...fitMask(s.options, tokens, tokens), heads },
    };
  },
  randomise: (attn, s, seed) => {
    const [T, D] = [s.inputs.x.length, s.inputs.x[0].length];
    const p = parameters(attn, D, seed);
    return {
      ...s,
      inputs: {
        ...s.inputs,
        ...p,
        x: randomMatrix(attn, T, D, seed),
        gamma1: s.inputs.gamma1,
        beta1: s.inputs.beta1,
        gamma2: s.inputs.gamma2,
        beta2: s.inputs.beta2,
      },
    };
  },
  load: async () => {
    impl ??= await import('./transformer-block-compute.js');
  },
  compute: (attn, s, msg) => impl.compute(attn, s, msg),
};
