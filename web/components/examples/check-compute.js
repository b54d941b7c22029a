// The checker's steps (web/components/examples/check.js loads this module with its first use):
// parseWorkedExample reads the paste and checkWorkedExample recomputes every step on the engine;
// this module only lays the result out as steps. It opens on the source article's example, as the
// article prints it. It imports nothing the rest of the page does (the stub passes colNames, and
// the message function msg), so that the bundle keeps it, the parser and the checker in a chunk of
// their own.
import { parseWorkedExample } from '../../lib/parse.js';
import { STEP_NAMES, checkWorkedExample } from '../../lib/check.js';
import en from '../../i18n/en.checker.js';
import zh from '../../i18n/zh-CN.checker.js';

// the checker's messages travel with it, in this chunk (see web/i18n/index.js, t.with)
const MESSAGES = { en, 'zh-CN': zh };

/** The source article's worked example, as it prints it (its LaTeX, one display per line). */
export const ARTICLE = `\\[ X = \\begin{bmatrix} 1 & 0 & 0 \\\\ 0 & 1 & 0 \\\\ 0 & 0 & 1 \\end{bmatrix} \\]
\\[ W^Q = W^K = W^V = \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\\\ 1 & 1 \\end{bmatrix} \\]
\\[ Q = XW^Q = \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\\\ 0 & 0 \\end{bmatrix}, \\quad K = XW^K = \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\\\ 0 & 0 \\end{bmatrix} \\]
\\[ V = XW^V = \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\\\ 0 & 0 \\end{bmatrix} \\]
\\[ \\text{Attention\\_Scores} = \\frac{QK^T}{\\sqrt{d_k}} = \\frac{1}{\\sqrt{2}} \\begin{bmatrix} 1 & 0 & 0 \\\\ 0 & 1 & 0 \\end{bmatrix} \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\\\ 0 & 0 \\end{bmatrix} = \\frac{1}{\\sqrt{2}} \\begin{bmatrix} 1 & 0 & 0 \\\\ 0 & 1 & 0 \\end{bmatrix} \\]
\\[ \\text{Attention\\_Weights} = \\text{softmax}\\left(\\text{Attention\\_Scores}\\right) = \\text{softmax}\\left(\\begin{bmatrix} \\frac{1}{\\sqrt{2}} & 0 & 0 \\\\ 0 & \\frac{1}{\\sqrt{2}} & 0 \\end{bmatrix}\\right) \\]
\\[ \\text{Attention\\_Weights} = \\begin{bmatrix} \\frac{1}{2} & \\frac{1}{2} & 0 \\\\ 0 & \\frac{1}{2} & \\frac{1}{2} \\end{bmatrix} \\]
\\[ \\text{Output} = \\text{Attention\\_Weights} V = \\begin{bmatrix} \\frac{1}{2} & \\frac{1}{2} & 0 \\\\ 0 & \\frac{1}{2} & \\frac{1}{2} \\end{bmatrix} \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\\\ 0 & 0 \\end{bmatrix} = \\begin{bmatrix} \\frac{1}{2} & \\frac{1}{2} \\\\ 0 & 0 \\end{bmatrix} \\]
`;

const INPUT_LABELS = { x: 'X', wq: 'W_Q', wk: 'W_K', wv: 'W_V', q: 'Q', k: 'K', v: 'V' };
// title: a catalogue key
const STEPS = {
  q: { title: 'check.step.q', tex: () => 'Q = X W_Q', label: 'Q' },
  k: { title: 'check.step.k', tex: () => 'K = X W_K', label: 'K' },
  v: { title: 'check.step.v', tex: () => 'V = X W_V', label: 'V' },
  qk: { title: 'att.qk', tex: () => 'Q K^\\top', label: 'QK^\\top' },
  scores: { title: 'att.scores', label: 'S' },
  weights: {
    title: 'att.weights',
    tex: (msg) => `A = \\operatorname{softmax}(S) \\text{ ${msg('check.alongEachRow')}}`,
    label: 'A',
  },
  output: { title: 'att.output', tex: () => 'O = A V', label: 'O' },
};

/** The initial state: the article's example. */
export const defaults = () => ({
  labels: {},
  inputs: {},
  options: { scoring: 'scaled_dot', causal: 'no', decimals: 'auto' },
  texts: { paste: ARTICLE },
});

/** The check of a state's paste: { claims, result } (attn.parseWorkedExample, attn.checkWorkedExample). */
export function check(attn, s, msg) {
  msg = msg.with(MESSAGES);
  const o = s.options;
  const claims = parseWorkedExample(s.texts?.paste ?? '');
  const result = checkWorkedExample(
    attn,
    claims,
    {
      scoring: o.scoring,
      causal: o.causal === 'yes',
      decimals: o.decimals === 'auto' ? undefined : Number(o.decimals),
    },
    msg,
  );
  return { claims, result };
}

/** The checked steps of the pasted example; colNames from model.js, msg the message function. */
export function compute(attn, s, colNames, msg) {
  const o = s.options;
  const { claims, result: r } = check(attn, s, msg);
  msg = msg.with(MESSAGES);
  const inputs = claims.x ? ['x', 'wq', 'wk', 'wv'] : ['q', 'k', 'v'];
  const first = r.items.find((i) => i.name === r.firstWrong);
  const verdict = first
    ? msg('check.verdict.wrong', {
        name: msg(STEP_NAMES[first.name]),
        step: r.items.indexOf(first) + 2,
        diagnosis: first.diagnosis.message,
      })
    : msg('check.verdict.right', {
        count: r.items.filter((i) => i.status === 'correct').length,
        total: r.items.length,
      });
  const steps = [
    {
      id: 'inputs',
      title: msg('check.inputs'),
      tex: claims.x
        ? 'X \\in \\mathbb{R}^{T \\times d}, \\; W_Q, W_K, W_V \\in \\mathbb{R}^{d \\times d_k}'
        : 'Q, K, V',
      note: verdict,
      matrices: inputs.map((n) => ({ name: `input-${n}`, label: INPUT_LABELS[n], values: claims[n] })),
    },
  ];
  for (const item of r.items) {
    const step = STEPS[item.name],
      expected = item.expected.toArray();
    const carried = item.diagnosis?.code === 'carried';
    const status = carried ? 'carried' : item.status;
    const dk = (claims.q ?? expected)[0].length;
    const cols = colNames(
      item.name === 'q' || item.name === 'k' || item.name === 'v' || item.name === 'output' ? 'd' : 'k',
      expected[0].length,
    );
    const rows = colNames(item.name === 'q' || item.name === 'k' || item.name === 'v' ? 'x' : 'q', expected.length);
    const matrices = [];
    if (!item.claimed) {
      matrices.push({ name: item.name, label: step.label, values: expected, rows, cols });
    } else if (item.claimed.length === expected.length && item.claimed[0].length === expected[0].length) {
      matrices.push({
        name: item.name,
        label: step.label,
        values: item.claimed,
        rows,
        cols,
        claimed: true,
        wrong: item.wrongCells,
        expected,
      });
    } else {
      // a claim of the wrong shape cannot be compared cell by cell: the claim, then the right matrix
      matrices.push(
        {
          name: `${item.name}-claimed`,
          label: `${step.label}_{\\text{${msg('check.pasted')}}}`,
          values: item.claimed,
          claimed: true,
          wrong: item.wrongCells,
        },
        { name: item.name, label: step.label, values: expected, rows, cols },
      );
    }
    steps.push({
      id: item.name,
      title: msg(step.title),
      status,
      first: item.name === r.firstWrong,
      tex:
        step.tex?.(msg) ??
        (o.scoring === 'dot' ? 'S = Q K^\\top' : `S = \\frac{Q K^\\top}{\\sqrt{d_k}}, \\quad d_k = ${dk}`),
      note: item.diagnosis?.message ?? msg(`check.note.${item.status}`),
      matrices,
    });
  }
  return { steps };
}
