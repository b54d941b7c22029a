// Formulas with KaTeX, loaded on first use only: a page with only heatmaps never downloads it.
// KaTeX's CSS is linked into the document (for its @font-face rules, which shadow roots ignore) and
// into each shadow root that shows a formula. Both are files next to this module: no CDN.
import { h } from './element.js';

const cssUrl = new URL('./katex/katex.min.css', import.meta.url).href;
let katex = null;

function linkCss(root) {
  const parent = root === document ? document.head : root;
  if (!parent.querySelector(`link[data-katex]`)) parent.prepend(h('link', { rel: 'stylesheet', href: cssUrl, 'data-katex': '' }));
}

/** Renders `tex` into `target` (display math unless inline); the first call loads KaTeX. */
export async function renderTex(target, tex, { inline = false } = {}) {
  if (!katex) katex = (await import('katex')).default;
  linkCss(document);
  linkCss(target.getRootNode());
  katex.render(tex, target, { throwOnError: false, displayMode: !inline, output: 'htmlAndMathml' });
}

/** A span that fills itself with the rendered formula. */
export function tex(source, options) {
  const span = h('span', { class: options?.inline ? 'tex inline' : 'tex', 'data-tex': source });
  span.textContent = source;  // readable until KaTeX arrives
  renderTex(span, source, options);
  return span;
}
