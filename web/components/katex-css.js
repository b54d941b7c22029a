// KaTeX's stylesheet for a root (a shadow root or the document): a <link> to the CSS next to this
// module, in the document too, because @font-face rules only work at document level.
import { h } from './element.js';

export function addKatexStyles(root) {
  const href = new URL('./katex/katex.min.css', import.meta.url).href;
  for (const parent of [document.head, root === document ? null : root]) {
    if (parent && !parent.querySelector('link[data-katex]'))
      parent.prepend(h('link', { rel: 'stylesheet', href, 'data-katex': '' }));
  }
}
