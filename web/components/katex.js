// Formulas with KaTeX, loaded on first use only: a page with only heatmaps never downloads it.
import { h } from './element.js';
import { addKatexStyles } from './katex-css.js';
import { markOverflow, watchOverflow } from './overflow.js';

let katex = null;

/** Renders `tex` into `target` (display math unless inline); the first call loads KaTeX. False if it never was in a page. */
export async function renderTex(target, tex, { inline = false } = {}) {
  if (!katex) katex = (await import('katex')).default;
  const root = await attachedRoot(target);
  if (!root) return false; // dropped before it was ever shown
  await addKatexStyles(root); // async in the ES bundle (scripts/bundle.mjs)
  katex.render(tex, target, { throwOnError: false, displayMode: !inline, output: 'htmlAndMathml' });
  return true;
}

// The document or shadow root that `node` is in, once it is in one: a formula is often made
// before its step is attached (the classic bundle's styles, given the detached step, threw).
async function attachedRoot(node) {
  for (let frames = 0; ; frames++) {
    const root = node.getRootNode();
    if (root instanceof Document || root instanceof ShadowRoot) return root;
    if (frames > 600) return null;
    await new Promise(requestAnimationFrame);
  }
}

/** A span that fills itself with the rendered formula; a display formula scrolls sideways where it is wider than its column, with a fading edge (overflow.js). */
export function tex(source, options) {
  const span = h('span', { class: options?.inline ? 'tex inline' : 'tex', 'data-tex': source });
  span.textContent = source; // readable until KaTeX arrives
  const rendered = renderTex(span, source, options);
  if (!options?.inline) rendered.then((shown) => shown && markOverflow(watchOverflow(span)));
  return span;
}
