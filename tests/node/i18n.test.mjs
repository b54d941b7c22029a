// The interface languages (web/i18n): the two catalogues hold the same keys with the same
// parameters and the plural forms each language needs; every key the code names exists; and every
// example, computed in Chinese, shows no English word outside an allow-list of names that stay as
// they are in Chinese texts too (math, tensors, libraries, file formats). The page's chrome is
// scanned the same way in Chromium (tests/browser/i18n.test.mjs).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { root } from '../../scripts/run.mjs';
import { init } from '../../web/lib/index.js';
import { EXAMPLES } from '../../web/components/examples/index.js';
import { LANGS, loadLang, translator } from '../../web/i18n/index.js';
import enCore from '../../web/i18n/en.js';
import zhCore from '../../web/i18n/zh-CN.js';
import { englishLeft } from '../support/english.mjs';

// a catalogue is its part every page loads and the parts that load with a chunk of their own (the
// checker's, the translator's, the steps of the examples computed in a lazy chunk): en.<part>.js
// and zh-CN.<part>.js
const i18nDir = path.join(root, 'web/i18n');
const PARTS = {};
for (const f of readdirSync(i18nDir).sort()) {
  const m = f.match(/^(en|zh-CN)\.([\w-]+)\.js$/);
  if (m) (PARTS[m[2]] ??= {})[m[1]] = (await import(path.join(i18nDir, f))).default;
}
const en = Object.assign({}, enCore, ...Object.values(PARTS).map((p) => p.en)),
  zh = Object.assign({}, zhCore, ...Object.values(PARTS).map((p) => p['zh-CN']));
const CATALOGUES = { en, 'zh-CN': zh };
const params = (m) =>
  [...new Set((typeof m === 'string' ? [m] : Object.values(m)).flatMap((s) => s.match(/\{\w+\}/g) ?? []))].sort();

test('both catalogues hold the same keys, the same parameters and the plural forms of their language', () => {
  assert.deepEqual(Object.keys(zhCore).sort(), Object.keys(enCore).sort());
  assert.ok(Object.keys(PARTS).length >= 7, `parts found: ${Object.keys(PARTS)}`);
  for (const [name, part] of Object.entries(PARTS)) {
    assert.deepEqual(Object.keys(part['zh-CN'] ?? {}).sort(), Object.keys(part.en ?? {}).sort(), name);
    assert.deepEqual(
      Object.keys(part.en).filter((k) => k in enCore),
      [],
      `${name}: keys also in en.js`,
    );
  }
  for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
    const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    for (const [key, m] of Object.entries(catalogue)) {
      assert.deepEqual(params(m), params(en[key]), `${lang} ${key}: parameters differ from English`);
      if (typeof m === 'object') {
        for (const c of needed) assert.equal(typeof m[c], 'string', `${lang} ${key}: plural form “${c}” missing`);
      } else {
        assert.equal(typeof m, 'string', `${lang} ${key}`);
        assert.ok(m.length > 0, `${lang} ${key}: empty`);
      }
    }
  }
  // a Chinese message in Latin letters only is one that was copied, not translated
  const latinOnly = Object.entries(zh).filter(
    ([k, m]) => typeof m === 'string' && !/[\u4e00-\u9fff]/.test(m) && englishLeft(m.replace(/\{\w+\}/g, '')).length,
  );
  assert.deepEqual(latinOnly, []);
});

test('every key named in the code exists', () => {
  const files = [];
  const walk = (dir) => {
    for (const f of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, f.name);
      if (f.isDirectory() && !['wasm', 'i18n'].includes(f.name)) walk(p);
      else if (/\.(js|html)$/.test(f.name)) files.push(p);
    }
  };
  walk(path.join(root, 'web'));
  const used = new Set();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    // t('key'), msg('key'), this.#t('key'), tr('key'), data-i18n="key", and example fields holding keys
    for (const m of text.matchAll(/\b(?:t|msg|tr|#t)\(\s*'([\w-]+\.[\w.-]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/data-i18n="([\w.-]+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/\b(?:title|summary|label):\s*'([a-z][\w-]*\.[\w.-]+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 50, `only ${used.size} keys found: the scan is broken`);
  assert.deepEqual(
    [...used].filter((k) => !(k in en)),
    [],
  );
});

test('Intl: plurals by Intl.PluralRules, numbers by Intl.NumberFormat, unknown keys show as themselves', async () => {
  await loadLang('zh-CN');
  const t = translator('en'),
    zt = translator('zh-CN');
  assert.equal(zt.lang, 'zh-CN');
  assert.equal(
    t('pg.tooManyTokens', { max: 64, count: 70 }),
    "At most 64 tokens (one frame's worth of work); you typed 70.",
  );
  assert.equal(zt('pg.tooManyTokens', { max: 64, count: 70 }), '最多 64 个词元(一帧之内的计算量);你输入了 70 个。');
  assert.equal(t('steps.claim.wrong', { count: 1 }), 'as pasted · 1 wrong');
  assert.equal(t('nope.nothing'), 'nope.nothing');
  assert.deepEqual(LANGS, ['en', 'zh-CN']);
});

let attn;
before(async () => {
  attn = await init();
  await Promise.all(EXAMPLES.map((e) => e.load?.()));
  await loadLang('zh-CN');
});

/** Every text an example shows (its header, controls and steps), computed in `lang`. */
function textsOf(e, lang) {
  const t = translator(lang);
  const s = e.defaults(attn);
  const out = [t(e.title), t(e.summary)];
  for (const c of e.controls) {
    if (typeof c === 'string') continue;
    out.push(t(c.label), ...(c.choices?.(s, t) ?? []).map(([, text]) => text));
  }
  for (const k of Object.values(e.sizeLabels ?? {})) out.push(t(k));
  for (const step of e.compute(attn, s, t).steps) {
    out.push(step.title, step.note, step.hint);
    for (const m of step.matrices ?? []) out.push(m.title);
    if (step.chart) out.push(step.chart.xLabel, step.chart.yLabel, ...step.chart.series.map((x) => x.name));
    for (const c of step.comparison ?? []) out.push(c.label ?? c.what);
  }
  return out.filter((x) => x !== undefined);
}

for (const e of EXAMPLES) {
  test(`${e.id}: every text comes from the catalogue, and in Chinese no English is left`, () => {
    for (const lang of LANGS) {
      for (const text of textsOf(e, lang)) {
        assert.equal(typeof text, 'string', `${e.id} (${lang}): ${text}`);
        assert.doesNotMatch(text, /^[a-z][\w-]*\.[\w.-]+$/, `${e.id} (${lang}): a key without a message`);
      }
    }
    const left = textsOf(e, 'zh-CN').flatMap((text) => englishLeft(text).map((w) => `${w} in “${text.slice(0, 60)}”`));
    assert.deepEqual(left, []);
  });
}
