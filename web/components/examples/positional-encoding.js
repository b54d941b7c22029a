// The sinusoidal positional encoding, added to the token embeddings, and the experiment that shows
// why it is needed: self-attention is permutation-equivariant, so without positions swapping two
// tokens only swaps the rows and columns of the weights; with positions the weights change.
import { projectionSizing, randomMatrix } from './inputs.js';

const sizing = projectionSizing();

let impl = null; // positional-encoding-compute.js, once loaded: the steps load with the example's first use
const position = (key, label) => ({
  name: 'swap',
  key,
  kind: 'select',
  label,
  choices: (s) => s.labels.queries.map((t, p) => [p, `${p}: ${t}`]),
  get: (s) => s.options[key],
  set(s, v) {
    s.options[key] = Number(v);
  },
});

/** @type {import('./model.js').Example} */
const example = {
  id: 'positional-encoding',
  title: 'positional-encoding.title',
  summary: 'positional-encoding.summary',
  controls: [
    'labels',
    position('swapA', 'positional-encoding.swap'),
    position('swapB', 'positional-encoding.with'),
    'size',
    'randomise',
  ],
  defaults: (attn) => ({
    labels: { queries: ['Tom', 'chase', 'Jerry'] },
    inputs: {
      x: randomMatrix(attn, 3, 4, 41),
      wq: randomMatrix(attn, 4, 4, 42),
      wk: randomMatrix(attn, 4, 4, 43),
      wv: randomMatrix(attn, 4, 4, 44),
    },
    options: { swapA: 0, swapB: 2 },
  }),
  ...sizing,
  resize(attn, s, sizes) {
    const next = sizing.resize(attn, s, sizes);
    const last = sizes.tokens - 1;
    next.options = { ...next.options, swapA: Math.min(s.options.swapA, last), swapB: Math.min(s.options.swapB, last) };
    return next;
  },
  load: async () => {
    impl ??= await import('./positional-encoding-compute.js');
  },
  compute: (attn, s, msg) => impl.compute(attn, s, msg),
};
export default example;
