// Soft attention against hard attention (argmax, and a seeded sample) on the same inputs. Its steps
// load with its first use (hard-vs-soft-compute.js).
import { randomMatrix } from './inputs.js';

let impl = null; // hard-vs-soft-compute.js, once loaded

/** @type {import('./model.js').Example} */
export default {
  id: 'hard-vs-soft',
  title: 'hard-vs-soft.title',
  summary: 'hard-vs-soft.summary',
  controls: ['labels', 'temperature', 'seed', 'randomise'],
  defaults: () => ({
    labels: { queries: ['汤姆', '追逐', '杰瑞'], keys: ['Tom', 'chase', 'Jerry'] },
    inputs: {
      q: [
        [2, 0, 0, 0],
        [0, 2, 0, 0],
        [0.3, 0, 1.2, 0],
      ],
      k: [
        [1, 0, 0, 0.5],
        [0, 1, 0, 0.2],
        [0, 0, 1, 0.5],
      ],
      v: [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
    },
    options: { temperature: 1, seed: 7 },
  }),
  randomise: (attn, s, seed) => ({
    ...s,
    inputs: {
      q: randomMatrix(attn, 3, 4, seed),
      k: randomMatrix(attn, 3, 4, seed + 1),
      v: randomMatrix(attn, 3, 2, seed + 2),
    },
  }),
  load: async () => {
    impl ??= await import('./hard-vs-soft-compute.js');
  },
  compute: (attn, s, msg) => impl.compute(attn, s, msg),
};
