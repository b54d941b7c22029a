// "Tom chase Jerry" → "汤姆 追逐 杰瑞": cross-attention as alignment, and the article's weights for 杰瑞
// as a target the learner reproduces by editing. Its steps load with its first use
// (translation-alignment-compute.js).
import { randomMatrix } from './inputs.js';

let impl = null; // translation-alignment-compute.js, once loaded

/** @type {import('./model.js').Example} */
export default {
  id: 'translation-alignment',
  title: 'translation-alignment.title',
  summary: 'translation-alignment.summary',
  controls: ['labels', 'scoring', 'temperature', 'randomise'],
  defaults: () => ({
    labels: { queries: ['汤姆', '追逐', '杰瑞'], keys: ['Tom', 'chase', 'Jerry'] },
    inputs: {
      k: [
        [1, 0, 0, 0.5],
        [0, 1, 0, 0.2],
        [0, 0, 1, 0.5],
      ],
      q: [
        [2, 0, 0, 0],
        [0, 2, 0, 0],
        [0.3, 0, 1.2, 0],
      ],
      target: [[0.3, 0.2, 0.5]],
    },
    options: { scoring: 'dot', mask: 'none', temperature: 1, mode: 'soft', seed: 0, fill: -1e6 },
  }),
  randomise(attn, s, seed) {
    const d = s.inputs.k[0].length;
    return {
      ...s,
      inputs: {
        ...s.inputs,
        q: randomMatrix(attn, s.inputs.q.length, d, seed),
        k: randomMatrix(attn, s.inputs.k.length, d, seed + 1),
      },
    };
  },
  load: async () => {
    impl ??= await import('./translation-alignment-compute.js');
  },
  compute: (attn, s, msg) => impl.compute(attn, s, msg),
};
