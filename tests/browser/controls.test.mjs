// The playground's controls, keyboard use and text exports, in real headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, openPage } from './chromium.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

async function open(hash) {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}${hash}`);
  await page.waitForSelector('body[data-ready]');
  return { page, problems };
}

const state = (page) => page.evaluate(() => document.querySelector('attention-playground').state);
const numbers = (page, name) =>
  page.evaluate(async (name) => {
    const t = document.querySelector('attention-playground').shadowRoot.querySelector(`table[data-matrix="${name}"]`);
    t.scrollIntoView({ block: 'center' });
    for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
    return [...t.tBodies[0].rows].map((r) =>
      [...r.querySelectorAll('td')].map((td) => Number(td.textContent.replace('−', '-'))),
    );
  }, name);

async function download(page, figure, kind) {
  const fig = page.locator(`attention-playground figure[data-figure="${figure}"]`);
  await fig.locator('details.export summary').click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    fig.locator(`button[data-export="${kind}"]`).click(),
  ]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

test('typing a sentence gives one token per word, on both axes of every heatmap (CJK too)', async () => {
  const { page, problems } = await open('#example=causal-mask');
  const tokens = page.locator('attention-playground input[data-control="labels-queries"]');
  await tokens.fill('我 爱 注意力 机制 too');
  await tokens.press('Enter');
  const s = await state(page);
  assert.deepEqual(s.labels.queries, ['我', '爱', '注意力', '机制', 'too']);
  assert.equal(s.inputs.x.length, 5);
  const labels = await page.evaluate(async () => {
    const hm = document
      .querySelector('attention-playground')
      .shadowRoot.querySelector('attention-heatmap[data-name="weights"]');
    hm.scrollIntoView({ block: 'center' }); // off-screen figures catch up when they come into view
    for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
    return [hm.rows, hm.cols];
  });
  assert.deepEqual(labels, [s.labels.queries, s.labels.queries]);
  // over the frame budget: refused with a message, nothing lost
  await tokens.fill(Array.from({ length: 70 }, (_, i) => `w${i}`).join(' '));
  await tokens.press('Enter');
  assert.match(await page.locator('attention-playground p.message').textContent(), /At most 64 tokens/);
  assert.equal((await state(page)).labels.queries.length, 5);
  assert.deepEqual(problems, []);
  await page.close();
});

test('mask controls: valid lengths, single cells and causal change the weights as the engine says', async () => {
  const { page, problems } = await open('#example=self-attention');
  // with no mask there is nothing to fill: no Fill control until a mask is chosen
  assert.equal(await page.locator('attention-playground select[data-control="fill"]').count(), 0);
  await page.locator('attention-playground select[data-control="mask"]').selectOption('valid');
  await page.locator('attention-playground select[data-control="fill"]').selectOption('-Infinity');
  await page.locator('attention-playground input[data-control="len-0"]').fill('1');
  await page.locator('attention-playground input[data-control="len-0"]').press('Tab');
  assert.deepEqual((await numbers(page, 'weights'))[0], [1, 0, 0]);
  await page.locator('attention-playground select[data-control="mask"]').selectOption('cells');
  await page.locator('attention-playground .cells button[data-cell="2,2"]').click();
  assert.equal(
    await page.locator('attention-playground .cells button[data-cell="2,2"]').getAttribute('aria-pressed'),
    'false',
  );
  assert.equal((await numbers(page, 'weights'))[2][2], 0);
  await page.locator('attention-playground select[data-control="mask"]').selectOption('causal');
  const w = await numbers(page, 'weights');
  assert.deepEqual([w[0][1], w[0][2], w[1][2]], [0, 0, 0]);
  // temperature: logits = scores / T, so T → large flattens the weights toward uniform
  const slider = page.locator('attention-playground input[data-control="temperature"]');
  await slider.fill('5');
  const flat = await numbers(page, 'weights');
  assert.ok(Math.abs(flat[2][0] - flat[2][2]) < Math.abs(w[2][0] - w[2][2]));
  assert.deepEqual(problems, []);
  await page.close();
});

test('heads, sizes and randomise recompute; a size over the limit is refused with a message', async () => {
  const { page, problems } = await open('#example=multi-head');
  await page.locator('attention-playground select[data-control="heads"]').selectOption('4');
  assert.equal(await page.locator('attention-playground attention-heatmap[data-name^="head"]').count(), 4);
  const dk = page.locator('attention-playground input[data-control="dk"]');
  await dk.fill('12');
  await dk.press('Tab');
  assert.equal((await state(page)).inputs.wq[0].length, 12);
  assert.equal((await state(page)).options.heads, 4, '4 still divides 12');
  const before = (await state(page)).inputs.x;
  await page.locator('attention-playground button[data-control="randomise"]').click();
  assert.notDeepEqual((await state(page)).inputs.x, before);
  await dk.fill('500');
  await dk.press('Tab');
  assert.match(await page.locator('attention-playground p.message').textContent(), /at most 64/);
  assert.equal(await dk.getAttribute('aria-invalid'), 'true');
  assert.equal((await state(page)).inputs.wq[0].length, 12, 'the last good state stays');
  assert.deepEqual(problems, []);
  await page.close();
});

test('keyboard: arrow keys move across heatmap cells and each shows its arithmetic', async () => {
  const { page, problems } = await open('#example=translation-alignment');
  const canvas = page.locator('attention-playground attention-heatmap[data-name="weights"] canvas');
  await canvas.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const panel = page.locator('attention-playground aside.explain');
  assert.equal(await panel.locator('h3').textContent(), '杰瑞 → Jerry');
  const live = await page.evaluate(
    () =>
      document
        .querySelector('attention-playground')
        .shadowRoot.querySelector('attention-heatmap[data-name="weights"]')
        .shadowRoot.querySelector('[aria-live]').textContent,
  );
  assert.match(live, /^杰瑞, Jerry: 0\.\d{4}$/);
  const weights = await numbers(page, 'weights');
  assert.match(await panel.textContent(), new RegExp(weights[2][2].toFixed(4)));
  // the screen-reader table mirrors every number (written once the values have been still a
  // moment, when the page is idle)
  const srNumbers = () =>
    page.waitForFunction(
      (want) => {
        const tds = document
          .querySelector('attention-playground')
          .shadowRoot.querySelector('attention-heatmap[data-name="weights"]')
          .shadowRoot.querySelectorAll('table tbody td:not(.summary)');
        return [...tds].map((td) => td.textContent).join(' ') === want;
      },
      weights
        .flat()
        .map((x) => x.toFixed(4))
        .join(' '),
      { timeout: 5000 },
    );
  await srNumbers();
  const sr = await page.evaluate(
    () =>
      document
        .querySelector('attention-playground')
        .shadowRoot.querySelector('attention-heatmap[data-name="weights"]')
        .shadowRoot.querySelectorAll('table tbody td:not(.summary)').length,
  );
  assert.equal(sr, 9);
  // and follows an edit: at T = 2 the steps gain a "÷ T" step (a new figure); from 2 to 3 the same
  // heatmap's table is rewritten in place when the page is idle
  const temperature = page.locator('attention-playground input[data-control="temperature"]');
  const heatmapMark = (mark) =>
    page.evaluate((mark) => {
      const hm = document
        .querySelector('attention-playground')
        .shadowRoot.querySelector('attention-heatmap[data-name="weights"]');
      if (mark) hm.dataset.mark = mark;
      return hm.dataset.mark;
    }, mark);
  await temperature.fill('2');
  await heatmapMark('before');
  await temperature.fill('3');
  const hotter = await numbers(page, 'weights');
  assert.notDeepEqual(hotter, weights);
  assert.equal(await heatmapMark(), 'before', 'the same heatmap, updated');
  weights.splice(0, weights.length, ...hotter);
  await srNumbers();
  assert.deepEqual(problems, []);
  await page.close();
});

test('exports: CSV, JSON, NumPy and PyTorch rebuild the matrix; Markdown carries every step in LaTeX', async () => {
  const { page, problems } = await open('#example=self-attention');
  const shown = await numbers(page, 'weights');
  const exact = await page
    .evaluate(
      () =>
        document
          .querySelector('attention-playground')
          .shadowRoot.querySelector('attention-heatmap[data-name="weights"]').values.data,
    )
    .then((d) => Object.values(d));
  const csv = await download(page, 'weights', 'CSV');
  assert.equal(csv.name, 'weights.csv');
  const rows = csv.text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').slice(1).map(Number));
  assert.deepEqual(
    rows.flat().map((x) => Math.fround(x)),
    exact.map((x) => Math.fround(x)),
  );
  const json = JSON.parse((await download(page, 'weights', 'JSON')).text);
  assert.deepEqual(json.rows, ['x₁', 'x₂', 'x₃']);
  assert.deepEqual(
    json.values.flat().map((x) => Math.fround(x)),
    exact.map((x) => Math.fround(x)),
  );
  const numpy = (await download(page, 'weights', 'NumPy')).text;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'attn-export-'));
  writeFileSync(
    path.join(dir, 'weights.py'),
    `${numpy}\nprint(repr(weights.dtype), weights.shape, weights.tolist())\n`,
  );
  const out = execFileSync('/usr/bin/python3', [path.join(dir, 'weights.py')], { encoding: 'utf8' });
  assert.match(out, /^dtype\('float32'\) \(3, 3\) /);
  const values = JSON.parse(out.slice(out.indexOf('[[')));
  assert.deepEqual(
    values.flat(),
    exact.map((x) => Math.fround(x)),
  );
  const torch = (await download(page, 'weights', 'PyTorch')).text;
  assert.match(torch, /^import torch\n\nweights = torch\.tensor\(\[\[/);
  assert.equal(
    torch.slice(torch.indexOf('[[')),
    numpy.slice(numpy.indexOf('[[')).replace('dtype=np.float32', 'dtype=torch.float32'),
  );
  const [md] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('attention-playground button[data-action="markdown"]').click(),
  ]);
  const text = readFileSync(await md.path(), 'utf8');
  assert.match(text, /^# Self-attention, step by step/);
  for (const heading of ['## Inputs', '## Projections', '## Scores', '## Attention weights', '## Output'])
    assert.ok(text.includes(heading), heading);
  assert.ok(text.includes(`A = \\begin{bmatrix} ${shown[0].map((x) => x.toFixed(4)).join(' & ')}`));
  assert.deepEqual(problems, []);
  await page.close();
});
