// The steps of the transformer-block example (see transformer-block.js), loaded with its first
// use: a third of the example's code, out of what every page downloads.
import { maskOptions } from './attention-steps.js';
import { arr, colNames, inputMatrix } from './model.js';
import { plainLabel } from '../format.js';
import en from '../../i18n/en.transformer-block.js';
import zh from '../../i18n/zh-CN.transformer-block.js';

// its step texts travel with it, in this chunk (web/i18n/index.js, t.with)
const MESSAGES = { en, 'zh-CN': zh };

const ACTIVATION_TEX = {
  relu: '\\max(0,\\, z)',
  gelu: '\\operatorname{GELU}(z) = z\\, \\Phi(z) = \\tfrac{z}{2}\\big(1 + \\operatorname{erf}(z / \\sqrt{2})\\big)',
};
const LN_TEX =
  '\\operatorname{LN}(z) = \\gamma \\odot \\frac{z - \\mu}{\\sqrt{\\sigma^2 + \\varepsilon}} + \\beta, ' +
  '\\quad \\mu, \\sigma^2 \\text{ over each row}, \\; \\varepsilon = 10^{-5}';

/** The steps at state s: every number from attn.transformerBlock. */
export function compute(attn, s, msg) {
  msg = msg.with(MESSAGES);
  const F = s.inputs.w1[0].length; // the feed-forward's hidden width
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
}
