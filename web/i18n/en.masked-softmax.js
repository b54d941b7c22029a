// The masked-softmax example's step texts: a part of the English catalogue that loads with its
// steps (masked-softmax-compute.js, through t.with; see index.js), not with every page.
export default {
  'masked-softmax.row': 'row {n}',
  'masked-softmax.batch': 'batch {n}',
  'masked-softmax.inputs': 'Scores and valid lengths',
  'masked-softmax.inputs.note': 'The valid lengths are per row here: [2, 3] is the same as [[2, 2], [3, 3]].',
  'masked-softmax.inputs.hint': 'Set a length to 0 to see a fully masked row.',
  'masked-softmax.lensLabel': 'valid lengths',
  'masked-softmax.lensTex': 'lens',
  'masked-softmax.if': 'if',
  'masked-softmax.else': 'else',
  'masked-softmax.fill': 'fill = {fill}',
  'masked-softmax.inf.note': 'Masked weights are exactly 0; a row of valid length 0 is all zeros, never NaN.',
  'masked-softmax.1e6.note':
    "d2l's choice: masked weights are e^(−10⁶ − m) ≈ 0; a row of valid length 0 is uniform (1/5 each).",
};
