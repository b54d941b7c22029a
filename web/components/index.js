// attention-playground's elements. Importing this module registers them:
//   <attention-heatmap>, <attention-steps>, <attention-playground>, <attention-check>
// and re-exports the engine API (init) and the interface languages (web/i18n) for scripts on the
// same page.
import { AttentionCheck } from './check.js';
import { AttentionHeatmap } from './heatmap.js';
import { AttentionPlayground } from './playground.js';
import { AttentionSteps } from './steps.js';

export { AttentionCheck, AttentionHeatmap, AttentionPlayground, AttentionSteps };
export { EXAMPLES } from './examples/index.js';
export { encodeState, decodeHash, hashLang, MAX_HASH } from './state.js';
export { LANGS, LANG_NAMES, browserLang, loadLang, translator } from '../i18n/index.js';
export { init } from '../lib/index.js';

/** Registers the elements under their names (or a prefix of your choice) in `registry`. */
export function define(registry = globalThis.customElements) {
  if (!registry) return;
  for (const [name, cls] of [
    ['attention-heatmap', AttentionHeatmap],
    ['attention-steps', AttentionSteps],
    ['attention-playground', AttentionPlayground],
    ['attention-check', AttentionCheck],
  ]) {
    if (!registry.get(name)) registry.define(name, cls);
  }
}

define();
