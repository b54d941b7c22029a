// The checker page (#example=check) and <attention-check>, in real headless Chromium: the source
// article's example on opening, marks and the right values beside them, pasting another example,
// unreadable text, the permalink round trip, the Markdown export of the corrected example, the
// size limit of a link, the example list, and the element in a page of its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fullScreenshot, launch, openPage, screenshotPath, siteWithDist } from './chromium.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { MAX_TEXT } from '../../web/components/examples/model.js';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

const GOOD = [
  'X = [[1, 0], [0, 1]]',
  'W_Q = W_K = W_V = [[1, 0], [0, 1]]',
  'QK^T = [[1, 0], [0, 1]]',
  'weights = [[0.6698, 0.3302], [0.3302, 0.6698]]',
  'output = [[0.6698, 0.3302], [0.3302, 0.6698]]',
].join('\n');

async function ready(page) {
  await page.waitForSelector('body[data-ready]');
  await page.waitForFunction(() =>
    document.querySelector('attention-playground').shadowRoot.querySelector('.step[data-status]'),
  );
}

/** Each checked step as shown: [id, status, first, badge text]. */
const stepsShown = (page, root = 'document.querySelector("attention-playground").shadowRoot') =>
  page.evaluate(`[...${root}.querySelectorAll('section.step')]
  .map((s) => [s.dataset.step, s.dataset.status ?? null, s.classList.contains('first-wrong'), s.querySelector('.status')?.textContent ?? null])`);

/** The wrong cells of a table as shown: [row, col, claimed, right]. */
const marks = (page, name, root = 'document.querySelector("attention-playground").shadowRoot') =>
  page.evaluate(`(() => {
  const table = ${root}.querySelector('table[data-matrix="${name}"]');
  return [...table.querySelectorAll('td.wrong')].map((td) => [Number(td.dataset.row), Number(td.dataset.col), td.querySelector('s')?.textContent ?? td.textContent, td.querySelector('.expected')?.textContent ?? null]);
})()`);

const note = (page, step) =>
  page.evaluate(
    (step) =>
      document.querySelector('attention-playground').shadowRoot.querySelector(`section[data-step="${step}"] .note`)
        .textContent,
    step,
  );

test("the deep link opens on the article's published example: the first wrong step, the marks, the right values", async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=check`);
  await ready(page);
  const text = await page.locator('attention-playground textarea[data-control="paste"]').inputValue();
  assert.match(text, /W\^Q = W\^K = W\^V = \\begin\{bmatrix\} 1 & 0 \\\\ 0 & 1 \\\\ 1 & 1 \\end\{bmatrix\}/);
  assert.deepEqual(await stepsShown(page), [
    ['inputs', null, false, null],
    ['q', 'wrong', true, '✗ wrong · the first wrong step'],
    ['k', 'wrong', false, '✗ wrong'],
    ['v', 'wrong', false, '✗ wrong'],
    ['qk', 'not-given', false, 'not given'],
    ['scores', 'wrong', false, '✗ wrong'],
    ['weights', 'wrong', false, '✗ wrong'],
    ['output', 'wrong', false, '✗ wrong'],
  ]);
  assert.match(
    await note(page, 'inputs'),
    /^Verdict: wrong from Q \(step 2\)\. X is the identity, so X·W_Q is W_Q itself/,
  );
  assert.deepEqual(await marks(page, 'q'), [
    [2, 0, '0.0000', '1.0000'],
    [2, 1, '0.0000', '1.0000'],
  ]);
  assert.equal(await note(page, 'scores'), '2 × 3: one query row is missing — 3 queries against 3 keys give 3 × 3.');
  // the pasted 2 × 3 scores, every cell marked, beside the engine's 3 × 3 scores
  assert.equal((await marks(page, 'scores-claimed')).length, 6);
  const shown = await page.evaluate(async () => {
    const { init } = await import('/dist/attention-playground.js');
    const attn = await init();
    const table = document
      .querySelector('attention-playground')
      .shadowRoot.querySelector('table[data-matrix="scores"]');
    const W = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    return {
      shown: [...table.tBodies[0].rows].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)),
      engine: attn
        .selfAttention(
          [
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
          { wq: W, wk: W, wv: W },
        )
        .scores.toArray()
        .map((r) => r.map((x) => x.toFixed(4))),
    };
  });
  assert.deepEqual(shown.shown, shown.engine);
  assert.deepEqual(shown.shown, [
    ['0.7071', '0.0000', '0.7071'],
    ['0.0000', '0.7071', '0.7071'],
    ['0.7071', '0.7071', '1.4142'],
  ]);
  await fullScreenshot(page, 'check-article');
  await page
    .locator('attention-playground section[data-step="q"]')
    .screenshot({ path: screenshotPath('check-first-wrong') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('paste another example, unreadable text, the permalink round trip, the corrected Markdown', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=check`);
  await ready(page);
  const paste = page.locator('attention-playground textarea[data-control="paste"]');
  await paste.fill(GOOD);
  await page.waitForFunction(
    () =>
      document.querySelector('attention-playground').shadowRoot.querySelector('section[data-step="weights"]')?.dataset
        .status === 'correct',
  );
  assert.deepEqual(
    (await stepsShown(page)).map(([id, status]) => [id, status]),
    [
      ['inputs', null],
      ['q', 'not-given'],
      ['k', 'not-given'],
      ['v', 'not-given'],
      ['qk', 'correct'],
      ['scores', 'not-given'],
      ['weights', 'correct'],
      ['output', 'correct'],
    ],
  );
  assert.match(await note(page, 'inputs'), /^Verdict: every claimed number is right/);

  // one weight a unit off in its last decimal: that cell, with the right value beside it
  await paste.fill(
    GOOD.replace('weights = [[0.6698, 0.3302], [0.3302, 0.6698]]', 'weights = [[0.6698, 0.3302], [0.3312, 0.6698]]'),
  );
  await page.waitForFunction(
    () =>
      document.querySelector('attention-playground').shadowRoot.querySelector('section[data-step="weights"]')?.dataset
        .status === 'wrong',
  );
  assert.deepEqual(await marks(page, 'weights'), [[1, 0, '0.3312', '0.3302']]);
  // V = I: the claimed output is the right weights, so it is right although the weights are not
  assert.deepEqual(
    (await stepsShown(page)).find(([id]) => id === 'output'),
    ['output', 'correct', false, '✓ correct'],
  );

  // unreadable text: the message says where; the text stays in the field; the last check stays shown
  const broken = `${GOOD}\nV = [[1, 0], [0, 1`;
  await paste.fill(broken);
  const message = page.locator('attention-playground p.message');
  await message.waitFor({ state: 'visible' });
  assert.match(await message.textContent(), /^line 6, column 14: this “\[” is never closed/);
  assert.equal(await paste.inputValue(), broken);
  assert.equal(await paste.getAttribute('aria-invalid'), 'true');
  assert.equal((await marks(page, 'weights')).length, 1);
  await paste.fill(GOOD.replace('0.3302], [0.3302', '0.3302], [0.3312'));
  await message.waitFor({ state: 'hidden' });

  // the permalink: a fresh page shows the same text and the same marks
  await page.waitForFunction(() => location.hash.includes('&state='));
  await page.waitForTimeout(300);
  const link = page.url();
  const fresh = await openPage(env.browser, env.url);
  await fresh.page.goto(link);
  await ready(fresh.page);
  assert.equal(
    await fresh.page.locator('attention-playground textarea[data-control="paste"]').inputValue(),
    GOOD.replace('0.3302], [0.3302', '0.3302], [0.3312'),
  );
  assert.deepEqual(await marks(fresh.page, 'weights'), [[1, 0, '0.3312', '0.3302']]);
  assert.deepEqual(fresh.problems, []);
  await fresh.page.close();

  // the export: the corrected example, the engine's values, with the diagnosis as the step's note
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('attention-playground button[data-action="markdown"]').click(),
  ]);
  const md = readFileSync(await download.path(), 'utf8');
  assert.equal(download.suggestedFilename(), 'check.md');
  assert.match(md, /## Attention weights\n\n\$\$\nA = /);
  assert.match(md, /A = \\begin\{bmatrix\} 0\.6698 & 0\.3302 \\\\ 0\.3302 & 0\.6698 \\end\{bmatrix\}/);
  assert.ok(
    !md.split('\n').some((line) => line.includes('bmatrix') && line.includes('0.3312')),
    'the wrong weight is not in any matrix',
  );
  assert.match(md, /One cell is wrong: \(2, 1\) is 0\.3312, not 0\.3302\./);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the example list reaches the checker; a paste over the link limit gets a clear message', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(env.url);
  await page.waitForSelector('body[data-ready]');
  await page.locator('nav ol#examples a[href="#example=check"]').click();
  await ready(page);
  assert.equal(await page.locator('attention-playground h2.title').textContent(), 'Check a worked example');
  assert.equal(await page.title(), 'Check a worked example · attention-playground');
  const paste = page.locator('attention-playground textarea[data-control="paste"]');
  await paste.fill(`${GOOD}\n${'%'.repeat(MAX_TEXT)}`);
  const message = page.locator('attention-playground p.message');
  await message.waitFor({ state: 'visible' });
  assert.match(
    await message.textContent(),
    new RegExp(`at most ${MAX_TEXT} characters \\(what a link can hold\\); this is ${GOOD.length + 1 + MAX_TEXT}\\.`),
  );
  // within the characters but not the link (3 bytes a character in UTF-8): checked, and the page says the link is behind
  const before = page.url();
  await paste.fill(`${GOOD}\n${'注'.repeat(MAX_TEXT - GOOD.length - 1)}`);
  await message.waitFor({ state: 'hidden' });
  const notice = page.locator('#notice');
  await notice.waitFor({ state: 'visible' });
  assert.match(
    await notice.textContent(),
    /^This state is too large for a link \(\d+ characters; at most 200000\): the address bar keeps the last state that fitted\.$/,
  );
  assert.equal(page.url(), before);
  assert.deepEqual(problems, []);
  await page.close();
});

test('<attention-check> in a page of its own: the text between its tags, the marks, the result, readonly', async () => {
  const dir = siteWithDist('attn-check-');
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>draft</title>
<script type="module" src="dist/attention-playground.js"></script>
<p>My draft's numbers:</p>
<attention-check id="draft">
  X = [[1, 0], [0, 1]]
  W_Q = W_K = W_V = [[1, 0], [0, 1]]
  scores = [[1, 0], [0, 1]]
  weights = [[0.7311, 0.2689], [0.2689, 0.7311]]
</attention-check>
<attention-check id="figure" readonly><script type="text/plain">
  X = [[1, 0], [0, 1]]
  W_Q = W_K = W_V = [[1, 0], [0, 1]]
  weights = tensor([[0.5, 0.5], [0.5, 0.5]], grad_fn=<SoftmaxBackward0>)
</script></attention-check>`,
  );
  const { server, url } = await startServer({ port: 0, dir });
  try {
    const { page, problems } = await openPage(env.browser, url);
    // listening before the elements load: they may check before any later script runs
    await page.addInitScript(() => {
      window.checks = {};
      document.addEventListener('attention-check', (e) => {
        window.checks[e.target.id] = e.detail;
      });
    });
    await page.goto(url);
    const root = (id) => `document.getElementById("${id}").shadowRoot.querySelector("attention-playground").shadowRoot`;
    await page.waitForFunction(() =>
      ['draft', 'figure'].every((id) =>
        document
          .getElementById(id)
          .shadowRoot?.querySelector('attention-playground')
          ?.shadowRoot.querySelector('.step[data-status]'),
      ),
    );
    // scores of 1 and 0: QKᵀ itself, not divided by √2
    const draft = await stepsShown(page, root('draft'));
    assert.deepEqual(
      draft.find(([id]) => id === 'scores'),
      ['scores', 'wrong', true, '✗ wrong · the first wrong step'],
    );
    assert.deepEqual(
      draft.find(([id]) => id === 'weights'),
      ['weights', 'carried', false, '↳ follows from a wrong step'],
    );
    assert.deepEqual(await marks(page, 'scores', root('draft')), [
      [0, 0, '1.0000', '0.7071'],
      [1, 1, '1.0000', '0.7071'],
    ]);
    await page.waitForFunction(() => Object.keys(window.checks).length === 2);
    assert.deepEqual(await page.evaluate(() => window.checks), {
      draft: { verdict: 'wrong', firstWrong: 'scores' },
      figure: { verdict: 'wrong', firstWrong: 'weights' },
    });
    assert.deepEqual(await page.evaluate(() => document.getElementById('figure').result), {
      verdict: 'wrong',
      firstWrong: 'weights',
    });
    // readonly: the checked steps only, no paste field
    assert.equal(await page.evaluate(`${root('figure')}.querySelector('textarea')`), null);
    assert.equal(await page.evaluate(`${root('draft')}.querySelectorAll('textarea').length`), 1);
    // the text property replaces the paste
    await page.evaluate(() => {
      document.getElementById('figure').text =
        'X = [[1, 0], [0, 1]]\nW_Q = W_K = W_V = [[1, 0], [0, 1]]\nweights = [[0.6698, 0.3302], [0.3302, 0.6698]]';
    });
    await page.waitForFunction(() => document.getElementById('figure').result?.verdict === 'correct');
    await fullScreenshot(page, 'check-element');
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    server.close();
  }
});
