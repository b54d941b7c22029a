// The steps of the multi-head example (see multi-head.js), loaded with its first use, out of what
// every page downloads.
import { maskOptions } from './attention-steps.js';
import { arr, colNames, inputMatrix } from './model.js';
import en from '../../i18n/en.multi-head.js';
import zh from '../../i18n/zh-CN.multi-head.js';

// The most per-head weights shown as numbers (below: 8 heads of 8 tokens, 2 of 16).
const MAX_SHOWN_WEIGHTS = 512;

// its step texts travel with it, in this chunk (web/i18n/index.js, t.with)
const MESSAGES = { en, 'zh-CN': zh };

/** The steps at state s: projections, the heads, their weights, concat and W_O. */
export function compute(attn, s, msg) {
  msg = msg.with(MESSAGES);
  const t = s.labels.queries;
  const { x, wq, wk, wv, wo } = s.inputs;
  const H = s.options.heads,
    D = wq[0].length,
    dh = D / H;
  const r = attn.multiHeadAttention(x, x, x, {
    numHeads: H,
    wq,
    wk,
    wv,
    wo,
    temperature: s.options.temperature,
    trace: true,
    ...maskOptions(s.options),
  });
  const dims = colNames('d', x[0].length),
    Dcols = colNames('c', D);
  const headCols = (h) => Dcols.slice(h * dh, (h + 1) * dh);
  const slice = (m, h) => m.map((row) => row.slice(h * dh, (h + 1) * dh));
  const q = arr(r.steps.q),
    k = arr(r.steps.k),
    v = arr(r.steps.v),
    w = arr(r.weights),
    logits = arr(r.steps.logits);
  const few = H * t.length * t.length <= MAX_SHOWN_WEIGHTS;
  return {
    steps: [
      {
        id: 'inputs',
        title: msg('multi-head.inputs'),
        tex: `X \\in \\mathbb{R}^{T \\times d}, \\; W_Q, W_K, W_V \\in \\mathbb{R}^{d \\times D}, \\; W_O \\in \\mathbb{R}^{D \\times d}, \\quad D = ${D}, \\; h = ${H}`,
        matrices: [
          inputMatrix('x', 'X', x, t, dims),
          inputMatrix('wq', 'W_Q', wq, dims, Dcols),
          inputMatrix('wk', 'W_K', wk, dims, Dcols),
          inputMatrix('wv', 'W_V', wv, dims, Dcols),
          inputMatrix('wo', 'W_O', wo, Dcols, dims),
        ],
      },
      {
        id: 'projections',
        title: msg('att.projections'),
        tex: 'Q = X W_Q, \\quad K = X W_K, \\quad V = X W_V',
        matrices: [
          { name: 'q', label: 'Q', values: q, rows: t, cols: Dcols },
          { name: 'k', label: 'K', values: k, rows: t, cols: Dcols },
          { name: 'v', label: 'V', values: v, rows: t, cols: Dcols },
        ],
      },
      {
        id: 'split',
        title: msg('multi-head.split', { count: H, width: dh }),
        tex: `Q = [\\,${blocks(H, (i) => `Q_{${i}}`)}\\,], \\quad Q_i \\in \\mathbb{R}^{T \\times ${dh}}`,
        matrices: Array.from({ length: H }, (_, h) => ({
          name: `q${h + 1}`,
          label: `Q_{${h + 1}}`,
          values: slice(q, h),
          rows: t,
          cols: headCols(h),
        })),
      },
      {
        id: 'heads',
        title: msg('multi-head.perHead'),
        tex: `A_i = \\operatorname{softmax}\\Big(\\frac{Q_i K_i^\\top}{\\sqrt{${dh}}}\\Big)`,
        // every weight as a number beside its heatmap while that is a few hundred numbers; past
        // that, the heads' heatmaps side by side (64 tokens × 8 heads as tables would not repaint
        // within a frame), each weight's numbers a click away in the arithmetic panel
        grid: !few,
        matrices: w.map((wh, h) => ({
          name: `head${h + 1}`,
          label: `A_{${h + 1}}`,
          title: msg('multi-head.head', { n: h + 1 }),
          values: wh,
          rows: t,
          cols: t,
          heatmap: 'sequential',
          heatmapOnly: !few,
          explain: logits[h],
        })),
      },
      {
        id: 'concat',
        title: msg('multi-head.concat'),
        tex: `H = [\\,${blocks(H, (i) => `A_{${i}} V_{${i}}`)}\\,]`,
        matrices: [{ name: 'concat', label: 'H', values: arr(r.steps.heads), rows: t, cols: Dcols }],
      },
      {
        id: 'output',
        title: msg('multi-head.output'),
        tex: 'O = H W_O',
        matrices: [{ name: 'output', label: 'O', values: arr(r.output), rows: t, cols: dims }],
      },
    ],
  };
}

// The H blocks of a concatenation, [X_1 | X_2 | X_3], with ⋯ for the middle ones from 5 heads on
// (with 2 heads, "X_1 | ⋯ | X_2" suggested heads between them).
function blocks(H, x) {
  const shown = H <= 4 ? Array.from({ length: H }, (_, i) => x(i + 1)) : [x(1), x(2), '\\cdots', x(H)];
  return shown.join(' \\mid ');
}
