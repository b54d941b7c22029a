// English left in a Chinese text: what tests/node/i18n.test.mjs (every example's texts) and
// tests/browser/i18n.test.mjs (every text node of the page) look for.

/**
 * Latin words that a Chinese text keeps: names of the math, tensors, libraries, formats and
 * methods, and the token labels of the default examples (data, not interface). Identifiers are
 * skipped by rule (englishLeft): words with a digit or an underscore (d_k, float32, W_Q), a name
 * called, assigned or raised (softmax(…), scores =, bias=False, QK^T, QKᵀ) and a module's name or
 * attribute (nn.MultiheadAttention).
 * Anything else in a Chinese text is English left untranslated.
 */
export const LATIN_ALLOWED = new Set(
  (
    'softmax argmax one-hot exp log ln LN MHA FF tanh max min ReLU GELU Transformer TransformerBlock SIMD ' +
    'WebAssembly WASM KaTeX LaTeX Markdown CSV JSON NumPy PyTorch PNG SVG NaN Bahdanau Luong general ' +
    'MiB ' +
    'attended attention-playground attn ' +
    'Tom chase Jerry the cat sat on mat attention is all you need bos eos pad'
  ).split(' '),
);

/** The words of `text` in Latin letters that a Chinese text should not hold (see LATIN_ALLOWED). */
export function englishLeft(text) {
  const left = [];
  for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9]/g)) {
    const word = m[0],
      before = text[m.index - 1],
      after = text.slice(m.index + word.length);
    const code = before === '.' || before === '=' || /^(\s?[(=^ᵀ]|\.\w)/.test(after);
    if (LATIN_ALLOWED.has(word) || /[\d_]/.test(word) || code) continue;
    left.push(word);
  }
  return left;
}
