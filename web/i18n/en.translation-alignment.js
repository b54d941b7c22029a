// The translation-alignment example's step texts: a part of the English catalogue that loads with its
// steps (translation-alignment-compute.js, through t.with; see index.js), not with every page.
export default {
  'translation-alignment.inputs': 'Encoder states and decoder queries',
  'translation-alignment.encoder': 'encoder',
  'translation-alignment.decoderStates': 'decoder states',
  'translation-alignment.inputs.note': 'One row per word. The values are the encoder states themselves.',
  'translation-alignment.alignment': 'Alignment: who attends to whom',
  'translation-alignment.target': "The article's weights for {token}",
  'translation-alignment.target.note':
    'The target, the current row, and current − target. Scores that reproduce it exactly are log(0.3), log(0.2), log(0.5) plus any constant.',
  'translation-alignment.target.hint': 'Edit the query of the last word (or the target) above.',
  'translation-alignment.targetLabel': 'target',
  'translation-alignment.current': 'current',
};
