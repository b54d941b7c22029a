// The two interface languages in Chromium: the page follows the browser's language, the switch
// and the permalink's lang=; an element speaks its own lang attribute's language or its closest
// ancestor's and follows a change of either; the Markdown export is translated with the same
// numbers; and every example shown in Chinese leaves no English word in any text node, tooltip or
// accessible name (tests/support/english.mjs says which Latin words a Chinese text keeps).
// Screenshots of both languages go to test-output/i18n-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fullScreenshot, launch, openPage, settled } from './chromium.mjs';
import { EXAMPLES } from '../../web/components/examples/index.js';
import { encodeState } from '../../web/components/state.js';
import { loadLang, translator } from '../../web/i18n/index.js';
import pageEn from '../../web/i18n/en.page.js';
import pageZh from '../../web/i18n/zh-CN.page.js';
import { englishLeft } from '../support/english.mjs';
import { I2 } from '../support/matrices.mjs';

// the playground page's own texts (web/app.js merges them the same way)
const PAGE = { en: pageEn, 'zh-CN': pageZh };

let env, en, zh;
before(async () => {
  env = await launch();
  await loadLang('zh-CN');
  en = translator('en').with(PAGE);
  zh = translator('zh-CN').with(PAGE);
});
after(async () => {
  await env?.close();
});

const title = (page) =>
  page.evaluate(() => document.querySelector('attention-playground').shadowRoot.querySelector('h2.title')?.textContent);

async function ready(page) {
  await page.waitForSelector('body[data-ready]');
  await page.waitForFunction(() => document.querySelector('attention-playground').shadowRoot.querySelector('.step'));
}

/** Scrolls through the page so that every step draws (content-visibility: auto), then waits for all. */
async function drawAll(page) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += 600) {
      scrollTo(0, y);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    }
    scrollTo(0, 0);
  });
  await settled(page);
}

/**
 * Every text a reader meets, in any shadow root, with the language it is in (its closest lang,
 * across shadow roots): text nodes, and the tooltips and accessible names (title, aria-label,
 * aria-description, placeholder). Formulas (KaTeX) and the contents of scripts and styles are not
 * interface text.
 */
function texts(page) {
  return page.evaluate(() => {
    const out = [];
    const langOf = (n) => {
      for (; n; n = n.parentNode ?? n.host)
        if (n.nodeType === 1 && n.hasAttribute('lang')) return n.getAttribute('lang');
      return '';
    };
    const walk = (root) => {
      for (const n of root.childNodes) {
        if (n.nodeType === 3) {
          if (n.data.trim()) out.push([langOf(n.parentNode), n.data.trim()]);
          continue;
        }
        if (n.nodeType !== 1 || ['SCRIPT', 'STYLE', 'TEMPLATE'].includes(n.nodeName)) continue;
        if (n.classList.contains('katex') || n.classList.contains('tex')) continue;
        for (const a of ['title', 'aria-label', 'aria-description', 'placeholder'])
          if (n.getAttribute(a)) out.push([langOf(n), n.getAttribute(a)]);
        walk(n);
        if (n.shadowRoot) walk(n.shadowRoot);
      }
    };
    walk(document);
    out.push([document.documentElement.lang, document.title]);
    return out;
  });
}

for (const e of EXAMPLES) {
  test(`${e.id} in Chinese (&lang=zh-CN): no English left in the page`, async () => {
    const { page, problems } = await openPage(env.browser, env.url);
    await page.goto(`${env.url}#example=${e.id}&lang=zh-CN`);
    await ready(page);
    await drawAll(page);
    assert.equal(await title(page), zh(e.title));
    assert.deepEqual(await englishOn(page), []);
    const all = await texts(page);
    // what is not in Chinese is marked as another language (the switch's “English”), nothing else
    assert.deepEqual(
      all.filter(([lang]) => lang !== 'zh-CN').map(([lang, text]) => [lang, text]),
      [['en', 'English']],
    );
    assert.deepEqual(problems, []);
    await page.close();
  });
}

/**
 * The words of the Chinese texts on the page that are English (tests/support/english.mjs), and
 * any text that is a message key (a key missing from the catalogue shows as itself).
 */
async function englishOn(page) {
  const all = await texts(page);
  const keys = all.filter(([, text]) => /^[a-z][\w-]*\.[\w.-]*[a-z]$/.test(text)).map(([, text]) => `key ${text}`);
  const english = all
    .filter(([lang]) => lang === 'zh-CN')
    .flatMap(([, text]) => englishLeft(text).map((w) => `${w} in “${text.slice(0, 80)}”`));
  return [...new Set([...keys, ...english])];
}

test('in Chinese, the states a reader reaches by the controls, the arithmetic panel and the messages', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=self-attention&lang=zh-CN`);
  await ready(page);
  const pg = page.locator('attention-playground');
  const seen = {};
  // the mask's lengths and cells, a hard mode, a weight's arithmetic
  for (const [control, value] of [
    ['mask', 'valid'],
    ['mask', 'cells'],
    ['mode', 'sample'],
    ['mode', 'argmax'],
  ]) {
    await pg.locator(`select[data-control="${control}"]`).selectOption(value);
    await drawAll(page);
    seen[`${control}=${value}`] = await englishOn(page);
  }
  await pg.locator('select[data-control="mode"]').selectOption('soft');
  await pg.locator('table[data-matrix="weights"] td.num').nth(1).click();
  await pg.locator('aside.explain table[data-explain]').waitFor();
  assert.match(await pg.locator('aside.explain p.note').textContent(), /^行最大值 m = /);
  seen.arithmetic = await englishOn(page);
  // messages: no word typed, a number out of range
  await pg.locator('input[data-control="labels-queries"]').fill('');
  await pg.locator('input[data-control="labels-queries"]').dispatchEvent('change');
  assert.equal(await pg.locator('p.message').textContent(), zh('pg.typeAWord'));
  await pg.locator('input[data-control="tokens"]').fill('99');
  await pg.locator('input[data-control="tokens"]').dispatchEvent('change');
  assert.equal(
    await pg.locator('p.message').textContent(),
    zh('pg.sizeLimit', { label: zh('pg.tokenCount'), max: 64, value: '99' }),
  );
  seen.messages = await englishOn(page);
  assert.deepEqual(seen, {
    'mask=valid': [],
    'mask=cells': [],
    'mode=sample': [],
    'mode=argmax': [],
    arithmetic: [],
    messages: [],
  });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the switch changes the page, the elements and the permalink; the permalink opens in its language', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=causal-mask`);
  await ready(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await title(page), en('causal-mask.title'));
  await page.selectOption('#lang', 'zh-CN');
  await page.waitForFunction((t) => {
    const h = document.querySelector('attention-playground').shadowRoot.querySelector('h2.title');
    return h?.textContent === t;
  }, zh('causal-mask.title'));
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal(await page.title(), `${zh('causal-mask.title')} · attention-playground`);
  assert.equal(await page.locator('nav ol#examples a').first().textContent(), zh('self-attention.title'));
  assert.equal(await page.locator('[data-i18n="page.lede"]').textContent(), zh('page.lede'));
  assert.equal(await page.locator('a[data-localized]').first().getAttribute('href'), 'docs/embedding.zh-CN.html');
  // the steps and the controls follow
  const labels = await page.evaluate(() =>
    [...document.querySelector('attention-playground').shadowRoot.querySelectorAll('.controls label')].map(
      (l) => l.firstChild.textContent,
    ),
  );
  assert.ok(labels.includes(zh('pg.temperature')) && labels.includes(zh('pg.mask')), labels.join(' | '));
  await page.waitForFunction(() => location.hash.endsWith('&lang=zh-CN') && location.hash.includes('&state='));
  const link = await page.evaluate(() => location.href);
  // another example from the list (its link has no lang=): still Chinese, and the address says so
  await page.locator('nav ol#examples a[href="#example=why-scale"]').click();
  await page.waitForFunction(
    (t) => document.querySelector('attention-playground').shadowRoot.querySelector('h2.title')?.textContent === t,
    zh('why-scale.title'),
  );
  await page.waitForFunction(() => location.hash === '#example=why-scale&lang=zh-CN');
  await page.close();

  // the permalink, opened in an English browser, is in Chinese, with the same state
  const second = await openPage(env.browser, env.url);
  await second.page.goto(link);
  await ready(second.page);
  assert.equal(await title(second.page), zh('causal-mask.title'));
  assert.equal(await second.page.locator('#lang').inputValue(), 'zh-CN');
  // and back to English by the switch
  await second.page.selectOption('#lang', 'en');
  await second.page.waitForFunction(
    (t) => document.querySelector('attention-playground').shadowRoot.querySelector('h2.title')?.textContent === t,
    en('causal-mask.title'),
  );
  await second.page.waitForFunction(() => location.hash.endsWith('&lang=en'));
  assert.deepEqual([...problems, ...second.problems], []);
  await second.page.close();
});

test("the page follows the browser's language; a link's lang= wins; links without one keep working", async () => {
  const zhBrowser = await openPage(env.browser, env.url, { locale: 'zh-CN' });
  await zhBrowser.page.goto(env.url);
  await ready(zhBrowser.page);
  assert.equal(await zhBrowser.page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal(await title(zhBrowser.page), zh('self-attention.title'));
  await zhBrowser.page.goto(`${env.url}#example=why-scale&lang=en`);
  await zhBrowser.page.waitForFunction(
    (t) => document.querySelector('attention-playground').shadowRoot.querySelector('h2.title')?.textContent === t,
    en('why-scale.title'),
  );
  assert.equal(await zhBrowser.page.evaluate(() => document.documentElement.lang), 'en');
  // a notice, too, is in the page's language
  await zhBrowser.page.goto(`${env.url}#example=nope&lang=zh-CN`);
  await zhBrowser.page.waitForFunction(() => !document.getElementById('notice').hidden);
  assert.equal(await zhBrowser.page.locator('#notice').textContent(), zh('link.unknownExample', { id: 'nope' }));
  await zhBrowser.page.close();

  // a permalink from before the languages (no lang=): its state, in the browser's language
  const state = {
    labels: { queries: ['one', 'two', 'three'] },
    inputs: {
      x: [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      wq: I2,
      wk: I2,
      wv: I2,
    },
    options: { scoring: 'dot', mask: 'causal', temperature: 1, mode: 'soft', seed: 0, fill: -1e6 },
  };
  const old = encodeState('causal-mask', state);
  assert.doesNotMatch(old, /lang=/);
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}${old}`);
  await ready(page);
  assert.equal(await title(page), en('causal-mask.title'));
  assert.deepEqual(await page.evaluate(() => document.querySelector('attention-playground').state.labels.queries), [
    'one',
    'two',
    'three',
  ]);
  assert.equal(await page.locator('#notice').isHidden(), true);
  assert.deepEqual([...problems, ...zhBrowser.problems], []);
  await page.close();
});

test('an element speaks its own lang, or its closest ancestor’s, and follows when either changes', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}docs/embedding.html`); // an English page
  await page.evaluate(() => {
    document.querySelector('main').insertAdjacentHTML(
      'afterbegin',
      `<div id="zh" lang="zh-CN"><section><attention-steps id="inherits" example="self-attention"></attention-steps></section></div>
       <attention-steps id="own" lang="zh-CN" example="causal-mask"></attention-steps>
       <attention-steps id="plain" example="causal-mask"></attention-steps>`,
    );
  });
  const shown = (id) =>
    page.evaluate((id) => document.getElementById(id).shadowRoot.querySelector('h2.title')?.textContent, id);
  const until = (id, text) =>
    page.waitForFunction(
      ([id, text]) => document.getElementById(id).shadowRoot.querySelector('h2.title')?.textContent === text,
      [id, text],
    );
  await until('inherits', zh('self-attention.title'));
  await until('own', zh('causal-mask.title'));
  await until('plain', en('causal-mask.title'));
  // the steps inside are Chinese too: the first step's title
  assert.equal(
    await page.evaluate(() => document.getElementById('own').shadowRoot.querySelector('.step h3').textContent),
    `1 · ${zh('causal-mask.inputs')}`,
  );
  // the ancestor changes language: the element inherits it
  await page.evaluate(() => document.getElementById('zh').setAttribute('lang', 'en'));
  await until('inherits', en('self-attention.title'));
  // the element's own attribute goes: it inherits the page's English; the page turns Chinese: it follows
  await page.evaluate(() => document.getElementById('own').removeAttribute('lang'));
  await until('own', en('causal-mask.title'));
  await page.evaluate(() => document.documentElement.setAttribute('lang', 'zh-CN'));
  await until('own', zh('causal-mask.title'));
  await until('plain', zh('causal-mask.title'));
  assert.equal(await shown('inherits'), en('self-attention.title')); // its div still says en
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Markdown export is in the page’s language, with the same matrices', async () => {
  const exported = async (lang) => {
    const { page, problems } = await openPage(env.browser, env.url);
    await page.goto(`${env.url}#example=self-attention&lang=${lang}`);
    await ready(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('attention-playground button[data-action="markdown"]').click(),
    ]);
    const md = readFileSync(await download.path(), 'utf8');
    assert.deepEqual(problems, []);
    await page.close();
    return md;
  };
  const [mdEn, mdZh] = [await exported('en'), await exported('zh-CN')];
  const t = { en, 'zh-CN': zh };
  for (const [lang, md] of [
    ['en', mdEn],
    ['zh-CN', mdZh],
  ]) {
    assert.ok(md.startsWith(`# ${t[lang]('self-attention.title')}\n`), md.slice(0, 80));
    assert.ok(md.includes(`\n## ${t[lang]('self-attention.inputs')}\n`));
    assert.ok(md.includes(`\n${t[lang]('att.rowsSumTo1')}\n`));
  }
  const matrices = (md) => md.split('\n').filter((l) => l.startsWith('$$') && l.length > 2);
  assert.ok(matrices(mdEn).length >= 8);
  assert.deepEqual(matrices(mdZh), matrices(mdEn));
});

test('screenshots of the page, the docs and the tutorial in both languages', async () => {
  const shots = [
    ['self-attention', '#example=self-attention'],
    ['multi-head', '#example=multi-head'],
    ['check', '#example=check'],
    ['why-scale', '#example=why-scale'],
  ];
  for (const lang of ['en', 'zh-CN']) {
    for (const [name, hash] of shots) {
      const { page, problems } = await openPage(env.browser, env.url);
      await page.goto(`${env.url}${hash}&lang=${lang}`);
      await ready(page);
      await drawAll(page);
      await fullScreenshot(page, `i18n-${name}-${lang}`);
      assert.deepEqual(problems, []);
      await page.close();
    }
    for (const doc of ['docs/embedding', 'examples/tutorial']) {
      const { page, problems } = await openPage(env.browser, env.url);
      await page.goto(`${env.url}${doc}${lang === 'en' ? '' : `.${lang}`}.html`);
      await drawAll(page);
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
      // the tutorial is written from one template in both languages (scripts/pages.mjs): in Chinese,
      // neither its texts nor its figures' leave an English word
      if (doc === 'examples/tutorial' && lang === 'zh-CN') assert.deepEqual(await englishOn(page), []);
      await fullScreenshot(page, `i18n-${doc.replace('/', '-')}-${lang}`);
      assert.deepEqual(problems, []);
      await page.close();
    }
  }
});
