// Formulas with KaTeX, loaded on first use only: a page with only heatmaps never downloads it.
import { h } from './element.js';
import { addKatexStyles } from './katex-css.js';
import { markOverflow, watchOverflow } from './overflow.js';

let katex = null;

/** Renders `tex` into `target` (display math unless inline); the first call loads KaTeX. */
export async function renderTex(target, tex, { inline = false } = {}) {
  if (!katex) katex = (await import('katex')).default;
  await addKatexStyles(target.getRootNode()); // async in the ES bundle (scripts/bundle.mjs)
  katex.render(tex, target, { throwOnError: false, displayMode: !inline, output: 'htmlAndMathml' });
}

/** A span that fills itself with the rendered formula; a display formula scrolls sideways where it is wider than its column, with a fading edge (overflow.js). */
export function tex(source, options) {
  const span = h('span', { class: options?.inline ? 'tex inline' : 'tex', 'data-tex': source });
  span.textContent = source; // readable until KaTeX arrives
  const rendered = renderTex(span, source, options);
  if (!options?.inline) rendered.then(() => markOverflow(watchOverflow(span)));
  return span;
}
