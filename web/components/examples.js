// The built-in worked examples. Each is an editable starting point:
//   defaults(attn)          the initial state (labels, input matrices, options)
//   compute(attn, state)    the steps to show, every number from the engine
//   resize(attn, state, n)  new sizes (tokens, d_k), new inputs drawn by the engine's seeded random
// A state is plain JSON (it lives in the URL): { labels, inputs, options }.
// No arithmetic here: matrices are sliced and passed around, never computed.

export const SIZE_LIMITS = { tokens: 64, dk: 64, heads: 8 };

const words = (s) => s.trim().split(/\s+/).filter(Boolean);
const arr = (t) => t.toArray();
const PUBLISHED = {
  q: [[1, 0], [0, 1], [0, 0]],
  scores: '\\tfrac{1}{\\sqrt{2}}\\begin{bmatrix}1&0&0\\\\0&1&0\\end{bmatrix}\\;(2\\times 3)',
  weights: '\\begin{bmatrix}\\tfrac12&\\tfrac12&0\\\\0&\\tfrac12&\\tfrac12\\end{bmatrix}',
  output: '\\begin{bmatrix}\\tfrac12&\\tfrac12\\\\0&0\\end{bmatrix}',
};
const SEED_W = [[1, 0], [0, 1], [1, 1]];
const I3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];

// --- shared pieces ------------------------------------------------------------------------------

/** Engine options for the mask controls: none | valid | causal | cells. */
export function maskOptions(o) {
  const m = { fill: o.fill ?? -1e6 };
  if (o.mask === 'valid') m.validLens = o.validLens;
  if (o.mask === 'causal') m.causal = true;
  if (o.mask === 'cells') m.mask = o.cells;
  return m;
}

const fillTex = (fill) => (fill === -Infinity ? '-\\infty' : `${fill === -1e6 ? '-10^{6}' : fill}`);

/** Engine options from a state's options (scoring, mask controls, temperature, mode, seed). */
export function engineOptions(o) {
  return { scoring: o.scoring ?? 'scaled_dot', ...maskOptions(o), temperature: o.temperature ?? 1, mode: o.mode ?? 'soft', seed: o.seed ?? 0 };
}

export function scoreTex(scoring, dk) {
  switch (scoring) {
    case 'dot': return 'S = Q K^\\top';
    case 'additive': return 's_{ij} = v^\\top \\tanh(q_i W_q + k_j W_k)';
    case 'bilinear': return 'S = Q\\, W K^\\top';
    default: return `S = \\frac{Q K^\\top}{\\sqrt{d_k}}${dk ? `, \\quad d_k = ${dk}` : ''}`;
  }
}

function weightsTex(mode) {
  if (mode === 'argmax') return 'A_{ij} = [\\, j = \\arg\\max_k P_{ik} \\,], \\quad P = \\operatorname{softmax}(L)';
  if (mode === 'sample') return 'A_{i\\cdot} = \\operatorname{onehot}(j \\sim P_{i\\cdot}), \\quad P = \\operatorname{softmax}(L)';
  return 'A_{ij} = \\frac{e^{L_{ij} - m_i}}{\\sum_k e^{L_{ik} - m_i}}, \\quad m_i = \\max_k L_{ik}';
}

/**
 * Steps from scores to output for queries q, keys k, values v (nested arrays) with engine options
 * (as attn.attention takes them). Returns { steps, result }.
 */
export function attentionSteps(attn, { q, k, v, rows, cols, options: given }) {
  const options = { scoring: 'scaled_dot', temperature: 1, mode: 'soft', seed: 0, fill: -1e6, ...given, trace: true };
  const r = attn.attention(q, k, v, options);
  const dk = q[0].length;
  const isMasked = options.validLens != null || options.mask != null || !!options.causal;
  const steps = [];
  if (options.scoring === 'scaled_dot') {
    steps.push({ id: 'qk', title: 'Dot products', tex: 'Q K^\\top', matrices: [{ name: 'qk', label: 'QK^\\top', values: arr(attn.score(q, k, { scoring: 'dot' })), rows, cols }] });
  }
  steps.push({
    id: 'scores', title: 'Scores', tex: scoreTex(options.scoring, dk),
    matrices: [{ name: 'scores', label: 'S', values: arr(r.steps.scores), rows, cols, heatmap: 'diverging' }],
  });
  if (isMasked || options.temperature !== 1) {
    steps.push({
      id: 'logits', title: isMasked ? 'Masked logits' : 'Logits',
      tex: `L = ${isMasked ? '\\operatorname{mask}' : ''}(S / T), \\quad T = ${options.temperature}${isMasked ? `, \\quad \\text{blocked} \\mapsto ${fillTex(options.fill)}` : ''}`,
      matrices: [{ name: 'logits', label: 'L', values: arr(r.steps.logits), rows, cols, heatmap: 'diverging', maskedValue: isMasked ? options.fill : undefined }],
    });
  }
  const logits = arr(r.steps.logits);
  if (options.mode !== 'soft') {
    steps.push({
      id: 'probabilities', title: 'Soft weights', tex: 'P = \\operatorname{softmax}(L)',
      matrices: [{ name: 'probabilities', label: 'P', values: arr(r.steps.probabilities), rows, cols, heatmap: 'sequential', explain: logits }],
    });
  }
  steps.push({
    id: 'weights', title: options.mode === 'soft' ? 'Attention weights' : `Weights (${options.mode === 'argmax' ? 'argmax' : `sampled, seed ${options.seed}`})`,
    tex: weightsTex(options.mode),
    note: options.mode === 'soft' ? 'Each row sums to 1.' : undefined,
    hint: options.mode === 'soft' ? 'Click or focus a weight to see its arithmetic.' : undefined,
    matrices: [{ name: 'weights', label: 'A', values: arr(r.weights), rows, cols, heatmap: 'sequential', explain: options.mode === 'soft' ? logits : undefined }],
  });
  steps.push({
    id: 'output', title: 'Output', tex: 'O = A V',
    matrices: [{ name: 'output', label: 'O', values: arr(r.output), rows, cols: colNames('o', r.output.shape.at(-1)) }],
  });
  return { steps, result: r };
}

const colNames = (p, n) => Array.from({ length: n }, (_, i) => `${p}${i + 1}`);

/** An editable input matrix; `path` is where its values live in state.inputs (default [name]). */
function input(name, label, values, rows, cols, path = [name]) {
  return { name, label, values, rows, cols: cols ?? values[0].map((_, i) => String(i + 1)), editable: true, path };
}

/** Keeps mask options consistent with Q × K after a resize. */
export function fitMask(attn, o, Q, K) {
  const lens = Array.from({ length: Q }, (_, i) => Math.min(K, o.validLens?.[i] ?? K));
  const cells = Array.from({ length: Q }, (_, i) => Array.from({ length: K }, (_, j) => o.cells?.[i]?.[j] ?? 1));
  return { ...o, validLens: lens, cells };
}

function randomMatrix(attn, rows, cols, seed, scale = 1) {
  return arr(attn.random([rows, cols], { seed, scale, decimals: 2 }));
}

function tokensFor(labels, n, base) {
  return Array.from({ length: n }, (_, i) => labels?.[i] ?? `${base}${i + 1}`);
}

const MASK_CONTROLS = ['mask', 'temperature', 'mode'];
export { colNames };

// --- the examples ----------------------------------------------------------------------------------

export const EXAMPLES = [
  {
    id: 'self-attention',
    title: 'Self-attention, step by step',
    summary: 'The worked example from the self-attention article: three tokens embedded as the rows of X = I₃, and W_Q = W_K = W_V = [[1, 0], [0, 1], [1, 1]] (d_k = 2). Every matrix below is computed by the engine; edit any input cell.',
    controls: ['labels', 'scoring:self', ...MASK_CONTROLS, 'size', 'randomise'],
    defaults: () => ({
      labels: { queries: ['x₁', 'x₂', 'x₃'] },
      inputs: { x: I3, wq: SEED_W, wk: SEED_W, wv: SEED_W },
      options: { scoring: 'scaled_dot', mask: 'none', validLens: [3, 3, 3], cells: [[1, 1, 1], [1, 1, 1], [1, 1, 1]], temperature: 1, mode: 'soft', seed: 0, fill: -1e6 },
    }),
    sizes: (s) => ({ tokens: s.inputs.x.length, dk: s.inputs.wq[0].length, dmodel: s.inputs.x[0].length }),
    resize(attn, s, { tokens, dk, seed = 1 }) {
      const d = s.inputs.x[0].length;
      return {
        ...s,
        labels: { queries: tokensFor(s.labels.queries, tokens, 'x') },
        inputs: {
          x: grow(s.inputs.x, tokens, d, () => randomMatrix(attn, tokens, d, seed)),
          wq: grow(s.inputs.wq, d, dk, () => randomMatrix(attn, d, dk, seed + 1)),
          wk: grow(s.inputs.wk, d, dk, () => randomMatrix(attn, d, dk, seed + 2)),
          wv: grow(s.inputs.wv, d, dk, () => randomMatrix(attn, d, dk, seed + 3)),
        },
        options: fitMask(attn, s.options, tokens, tokens),
      };
    },
    randomise(attn, s, seed) {
      const [T, d] = [s.inputs.x.length, s.inputs.x[0].length], dk = s.inputs.wq[0].length;
      return { ...s, inputs: { x: randomMatrix(attn, T, d, seed), wq: randomMatrix(attn, d, dk, seed + 1), wk: randomMatrix(attn, d, dk, seed + 2), wv: randomMatrix(attn, d, dk, seed + 3) } };
    },
    compute(attn, s) {
      const t = s.labels.queries;
      const { x, wq, wk, wv } = s.inputs;
      const o = s.options;
      const r = attn.selfAttention(x, { wq, wk, wv, scoring: o.scoring, temperature: o.temperature, mode: o.mode, seed: o.seed, ...maskOptions(o) });
      const dk = wq[0].length;
      const dims = colNames('d', x[0].length), kcols = colNames('k', dk);
      const steps = [{
        id: 'inputs', title: 'Inputs', tex: 'X \\in \\mathbb{R}^{T \\times d}, \\; W_Q, W_K, W_V \\in \\mathbb{R}^{d \\times d_k}',
        note: 'The tokens are the rows of X.',
        hint: 'Edit any cell: every step below recomputes.',
        matrices: [input('x', 'X', x, t, dims), input('wq', 'W_Q', wq, dims, kcols), input('wk', 'W_K', wk, dims, kcols), input('wv', 'W_V', wv, dims, kcols)],
      }, {
        id: 'projections', title: 'Projections', tex: 'Q = X W_Q, \\quad K = X W_K, \\quad V = X W_V',
        matrices: [{ name: 'q', label: 'Q', values: arr(r.q), rows: t, cols: kcols }, { name: 'k', label: 'K', values: arr(r.k), rows: t, cols: kcols }, { name: 'v', label: 'V', values: arr(r.v), rows: t, cols: kcols }],
      }];
      const rest = attentionSteps(attn, { q: arr(r.q), k: arr(r.k), v: arr(r.v), rows: t, cols: t, options: engineOptions(o) });
      steps.push(...rest.steps);
      // the published version of this example, against the engine's numbers for the original inputs
      const seed = attn.selfAttention(I3, { wq: SEED_W, wk: SEED_W, wv: SEED_W });
      steps.push({
        id: 'erratum', title: 'The published arithmetic is wrong',
        note: 'The widely copied version of this example goes wrong at its first step. With X = I₃, X·W is W itself, so Q = K = V keep the third row [1, 1]; the article drops it to [0, 0], then prints a 2 × 3 score matrix (one score per query–key pair needs 3 × 3), weights of ½ and 0, and an output of [[½, ½], [0, 0]]. Below, each published value beside the correct one for the original inputs.',
        comparison: [
          { what: 'Q = K = V', published: `\\begin{bmatrix}1&0\\\\0&1\\\\0&0\\end{bmatrix}`, correct: arr(seed.q) },
          { what: 'scores', published: PUBLISHED.scores, correct: arr(seed.scores) },
          { what: 'weights', published: PUBLISHED.weights, correct: arr(seed.weights) },
          { what: 'output', published: PUBLISHED.output, correct: arr(seed.output) },
        ],
      });
      return { steps };
    },
  },

  {
    id: 'translation-alignment',
    title: 'Tom chase Jerry → 汤姆 追逐 杰瑞',
    summary: 'Cross-attention in a translation model: each Chinese word being generated (a decoder query) attends over the English words (encoder keys). The article gives the weights used when producing 杰瑞: Tom 0.3, chase 0.2, Jerry 0.5. Edit the query of 杰瑞 (or the keys) until its row of weights matches the target.',
    controls: ['labels:both', 'scoring', 'temperature', 'randomise'],
    defaults: () => ({
      labels: { queries: ['汤姆', '追逐', '杰瑞'], keys: ['Tom', 'chase', 'Jerry'] },
      inputs: {
        k: [[1, 0, 0, 0.5], [0, 1, 0, 0.2], [0, 0, 1, 0.5]],
        q: [[2, 0, 0, 0], [0, 2, 0, 0], [0.3, 0, 1.2, 0]],
        target: [[0.3, 0.2, 0.5]],
      },
      options: { scoring: 'dot', mask: 'none', temperature: 1, mode: 'soft', seed: 0, fill: -1e6 },
    }),
    randomise(attn, s, seed) {
      const d = s.inputs.k[0].length;
      return { ...s, inputs: { ...s.inputs, q: randomMatrix(attn, s.inputs.q.length, d, seed), k: randomMatrix(attn, s.inputs.k.length, d, seed + 1) } };
    },
    compute(attn, s) {
      const { q, k, target } = s.inputs;
      const rows = s.labels.queries, cols = s.labels.keys;
      const dims = colNames('h', k[0].length);
      const steps = [{
        id: 'inputs', title: 'Encoder states and decoder queries', tex: 'K = \\text{encoder}(x), \\; V = K, \\quad Q = \\text{decoder states}',
        note: 'One row per word. The values are the encoder states themselves.',
        matrices: [input('k', 'K', k, cols, dims), input('q', 'Q', q, rows, dims)],
      }];
      const a = attentionSteps(attn, { q, k, v: k, rows, cols, options: engineOptions(s.options) });
      for (const step of a.steps) if (step.id === 'weights') step.title = 'Alignment: who attends to whom';
      steps.push(...a.steps);
      const last = rows.length - 1;
      const current = [arr(a.result.weights)[last]];
      steps.push({
        id: 'target', title: `The article's weights for ${rows[last]}`, tex: `\\alpha_{\\text{${rows[last]}}} \\stackrel{?}{=} (0.3,\\ 0.2,\\ 0.5)`,
        note: 'The target, the current row, and current − target. Scores that reproduce it exactly are log(0.3), log(0.2), log(0.5) plus any constant.',
        hint: 'Edit the query of the last word (or the target) above.',
        matrices: [input('target', 'target', target, ['target'], cols),
          { name: 'current', label: 'current', values: current, rows: [rows[last]], cols, heatmap: 'sequential' },
          { name: 'difference', label: 'current − target', values: arr(attn.subtract(current, target)), rows: ['Δ'], cols }],
      });
      return { steps };
    },
  },

  {
    id: 'masked-softmax',
    title: "d2l's masked softmax",
    summary: "d2l's masked_softmax on rand(2, 2, 5): entries at or past each row's valid length are replaced before the softmax. Lengths [2, 3] are shared by the rows of each batch element; [[1, 3], [2, 4]] give one length per row. With d2l's fill of −10⁶ a row of valid length 0 comes out uniform; with −∞ it is all zeros.",
    controls: ['lens', 'randomise'],
    defaults: (attn) => ({
      labels: {},
      inputs: { x: arr(attn.random([2, 2, 5], { seed: 2, distribution: 'uniform', scale: 0.5, offset: 0.5, decimals: 4 })), lens: [[2, 2], [3, 3]] },
      options: { lensPreset: 'per-batch' },
    }),
    randomise(attn, s, seed) {
      return { ...s, inputs: { ...s.inputs, x: arr(attn.random([2, 2, 5], { seed, distribution: 'uniform', scale: 0.5, offset: 0.5, decimals: 4 })) } };
    },
    compute(attn, s) {
      const { x, lens } = s.inputs;
      const keys = colNames('k', 5), rows = ['row 1', 'row 2'];
      const steps = [{
        id: 'inputs', title: 'Scores and valid lengths', tex: 'X \\in [0, 1)^{2 \\times 2 \\times 5}',
        note: 'The valid lengths are per row here: [2, 3] is the same as [[2, 2], [3, 3]].',
        hint: 'Set a length to 0 to see a fully masked row.',
        matrices: [input('x0', 'X_1', x[0], rows, keys, ['x', 0]), input('x1', 'X_2', x[1], rows, keys, ['x', 1]), input('lens', 'valid lengths', lens, ['batch 1', 'batch 2'], rows)],
      }];
      for (const fill of [-1e6, -Infinity]) {
        const name = fill === -Infinity ? 'inf' : '1e6';
        const masked = arr(attn.applyMask(x, { validLens: lens, fill }));
        const w = arr(attn.maskedSoftmax(x, lens, { fill }));
        steps.push({
          id: `fill-${name}`, title: `fill = ${fill === -Infinity ? '−∞' : '−10⁶'}`,
          tex: `\\operatorname{masked\\_softmax}(X, \\text{lens})_{bij} = \\operatorname{softmax}_j\\big(X_{bij} \\text{ if } j < \\text{len}_{bi} \\text{ else } ${fill === -Infinity ? '-\\infty' : '-10^{6}'}\\big)`,
          note: fill === -Infinity ? 'Masked weights are exactly 0; a row of valid length 0 is all zeros, never NaN.' : "d2l's choice: masked weights are e^(−10⁶ − m) ≈ 0; a row of valid length 0 is uniform (1/5 each).",
          matrices: [
            { name: `logits-${name}-1`, label: 'L_1', values: masked[0], rows, cols: keys, heatmap: 'diverging', maskedValue: fill },
            { name: `logits-${name}-2`, label: 'L_2', values: masked[1], rows, cols: keys, heatmap: 'diverging', maskedValue: fill },
            { name: `weights-${name}-1`, label: 'A_1', values: w[0], rows, cols: keys, heatmap: 'sequential', explain: masked[0] },
            { name: `weights-${name}-2`, label: 'A_2', values: w[1], rows, cols: keys, heatmap: 'sequential', explain: masked[1] },
          ],
        });
      }
      return { steps };
    },
  },

  {
    id: 'scoring-functions',
    title: 'Four scoring functions, side by side',
    summary: 'The same queries and keys scored four ways: dot product, scaled dot product, additive (Bahdanau) and bilinear (Luong general). The difference view subtracts the weights of one from another.',
    controls: ['labels:both', 'compare', 'temperature', 'size', 'randomise'],
    defaults: (attn) => ({
      labels: { queries: ['q1', 'q2', 'q3'], keys: ['k1', 'k2', 'k3', 'k4'] },
      inputs: {
        q: randomMatrix(attn, 3, 4, 11), k: randomMatrix(attn, 4, 4, 12),
        wq: randomMatrix(attn, 4, 3, 13), wk: randomMatrix(attn, 4, 3, 14), va: randomMatrix(attn, 1, 3, 15), w: randomMatrix(attn, 4, 4, 16),
      },
      options: { compareA: 'scaled_dot', compareB: 'dot', temperature: 1 },
    }),
    sizes: (s) => ({ tokens: s.inputs.q.length, keys: s.inputs.k.length, dk: s.inputs.q[0].length }),
    resize(attn, s, { tokens, keys = tokens, dk, seed = 1 }) {
      const h = s.inputs.wq[0].length;
      return {
        ...s,
        labels: { queries: tokensFor(s.labels.queries, tokens, 'q'), keys: tokensFor(s.labels.keys, keys, 'k') },
        inputs: {
          q: grow(s.inputs.q, tokens, dk, () => randomMatrix(attn, tokens, dk, seed)),
          k: grow(s.inputs.k, keys, dk, () => randomMatrix(attn, keys, dk, seed + 1)),
          wq: grow(s.inputs.wq, dk, h, () => randomMatrix(attn, dk, h, seed + 2)),
          wk: grow(s.inputs.wk, dk, h, () => randomMatrix(attn, dk, h, seed + 3)),
          va: s.inputs.va,
          w: grow(s.inputs.w, dk, dk, () => randomMatrix(attn, dk, dk, seed + 4)),
        },
      };
    },
    randomise(attn, s, seed) {
      return this.resize(attn, { ...s, inputs: { ...s.inputs, q: [[0]], k: [[0]], wq: [[0]], wk: [[0]], w: [[0]] } }, { tokens: s.inputs.q.length, keys: s.inputs.k.length, dk: s.inputs.q[0].length, seed });
    },
    compute(attn, s) {
      const { q, k, wq, wk, va, w } = s.inputs;
      const rows = s.labels.queries, cols = s.labels.keys;
      const dims = colNames('d', q[0].length), hid = colNames('h', wq[0].length);
      const params = { additive: { wq, wk, v: va[0] }, bilinear: { w } };
      const steps = [{
        id: 'inputs', title: 'Queries, keys and the scoring parameters', tex: 'Q \\in \\mathbb{R}^{n_q \\times d}, \\; K \\in \\mathbb{R}^{n_k \\times d}',
        matrices: [input('q', 'Q', q, rows, dims), input('k', 'K', k, cols, dims), input('wq', 'W_q', wq, dims, hid), input('wk', 'W_k', wk, dims, hid), input('va', 'v', va, ['v'], hid), input('w', 'W', w, dims, dims)],
      }];
      const weights = {};
      for (const scoring of ['dot', 'scaled_dot', 'additive', 'bilinear']) {
        const r = attn.attention(q, k, k, { scoring, ...params[scoring], temperature: s.options.temperature, trace: true });
        weights[scoring] = arr(r.weights);
        steps.push({
          id: `score-${scoring}`, title: { dot: 'Dot product', scaled_dot: 'Scaled dot product', additive: 'Additive', bilinear: 'Bilinear' }[scoring],
          tex: scoreTex(scoring, q[0].length),
          matrices: [
            { name: `scores-${scoring}`, label: 'S', values: arr(r.steps.scores), rows, cols, heatmap: 'diverging' },
            { name: `weights-${scoring}`, label: 'A', values: weights[scoring], rows, cols, heatmap: 'sequential', explain: arr(r.steps.logits) },
          ],
        });
      }
      const { compareA: A, compareB: B } = s.options;
      steps.push({
        id: 'difference', title: `Difference: ${A} − ${B}`, tex: `A_{\\text{${A.replace('_', '\\_')}}} - A_{\\text{${B.replace('_', '\\_')}}}`,
        matrices: [{ name: 'difference', label: 'ΔA', values: arr(attn.subtract(weights[A], weights[B])), rows, cols, heatmap: 'diverging' }],
      });
      return { steps };
    },
  },

  {
    id: 'causal-mask',
    title: 'Decoder self-attention with the causal mask',
    summary: 'In a decoder, token i may only attend to tokens 0 … i: the keys after it are blocked before the softmax, so the weights form a lower triangle.',
    controls: ['labels', 'scoring:self', 'mask', 'temperature', 'size', 'randomise'],
    defaults: (attn) => {
      const tokens = words('the cat sat on the mat');
      return {
        labels: { queries: tokens },
        inputs: { x: randomMatrix(attn, 6, 4, 21), wq: randomMatrix(attn, 4, 4, 22), wk: randomMatrix(attn, 4, 4, 23), wv: randomMatrix(attn, 4, 4, 24) },
        options: { scoring: 'scaled_dot', mask: 'causal', validLens: Array(6).fill(6), cells: Array.from({ length: 6 }, () => Array(6).fill(1)), temperature: 1, mode: 'soft', seed: 0, fill: -Infinity },
      };
    },
    sizes: (s) => ({ tokens: s.inputs.x.length, dk: s.inputs.wq[0].length }),
    resize(attn, s, { tokens, dk, seed = 1 }) {
      return EXAMPLES[0].resize(attn, s, { tokens, dk, seed });
    },
    randomise(attn, s, seed) {
      return EXAMPLES[0].randomise(attn, s, seed);
    },
    compute(attn, s) {
      const t = s.labels.queries;
      const { x, wq, wk, wv } = s.inputs;
      const o = s.options;
      const r = attn.selfAttention(x, { wq, wk, wv, scoring: o.scoring, temperature: o.temperature, ...maskOptions(o) });
      const dims = colNames('d', x[0].length), kcols = colNames('k', wq[0].length);
      const steps = [{
        id: 'inputs', title: 'Token embeddings and projections', tex: 'Q = X W_Q, \\; K = X W_K, \\; V = X W_V',
        matrices: [input('x', 'X', x, t, dims), input('wq', 'W_Q', wq, dims, kcols), input('wk', 'W_K', wk, dims, kcols), input('wv', 'W_V', wv, dims, kcols)],
      }];
      steps.push(...attentionSteps(attn, { q: arr(r.q), k: arr(r.k), v: arr(r.v), rows: t, cols: t, options: engineOptions(o) }).steps);
      return { steps };
    },
  },

  {
    id: 'hard-vs-soft',
    title: 'Soft, argmax and sampled attention',
    summary: 'Soft attention averages the values with the softmax weights. Hard attention picks one value: the most likely (argmax) or one drawn from the weights (sampling, here with a seeded generator: the same seed gives the same draw).',
    controls: ['labels:both', 'temperature', 'seed', 'randomise'],
    defaults: () => ({
      labels: { queries: ['汤姆', '追逐', '杰瑞'], keys: ['Tom', 'chase', 'Jerry'] },
      inputs: { q: [[2, 0, 0, 0], [0, 2, 0, 0], [0.3, 0, 1.2, 0]], k: [[1, 0, 0, 0.5], [0, 1, 0, 0.2], [0, 0, 1, 0.5]], v: [[1, 0], [0, 1], [1, 1]] },
      options: { temperature: 1, seed: 7 },
    }),
    randomise(attn, s, seed) {
      return { ...s, inputs: { q: randomMatrix(attn, 3, 4, seed), k: randomMatrix(attn, 3, 4, seed + 1), v: randomMatrix(attn, 3, 2, seed + 2) } };
    },
    compute(attn, s) {
      const { q, k, v } = s.inputs;
      const rows = s.labels.queries, cols = s.labels.keys;
      const base = { scoring: 'dot', temperature: s.options.temperature, trace: true };
      const soft = attn.attention(q, k, v, { ...base, mode: 'soft' });
      const hard = attn.attention(q, k, v, { ...base, mode: 'argmax' });
      const sample = attn.attention(q, k, v, { ...base, mode: 'sample', seed: s.options.seed });
      const out = colNames('o', v[0].length);
      return {
        steps: [{
          id: 'inputs', title: 'Queries, keys and values', tex: 'S = Q K^\\top',
          matrices: [input('q', 'Q', q, rows, colNames('d', q[0].length)), input('k', 'K', k, cols, colNames('d', k[0].length)), input('v', 'V', v, cols, out)],
        }, {
          id: 'soft', title: 'Soft', tex: weightsTex('soft'),
          matrices: [{ name: 'soft', label: 'A_{soft}', values: arr(soft.weights), rows, cols, heatmap: 'sequential', explain: arr(soft.steps.logits) }, { name: 'soft-out', label: 'O_{soft}', values: arr(soft.output), rows, cols: out }],
        }, {
          id: 'argmax', title: 'Hard: argmax', tex: weightsTex('argmax'), note: 'One-hot on the largest weight (the first one on ties). The output is that one value row.',
          matrices: [{ name: 'argmax', label: 'A_{argmax}', values: arr(hard.weights), rows, cols, heatmap: 'sequential' }, { name: 'argmax-out', label: 'O_{argmax}', values: arr(hard.output), rows, cols: out }],
        }, {
          id: 'sample', title: `Hard: sampled (seed ${s.options.seed})`, tex: weightsTex('sample'), note: 'One draw per row from the soft weights.',
          hint: 'Change the seed for another draw.',
          matrices: [{ name: 'sample', label: 'A_{sample}', values: arr(sample.weights), rows, cols, heatmap: 'sequential' }, { name: 'sample-out', label: 'O_{sample}', values: arr(sample.output), rows, cols: out }],
        }],
      };
    },
  },

  {
    id: 'multi-head',
    title: 'Multi-head attention',
    summary: 'Project X to Q, K and V, split the columns into h contiguous heads, run scaled dot-product attention in each head (1/√(D/h)), concatenate the head outputs in order, and project with W_O. The same as PyTorch’s nn.MultiheadAttention(bias=False) with its weights transposed.',
    controls: ['labels', 'heads', 'mask', 'temperature', 'size', 'randomise'],
    defaults: (attn) => ({
      labels: { queries: words('attention is all you need') },
      inputs: { x: randomMatrix(attn, 5, 8, 31), wq: randomMatrix(attn, 8, 8, 32, 0.5), wk: randomMatrix(attn, 8, 8, 33, 0.5), wv: randomMatrix(attn, 8, 8, 34, 0.5), wo: randomMatrix(attn, 8, 8, 35, 0.5) },
      options: { heads: 2, mask: 'none', validLens: Array(5).fill(5), cells: Array.from({ length: 5 }, () => Array(5).fill(1)), temperature: 1, fill: -1e6 },
    }),
    sizes: (s) => ({ tokens: s.inputs.x.length, dk: s.inputs.wq[0].length }),
    resize(attn, s, { tokens, dk, seed = 1 }) {
      const d = s.inputs.x[0].length;
      return {
        ...s,
        labels: { queries: tokensFor(s.labels.queries, tokens, 't') },
        inputs: {
          x: grow(s.inputs.x, tokens, d, () => randomMatrix(attn, tokens, d, seed)),
          wq: grow(s.inputs.wq, d, dk, () => randomMatrix(attn, d, dk, seed + 1, 0.5)),
          wk: grow(s.inputs.wk, d, dk, () => randomMatrix(attn, d, dk, seed + 2, 0.5)),
          wv: grow(s.inputs.wv, d, dk, () => randomMatrix(attn, d, dk, seed + 3, 0.5)),
          wo: grow(s.inputs.wo, dk, d, () => randomMatrix(attn, dk, d, seed + 4, 0.5)),
        },
        options: fitMask(attn, s.options, tokens, tokens),
      };
    },
    randomise(attn, s, seed) {
      const [T, d] = [s.inputs.x.length, s.inputs.x[0].length], D = s.inputs.wq[0].length;
      return { ...s, inputs: { x: randomMatrix(attn, T, d, seed), wq: randomMatrix(attn, d, D, seed + 1, 0.5), wk: randomMatrix(attn, d, D, seed + 2, 0.5), wv: randomMatrix(attn, d, D, seed + 3, 0.5), wo: randomMatrix(attn, D, d, seed + 4, 0.5) } };
    },
    compute(attn, s) {
      const t = s.labels.queries;
      const { x, wq, wk, wv, wo } = s.inputs;
      const H = s.options.heads, D = wq[0].length, dh = D / H;
      const r = attn.multiHeadAttention(x, x, x, { numHeads: H, wq, wk, wv, wo, temperature: s.options.temperature, trace: true, ...maskOptions(s.options) });
      const dims = colNames('d', x[0].length), Dcols = colNames('c', D);
      const headCols = (h) => Dcols.slice(h * dh, (h + 1) * dh);
      const slice = (m, h) => m.map((row) => row.slice(h * dh, (h + 1) * dh));
      const q = arr(r.steps.q), k = arr(r.steps.k), v = arr(r.steps.v), w = arr(r.weights), logits = arr(r.steps.logits);
      const steps = [{
        id: 'inputs', title: 'Input and weights', tex: `X \\in \\mathbb{R}^{T \\times d}, \\; W_Q, W_K, W_V \\in \\mathbb{R}^{d \\times D}, \\; W_O \\in \\mathbb{R}^{D \\times d}, \\quad D = ${D}, \\; h = ${H}`,
        matrices: [input('x', 'X', x, t, dims), input('wq', 'W_Q', wq, dims, Dcols), input('wk', 'W_K', wk, dims, Dcols), input('wv', 'W_V', wv, dims, Dcols), input('wo', 'W_O', wo, Dcols, dims)],
      }, {
        id: 'projections', title: 'Projections', tex: 'Q = X W_Q, \\quad K = X W_K, \\quad V = X W_V',
        matrices: [{ name: 'q', label: 'Q', values: q, rows: t, cols: Dcols }, { name: 'k', label: 'K', values: k, rows: t, cols: Dcols }, { name: 'v', label: 'V', values: v, rows: t, cols: Dcols }],
      }, {
        id: 'split', title: `Split into ${H} heads of ${dh} columns`, tex: `Q = [\\,Q_1 \\mid \\cdots \\mid Q_{${H}}\\,], \\quad Q_i \\in \\mathbb{R}^{T \\times ${dh}}`,
        matrices: Array.from({ length: H }, (_, h) => ({ name: `q${h + 1}`, label: `Q_{${h + 1}}`, values: slice(q, h), rows: t, cols: headCols(h) })),
      }, {
        id: 'heads', title: 'Attention in each head', tex: `A_i = \\operatorname{softmax}\\Big(\\frac{Q_i K_i^\\top}{\\sqrt{${dh}}}\\Big)`,
        grid: true,
        matrices: w.map((wh, h) => ({ name: `head${h + 1}`, label: `A_{${h + 1}}`, title: `head ${h + 1}`, values: wh, rows: t, cols: t, heatmap: 'sequential', heatmapOnly: true, explain: logits[h] })),
      }, {
        id: 'concat', title: 'Concatenate the heads', tex: 'H = [\\,A_1 V_1 \\mid \\cdots \\mid A_h V_h\\,]',
        matrices: [{ name: 'concat', label: 'H', values: arr(r.steps.heads), rows: t, cols: Dcols }],
      }, {
        id: 'output', title: 'Output projection', tex: 'O = H W_O',
        matrices: [{ name: 'output', label: 'O', values: arr(r.output), rows: t, cols: dims }],
      }];
      return { steps };
    },
  },

  {
    id: 'why-scale',
    title: 'Why divide by √d_k?',
    summary: 'For random queries and keys with unit-variance entries, q·k has variance d_k: as d_k grows the scores spread out, the softmax saturates on one key (entropy falls, the max weight goes to 1) and its gradients vanish. Dividing by √d_k keeps the variance at 1. Every point below is a live experiment run by the engine.',
    controls: ['experiment'],
    defaults: () => ({ labels: {}, inputs: {}, options: { keys: 16, samples: 16, seed: 1, demoDk: 64 } }),
    compute(attn, s) {
      const o = s.options;
      const dims = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
      const e = attn.scaleExperiment({ dims, keys: o.keys, samples: o.samples, seed: o.seed });
      const series = (a, b) => [{ name: 'q·k', values: arr(e[a]) }, { name: 'q·k / √d_k', values: arr(e[b]) }];
      const q = arr(attn.random([1, o.demoDk], { seed: o.seed + 100 }));
      const k = arr(attn.random([o.keys, o.demoDk], { seed: o.seed + 200 }));
      const raw = attn.attention(q, k, k, { scoring: 'dot' });
      const scaled = attn.attention(q, k, k, { scoring: 'scaled_dot' });
      const keyNames = colNames('k', o.keys);
      return {
        steps: [{
          id: 'variance', title: 'Variance of the scores', tex: '\\operatorname{Var}(q \\cdot k) = d_k \\quad\\text{vs}\\quad \\operatorname{Var}\\big(\\tfrac{q \\cdot k}{\\sqrt{d_k}}\\big) = 1',
          chart: { x: dims, xLabel: 'd_k', yLabel: 'variance', log: true, series: series('variance', 'varianceScaled') },
        }, {
          id: 'entropy', title: 'Entropy of the softmax (nats)', tex: `H(A_{i\\cdot}) = -\\sum_j A_{ij} \\ln A_{ij}, \\quad \\text{uniform over ${o.keys} keys: } \\ln ${o.keys}`,
          chart: { x: dims, xLabel: 'd_k', yLabel: 'entropy', series: series('entropy', 'entropyScaled') },
        }, {
          id: 'max-weight', title: 'Largest weight in a row', tex: '\\max_j A_{ij}',
          chart: { x: dims, xLabel: 'd_k', yLabel: 'max weight', series: series('maxWeight', 'maxWeightScaled') },
        }, {
          id: 'demo', title: `One query over ${o.keys} keys at d_k = ${o.demoDk}`, tex: '\\operatorname{softmax}(q K^\\top) \\quad\\text{vs}\\quad \\operatorname{softmax}\\big(q K^\\top / \\sqrt{d_k}\\big)',
          matrices: [
            { name: 'unscaled', label: 'unscaled', values: arr(raw.weights), rows: ['q'], cols: keyNames, heatmap: 'sequential' },
            { name: 'scaled', label: 'scaled', values: arr(scaled.weights), rows: ['q'], cols: keyNames, heatmap: 'sequential' },
          ],
        }],
      };
    },
  },
];

export const EXAMPLE_IDS = EXAMPLES.map((e) => e.id);
export const exampleById = (id) => EXAMPLES.find((e) => e.id === id);

/** Keeps the top-left of `m` and fills new cells from `fresh()` (only when the shape changes). */
function grow(m, rows, cols, fresh) {
  if (m.length === rows && m[0].length === cols) return m;
  const f = fresh();
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => m[i]?.[j] ?? f[i][j]));
}

