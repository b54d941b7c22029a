// The steps of the positional-encoding example (see positional-encoding.js), loaded with its
// first use, out of what every page downloads.
import { arr, colNames, inputMatrix } from './model.js';
import en from '../../i18n/en.positional-encoding.js';
import zh from '../../i18n/zh-CN.positional-encoding.js';

// its step texts travel with it, in this chunk (web/i18n/index.js, t.with)
const MESSAGES = { en, 'zh-CN': zh };

const swap = (list, i, j) => list.map((x, k) => (k === i ? list[j] : k === j ? list[i] : x));
// the weights of the swapped sentence, rows and columns put back in the original order (reindexing)
const unswap = (w, i, j) => swap(w, i, j).map((row) => swap(row, i, j));

/** The steps at state s: the encoding, the sum, and the swap experiment with and without it. */
export function compute(attn, s, msg) {
  msg = msg.with(MESSAGES);
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
  const positions = t.map((_, p) => msg('positional-encoding.position', { p }));
  // the weights of the sentence and of the sentence with tokens i and j swapped, and their difference
  // once the swapped weights are put back in the original order
  const experiment = (original, swappedInput, label, name) => {
    const a = attn.selfAttention(original, w),
      b = attn.selfAttention(swappedInput, w);
    const [wa, wb] = [arr(a.weights), arr(b.weights)];
    const delta = label === 'X' ? '\\Delta' : '\\Delta_P';
    // each weight matrix with its heatmap (titled with its sentence), then the difference
    return [
      {
        name: `${name}-weights`,
        label: `A(${label})`,
        title: t.join(' '),
        values: wa,
        rows: t,
        cols: t,
        explain: arr(a.logits),
        heatmap: 'sequential',
      },
      {
        name: `${name}-swapped`,
        label: `A(${label.replace('X', "X'")})`,
        title: swapped.join(' '),
        values: wb,
        rows: swapped,
        cols: swapped,
        explain: arr(b.logits),
        heatmap: 'sequential',
      },
      {
        name: `${name}-difference`,
        label: delta,
        values: arr(attn.subtract(unswap(wb, i, j), wa)),
        rows: t,
        cols: t,
      },
    ];
  };
  const same = i === j ? msg('positional-encoding.same') : '';
  return {
    steps: [
      {
        id: 'inputs',
        title: msg('positional-encoding.inputs'),
        tex: 'X \\in \\mathbb{R}^{T \\times d}, \\; W_Q, W_K, W_V \\in \\mathbb{R}^{d \\times d_k}',
        note: msg('positional-encoding.inputs.note'),
        hint: msg('positional-encoding.inputs.hint'),
        matrices: [
          inputMatrix('x', 'X', x, t, dims),
          inputMatrix('wq', 'W_Q', wq, dims, kcols),
          inputMatrix('wk', 'W_K', wk, dims, kcols),
          inputMatrix('wv', 'W_V', wv, dims, kcols),
        ],
      },
      {
        id: 'encoding',
        title: msg('positional-encoding.encoding'),
        tex: 'P_{p,\\,2i} = \\sin\\!\\Big(\\frac{p}{10000^{2i/d}}\\Big), \\quad P_{p,\\,2i+1} = \\cos\\!\\Big(\\frac{p}{10000^{2i/d}}\\Big)',
        note: msg('positional-encoding.encoding.note'),
        matrices: [{ name: 'pe', label: 'P', values: arr(pe), rows: positions, cols: dims, heatmap: 'diverging' }],
      },
      {
        id: 'sum',
        title: msg('positional-encoding.sum'),
        tex: 'X + P',
        note: msg('positional-encoding.sum.note'),
        matrices: [{ name: 'xpe', label: 'X + P', values: arr(xpe), rows: t, cols: dims }],
      },
      {
        id: 'without',
        title: msg('positional-encoding.without', { a: t[i], b: t[j] }),
        tex: "A(X') = \\Pi\\, A(X)\\, \\Pi^\\top, \\quad X' = \\Pi X",
        note: msg('positional-encoding.without.note', { same }).trim(),
        matrices: experiment(x, swap(x, i, j), 'X', 'plain'),
      },
      {
        id: 'with',
        title: msg('positional-encoding.with.title', { a: t[i], b: t[j] }),
        tex: "A(X' + P) \\neq \\Pi\\, A(X + P)\\, \\Pi^\\top, \\quad X' = \\Pi X",
        note: msg('positional-encoding.with.note', { same }).trim(),
        matrices: experiment(arr(xpe), arr(attn.add(swap(x, i, j), pe)), 'X+P', 'positional'),
      },
    ],
  };
}
