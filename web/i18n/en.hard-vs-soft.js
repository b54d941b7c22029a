// The hard-vs-soft example's step texts: a part of the English catalogue that loads with its
// steps (hard-vs-soft-compute.js, through t.with; see index.js), not with every page.
export default {
  'hard-vs-soft.logits': 'Logits: the scores over the temperature',
  'hard-vs-soft.logits.note':
    'S = QKᵀ (dot-product scores), divided by the temperature T = {t}. Every mode below starts from these.',
  'hard-vs-soft.soft': 'Soft',
  'hard-vs-soft.soft.note': 'These soft weights are the P = softmax(L) that the hard modes below pick from.',
  'hard-vs-soft.argmax': 'Hard: argmax',
  'hard-vs-soft.argmax.note':
    'One-hot on the largest weight (the first one on ties). The output is that one value row.',
  'hard-vs-soft.sample': 'Hard: sampled (seed {seed})',
  'hard-vs-soft.sample.note': 'One draw per row from the soft weights.',
  'hard-vs-soft.sample.hint': 'Change the seed for another draw.',
};
