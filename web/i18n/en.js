// The English catalogue: every text the page, the elements and the Markdown export show. Keys are
// grouped by where they are shown; zh-CN.js has the same keys (tests/node/i18n.test.mjs checks).
// {name} is a parameter; { one, other } a plural chosen by params.count (index.js).
export default {
  // (the playground page's own texts: en.page.js / zh-CN.page.js, loaded by web/app.js alone)

  // reading a permalink (state.js)
  'link.tooLong': 'The link is too long ({length} characters; at most {max}).',
  'link.unknownExample': 'Unknown example “{id}”; showing the first one.',
  'link.unreadable': "The link's state could not be read ({reason}); showing the example's default.",
  'link.invalid': "The link's state is not valid ({reason}); showing the example's default.",

  // <attention-playground>
  'pg.controls': 'Controls',
  'pg.arithmeticPanel': 'Arithmetic of the selected weight',
  'pg.closeArithmetic': 'Close the arithmetic',
  'pg.arithmeticHint': 'Click or focus a weight to see its arithmetic: the exp terms and the row sum that produced it.',
  'pg.notANumber': '{name}: “{text}” is not a number; the steps show the last valid input.',
  'pg.engineFailed': 'The engine failed to load: {message}',
  'pg.exampleFailed': 'This example could not load: {message}',
  'pg.unknownExample': 'Unknown example “{id}”; available: {list}.',
  'pg.exportMarkdown': 'Export worked example (Markdown + LaTeX)',
  'pg.reset': 'Reset',
  'pg.decimals': 'Decimals',
  'pg.tokens': 'Tokens',
  'pg.tokenCount': 'Number of tokens',
  'pg.queryCount': 'Number of queries',
  'pg.axis.queries': 'Queries',
  'pg.axis.keys': 'Keys',
  'pg.oneTokenPerWord': 'One token per word',
  'pg.scoring': 'Scoring',
  'pg.scoring.dot': 'dot: q·k',
  'pg.scoring.scaled_dot': 'scaled dot: q·k/√d',
  'pg.mask': 'Mask',
  'pg.mask.none': 'none',
  'pg.mask.valid': 'valid lengths',
  'pg.mask.causal': 'causal',
  'pg.mask.cells': 'single cells',
  'pg.fill': 'Fill',
  'pg.temperature': 'Temperature',
  'pg.mode': 'Mode',
  'pg.mode.soft': 'soft',
  'pg.mode.argmax': 'hard: argmax',
  'pg.mode.sample': 'hard: sample',
  'pg.seed': 'Seed',
  'pg.dk': 'd_k',
  'pg.randomise': 'Randomise',
  'pg.textTooLong': '{label}: at most {max} characters (what a link can hold); this is {length}.',
  'pg.typeAWord': 'Type at least one word.',
  'pg.tooManyTokens': "At most {max} tokens (one frame's worth of work); you typed {count}.",
  'pg.wrongTokenCount': 'This example has {n} {axis}: type {n} words (you typed {count}).',
  'pg.axisNoun.queries': 'queries',
  'pg.axisNoun.keys': 'keys',
  'pg.lengths': 'lengths',
  'pg.lengthsGroup': 'Valid length of each query row',
  'pg.lengthOfRow': 'valid length of row {row}',
  'pg.cells': 'cells',
  'pg.cellsGroup': 'Mask cells: pressed = may attend',
  'pg.cellTitle': 'query {i} → key {j}',
  'pg.integerRange': '{name}: expected an integer from {min} to {max}, got “{value}”.',
  'pg.sizeLimit': '{label}: at most {max} (so that every edit repaints within a frame); got “{value}”.',
  'pg.rowMax': 'Row max m = {max}; Σ e = {sum}.',
  'pg.allBlocked': 'every key of this row is blocked (−∞): no weight at all',
  'pg.key': 'key',

  // the steps (steps-view.js)
  'steps.exportMatrix': 'Export {name}',
  'steps.exportHeatmap': 'Export {name} heatmap',
  'steps.export': 'Export',
  'steps.exportFailed': 'Export failed: {message}',
  'steps.heatmap': 'heatmap',
  'steps.heatmapOf': '{name} heatmap',
  'steps.claim.wrongShape': 'as pasted · wrong shape',
  'steps.claim.wrong': { one: 'as pasted · {count} wrong', other: 'as pasted · {count} wrong' },
  'steps.claim.right': 'as pasted · right',
  'steps.status.correct': '✓ correct',
  'steps.status.wrong': '✗ wrong',
  'steps.status.carried': '↳ follows from a wrong step',
  'steps.status.not-given': 'not given',
  'steps.firstWrong': ' · the first wrong step',
  'steps.compare.step': 'step',
  'steps.compare.published': 'published',
  'steps.compare.correct': 'correct (engine)',

  'steps.unknownExample': 'unknown example “{id}”; available: {list}',
  'steps.noInputs': 'Give an example="…" attribute or a <script type="application/json"> child with the inputs.',
  'steps.keptLast': 'attention-steps: {message}. The steps shown are the last valid ones.',
  'steps.fallback': 'attention-steps: {message}. Showing the built-in “{title}” example instead.',

  // the Markdown export (exporters.js)
  'md.live': 'Live version: {link}',

  // the steps from scores to output that several examples share (attention-steps.js)
  'att.qk': 'Dot products',
  'att.scores': 'Scores',
  'att.logits': 'Logits',
  'att.maskedLogits': 'Masked logits',
  'att.blocked': 'blocked',
  'att.softWeights': 'Soft weights',
  'att.weights': 'Attention weights',
  'att.weightsArgmax': 'Weights (argmax)',
  'att.weightsSampled': 'Weights (sampled, seed {seed})',
  'att.rowsSumTo1': 'Each row sums to 1.',
  'att.clickWeight': 'Click or focus a weight to see its arithmetic.',
  'att.output': 'Output',
  'att.projections': 'Projections',
  'att.qkvInputs': 'Queries, keys and values',

  // self-attention
  'self-attention.title': 'Self-attention, step by step',
  'self-attention.summary':
    'The worked example from the self-attention article: three tokens embedded as the rows of X = I₃, and W_Q = W_K = W_V = [[1, 0], [0, 1], [1, 1]] (d_k = 2). Every matrix below is computed by the engine; edit any input cell.',
  'self-attention.inputs': 'Inputs',
  'self-attention.inputs.note': 'The tokens are the rows of X.',
  'self-attention.inputs.hint': 'Edit any cell: every step below recomputes.',
  'self-attention.erratum': 'The published arithmetic is wrong',
  'self-attention.erratum.note':
    'The widely copied version of this example goes wrong at its first step. With X = I₃, X·W is W itself, so Q = K = V keep the third row [1, 1]; the article drops it to [0, 0], then prints a 2 × 3 score matrix (one score per query–key pair needs 3 × 3), weights of ½ and 0, and an output of [[½, ½], [0, 0]]. Below, each published value beside the correct one for the original inputs.',
  'self-attention.erratum.scores': 'scores',
  'self-attention.erratum.weights': 'weights',
  'self-attention.erratum.output': 'output',

  'translation-alignment.title': 'Tom chase Jerry → 汤姆 追逐 杰瑞',
  'translation-alignment.summary':
    'Cross-attention in a translation model: each Chinese word being generated (a decoder query) attends over the English words (encoder keys). The article gives the weights used when producing 杰瑞: Tom 0.3, chase 0.2, Jerry 0.5. Edit the query of 杰瑞 (or the keys) until its row of weights matches the target.',
  'masked-softmax.title': "d2l's masked softmax",
  'masked-softmax.summary':
    "d2l's masked_softmax on rand(2, 2, 5): entries at or past each row's valid length are replaced before the softmax. Lengths [2, 3] are shared by the rows of each batch element; [[1, 3], [2, 4]] give one length per row. With d2l's fill of −10⁶ a row of valid length 0 comes out uniform; with −∞ it is all zeros.",
  'masked-softmax.lens': 'Valid lengths',

  'scoring-functions.title': 'Four scoring functions, side by side',
  'scoring-functions.summary':
    'The same queries and keys scored four ways: dot product, scaled dot product, additive (Bahdanau) and bilinear (Luong general). The difference view subtracts the weights of one from another.',
  'scoring-functions.dot': 'Dot product',
  'scoring-functions.scaled_dot': 'Scaled dot product',
  'scoring-functions.additive': 'Additive',
  'scoring-functions.bilinear': 'Bilinear',
  'scoring-functions.compare': 'Difference',
  'scoring-functions.minus': '−',
  'hard-vs-soft.title': 'Soft, argmax and sampled attention',
  'hard-vs-soft.summary':
    'Soft attention averages the values with the softmax weights. Hard attention picks one value: the most likely (argmax) or one drawn from the weights (sampling, here with a seeded generator: the same seed gives the same draw).',
  'causal-mask.title': 'Decoder self-attention with the causal mask',
  'causal-mask.summary':
    'In a decoder, token i may only attend to tokens 0 … i: the keys after it are blocked before the softmax, so the weights form a lower triangle.',
  'causal-mask.inputs': 'Token embeddings and projections',

  'multi-head.title': 'Multi-head attention',
  'multi-head.summary':
    'Project X to Q, K and V, split the columns into h contiguous heads, run scaled dot-product attention in each head (1/√(D/h)), concatenate the head outputs in order, and project with W_O. The same as PyTorch’s nn.MultiheadAttention(bias=False) with its weights transposed.',
  'multi-head.heads': 'Heads',
  'multi-head.head': 'head {n}',
  'positional-encoding.title': 'Positional encoding: why attention needs it',
  'positional-encoding.summary':
    'Self-attention compares every token with every other, and nothing in it knows the order: swap two tokens and the weights are the same numbers, their rows and columns swapped. "Tom chase Jerry" and "Jerry chase Tom" would look alike. Adding the sinusoidal encoding of each position to the embeddings breaks the tie. Every number below is computed by the engine; pick the two tokens to swap.',
  'positional-encoding.swap': 'Swap',
  'positional-encoding.with': 'with',

  'why-scale.title': 'Why divide by √d_k?',
  'why-scale.summary':
    'For random queries and keys with unit-variance entries, q·k has variance d_k: as d_k grows the scores spread out, the softmax saturates on one key (entropy falls, the max weight goes to 1) and its gradients vanish. Dividing by √d_k keeps the variance at 1. Every point below is a live experiment run by the engine.',
  'why-scale.keys': 'Keys',
  'why-scale.samples': 'Samples per d_k',
  'why-scale.demoDk': 'Demo d_k',
  'transformer-block.title': 'A transformer block: attention, add & norm, feed-forward',
  'transformer-block.summary':
    'The source article’s TransformerBlock on three tokens: multi-head self-attention, then add & norm (norm1(attended + x)), a position-wise feed-forward network, and add & norm again. Switch to pre-norm to see the placement most models use now. The engine’s block equals PyTorch’s nn.TransformerEncoderLayer (dropout 0) with its weights transposed; every number below comes from it.',
  'transformer-block.norm': 'Norm',
  'transformer-block.norm.post': 'post-norm (the article)',
  'transformer-block.norm.pre': 'pre-norm',
  'transformer-block.activation': 'Activation',

  // the trained translator (examples/trained-translator.js); the rest of its messages are in en.trained-translator.js
  'trained-translator.title': 'A trained translator',
  'trained-translator.summary':
    'A small trained nn.Transformer translating English into Chinese, run by the engine on your sentence: every head, every block, every number.',
  'trained-translator.sentence': 'English sentence',
  'trained-translator.model': 'Model',

  // the checker's example (examples/check.js); its steps' and diagnoses' messages are in en.checker.js
  'check.title': 'Check a worked example',
  'check.summary':
    "Paste a published worked example of self-attention, whole or matrix by matrix: the engine recomputes every step, marks each wrong number with the right value beside it and says where and why it first goes wrong. It opens on the source article's example.",
  'check.paste': 'Worked example (X =, W_Q =, Q =, QK^T =, scores =, weights =, output = …)',
  'check.decimals': 'Claims printed to',
  'check.decimals.auto': 'the decimals each matrix shows',
  'check.decimals.n': { one: '{count} decimal', other: '{count} decimals' },

  // matrices, charts, heatmaps
  'pg.computeFailed': '{message}',
  'matrix.cell': '{name} row {row} column {col}',
  'matrix.cellEdit': '{name} row {row} column {col}: press Enter to edit',
  'matrix.enginesValue': "the engine's value",
  'chart.against': '{y} against {x}',
  'heatmap.keptLast': '{message}. Showing the last valid values.',
  'heatmap.nothing': '{message}. Nothing to draw until they are fixed.',
  'heatmap.canvas': '{label}: {rows} × {cols} heatmap; arrow keys move between cells',
  'heatmap.allMasked': '{row}: every cell masked',
  'heatmap.attendsMost': '{row} attends most to {col}: {value}',
  'heatmap.largestAt': '{row}: largest at {col}, {value}',
  'heatmap.summary': 'summary',
  'heatmap.masked': ' (masked)',
  'heatmap.maskedKey': 'masked',

  'quadratic-cost.title': 'The quadratic cost of attention',
  'quadratic-cost.summary':
    'For N tokens the attention weights are an N × N matrix: time and memory grow with N². Slide N from 64 to 16384 and the engine measures, in workers, the materialised attention and the streaming one, whose memory stays linear in N.',
  'quadratic-cost.n': 'Sequence length N',
  'quadratic-cost.nValue': 'N = {n}',
  'quadratic-cost.reduce': 'Heatmap block',
  'quadratic-cost.mean': 'mean of the block',
  'quadratic-cost.max': 'max of the block',

  // what is wrong with a link's state (state.js checkState)
  'state.forbiddenKey': 'forbidden key “{key}”',
  'state.notObject': 'not an object',
  'state.unknownField': 'unknown field “{key}”',
  'state.texts': 'texts must be an object of strings',
  'state.textsLength': 'texts hold {length} characters, at most {max}',
  'state.precision': 'precision must be 2–6',
  'state.objects': 'labels, inputs and options must be objects',
  'state.labels': '{field} must be at most {max} strings',
  'state.optionTooLong': '{field} is too long',
  'state.optionObject': '{field} must not be an object',
  'state.nested': 'nested too deeply',
  'state.notNumber': 'not a number',
  'state.size': 'empty or too large',
};
