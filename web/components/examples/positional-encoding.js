// The sinusoidal positional encoding, added to the token embeddings, and the experiment that shows
// why it is needed: self-attention is permutation-equivariant, so without positions swapping two
// tokens only swaps the rows and columns of the weights; with positions the weights change.
import { projectionSizing, randomMatrix } from './inputs.js';
import { arr, colNames, inputMatrix } from './model.js';

const sizing = projectionSizing();

const swap = (list, i, j) => list.map((x, k) => (k === i ? list[j] : k === j ? list[i] : x));
// the weights of the swapped sentence, rows and columns put back in the original order (reindexing)
const unswap = (w, i, j) => swap(w, i, j).map((row) => swap(row, i, j));
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
  title: 'Positional encoding: why attention needs it',
  summary:
    'Self-attention compares every token with every other, and nothing in it knows the order: swap two ' +
    'tokens and the weights are the same numbers, their rows and columns swapped. "Tom chase Jerry" and "Jerry ' +
    'chase Tom" would look alike. Adding the sinusoidal encoding of each position to the embeddings breaks the ' +
    'tie. Every number below is computed by the engine; pick the two tokens to swap.',
  controls: ['labels', position('swapA', 'Swap'), position('swapB', 'with'), 'size', 'randomise'],
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
  compute(attn, s) {
    const t = s.labels.queries;
    const { x, wq, wk, wv } = s.inputs;
    const { swapA: i, swapB: j } = s.options;
    const [T, d] = [x.length, x[0].length];
    const pe = attn.positionalEncoding(T, d);
    const xpe = attn.add(x, pe);
    const w = { wq, wk, wv };
    const swapped = swap(t, i, j);
    const dims = colNames('d', d),
      kcols = colNames('k', wq[0].length);
    const positions = t.map((_, p) => `pos ${p}`);
    // the weights of the sentence and of the sentence with tokens i and j swapped, and their difference
    // once the swapped weights are put back in the original order
    const experiment = (original, swappedInput, label, name) => {
      const a = attn.selfAttention(original, w),
        b = attn.selfAttention(swappedInput, w);
      const [wa, wb] = [arr(a.weights), arr(b.weights)];
      const delta = label === 'X' ? '\\Delta' : '\\Delta_P';
      return [
        { name: `${name}-weights`, label: `A(${label})`, values: wa, rows: t, cols: t, explain: arr(a.logits) },
        {
          name: `${name}-swapped`,
          label: `A(${label.replace('X', "X'")})`,
          values: wb,
          rows: swapped,
          cols: swapped,
          explain: arr(b.logits),
        },
        {
          name: `${name}-difference`,
          label: delta,
          values: arr(attn.subtract(unswap(wb, i, j), wa)),
          rows: t,
          cols: t,
        },
        {
          name: `${name}-weights-map`,
          label: `A(${label})`,
          title: t.join(' '),
          values: wa,
          rows: t,
          cols: t,
          heatmap: 'sequential',
          heatmapOnly: true,
        },
        {
          name: `${name}-swapped-map`,
          label: `A(${label.replace('X', "X'")})`,
          title: swapped.join(' '),
          values: wb,
          rows: swapped,
          cols: swapped,
          heatmap: 'sequential',
          heatmapOnly: true,
        },
      ];
    };
    const swapNote = i === j ? 'The two positions are the same: pick two different tokens to swap.' : '';
    return {
      steps: [
        {
          id: 'inputs',
          title: 'Token embeddings and projections',
          tex: 'X \\in \\mathbb{R}^{T \\times d}, \\; W_Q, W_K, W_V \\in \\mathbb{R}^{d \\times d_k}',
          note: 'One row of X per token: the embedding of the word, the same wherever the word stands.',
          hint: 'Edit any cell, or type another sentence in Tokens.',
          matrices: [
            inputMatrix('x', 'X', x, t, dims),
            inputMatrix('wq', 'W_Q', wq, dims, kcols),
            inputMatrix('wk', 'W_K', wk, dims, kcols),
            inputMatrix('wv', 'W_V', wv, dims, kcols),
          ],
        },
        {
          id: 'encoding',
          title: 'The sinusoidal encoding of each position',
          tex: 'P_{p,\\,2i} = \\sin\\!\\Big(\\frac{p}{10000^{2i/d}}\\Big), \\quad P_{p,\\,2i+1} = \\cos\\!\\Big(\\frac{p}{10000^{2i/d}}\\Big)',
          note:
            'Each pair of columns is a sine and a cosine of the position at one frequency, from one cycle per 2π ' +
            'positions down to one per 10000 · 2π: every position gets its own pattern, and P_{p+k} is a rotation of P_p.',
          matrices: [{ name: 'pe', label: 'P', values: arr(pe), rows: positions, cols: dims, heatmap: 'diverging' }],
        },
        {
          id: 'sum',
          title: 'Embeddings plus positions',
          tex: 'X + P',
          note: 'The encoding is added, not appended: the model sees one vector per token that carries both.',
          matrices: [{ name: 'xpe', label: 'X + P', values: arr(xpe), rows: t, cols: dims }],
        },
        {
          id: 'without',
          title: `Without positions: swap ${t[i]} and ${t[j]}`,
          tex: "A(X') = \\Pi\\, A(X)\\, \\Pi^\\top, \\quad X' = \\Pi X",
          note:
            `${swapNote} The swapped sentence gets the same weights, rows and columns swapped: put back in the ` +
            'original order, the difference Δ is zero (up to float32 rounding). Attention alone cannot tell the two ' +
            'sentences apart.',
          matrices: experiment(x, swap(x, i, j), 'X', 'plain'),
        },
        {
          id: 'with',
          title: `With positions: swap ${t[i]} and ${t[j]}`,
          tex: "A(X' + P) \\neq \\Pi\\, A(X + P)\\, \\Pi^\\top, \\quad X' = \\Pi X",
          note:
            `${swapNote} The words move but the positions stay: each swapped word now carries another position's ` +
            "encoding (X' + P, not the rows of X + P swapped), so the weights change, and Δ_P is not zero.",
          matrices: experiment(arr(xpe), arr(attn.add(swap(x, i, j), pe)), 'X+P', 'positional'),
        },
      ],
    };
  },
};
export default example;
