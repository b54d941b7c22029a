// The steps of the masked-softmax example (see masked-softmax.js), loaded with its first use, out of what
// every page downloads.
import { arr, colNames, inputMatrix } from './model.js';
import en from '../../i18n/en.masked-softmax.js';
import zh from '../../i18n/zh-CN.masked-softmax.js';

// its step texts travel with it, in this chunk (web/i18n/index.js, t.with)
const MESSAGES = { en, 'zh-CN': zh };

/** The steps at state s. */
export function compute(attn, s, msg) {
  msg = msg.with(MESSAGES);
  const { x, lens } = s.inputs;
  const keys = colNames('k', 5),
    rows = [1, 2].map((n) => msg('masked-softmax.row', { n }));
  const steps = [
    {
      id: 'inputs',
      title: msg('masked-softmax.inputs'),
      tex: 'X \\in [0, 1)^{2 \\times 2 \\times 5}',
      note: msg('masked-softmax.inputs.note'),
      hint: msg('masked-softmax.inputs.hint'),
      matrices: [
        inputMatrix('x0', 'X_1', x[0], rows, keys, ['x', 0]),
        inputMatrix('x1', 'X_2', x[1], rows, keys, ['x', 1]),
        inputMatrix(
          'lens',
          `\\text{${msg('masked-softmax.lensLabel')}}`,
          lens,
          [1, 2].map((n) => msg('masked-softmax.batch', { n })),
          rows,
        ),
      ],
    },
  ];
  for (const fill of [-1e6, -Infinity]) {
    const name = fill === -Infinity ? 'inf' : '1e6';
    const masked = arr(attn.applyMask(x, { validLens: lens, fill }));
    const w = arr(attn.maskedSoftmax(x, lens, { fill }));
    steps.push({
      id: `fill-${name}`,
      title: msg('masked-softmax.fill', { fill: fill === -Infinity ? '−∞' : '−10⁶' }),
      tex:
        `\\operatorname{masked\\_softmax}(X, \\text{${msg('masked-softmax.lensTex')}})_{bij} = ` +
        `\\operatorname{softmax}_j\\big(X_{bij} \\text{ ${msg('masked-softmax.if')} } j < \\text{len}_{bi} ` +
        `\\text{ ${msg('masked-softmax.else')} } ${fill === -Infinity ? '-\\infty' : '-10^{6}'}\\big)`,
      note: msg(fill === -Infinity ? 'masked-softmax.inf.note' : 'masked-softmax.1e6.note'),
      matrices: [
        {
          name: `logits-${name}-1`,
          label: 'L_1',
          values: masked[0],
          rows,
          cols: keys,
          heatmap: 'diverging',
          maskedValue: fill,
        },
        {
          name: `logits-${name}-2`,
          label: 'L_2',
          values: masked[1],
          rows,
          cols: keys,
          heatmap: 'diverging',
          maskedValue: fill,
        },
        {
          name: `weights-${name}-1`,
          label: 'A_1',
          values: w[0],
          rows,
          cols: keys,
          heatmap: 'sequential',
          explain: masked[0],
        },
        {
          name: `weights-${name}-2`,
          label: 'A_2',
          values: w[1],
          rows,
          cols: keys,
          heatmap: 'sequential',
          explain: masked[1],
        },
      ],
    });
  }
  return { steps };
}
