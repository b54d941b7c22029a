// The transformer-block example's step texts: a part of the English catalogue that loads with its
// steps (transformer-block-compute.js, through t.with; see index.js), not with every page.
export default {
  'transformer-block.inputs': 'Input tokens',
  'transformer-block.inputs.note': 'One row per token (already embedded, positions added).',
  'transformer-block.inputs.hint': 'Edit any cell, here or in the weights below: every step recomputes.',
  'transformer-block.normFirst': 'Norm first: LN₁(X)',
  'transformer-block.addNorm1': 'Add & norm: LN₁(X + attention)',
  'transformer-block.normFirst.note':
    'Pre-norm normalises what each sublayer reads and leaves the residual path untouched.',
  'transformer-block.addNorm1.note':
    'The residual sum keeps the input; the layer norm rescales each row to mean 0 and variance 1, then γ and β.',
  'transformer-block.attentionParameters': 'Attention parameters',
  'transformer-block.split': {
    one: 'split into {count} head of {width}',
    other: 'split into {count} heads of {width}',
  },
  'transformer-block.heads': { one: 'Attention in {count} head', other: 'Attention in each of {count} heads' },
  'transformer-block.concat': 'Concatenate the heads and project',
  'transformer-block.residual1': 'Add: the first residual',
  'transformer-block.residual1.note': 'The attention output is added to the block’s input, not to the normalised one.',
  'transformer-block.norm2': 'Norm: LN₂(R₁)',
  'transformer-block.feedForward': 'Feed-forward ({activation}), the same for every token',
  'transformer-block.outputPre': 'Add: the block’s output',
  'transformer-block.outputPre.note':
    'Pre-norm ends on the residual sum: no norm after it (a model adds one after its last block).',
  'transformer-block.outputPost': 'Add & norm: the block’s output',
};
