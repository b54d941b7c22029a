// The hard-vs-soft example's step texts: a part of the English catalogue that loads with its
// steps (hard-vs-soft-compute.js, through t.with; see index.js), not with every page.
export default {
  'hard-vs-soft.soft': 'Soft',
  'hard-vs-soft.argmax': 'Hard: argmax',
  'hard-vs-soft.argmax.note':
    'One-hot on the largest weight (the first one on ties). The output is that one value row.',
  'hard-vs-soft.sample': 'Hard: sampled (seed {seed})',
  'hard-vs-soft.sample.note': 'One draw per row from the soft weights.',
  'hard-vs-soft.sample.hint': 'Change the seed for another draw.',
};
