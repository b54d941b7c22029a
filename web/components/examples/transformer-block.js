// The source article's TransformerBlock, every number: multi-head self-attention, add & norm,
// feed-forward, add & norm (post-norm, `norm1(attended + x)` as the article writes it), or the
// pre-norm placement; 3 tokens, d_model = 4, 2 heads, so that every matrix fits on screen. The
// block is the engine's transformerBlock, equal to torch.nn.TransformerEncoderLayer.
import { maskOptions } from './attention-steps.js';
import { fitMask, grow, openMask, randomMatrix, tokensFor, words } from './inputs.js';
import { SIZE_LIMITS, arr, colNames, inputMatrix } from './model.js';
import { plainLabel } from '../format.js';

const F = 8; // the feed-forward's hidden width
const ACTIVATION_TEX = {
  relu: '\\max(0,\\, z)',
  gelu: '\\operatorname{GELU}(z) = z\\, \\Phi(z) = \\tfrac{z}{2}\\big(1 + \\operatorname{erf}(z / \\sqrt{2})\\big)',
};
const LN_TEX =
  '\\operatorname{LN}(z) = \\gamma \\odot \\frac{z - \\mu}{\\sqrt{\\sigma^2 + \\varepsilon}} + \\beta, ' +
  '\\quad \\mu, \\sigma^2 \\text{ over each row}, \\; \\varepsilon = 10^{-5}';
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
  compute(attn, s, msg) {
    const t = s.labels.queries;
    const i = s.inputs,
      o = s.options;
    const pre = o.norm === 'pre',
      H = o.heads;
    const r = attn.transformerBlock(i.x, {
      numHeads: H,
      wq: i.wq,
      wk: i.wk,
      wv: i.wv,
      wo: i.wo,
      bq: i.bq[0],
      bk: i.bk[0],
      bv: i.bv[0],
      bo: i.bo[0],
      w1: i.w1,
      b1: i.b1[0],
      w2: i.w2,
      b2: i.b2[0],
      gamma1: i.gamma1[0],
      beta1: i.beta1[0],
      gamma2: i.gamma2[0],
      beta2: i.beta2[0],
      norm: o.norm,
      activation: o.activation,
      ...maskOptions(o),
      trace: true,
    });
    const st = r.steps;
    const D = i.x[0].length,
      dims = colNames('d', D),
      hid = colNames('f', F);
    const out = (name, label, tensor, cols = dims) => ({ name, label, values: arr(tensor), rows: t, cols });
    // a row vector, its row named as its symbol (b_Q, γ_1)
    const bias = (name, label, cols = dims) => inputMatrix(name, label, i[name], [plainLabel(label)], cols);
    const attnIn = pre ? '\\operatorname{LN}_1(X)' : 'X';
    const logits = arr(st.logits),
      weights = arr(r.weights);

    const inputs = {
      id: 'inputs',
      title: msg('transformer-block.inputs'),
      tex: `X \\in \\mathbb{R}^{T \\times d}, \\quad T = ${t.length}, \\; d = ${D}`,
      note: msg('transformer-block.inputs.note'),
      hint: msg('transformer-block.inputs.hint'),
      matrices: [inputMatrix('x', 'X', i.x, t, dims)],
    };
    const norm1 = {
      id: 'norm1',
      title: msg(pre ? 'transformer-block.normFirst' : 'transformer-block.addNorm1'),
      tex: pre
        ? `N_1 = \\operatorname{LN}_1(X), \\qquad ${LN_TEX}`
        : `R_1 = X + \\operatorname{MHA}(X), \\quad N_1 = \\operatorname{LN}_1(R_1)`,
      note: msg(pre ? 'transformer-block.normFirst.note' : 'transformer-block.addNorm1.note'),
      matrices: [
        ...(pre ? [] : [out('residual1', 'R_1', st.residual1)]),
        bias('gamma1', '\\gamma_1'),
        bias('beta1', '\\beta_1'),
        out('norm1', 'N_1', st.norm1),
      ],
    };
    const attention = [
      {
        id: 'attention-weights',
        title: msg('transformer-block.attentionParameters'),
        tex: `Q = ${attnIn} W_Q + b_Q, \\quad K = ${attnIn} W_K + b_K, \\quad V = ${attnIn} W_V + b_V`,
        matrices: [
          inputMatrix('wq', 'W_Q', i.wq, dims, dims),
          inputMatrix('wk', 'W_K', i.wk, dims, dims),
          inputMatrix('wv', 'W_V', i.wv, dims, dims),
          bias('bq', 'b_Q'),
          bias('bk', 'b_K'),
          bias('bv', 'b_V'),
        ],
      },
      {
        id: 'projections',
        title: msg('att.qkvInputs'),
        tex: `Q, K, V \\in \\mathbb{R}^{T \\times ${D}}, \\text{ ${msg('transformer-block.split', { count: H, width: D / H })}}`,
        matrices: [out('q', 'Q', st.q), out('k', 'K', st.k), out('v', 'V', st.v)],
      },
      {
        id: 'heads',
        title: msg('transformer-block.heads', { count: H }),
        tex: `A_h = \\operatorname{softmax}\\Big(\\frac{Q_h K_h^\\top}{\\sqrt{${D / H}}}\\Big)`,
        matrices: weights.map((w, h) => ({
          name: `head${h + 1}`,
          label: `A_{${h + 1}}`,
          title: msg('multi-head.head', { n: h + 1 }),
          values: w,
          rows: t,
          cols: t,
          heatmap: 'sequential',
          explain: logits[h],
        })),
      },
      {
        id: 'attention',
        title: msg('transformer-block.concat'),
        tex: 'M = [\\,A_1 V_1 \\mid \\cdots \\mid A_h V_h\\,]\\, W_O + b_O',
        matrices: [
          out('concat', '[A_h V_h]', st.heads),
          inputMatrix('wo', 'W_O', i.wo, dims, dims),
          bias('bo', 'b_O'),
          out('attention', 'M', st.attention),
        ],
      },
    ];
    const residual1 = {
      id: 'residual1',
      title: msg('transformer-block.residual1'),
      tex: 'R_1 = X + M',
      note: msg('transformer-block.residual1.note'),
      matrices: [out('residual1', 'R_1', st.residual1)],
    };
    const ffIn = pre ? 'N_2' : 'N_1';
    const norm2pre = {
      id: 'norm2',
      title: msg('transformer-block.norm2'),
      tex: `N_2 = \\operatorname{LN}_2(R_1), \\qquad ${LN_TEX}`,
      matrices: [bias('gamma2', '\\gamma_2'), bias('beta2', '\\beta_2'), out('norm2', 'N_2', st.norm2)],
    };
    const feedForward = {
      id: 'feed-forward',
      title: msg('transformer-block.feedForward', { activation: o.activation === 'gelu' ? 'GELU' : 'ReLU' }),
      tex: `Z = \\phi(${ffIn} W_1 + b_1), \\quad F = Z W_2 + b_2, \\quad \\phi(z) = ${ACTIVATION_TEX[o.activation]}`,
      matrices: [
        inputMatrix('w1', 'W_1', i.w1, dims, hid),
        bias('b1', 'b_1', hid),
        out('hidden', 'Z', st.hidden, hid),
        inputMatrix('w2', 'W_2', i.w2, hid, dims),
        bias('b2', 'b_2'),
        out('ff', 'F', st.feedForward),
      ],
    };
    const final = pre
      ? {
          id: 'output',
          title: msg('transformer-block.outputPre'),
          tex: 'Y = R_1 + F',
          note: msg('transformer-block.outputPre.note'),
          matrices: [out('output', 'Y', r.output)],
        }
      : {
          id: 'output',
          title: msg('transformer-block.outputPost'),
          tex: `Y = \\operatorname{LN}_2(N_1 + F), \\qquad ${LN_TEX}`,
          matrices: [
            out('residual2', 'R_2', st.residual2),
            bias('gamma2', '\\gamma_2'),
            bias('beta2', '\\beta_2'),
            out('output', 'Y', r.output),
          ],
        };
    const steps = pre
      ? [inputs, norm1, ...attention, residual1, norm2pre, feedForward, final]
      : [inputs, ...attention, norm1, feedForward, final];
    return { steps };
  },
};
