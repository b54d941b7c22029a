// The classic bundle's KaTeX styles: the CSS text bundled in, without its @font-face rules (a page
// opened from file:// may not load font files), adopted by each root. Formulas use system fonts.
import css from 'katex/dist/katex.min.css';

let sheet = null;

export function addKatexStyles(root) {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css.replace(/@font-face\{[^}]*\}/g, ''));
  }
  const target = root === document ? document : root;
  if (!target.adoptedStyleSheets.includes(sheet)) target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
}
