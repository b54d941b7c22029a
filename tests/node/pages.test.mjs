// The pages that exist in each language (scripts/pages.mjs): each is written from its one template
// with its catalogue part, the pages build.mjs wrote are exactly that, and the Chinese page leaves
// no English word in its text, its accessible names or its figures' JSON texts
// (tests/support/english.mjs says which Latin words a Chinese text keeps; code is not text).
// Chromium checks the elements' own texts on the tutorial (tests/browser/i18n.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root } from '../../scripts/run.mjs';
import { PAGES, pageFile, pageMessages, renderPage } from '../../scripts/pages.mjs';
import { LANGS } from '../../web/i18n/index.js';
import { englishLeft } from '../support/english.mjs';

// Latin words a page's Chinese text keeps beyond tests/support/english.mjs: the docs name the elements, tools,
// web standards and option values, and a README section by its title
const KEEPS = {
  'docs/embedding': new Set(
    (
      'attention-heatmap attention-steps attention-check CDN HTTP Content-Security-Policy CSP HTML CSS DOM shadow root composed gzip KB MB Tab Blob id ' +
      'property dot additive bilinear soft sample head npm TypeScript Node Vite VitePress Docusaurus MDX ' +
      'Astro Jupyter Book Hugo Jekyll Eleventy MkDocs README Run trained translator trace'
    ).split(' '),
  ),
};

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/**
 * What a reader of `html` meets as text in its language: the title, the text outside elements
 * marked as another language and outside code, the label/title/aria-label attributes, and the
 * title and labels of inline JSON figures (the rest of the JSON is data).
 */
function readerTexts(html, lang) {
  let body = html.replace(/<!--[\s\S]*?-->/g, '');
  const out = [];
  for (const [, json] of body.matchAll(/<script type="application\/json">([\s\S]*?)<\/script>/g)) {
    const { title, labels } = JSON.parse(json);
    out.push(title, ...Object.values(labels ?? {}).flat());
  }
  body = body
    .replace(/<(script|style|pre|code)\b[\s\S]*?<\/\1>/g, '')
    .replace(new RegExp(`<([a-z]+)\\b[^>]*\\slang="(?!${lang}")[^"]*"[^>]*>[\\s\\S]*?</\\1>`, 'g'), '');
  for (const [, , value] of body.matchAll(/\s(label|title|aria-label)="([^"]*)"/g)) out.push(value);
  const text = body.replace(/<[^>]+>/g, ' ').replace(/&(\w+|#\d+);/g, (m, e) => ENTITIES[e] ?? m);
  out.push(
    ...text
      .split(/\n/)
      .map((s) => s.trim())
      .filter(Boolean),
  );
  return out;
}

// the markup around the texts: the page's structure and every element's attributes but the label
const skeleton = (html) =>
  [...html.matchAll(/<(attention-[a-z]+|h[12]|pre|table|tr|li|dt|dd|script)\b[^>]*>/g)].map((m) =>
    m[0].replace(/\slabel="[^"]*"/, ''),
  );

for (const p of PAGES) {
  test(`${p.page}: every language is written from the one template, with its own texts`, async () => {
    const template = readFileSync(path.join(root, 'web', `${p.page}.template.html`), 'utf8');
    const keys = [...template.matchAll(/\{\{([\w.-]+)\}\}/g)].map((m) => m[1]);
    assert.ok(keys.length >= 10, `placeholders found: ${keys}`);
    const rendered = {};
    for (const lang of LANGS) {
      rendered[lang] = await renderPage(p, lang);
      // the page build.mjs wrote is the template's, not a copy edited by hand
      assert.equal(readFileSync(path.join(root, 'web', pageFile(p.page, lang)), 'utf8'), rendered[lang], lang);
      assert.doesNotMatch(rendered[lang], /\{\{[\w.-]+\}\}/, `${lang}: a placeholder is left`);
      assert.match(rendered[lang], new RegExp(`^<!doctype html>\\n<html lang="${lang}">`));
      // every message of the part is on the page: none is dead
      const messages = await pageMessages(p.part, lang);
      for (const [key, m] of Object.entries(messages)) assert.ok(rendered[lang].includes(m), `${lang}: ${key} unused`);
    }
    // the same markup around different texts
    assert.deepEqual(skeleton(rendered['zh-CN']), skeleton(rendered.en));
    assert.ok(skeleton(rendered.en).length >= 10);
    assert.notEqual(rendered['zh-CN'], rendered.en);
    // each links to the other
    const file = (lang) => path.posix.basename(pageFile(p.page, lang)).replace(/\./g, '\\.');
    assert.match(rendered.en, new RegExp(`<a href="${file('zh-CN')}" hreflang="zh-CN" lang="zh-CN">简体中文</a>`));
    assert.match(rendered['zh-CN'], new RegExp(`<a href="${file('en')}" hreflang="en" lang="en">English</a>`));
    // in Chinese, no English is left; the English page's texts are English (the check can fail)
    const keeps = KEEPS[p.page] ?? new Set();
    const zhTexts = readerTexts(rendered['zh-CN'], 'zh-CN');
    assert.ok(zhTexts.length >= 15, zhTexts.join(' | '));
    assert.deepEqual(
      zhTexts.flatMap((s) =>
        englishLeft(s)
          .filter((w) => !keeps.has(w))
          .map((w) => `${w} in “${s.slice(0, 60)}”`),
      ),
      [],
    );
    assert.ok(readerTexts(rendered.en, 'en').flatMap(englishLeft).length > 100);
  });
}
