// The worked-example checker on the engine: attn.parseMatrix, attn.parseWorkedExample and
// attn.checkWorkedExample. A module of its own, installed by importing it: the package's entry
// (api.js) imports it, so `import { init } from 'attention-playground'` has all three at once; the
// bundled elements import it only with the first checker on a page, which keeps it out of the
// download every page pays for (the 150 KB budget of scripts/bundle.mjs).
import { AttentionEngine } from './engine.js';
import { parseMatrix, parseWorkedExample } from './parse.js';
import { checkWorkedExample } from './check.js';
import { translator } from '../i18n/index.js';
import messages from '../i18n/en.checker.js';

const english = translator('en').with({ en: messages }); // the diagnoses are written in English

const methods = {
  /**
   * A matrix as people publish it (NumPy / PyTorch repr, JSON, Markdown table, LaTeX bmatrix with
   * \frac and \sqrt, rows of numbers) as number[][]; a SyntaxError gives the line and column.
   * @example attn.parseMatrix('[[1, 0], [0, 1/2]]')  // [[1, 0], [0, 0.5]]
   */
  parseMatrix(text) {
    return parseMatrix(text);
  },

  /**
   * A labelled worked example (X =, W_Q =, Q =, QK^T =, scores =, weights =, output = …) as
   * { name: number[][] }, ready for checkWorkedExample.
   * @example attn.checkWorkedExample(attn.parseWorkedExample(text)).firstWrong  // 'q'
   */
  parseWorkedExample(text) {
    return parseWorkedExample(text);
  },

  /**
   * Checks a worked example's claimed steps (q, k, v, qk, scores, weights, output) against the
   * engine: { verdict, firstWrong, items: [{ name, status, expected, claimed, wrongCells, diagnosis }] }.
   * @example attn.checkWorkedExample({ x, wq, wk, wv, q: publishedQ }).items[0].diagnosis.code  // 'arithmetic'
   */
  checkWorkedExample(claims, options = {}) {
    return checkWorkedExample(this, claims, options, english);
  },
};
// as class methods are: not enumerable
for (const [name, value] of Object.entries(methods)) {
  Object.defineProperty(AttentionEngine.prototype, name, { value, writable: true, configurable: true });
}
