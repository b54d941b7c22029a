// The base of every element: shadow DOM with constructable stylesheets (strict-CSP safe: no inline
// style attributes anywhere), attribute/property sync, and one render per microtask however many
// changes arrive. Each element speaks the language of its closest `lang` (its own attribute or an
// ancestor's, across shadow roots) and re-renders when a lang attribute changes (web/i18n).
import { followLang, translatorFor, unfollowLang } from '../i18n/index.js';

export class BaseElement extends HTMLElement {
  #scheduled = false;
  #sheet = new CSSStyleSheet(); // per-instance dynamic rules (sizes, tooltip position)

  /** @param {CSSStyleSheet[]} sheets shared stylesheets */
  constructor(sheets) {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.adoptedStyleSheets = [...sheets, this.#sheet];
  }

  /** Replaces this instance's dynamic CSS (e.g. sizes computed from the data). */
  setDynamicStyle(css) {
    this.#sheet.replaceSync(css);
  }

  /** Schedules render() once for all changes made in this task. */
  invalidate() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      if (this.isConnected) this.render();
    });
  }

  attributeChangedCallback() {
    this.invalidate();
  }

  connectedCallback() {
    followLang(this);
    this.invalidate();
  }

  disconnectedCallback() {
    unfollowLang(this);
  }

  /** The message function of this element's language (English until its catalogue has loaded). */
  get t() {
    return translatorFor(this, () => this.invalidate());
  }

  render() {}
}

/** A constructable stylesheet from CSS text. */
export function sheet(css) {
  const s = new CSSStyleSheet();
  s.replaceSync(css);
  return s;
}

/** Parses a list attribute: JSON array, or comma-separated. */
export function parseList(value) {
  if (value == null || value === '') return null;
  const v = value.trim();
  if (v.startsWith('[')) {
    try {
      const a = JSON.parse(v);
      if (Array.isArray(a)) return a.map(String);
    } catch {
      /* fall through to commas */
    }
  }
  return v.split(',').map((s) => s.trim());
}

/** Creates an element with properties/attributes and children. */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k in node && typeof v !== 'string') node[k] = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/**
 * Sets `node`'s text only if it differs: writing the same text still replaces the text node and
 * costs a relayout and repaint on every edit.
 */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** A `name` event that bubbles out of shadow roots. */
export function emit(target, name, detail) {
  target.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}
