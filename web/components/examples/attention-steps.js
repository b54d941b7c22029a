// The steps from scores to output that several examples (and <attention-steps> with inline JSON)
// share, and the engine options that the shared controls (scoring, mask, temperature, mode, seed)
// stand for.
import { arr, colNames } from './model.js';

/** Engine options for the mask controls: none | valid | causal | cells. */
export function maskOptions(o) {
  const m = { fill: o.fill ?? -1e6 };
  if (o.mask === 'valid') m.validLens = o.validLens;
  if (o.mask === 'causal') m.causal = true;
  if (o.mask === 'cells') m.mask = o.cells;
  return m;
}

/** Engine options from a state's options (scoring, mask controls, temperature, mode, seed). */
export function engineOptions(o) {
  return {
    scoring: o.scoring ?? 'scaled_dot',
    ...maskOptions(o),
    temperature: o.temperature ?? 1,
    mode: o.mode ?? 'soft',
    seed: o.seed ?? 0,
  };
}

const fillTex = (fill) => (fill === -Infinity ? '-\\infty' : `${fill === -1e6 ? '-10^{6}' : fill}`);

export function scoreTex(scoring, dk) {
  switch (scoring) {
    case 'dot':
      return 'S = Q K^\\top';
    case 'additive':
      return 's_{ij} = v^\\top \\tanh(q_i W_q + k_j W_k)';
    case 'bilinear':
      return 'S = Q\\, W K^\\top';
    default:
      return `S = \\frac{Q K^\\top}{\\sqrt{d_k}}${dk ? `, \\quad d_k = ${dk}` : ''}`;
  }
}

export function weightsTex(mode) {
  if (mode === 'argmax') return 'A_{ij} = [\\, j = \\arg\\max_k P_{ik} \\,], \\quad P = \\operatorname{softmax}(L)';
  if (mode === 'sample')
    return 'A_{i\\cdot} = \\operatorname{onehot}(j \\sim P_{i\\cdot}), \\quad P = \\operatorname{softmax}(L)';
  return 'A_{ij} = \\frac{e^{L_{ij} - m_i}}{\\sum_k e^{L_{ik} - m_i}}, \\quad m_i = \\max_k L_{ik}';
}

/**
 * Steps from scores to output for queries q, keys k, values v (nested arrays) with engine options
 * (as attn.attention takes them): dot products (scaled dot only), scores, logits (when masked or
 * T ≠ 1), soft weights (hard modes), weights, output; `t` is the message function (web/i18n).
 * @returns {{ steps: import('./model.js').Step[], result: object }} result: attn.attention's
 */
export function attentionSteps(attn, { q, k, v, rows, cols, options: given, weightsTitle, t }) {
  const options = { scoring: 'scaled_dot', temperature: 1, mode: 'soft', seed: 0, fill: -1e6, ...given, trace: true };
  const r = attn.attention(q, k, v, options);
  const dk = q[0].length;
  const isMasked = options.validLens != null || options.mask != null || !!options.causal;
  const steps = [];
  if (options.scoring === 'scaled_dot') {
    steps.push({
      id: 'qk',
      title: t('att.qk'),
      tex: 'Q K^\\top',
      matrices: [{ name: 'qk', label: 'QK^\\top', values: arr(attn.score(q, k, { scoring: 'dot' })), rows, cols }],
    });
  }
  steps.push({
    id: 'scores',
    title: t('att.scores'),
    tex: scoreTex(options.scoring, dk),
    matrices: [{ name: 'scores', label: 'S', values: arr(r.steps.scores), rows, cols, heatmap: 'diverging' }],
  });
  if (isMasked || options.temperature !== 1) {
    const mask = isMasked ? `, \\quad \\text{${t('att.blocked')}} \\mapsto ${fillTex(options.fill)}` : '';
    steps.push({
      id: 'logits',
      title: t(isMasked ? 'att.maskedLogits' : 'att.logits'),
      tex: `L = ${isMasked ? '\\operatorname{mask}' : ''}(S / T), \\quad T = ${options.temperature}${mask}`,
      matrices: [
        {
          name: 'logits',
          label: 'L',
          values: arr(r.steps.logits),
          rows,
          cols,
          heatmap: 'diverging',
          maskedValue: isMasked ? options.fill : undefined,
        },
      ],
    });
  }
  const logits = arr(r.steps.logits);
  const soft = options.mode === 'soft';
  if (!soft) {
    steps.push({
      id: 'probabilities',
      title: t('att.softWeights'),
      tex: 'P = \\operatorname{softmax}(L)',
      matrices: [
        {
          name: 'probabilities',
          label: 'P',
          values: arr(r.steps.probabilities),
          rows,
          cols,
          heatmap: 'sequential',
          explain: logits,
        },
      ],
    });
  }
  const hardTitle =
    options.mode === 'argmax' ? t('att.weightsArgmax') : t('att.weightsSampled', { seed: options.seed });
  steps.push({
    id: 'weights',
    title: weightsTitle ?? (soft ? t('att.weights') : hardTitle),
    tex: weightsTex(options.mode),
    note: soft ? t('att.rowsSumTo1') : undefined,
    hint: soft ? t('att.clickWeight') : undefined,
    matrices: [
      {
        name: 'weights',
        label: 'A',
        values: arr(r.weights),
        rows,
        cols,
        heatmap: 'sequential',
        explain: soft ? logits : undefined,
      },
    ],
  });
  steps.push({
    id: 'output',
    title: t('att.output'),
    tex: 'O = A V',
    matrices: [{ name: 'output', label: 'O', values: arr(r.output), rows, cols: colNames('o', r.output.shape.at(-1)) }],
  });
  return { steps, result: r };
}
