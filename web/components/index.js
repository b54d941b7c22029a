// attention-playground's elements. Importing this module registers them:
//   <attention-heatmap>, <attention-steps>, <attention-playground>
// and re-exports the engine API (init) for scripts on the same page.
import { AttentionHeatmap } from './heatmap.js';
import { AttentionPlayground } from './playground.js';
import { AttentionSteps } from './steps.js';

export { AttentionHeatmap, AttentionPlayground, AttentionSteps };
export { EXAMPLES } from './examples/index.js';
export { encodeState, decodeHash } from './state.js';
export { init } from '../lib/index.js';

/** Registers the elements under their names (or a prefix of your choice) in `registry`. */
export function define(registry = globalThis.customElements) {
  if (!registry) return;
  for (const [name, cls] of [['attention-heatmap', AttentionHeatmap], ['attention-steps', AttentionSteps], ['attention-playground', AttentionPlayground]]) {
    if (!registry.get(name)) registry.define(name, cls);
  }
}

define();
