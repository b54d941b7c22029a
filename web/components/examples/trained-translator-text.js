// The trained translator's strings beyond the few every page shows (trained-translator.js), in one
// place and in the message catalogues' form (flat keys, {name} placeholders), so that they move
// into web/i18n/ as they are.
export const MESSAGES = {
  'translator.sentence': 'English sentence',
  'translator.sentenceHint': 'Every word is in the model’s vocabulary (the field suggests them).',
  'translator.unknown': 'is not in the vocabulary; nearest:',
  'translator.replaceWord': 'put “{near}” in place of “{word}”',
  'translator.modelFile': 'Use your own model (a .safetensors file; it stays on this machine):',
  'translator.modelInUse': 'in use: {name}',
  'translator.shippedName': 'the shipped English → Chinese model',
  'translator.modelRefused': '{file}: {message} The model in use stays.',
  'translator.unknownWords': 'Not in the model’s vocabulary: {words}. The steps show the last sentence it could read.',
  'translator.empty': 'Type an English sentence.',
  'translator.tooLong': 'At most {max} words; this is {count}.',
  'translator.modelMissing': 'The model “{key}” is not loaded in this page; choose its file again.',
  'translator.translation': 'Translation, decoded token by token',
  'translator.translationNote':
    'Greedy decoding: at each step the decoder reads the tokens written so far and writes the most probable next one. Step {step} of {count} writes “{token}”; the figures below show the model at this step.',
  'translator.prev': '← previous token',
  'translator.next': 'next token →',
  'translator.tokens': 'Decoding steps',
  'translator.decodingStatus': 'step {step} of {count}',
  'translator.vocab': 'Softmax over the vocabulary: the next token',
  'translator.vocabNote':
    'The decoder’s last row times the generator gives a logit per target word; their softmax gives the probabilities. The five most probable, of {count} words: the model writes “{token}”.',
  'translator.embedding': 'Embedding and positional encoding (source)',
  'translator.embeddingNote':
    'Each word’s row of the embedding table, times √{d} so that it is not drowned by the position code, plus the sinusoidal position code of its place.',
  'translator.grid.encoder': 'Encoder self-attention: every layer × head',
  'translator.grid.decoder': 'Decoder self-attention (causal mask): every layer × head',
  'translator.grid.cross': 'Cross-attention (the decoder reads the source): every layer × head',
  'translator.gridNote':
    'Multi-head attention, one heatmap per head. Rows: the tokens that attend; columns: the tokens they attend to. Open a head to see its every step.',
  'translator.kindLong.encoder': 'encoder self-attention',
  'translator.kindLong.decoder': 'decoder self-attention',
  'translator.kindLong.cross': 'cross-attention',
  'translator.layerHead': 'L{layer} · H{head}',
  'translator.open': 'Open',
  'translator.headView': 'Head view',
  'translator.headViewNote':
    'Lines from each token (left) to the tokens it attends to (right): the stronger the line, the larger the weight. Hover or focus a token to keep only its lines and read its weights; arrow keys move between tokens.',
  'translator.hv.view': 'Attention',
  'translator.hv.head': 'Head',
  'translator.hv.open': 'Open this head step by step',
  'translator.hv.hint': 'Hover or focus a token to read its weights.',
  'translator.hv.attendsTo': '{token} attends to: {pairs}',
  'translator.hv.attendedBy': '{token} is attended by: {pairs}',
  'translator.viewLabel': '{kind}, layer {layer}',
  'translator.closeHead': 'Close the head',
  'translator.head.qkv': '{kind}, layer {layer}, head {head}: Q, K and V',
  'translator.head.qkvNote':
    'The layer’s {input} times this head’s {dh} columns of W_Q, W_K and W_V, plus their biases (PyTorch’s in_proj_weight and in_proj_bias).',
  'translator.head.inputSelf': 'input',
  'translator.head.inputCross': 'input (queries) and the encoder’s output M (keys and values)',
  'translator.head.qk': 'Dot products',
  'translator.head.scores': 'Scaling',
  'translator.head.logits': 'Causal mask',
  'translator.head.logitsNote': 'A token may not attend to the tokens after it: their logits become −∞.',
  'translator.head.weights': 'Softmax: the attention weights',
  'translator.head.weightsHint': 'Click or focus a weight to see its arithmetic.',
  'translator.head.output': 'Output of this head',
  'translator.head.outputNote': 'This head’s {dh} columns of the concatenated heads, before the output projection W_O.',
  'translator.block.residual1': 'Encoder layer {layer}: residual + layer norm',
  'translator.block.feedForward': 'Encoder layer {layer}: feed-forward, residual + layer norm',
  'translator.block.note': 'PyTorch’s nn.TransformerEncoderLayer, {norm}: {formula}.',
  'translator.block.post': 'post-norm (norm_first = False)',
  'translator.block.pre': 'pre-norm (norm_first = True)',
  'translator.claim': 'The article’s claim, side by side',
  'translator.claimNote':
    'When the model writes 杰瑞, the article says, it attends to Tom 0.3, chase 0.2, Jerry 0.5: an illustration. Here is the cross-attention row of the query that writes 杰瑞 in every layer and head of the trained model, over “{source}”.',
  'translator.claimIllustrative': 'illustrative (article)',
  'translator.claimLearned': 'trained model (engine)',
  'translator.claimWhat': 'layer {layer}, head {head}',
};

/** A message with its {name} placeholders filled in. */
export function t(key, params = {}) {
  const text = MESSAGES[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}
