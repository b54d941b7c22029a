// The trained translator (#example=trained-translator): a small nn.Transformer trained on an
// English → Chinese grammar, run by the engine on the learner's own sentence. The model file, its
// steps and its figures load with the example's first use (trained-translator-compute.js,
// translator-views.js) and its messages (web/i18n/*.trained-translator.js): every page downloads this
// list entry, only this page the rest.
import { engine } from '../engine.js';
import { scoreTex } from './attention-steps.js';
import { arr, colNames } from './model.js';
import { CATEGORICAL } from '../colors.js';

// what the lazily loaded code shares with every page, handed over rather than imported there (an
// import would split these modules off the main bundle into a chunk of their own)
const KIT = { engine, scoreTex, arr, colNames, headColours: CATEGORICAL };

let impl = null; // trained-translator-compute.js, once loaded

/** Loads the example's code and the shipped model (once); with the playground's `elements` kit, its elements. */
async function load(elements) {
  impl ??= await import('./trained-translator-compute.js');
  await impl.ready({ ...KIT, elements });
  return impl;
}

/** The state `<attention-model>` opens on: its sentence, and the model its src names (model-element.js). */
export async function elementState(el, elements) {
  return (await load(elements)).elementState(el);
}

const SENTENCE = {
  name: 'sentence',
  key: 'sentence',
  kind: 'element',
  tag: 'attention-sentence',
  label: 'trained-translator.sentence',
  get: (s) => s.texts?.sentence ?? '',
  set: (s, text) => {
    s.texts = { ...s.texts, sentence: text };
  },
};
const MODEL = {
  name: 'model',
  key: 'model',
  kind: 'element',
  tag: 'attention-model-file',
  label: 'trained-translator.model',
  get: (s) => s.options.model,
  set: (s, key) => {
    s.options.model = key;
  },
};

/** @type {import('./model.js').Example} */
export default {
  id: 'trained-translator',
  title: 'trained-translator.title',
  summary: 'trained-translator.summary',
  controls: [SENTENCE, MODEL],
  load,
  defaults: () => impl.defaults(),
  compute: (attn, s, msg) => impl.compute(attn, s, msg),
};
