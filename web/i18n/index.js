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

/** Loads a language's catalogue (English is always there). */
export function loadLang(lang) {
  if (catalogues[lang]) return Promise.resolve();
  loading[lang] ??= import('./zh-CN.js').then((m) => {
    catalogues[lang] = m.default;
  });
  return loading[lang];
}

export const isLoaded = (lang) => !!catalogues[lang];

/**
 * The message function of a loaded language (English if it is not loaded yet). t(key, params)
 * returns the key itself for an unknown key, so that a missing message shows (and tests find it).
 * t.with(part) is the same function that also knows the messages of a catalogue's part loaded
 * apart: { en: {…}, 'zh-CN': {…} } (the checker's, en.checker.js and zh-CN.checker.js, come with
 * the checker's chunk).
 * @returns {((key: string, params?: Record<string, unknown>) => string) & { lang: string,
 *   list: (items: string[]) => string, with: (part: Record<string, object>) => Function }}
 */
export function translator(lang) {
  const loaded = catalogues[lang] ? lang : 'en';
  let t = translators.get(loaded);
  if (!t) {
    const catalogue = catalogues[loaded];
    t = messages(loaded, (key) => catalogue[key] ?? en[key]);
    translators.set(loaded, t);
  }
  return t;
}

function messages(lang, lookup) {
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang, { useGrouping: false, maximumFractionDigits: 20 });
  const list = new Intl.ListFormat(lang, { type: 'conjunction' });
  const t = (key, params = {}) => {
    let m = lookup(key);
    if (m === undefined) return key;
    if (typeof m === 'object') m = m[plural.select(params.count ?? 0)] ?? m.other;
    return m.replace(/\{(\w+)\}/g, (whole, p) => {
      const v = params[p];
      if (v === undefined) return whole;
      return typeof v === 'number' ? number.format(v) : String(v);
    });
  };
  /** A list joined as the language joins one ("A and B", "A和B"), by Intl.ListFormat. */
  t.list = (items) => list.format(items);
  t.lang = lang;
  const parts = new Map(); // one message function per part, not one per call
  t.with = (part) => {
    if (!parts.has(part))
      parts.set(
        part,
        messages(lang, (key) => part[lang]?.[key] ?? part.en?.[key] ?? lookup(key)),
      );
    return parts.get(part);
  };
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
