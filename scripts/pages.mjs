// The static pages that exist in every interface language: one template each, web/<page>.template.html,
// whose {{key}} placeholders are the messages of the page's catalogue part (web/i18n/<lang>.<part>.js)
// and a few the renderer knows: {{lang}}, and {{other.href}}, {{other.lang}}, {{other.name}} (the link
// to the page in the other language). build.mjs writes <page>.html (English) and <page>.<lang>.html for
// each other language next to the template; they are build outputs (.gitignore), so a text is written
// once, in its catalogue, and the markup once, in the template.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LANGS, LANG_NAMES } from '../web/i18n/index.js';
import { log, main, root } from './run.mjs';

/** Each page: its path under web/ without .html, and its catalogue part. */
export const PAGES = [
  { page: 'docs/embedding', part: 'embedding' },
  { page: 'examples/tutorial', part: 'tutorial' },
];

/** The file name of `page` in `lang`: tutorial.html, tutorial.zh-CN.html. */
export const pageFile = (page, lang) => `${page}${lang === 'en' ? '' : `.${lang}`}.html`;

/** The catalogue part `part` in `lang` (web/i18n/<lang>.<part>.js). */
export async function pageMessages(part, lang) {
  return (await import(pathToFileURL(path.join(root, 'web/i18n', `${lang}.${part}.js`)).href)).default;
}

/**
 * The HTML of `page` in `lang`. Throws on a placeholder with no message, so that a page never ships
 * a key as its text.
 */
export async function renderPage({ page, part }, lang) {
  const template = readFileSync(path.join(root, 'web', `${page}.template.html`), 'utf8');
  const other = LANGS.find((l) => l !== lang);
  const known = {
    lang,
    'other.href': path.posix.basename(pageFile(page, other)),
    'other.lang': other,
    'other.name': LANG_NAMES[other],
    ...(await pageMessages(part, lang)),
  };
  return template.replace(/\{\{([\w.-]+)\}\}/g, (_, key) => {
    if (!(key in known))
      throw new Error(`pages: ${page}.template.html names '${key}', missing from ${lang}.${part}.js`);
    return known[key];
  });
}

/** Writes every page in every language next to its template. */
export async function writePages() {
  for (const p of PAGES)
    for (const lang of LANGS) writeFileSync(path.join(root, 'web', pageFile(p.page, lang)), await renderPage(p, lang));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(async () => {
    await writePages();
    log('pages', `written: ${PAGES.flatMap((p) => LANGS.map((l) => `web/${pageFile(p.page, l)}`)).join(', ')}`);
  });
}
