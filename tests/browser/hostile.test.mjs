// Hostile input in the page and the elements, in real headless Chromium (SECURITY.md, promises 7
// and 8): labels holding HTML and script render as text and run nothing; malformed, oversized and
// prototype-polluting configs give a visible message and a usable default without a console error;
// nothing the user typed is lost when it is refused. (Malformed URL hashes and the non-numeric cell
// edit are in playground.test.mjs, sizes over the limit in controls.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { launch, openPage, siteWithDist } from './chromium.mjs';
import { startServer } from '../../scripts/serve.mjs';

let env, site;
before(async () => {
  env = await launch();
  // pages of our own next to dist/, served with the same strict CSP as the project's pages
  const dir = siteWithDist('attn-hostile-');
  site = { dir, ...(await startServer({ port: 0, dir })) };
});
after(async () => {
  await env?.close();
  await new Promise((r) => (site?.server ? site.server.close(r) : r()));
});

// Payloads that would run script or create elements if any label reached innerHTML.
// No spaces inside one: the playground makes one token per word.
const PAYLOADS = [
  '<img/src=x/onerror=window.__pwned=1>',
  '<script>window.__pwned=2</script>',
  '<b>bold</b>',
  '"><svg/onload=window.__pwned=3>',
];

/** A page of ours (body HTML) next to dist/, loaded, with its problems collected. */
async function ownPage(name, body) {
  writeFileSync(
    path.join(site.dir, name),
    `<!doctype html><meta charset="utf-8"><title>${name}</title>
<script type="module" src="dist/attention-playground.js"></script>
${body}`,
  );
  const { page, problems } = await openPage(env.browser, site.url);
  await page.goto(`${site.url}${name}`);
  return { page, problems };
}

// In the page: whether any payload ran, and any element a payload would have made, in the document
// and every shadow root: one with an event-handler attribute (img onerror, svg onload), a <b>, or a
// script holding a payload that is not a JSON config.
const injected = (page) =>
  page.evaluate(() => {
    const found = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        const handler = [...el.attributes].some((a) => a.name.startsWith('on'));
        const script =
          el.localName === 'script' && el.type !== 'application/json' && el.textContent.includes('__pwned');
        if (handler || script || el.localName === 'b') found.push(el.localName);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return { pwned: window.__pwned ?? null, tags: found };
  });

// The text of the <th> headers of the matrix `name` (columns then rows) in `host`'s shadow root.
const headers = (page, host, name) =>
  page.evaluate(
    async ([host, name]) => {
      const t = document.querySelector(host).shadowRoot.querySelector(`table[data-matrix="${name}"]`);
      t.scrollIntoView({ block: 'center' }); // off-screen figures catch up when they come into view
      for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
      const fresh = document.querySelector(host).shadowRoot.querySelector(`table[data-matrix="${name}"]`);
      return {
        cols: [...fresh.tHead.rows[0].cells].slice(1).map((c) => c.textContent),
        rows: [...fresh.tBodies[0].rows].map((r) => r.cells[0].textContent),
      };
    },
    [host, name],
  );

test('playground labels holding HTML, <script> and <img onerror> render as text and run nothing', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=causal-mask`);
  await page.waitForSelector('body[data-ready]');
  const tokens = page.locator('attention-playground input[data-control="labels-queries"]');
  await tokens.fill(PAYLOADS.join(' '));
  await tokens.press('Enter');
  const labels = (await page.evaluate(() => document.querySelector('attention-playground').state)).labels.queries;
  assert.deepEqual(labels, PAYLOADS);
  const weights = await headers(page, 'attention-playground', 'weights');
  assert.deepEqual(weights, { cols: labels, rows: labels }, 'each label is the text of its header');
  const heatmap = await page.evaluate(async () => {
    const hm = document
      .querySelector('attention-playground')
      .shadowRoot.querySelector('attention-heatmap[data-name="weights"]');
    hm.scrollIntoView({ block: 'center' });
    for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
    return [hm.rows, hm.cols];
  });
  assert.deepEqual(heatmap, [labels, labels]);
  await page.waitForTimeout(100); // the heatmap's screen-reader table is written after the frame
  assert.deepEqual(await injected(page), { pwned: null, tags: [] });
  assert.deepEqual(problems, []);
  await page.close();
});

test('<attention-heatmap rows/cols> and <attention-steps> JSON labels holding HTML render as text', async () => {
  const attr = (s) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  const spec = {
    queries: [
      [1, 0],
      [0, 1],
    ],
    keys: [
      [1, 0],
      [0, 1],
    ],
    values: [[1], [2]],
    labels: { queries: PAYLOADS.slice(0, 2), keys: PAYLOADS.slice(2) },
    title: PAYLOADS[0],
  };
  const { page, problems } = await ownPage(
    'labels.html',
    `
<attention-heatmap id="hm" values="[[0.25, 0.75], [0.5, 0.5]]" rows="${attr(JSON.stringify(PAYLOADS.slice(0, 2)))}" cols="${attr(JSON.stringify(PAYLOADS.slice(2)))}"></attention-heatmap>
<attention-steps id="steps"><script type="application/json">${JSON.stringify(spec).replaceAll('</', '<\\/')}</script></attention-steps>`,
  );
  await page.waitForFunction(() =>
    document.getElementById('steps').shadowRoot?.querySelector('table[data-matrix="weights"]'),
  );
  await page.waitForFunction(() => document.getElementById('hm').shadowRoot.querySelectorAll('table th').length > 0);
  assert.deepEqual(
    await page.evaluate(() => [document.getElementById('hm').rows, document.getElementById('hm').cols]),
    [PAYLOADS.slice(0, 2), PAYLOADS.slice(2)],
  );
  const sr = await page.evaluate(() =>
    [...document.getElementById('hm').shadowRoot.querySelectorAll('table th[scope]')].map((th) => th.textContent),
  );
  assert.deepEqual(
    sr,
    ['summary', ...PAYLOADS.slice(2), ...PAYLOADS.slice(0, 2)],
    'heatmap labels are the text of the screen-reader table headers',
  );
  assert.deepEqual(await headers(page, '#steps', 'weights'), { cols: PAYLOADS.slice(2), rows: PAYLOADS.slice(0, 2) });
  assert.equal(
    await page.evaluate(() => document.getElementById('steps').shadowRoot.querySelector('h2.title').textContent),
    PAYLOADS[0],
  );
  assert.deepEqual(await injected(page), { pwned: null, tags: [] });
  assert.deepEqual(problems, []);
  await page.close();
});

test('malformed, oversized and prototype-polluting <attention-steps> JSON: a visible message and a working default', async () => {
  const configs = {
    malformed: '{ "queries": [[1, 0], [0, 1]], "keys": ',
    oversized: JSON.stringify({ queries: [[1]], keys: [[1]], values: [[1]], title: 'x'.repeat(1_100_000) }),
    proto: '{ "__proto__": { "polluted": true }, "queries": [[1]], "keys": [[1]], "values": [[1]] }',
    constructor: '{ "constructor": { "polluted": true }, "queries": [[1]], "keys": [[1]], "values": [[1]] }',
    refused: '{ "queries": [[1, 0]], "keys": [[1, 0, 0]], "values": [[1]] }',
  };
  const body = Object.entries(configs)
    .map(
      ([id, json]) => `<attention-steps id="${id}"><script type="application/json">${json}</script></attention-steps>`,
    )
    .join('\n');
  const { page, problems } = await ownPage('configs.html', body);
  await page.waitForFunction(
    (ids) => ids.every((id) => document.getElementById(id).shadowRoot?.querySelector('table[data-matrix="weights"]')),
    Object.keys(configs),
  );
  const seen = await page.evaluate(
    (ids) =>
      ids.map((id) => {
        const root = document.getElementById(id).shadowRoot;
        const message = root.querySelector('p.message');
        return {
          id,
          visible: !message.hidden && message.getBoundingClientRect().height > 0,
          message: message.textContent,
          title: root.querySelector('h2.title').textContent,
          firstWeight: root.querySelector('table[data-matrix="weights"] tbody td').textContent,
        };
      }),
    Object.keys(configs),
  );
  const expected = {
    malformed: /not valid JSON|Unexpected|JSON/i,
    oversized: /over 1 MB/,
    proto: /forbidden key “__proto__”/,
    constructor: /forbidden key “constructor”/,
    refused: /keys/,
  };
  for (const s of seen) {
    assert.ok(s.visible, `${s.id}: the message is visible`);
    assert.match(s.message, expected[s.id], s.id);
    assert.match(s.message, /Showing the built-in “Self-attention, step by step” example instead\.$/, s.id);
    // the default: the seed example's first weight, computed by the engine
    assert.equal(s.firstWeight, '0.4011', `${s.id}: the default example renders`);
  }
  assert.equal(
    await page.evaluate(() => ({}).polluted ?? Object.prototype.polluted ?? null),
    null,
    'Object.prototype untouched',
  );
  // an element that showed good steps keeps them when its JSON turns bad, and says so
  await page.evaluate(() => {
    const el = document.createElement('attention-steps');
    el.id = 'live';
    el.innerHTML =
      '<script type="application/json">{ "queries": [[1, 0]], "keys": [[1, 0], [0, 1]], "values": [[1], [2]] }</script>';
    document.body.append(el);
  });
  await page.waitForFunction(() =>
    document.getElementById('live').shadowRoot.querySelector('table[data-matrix="weights"]'),
  );
  const good = await page.evaluate(
    () => document.getElementById('live').shadowRoot.querySelector('table[data-matrix="weights"]').textContent,
  );
  await page.evaluate(() => {
    document.querySelector('#live script').textContent = '{ "queries": oops';
  });
  await page.waitForFunction(() => !document.getElementById('live').shadowRoot.querySelector('p.message').hidden);
  assert.match(
    await page.evaluate(() => document.getElementById('live').shadowRoot.querySelector('p.message').textContent),
    /The steps shown are the last valid ones\.$/,
  );
  assert.equal(
    await page.evaluate(
      () => document.getElementById('live').shadowRoot.querySelector('table[data-matrix="weights"]').textContent,
    ),
    good,
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test('a malformed <attention-heatmap values> gives a visible message, keeps the last valid values, and recovers', async () => {
  const { page, problems } = await ownPage(
    'values.html',
    `
<attention-heatmap id="bad" values="[[0.1, 0.9], [0.5"></attention-heatmap>
<attention-heatmap id="ragged" values="[[0.1, 0.9], [0.5]]"></attention-heatmap>
<attention-heatmap id="words" values='[["a", "b"]]'></attention-heatmap>
<attention-heatmap id="good" values="[[0.1, 0.9], [0.6, 0.4]]" rows="x,y" cols="p,q"></attention-heatmap>`,
  );
  await page.waitForFunction(() => document.getElementById('good').shadowRoot.querySelector('canvas').width > 0);
  const state = (id) =>
    page.evaluate((id) => {
      const root = document.getElementById(id).shadowRoot;
      const m = root.querySelector('p.problem');
      return {
        visible: !m.hidden && m.getBoundingClientRect().height > 0,
        message: m.textContent,
        width: root.querySelector('canvas').width,
      };
    }, id);
  for (const [id, pattern] of [
    ['bad', /^values: not valid JSON/],
    ['ragged', /^values: row 1 has a different length/],
    ['words', /^values: \[0\]\[0\] is not a number/],
  ]) {
    const s = await state(id);
    assert.ok(s.visible, `${id}: visible message`);
    assert.match(s.message, pattern, id);
    assert.match(s.message, /Nothing to draw until they are fixed\.$/, id);
    assert.equal(s.width, 0, `${id}: nothing drawn`);
  }
  // a heatmap that drew keeps drawing its last valid values when the attribute turns malformed
  const before = await state('good');
  assert.equal(before.visible, false);
  await page.evaluate(() => document.getElementById('good').setAttribute('values', '[[0.1, 0.9], oops]'));
  await page.waitForFunction(() => !document.getElementById('good').shadowRoot.querySelector('p.problem').hidden);
  const broken = await state('good');
  assert.match(broken.message, /^values: not valid JSON.*Showing the last valid values\.$/);
  assert.equal(broken.width, before.width, 'still drawn');
  // and fixing the attribute clears the message and draws the new values (the element stays usable)
  await page.evaluate(() => document.getElementById('bad').setAttribute('values', '[[0.2, 0.8], [0.7, 0.3]]'));
  await page.waitForFunction(() => document.getElementById('bad').shadowRoot.querySelector('canvas').width > 0);
  assert.equal((await state('bad')).visible, false);
  assert.deepEqual(
    await page.evaluate(() => Array.from(document.getElementById('bad').values.data)),
    [0.2, 0.8, 0.7, 0.3],
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test('nothing the user typed is lost: refused text stays in its field, and fixing it there applies', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=causal-mask`);
  await page.waitForSelector('body[data-ready]');
  const state = () => page.evaluate(() => document.querySelector('attention-playground').state);
  const message = () => page.locator('attention-playground p.message').textContent();
  const start = await state();

  // a sentence over the token limit: refused, the sentence stays; dropping the last words applies it
  const tokens = page.locator('attention-playground input[data-control="labels-queries"]');
  const sentence = Array.from({ length: 70 }, (_, i) => `word${i}`).join(' ');
  await tokens.fill(sentence);
  await tokens.press('Enter');
  assert.match(await message(), /At most 64 tokens/);
  assert.equal(await tokens.inputValue(), sentence, 'the sentence is still in the field');
  assert.deepEqual((await state()).labels, start.labels, 'the last good state stays');
  const fixed = sentence.split(' ').slice(0, 6).join(' ');
  await tokens.fill(fixed);
  await tokens.press('Enter');
  assert.deepEqual((await state()).labels.queries, fixed.split(' '));

  // a size over the limit: refused, the typed number stays; a valid one applies
  const dk = page.locator('attention-playground input[data-control="dk"]');
  await dk.fill('999');
  await dk.press('Tab');
  assert.match(await message(), /at most 64/);
  assert.equal(await dk.inputValue(), '999');
  assert.equal(await dk.getAttribute('aria-invalid'), 'true');
  await dk.fill('6');
  await dk.press('Tab');
  assert.equal((await state()).inputs.wq[0].length, 6);
  assert.equal(await dk.getAttribute('aria-invalid'), null);

  // a cell that is not a number: inline error, the text stays, the steps keep the last valid input
  const cell = page.locator('attention-playground section[data-step="inputs"] table.editable input').first();
  const output = await page.locator('attention-playground table[data-matrix="output"]').textContent();
  await cell.fill('1,5e');
  assert.equal(await cell.getAttribute('aria-invalid'), 'true');
  assert.match(await message(), /“1,5e” is not a number/);
  assert.equal(await cell.inputValue(), '1,5e');
  assert.equal(await page.locator('attention-playground table[data-matrix="output"]').textContent(), output);
  await cell.fill('1.5');
  assert.equal(await cell.getAttribute('aria-invalid'), null);
  assert.equal((await state()).inputs.x[0][0], 1.5);
  assert.deepEqual(problems, []);
  await page.close();
});
