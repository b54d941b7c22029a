// The pages that exist in each language (scripts/pages.mjs): each is written from its one template
// with its catalogue part, the pages build.mjs wrote are exactly that, and the Chinese page leaves
// no English word in its text, its accessible names or its figure's JSON texts
// (tests/support/english.mjs says which Latin words a Chinese text keeps). Chromium checks the
// elements' own texts on the same page (tests/browser/i18n.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root } from '../../scripts/run.mjs';
import { PAGES, pageFile, pageMessages, renderPage } from '../../scripts/pages.mjs';
import { LANGS } from '../../web/i18n/index.js';
import { englishLeft } from '../support/english.mjs';

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/**
 * What a reader of `html` meets in its language: the title, the text outside elements marked as
 * another language, the label/title/aria-label attributes, and the strings of inline JSON figures
 * (its title and labels; the rest is data). Comments, scripts and styles are not text.
 */
function readerTexts(html, lang) {
  let body = html.replace(/<!--[\s\S]*?-->/g, '');
  const out = [];
  for (const [, json] of body.matchAll(/<script type="application\/json">([\s\S]*?)<\/script>/g)) {
    const { title, labels } = JSON.parse(json);
    out.push(title, ...Object.values(labels ?? {}).flat());
  }
  body = body
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, '')
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
      assert.doesNotMatch(rendered[lang], /\{\{|\}\}/, `${lang}: a placeholder is left`);
      assert.match(rendered[lang], new RegExp(`^<!doctype html>\\n<html lang="${lang}">`));
      // every message of the part is on the page: none is dead
      const messages = await pageMessages(p.part, lang);
      for (const [key, m] of Object.entries(messages)) assert.ok(rendered[lang].includes(m), `${lang}: ${key} unused`);
    }
    // the same markup around different texts: the elements, their ids and attributes match one to one
    const skeleton = (html) =>
      [...html.matchAll(/<attention-[a-z]+[^>]*\sid="[^"]+"/g)].map((m) => m[0].replace(/label="[^"]*"/, ''));
    assert.deepEqual(skeleton(rendered['zh-CN']), skeleton(rendered.en));
    assert.ok(skeleton(rendered.en).length >= 5);
    assert.notEqual(rendered['zh-CN'], rendered.en);
    // each links to the other
    assert.match(rendered.en, /<a href="tutorial\.zh-CN\.html" hreflang="zh-CN" lang="zh-CN">简体中文<\/a>/);
    assert.match(rendered['zh-CN'], /<a href="tutorial\.html" hreflang="en" lang="en">English<\/a>/);
    // in Chinese, no English is left; the English page's texts are English (the check can fail)
    const zhTexts = readerTexts(rendered['zh-CN'], 'zh-CN');
    assert.ok(zhTexts.length >= 15, zhTexts.join(' | '));
    assert.deepEqual(
      zhTexts.flatMap((s) => englishLeft(s).map((w) => `${w} in “${s.slice(0, 60)}”`)),
      [],
    );
    assert.ok(readerTexts(rendered.en, 'en').flatMap(englishLeft).length > 100);
  });
}
