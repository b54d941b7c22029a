// The playground's state in the URL hash: #example=<id>&state=<base64url(JSON)>&lang=<tag> (lang is
// optional: links from before it follow the browser's language). Reading a hash is
// defensive: a malformed, oversized or prototype-polluting hash yields an error message and the
// caller falls back to the default state; nothing from it is trusted beyond plain data of known
// shape and size.
import { EXAMPLE_IDS, MAX_TEXT, SIZE_LIMITS } from './examples/index.js';
import { supportedLang, translator } from '../i18n/index.js';

export const MAX_HASH = 200_000; // characters
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** The permalink of a state; with `lang` (en, zh-CN), the link opens in that language. */
export function encodeState(exampleId, state, lang) {
  const json = JSON.stringify(state, (_, v) => (v === -Infinity ? '-Infinity' : v));
  const bytes = new TextEncoder().encode(json);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  const tag = lang ? `&lang=${encodeURIComponent(lang)}` : '';
  return `#example=${encodeURIComponent(exampleId)}&state=${btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}${tag}`;
}

/** The supported language a hash asks for (its lang parameter), or null. */
export function hashLang(hash) {
  if (!hash || hash.length > MAX_HASH) return null;
  return supportedLang(new URLSearchParams(hash.slice(1)).get('lang'));
}

/**
 * Parses a hash. Returns { example, state } (state null for a bare deep link) or { error, example },
 * and `lang` when the hash names one. `t` (web/i18n) writes the error in the page's language.
 */
export function decodeHash(hash, t = translator('en')) {
  if (!hash || hash === '#') return { example: null, state: null };
  if (hash.length > MAX_HASH)
    return { error: t('link.tooLong', { length: hash.length, max: MAX_HASH }), example: null };
  const params = new URLSearchParams(hash.slice(1));
  const lang = hashLang(hash);
  const withLang = (r) => (lang ? { ...r, lang } : r);
  const example = params.get('example');
  if (example !== null && !EXAMPLE_IDS.includes(example)) {
    return withLang({ error: t('link.unknownExample', { id: example.slice(0, 40) }), example: null });
  }
  const encoded = params.get('state');
  if (encoded === null) return withLang({ example, state: null });
  let state;
  try {
    const bin = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    const json = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
    state = JSON.parse(json, (key, v) => {
      if (FORBIDDEN.has(key)) throw new Error(t('state.forbiddenKey', { key }));
      return v === '-Infinity' ? -Infinity : v;
    });
    // labels are text: a -Infinity there was the label "-Infinity", written like a masked number
    if (isObject(state?.labels)) {
      for (const list of Object.values(state.labels)) {
        if (Array.isArray(list))
          list.forEach((t, i) => {
            if (t === -Infinity) list[i] = '-Infinity';
          });
      }
    }
  } catch (e) {
    return withLang({ error: t('link.unreadable', { reason: e.message }), example });
  }
  const problem = checkState(state, t);
  if (problem) return withLang({ error: t('link.invalid', { reason: problem }), example });
  return withLang({ example, state });
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A reason the state is unusable, or null. Only shapes and types; the engine checks the numbers.
 * `t` (web/i18n) writes the reason in a language (default English).
 */
export function checkState(s, t = translator('en')) {
  if (!isObject(s)) return t('state.notObject');
  for (const key of Object.keys(s))
    if (!['labels', 'inputs', 'options', 'precision', 'texts'].includes(key))
      return t('state.unknownField', { key: key.slice(0, 20) });
  if (s.texts !== undefined) {
    if (!isObject(s.texts) || Object.values(s.texts).some((x) => typeof x !== 'string')) return t('state.texts');
    const length = Object.values(s.texts).reduce((n, x) => n + x.length, 0);
    if (length > MAX_TEXT) return t('state.textsLength', { length, max: MAX_TEXT });
  }
  if (s.precision !== undefined && !(Number.isInteger(s.precision) && s.precision >= 2 && s.precision <= 6))
    return t('state.precision');
  if (!isObject(s.labels) || !isObject(s.inputs) || !isObject(s.options)) return t('state.objects');
  for (const [k, list] of Object.entries(s.labels)) {
    if (
      !Array.isArray(list) ||
      list.length > SIZE_LIMITS.tokens ||
      list.some((x) => typeof x !== 'string' || x.length > 64)
    ) {
      return t('state.labels', { field: `labels.${k}`, max: SIZE_LIMITS.tokens });
    }
  }
  for (const [k, m] of Object.entries(s.inputs)) {
    const problem = checkNumbers(m, 0, t);
    if (problem) return `inputs.${k}: ${problem}`;
  }
  for (const [k, v] of Object.entries(s.options)) {
    if (typeof v === 'string' && v.length > 32) return t('state.optionTooLong', { field: `options.${k}` });
    if (isObject(v)) return t('state.optionObject', { field: `options.${k}` });
    if (Array.isArray(v) && checkNumbers(v, 0, t)) return `options.${k}: ${checkNumbers(v, 0, t)}`;
  }
  return null;
}

function checkNumbers(m, depth, t) {
  if (depth > 3) return t('state.nested');
  if (!Array.isArray(m)) return typeof m === 'number' ? null : t('state.notNumber');
  if (m.length === 0 || m.length > Math.max(SIZE_LIMITS.tokens, 512)) return t('state.size');
  for (const x of m) {
    const p = checkNumbers(x, depth + 1, t);
    if (p) return p;
  }
  return null;
}
