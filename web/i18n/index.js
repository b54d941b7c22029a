// The interface languages: English (bundled) and Simplified Chinese (a chunk loaded with its first
// use). One catalogue per language (en.js, zh-CN.js), flat keys → messages. A message is a string
// with {name} placeholders, or a plural object { one, other, … } chosen by Intl.PluralRules from
// params.count. Numbers given as params are formatted by Intl.NumberFormat; the numbers of
// matrices are not params: they arrive already formatted (format.js), exactly as in English.
//
//   const t = translator('zh-CN');
//   t('playground.tokensAtMost', { max: 64, count: 70 });
//
// An element's language is its own lang attribute or its closest ancestor's, across shadow roots,
// as HTML inherits it; with none anywhere, the browser's (navigator.languages).
import en from './en.js';

export const LANGS = ['en', 'zh-CN'];
/** What the language switch shows for each language, in that language. */
export const LANG_NAMES = { en: 'English', 'zh-CN': '简体中文' };

const catalogues = { en };
const loading = {};
const translators = new Map();

/** The supported language for a BCP 47 tag: any Chinese → zh-CN, anything else → en; '' → null. */
export function supportedLang(tag) {
  if (!tag) return null;
  return /^zh\b/i.test(tag) ? 'zh-CN' : 'en';
}

/** The browser's first language, as a supported one. */
export function browserLang() {
  const list = globalThis.navigator?.languages ?? [globalThis.navigator?.language];
  return supportedLang(list?.find(Boolean)) ?? 'en';
}

/** The language of `node`: its closest `lang` attribute (crossing shadow roots), else the browser's. */
export function langOf(node) {
  for (let n = node; n; n = n.parentNode ?? n.host) {
    if (n.nodeType === 1 && n.hasAttribute('lang')) return supportedLang(n.getAttribute('lang')) ?? browserLang();
  }
  return browserLang();
}

// messages loaded with the code that shows them (an example's own, e.g. trained-translator.js)
const added = { en: {}, 'zh-CN': {} };

/** Loads a language's catalogue (English is always there). */
export function loadLang(lang) {
  if (catalogues[lang]) return Promise.resolve();
  loading[lang] ??= import('./zh-CN.js').then((m) => {
    catalogues[lang] = { ...m.default, ...added[lang] };
  });
  return loading[lang];
}

/**
 * Adds messages of each language to the catalogues: `{ en: {…}, 'zh-CN': {…} }`, what lazily
 * loaded code (an example's own) shows, so that every page does not download them.
 */
export function addMessages(byLang) {
  for (const [lang, messages] of Object.entries(byLang)) {
    Object.assign(added[lang], messages);
    if (catalogues[lang]) Object.assign(catalogues[lang], messages);
  }
}

export const isLoaded = (lang) => !!catalogues[lang];

/**
 * The message function of a loaded language (English if it is not loaded yet). t(key, params)
 * returns the key itself for an unknown key, so that a missing message shows (and tests find it).
 * @returns {((key: string, params?: Record<string, unknown>) => string) & { lang: string, list: (items: string[]) => string }}
 */
export function translator(lang) {
  const loaded = catalogues[lang] ? lang : 'en';
  let t = translators.get(loaded);
  if (t) return t;
  const catalogue = catalogues[loaded];
  const plural = new Intl.PluralRules(loaded);
  const number = new Intl.NumberFormat(loaded, { useGrouping: false, maximumFractionDigits: 20 });
  t = (key, params = {}) => {
    let m = catalogue[key] ?? en[key];
    if (m === undefined) return key;
    if (typeof m === 'object') m = m[plural.select(params.count ?? 0)] ?? m.other;
    return m.replace(/\{(\w+)\}/g, (whole, p) => {
      const v = params[p];
      if (v === undefined) return whole;
      return typeof v === 'number' ? number.format(v) : String(v);
    });
  };
  const list = new Intl.ListFormat(loaded, { type: 'conjunction' });
  /** A list joined as the language joins one ("A and B", "A和B"), by Intl.ListFormat. */
  t.list = (items) => list.format(items);
  t.lang = loaded;
  translators.set(loaded, t);
  return t;
}

// Elements that follow their language: one observer for the whole document re-renders them when
// a lang attribute changes anywhere (the page's switch sets <html lang>).
const followers = new Set();
let observer = null;

/** Re-renders `element` (calls element.invalidate()) whenever a lang attribute in the document changes. */
export function followLang(element) {
  followers.add(element);
  if (!observer && globalThis.MutationObserver && globalThis.document) {
    observer = new MutationObserver(() => {
      for (const e of followers) e.invalidate();
    });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
  }
}

export function unfollowLang(element) {
  followers.delete(element);
}

/**
 * The translator for `node`'s language. If that catalogue is still loading, English now, and
 * `onLoad` once it has arrived (an element passes its re-render).
 */
export function translatorFor(node, onLoad) {
  const lang = langOf(node);
  if (!isLoaded(lang)) loadLang(lang).then(onLoad);
  return translator(lang);
}
