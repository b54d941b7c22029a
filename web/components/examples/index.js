// The built-in worked examples, in the order the page lists them. Each is one module of this folder
// (model.js documents what it declares); adding one is a file here, a line below and its test.
import causalMask from './causal-mask.js';
import check from './check.js';
import hardVsSoft from './hard-vs-soft.js';
import maskedSoftmax from './masked-softmax.js';
import multiHead from './multi-head.js';
import positionalEncoding from './positional-encoding.js';
import quadraticCost from './quadratic-cost.js';
import scoringFunctions from './scoring-functions.js';
import selfAttention from './self-attention.js';
import trainedTranslator from './trained-translator.js';
import transformerBlock from './transformer-block.js';
import translationAlignment from './translation-alignment.js';
import whyScale from './why-scale.js';

/** @type {import('./model.js').Example[]} */
export const EXAMPLES = [
  selfAttention,
  translationAlignment,
  maskedSoftmax,
  scoringFunctions,
  causalMask,
  hardVsSoft,
  multiHead,
  positionalEncoding,
  transformerBlock,
  whyScale,
  trainedTranslator,
  quadraticCost,
  check,
];
export const EXAMPLE_IDS = EXAMPLES.map((e) => e.id);
export const exampleById = (id) => EXAMPLES.find((e) => e.id === id);
export { MAX_TEXT, SIZE_LIMITS } from './model.js';
