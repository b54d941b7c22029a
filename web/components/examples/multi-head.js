// Multi-head attention: projections, the split into heads, a heatmap per head, concat, W_O.
import { maskOptions } from './attention-steps.js';
import { openMask, projectionSizing, randomMatrix, words } from './inputs.js';
import { SIZE_LIMITS, arr, colNames, inputMatrix } from './model.js';

const sizing = projectionSizing({ scale: 0.5, base: 't' });

/** @type {import('./model.js').Example} */
export default {
  id: 'multi-head',
  title: 'multi-head.title',
  summary: 'multi-head.summary',
  controls: [
    'labels',
    {
      name: 'heads',
      key: 'heads',
      kind: 'select',
      label: 'multi-head.heads',
      // the head counts that divide D
      choices: (s) =>
        [1, 2, 4, 8]
          .filter((x) => s.inputs.wq[0].length % x === 0 && x <= SIZE_LIMITS.heads)
          .map((x) => [x, String(x)]),
      get: (s) => s.options.heads,
      set(s, v) {
        s.options.heads = Number(v);
      },
    },
    'mask',
    'temperature',
    'size',
    'randomise',
  ],
  defaults: (attn) => ({
    labels: { queries: words('attention is all you need') },
    inputs: {
      x: randomMatrix(attn, 5, 8, 31),
      wq: randomMatrix(attn, 8, 8, 32, 0.5),
      wk: randomMatrix(attn, 8, 8, 33, 0.5),
      wv: randomMatrix(attn, 8, 8, 34, 0.5),
      wo: randomMatrix(attn, 8, 8, 35, 0.5),
    },
    options: { heads: 2, mask: 'none', ...openMask(5), temperature: 1, fill: -1e6 },
  }),
  ...sizing,
  sizeLabels: { dk: 'D' },
  resize(attn, s, sizes) {
    const next = sizing.resize(attn, s, sizes);
    if (next.inputs.wq[0].length % next.options.heads !== 0) next.options = { ...next.options, heads: 1 };
    return next;
  },
  compute(attn, s, msg) {
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
          tex: `Q = [\\,Q_1 \\mid \\cdots \\mid Q_{${H}}\\,], \\quad Q_i \\in \\mathbb{R}^{T \\times ${dh}}`,
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
          grid: true,
          matrices: w.map((wh, h) => ({
            name: `head${h + 1}`,
            label: `A_{${h + 1}}`,
            title: msg('multi-head.head', { n: h + 1 }),
            values: wh,
            rows: t,
            cols: t,
            heatmap: 'sequential',
            heatmapOnly: true,
            explain: logits[h],
          })),
        },
        {
          id: 'concat',
          title: msg('multi-head.concat'),
          tex: 'H = [\\,A_1 V_1 \\mid \\cdots \\mid A_h V_h\\,]',
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
  },
};
