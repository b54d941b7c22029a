// The positional-encoding example's step texts: a part of the English catalogue that loads with its
// steps (positional-encoding-compute.js, through t.with; see index.js), not with every page.
export default {
  'positional-encoding.same': 'The two positions are the same: pick two different tokens to swap.',
  'positional-encoding.inputs': 'Token embeddings and projections',
  'positional-encoding.inputs.note':
    'One row of X per token: the embedding of the word, the same wherever the word stands.',
  'positional-encoding.inputs.hint': 'Edit any cell, or type another sentence in Tokens.',
  'positional-encoding.encoding': 'The sinusoidal encoding of each position',
  'positional-encoding.encoding.note':
    'Each pair of columns is a sine and a cosine of the position at one frequency, from one cycle per 2π positions down to one per 10000 · 2π: every position gets its own pattern, and P_{p+k} is a rotation of P_p.',
  'positional-encoding.sum': 'Embeddings plus positions',
  'positional-encoding.sum.note':
    'The encoding is added, not appended: the model sees one vector per token that carries both.',
  'positional-encoding.without': 'Without positions: swap {a} and {b}',
  'positional-encoding.without.note':
    '{same} The swapped sentence gets the same weights, rows and columns swapped: put back in the original order, the difference Δ is zero (up to float32 rounding). Attention alone cannot tell the two sentences apart.',
  'positional-encoding.with.title': 'With positions: swap {a} and {b}',
  'positional-encoding.with.note':
    "{same} The words move but the positions stay: each swapped word now carries another position's encoding (X' + P, not the rows of X + P swapped), so the weights change, and Δ_P is not zero.",
  'positional-encoding.position': 'pos {p}',
};
