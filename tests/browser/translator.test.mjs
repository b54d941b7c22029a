// The trained translator (#example=trained-translator) and <attention-model> in headless Chromium:
// a typed sentence and its translation against the engine's greedy decoding (called directly, not
// through the page), the model view's heatmaps (layers × heads × 3 kinds) against the engine's
// attention, an opened head's numbers against the forward pass's trace, an unknown word (marked, the
// nearest words offered, the text kept), a malformed model file (an error, the last good model
// kept), the head view from the keyboard, the permalink, and the element under the strict CSP with
// the shipped model from dist/, offline. Screenshots go to test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { editToPaint, fullScreenshot, launch, openPage, screenshotPath, siteWithDist } from './chromium.mjs';
import { startServer } from '../../scripts/serve.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

const PG = 'attention-playground';

// twelve words of the vocabulary (the grammar's sentences have at most eight), one word changed per edit
const TWELVE = ['saw', 'liked', 'helped'].flatMap((verb) =>
  ['bird', 'book', 'apple', 'cat', 'dog', 'mouse', 'teacher'].map(
    (noun) => `Tom's big cat chased the small dog yesterday Mary ${verb} a ${noun}`,
  ),
); // 21 sentences, each computed once: no edit meets a result the page has seen

async function open(hash = '#example=trained-translator') {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}${hash}`);
  await page.waitForSelector('body[data-ready]');
  await page.waitForFunction(
    (sel) => document.querySelector(sel).shadowRoot.querySelector('section[data-step="translation"]'),
    PG,
  );
  return { page, problems };
}

// In the page: the engine's own answer for the state shown (the shipped model, loaded directly).
const ENGINE = `
  const { init } = await import('/dist/attention-playground.js');
  const attn = await init();
  const bytes = new Uint8Array(await (await fetch('/dist/models/translator.safetensors')).arrayBuffer());
  const model = await attn.loadModel(bytes);
  const pg = document.querySelector('${PG}');
  const s = pg.state;
  const words = s.texts.sentence.trim().split(/\\s+/);
  const src = model.encode(words);
  const out = model.greedy(src, { maxLength: 64 });
  const cfg = model.config;
  const ids = out.ids.filter((id) => id !== cfg.bos);
`;

const shownTranslation = (page) =>
  page.evaluate((sel) => {
    const view = document.querySelector(sel).shadowRoot.querySelector('attention-decoding');
    return view.shadowRoot.querySelector('[data-output]').textContent;
  }, PG);

async function typeSentence(page, text) {
  const input = page.locator(`${PG} input[data-control="sentence"]`);
  await input.fill(text);
  await page.waitForTimeout(50);
}

test('a typed sentence is translated by the engine; the model view has layers × heads × 3 heatmaps of its attention', async () => {
  const { page, problems } = await open();
  assert.equal(await page.locator(`${PG} input[data-control="sentence"]`).inputValue(), 'Tom chase Jerry');
  const first = await page.evaluate(`(async () => { ${ENGINE}
    return { translation: model.decode(ids.filter((i) => i !== cfg.eos && i !== cfg.pad)).join(' '), cfg: { L: cfg.num_encoder_layers, Ld: cfg.num_decoder_layers, H: cfg.nhead } }; })()`);
  assert.equal(await shownTranslation(page), first.translation);
  assert.equal(first.translation, '汤姆 追逐 杰瑞', 'the shipped model translates the article’s sentence');

  await typeSentence(page, 'Jerry chase Tom');
  const second = await page.evaluate(`(async () => { ${ENGINE}
    return model.decode(ids.filter((i) => i !== cfg.eos && i !== cfg.pad)).join(' '); })()`);
  assert.equal(await shownTranslation(page), second);
  assert.notEqual(second, first.translation);

  // the model view: every layer × head of the three kinds, each with the engine's weights
  const { L, Ld, H } = first.cfg;
  const count = await page.locator(`${PG} section[data-step^="grid-"] attention-heatmap`).count();
  assert.equal(count, (L + Ld + Ld) * H);
  const compared = await page.evaluate(`(async () => { ${ENGINE}
    const n = ids.length, step = Math.min(Math.max(1, s.options.step || n), n);
    const f = model.forward(src, [cfg.bos, ...ids.slice(0, step - 1)]);
    const list = [];
    for (const kind of ['encoder', 'decoder', 'cross']) {
      // off-screen steps catch up when they scroll into view: look at them as a reader would
      pg.shadowRoot.querySelector('section[data-step="grid-' + kind + '"]').scrollIntoView();
      for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
      f.attention[kind].forEach((t, l) => {
        const w = t.toArray();
        w.forEach((head, h) => {
          const hm = pg.shadowRoot.querySelector('attention-heatmap[data-name="' + kind + '-' + (l + 1) + '-' + (h + 1) + '"]');
          list.push([kind, l, h, Array.from(hm.values.data), head.flat(), [...hm.rows], [...hm.cols]]);
        });
      });
    }
    return list; })()`);
  assert.equal(compared.length, count);
  for (const [kind, l, h, shown, engine, rows, cols] of compared) {
    // the labels follow the sentence too (written in place when only words change)
    if (kind !== 'decoder')
      assert.deepEqual(kind === 'cross' ? cols : rows, ['Jerry', 'chase', 'Tom'], `${kind} labels`);
    assert.equal(shown.length, engine.length, `${kind} ${l} ${h}`);
    shown.forEach((x, i) =>
      assert.ok(Math.abs(x - engine[i]) < 1e-6, `${kind} L${l} H${h}[${i}]: ${x} vs ${engine[i]}`),
    );
  }
  await fullScreenshot(page, 'trained-translator-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(50);
  await fullScreenshot(page, 'trained-translator-dark');
  assert.deepEqual(problems, []);
  await page.close();
});

// The article's (0.3, 0.2, 0.5) is an illustration, not a wrong claim: it stands once, in a neutral
// colour, beside each cross-attention head's learned weights (it was red, and repeated per head).
test("the article's illustration stands once beside every head's learned weights, not marked wrong", async () => {
  const { page, problems } = await open();
  await page.evaluate(
    (sel) => document.querySelector(sel).shadowRoot.querySelector('section[data-step="claim"]').scrollIntoView(),
    PG,
  );
  const table = await page.waitForFunction((sel) => {
    const t = document.querySelector(sel).shadowRoot.querySelector('section[data-step="claim"] table.compare');
    return t?.querySelector('tbody tr') && t;
  }, PG);
  const shown = await table.evaluate((t) => ({
    heads: [...t.querySelectorAll(':scope > thead > tr > th')].map((th) => th.textContent),
    rows: t.querySelectorAll(':scope > tbody > tr').length,
    given: [...t.querySelectorAll(':scope > tbody > tr > td.given')].map((td) => [
      td.rowSpan,
      td.textContent.replace(/\s+/g, ''),
    ]),
    wrong: t.querySelectorAll(':scope > tbody > tr > td.wrong').length,
    engine: t.querySelectorAll(':scope > tbody > tr > td.right table').length,
  }));
  assert.deepEqual(shown.heads, ['cross-attention', 'illustrative (article)', 'trained model (engine)']);
  assert.ok(shown.rows >= 2, `${shown.rows} heads`);
  assert.equal(shown.given.length, 1, 'the illustration once');
  assert.equal(shown.given[0][0], shown.rows, 'beside every head');
  assert.match(shown.given[0][1], /0\.3.*0\.2.*0\.5/);
  assert.equal(shown.wrong, 0, 'nothing marked wrong');
  assert.equal(shown.engine, shown.rows, "each head's weights from the engine");
  assert.deepEqual(problems, []);
  await page.close();
});

test('the decoding steps walk greedy decoding token by token; the top 5 next tokens are the engine’s', async () => {
  const { page, problems } = await open();
  const decoding = page.locator(`${PG} attention-decoding`);
  const tokens = await decoding.locator('[data-step-token]').allTextContents();
  assert.ok(tokens.length >= 3);
  await decoding.locator('[data-step-token="2"]').click();
  await page.waitForTimeout(50);
  assert.equal(await decoding.locator('[aria-current="step"]').getAttribute('data-step-token'), '2');
  const r = await page.evaluate(`(async () => { ${ENGINE}
    const f = model.forward(src, [cfg.bos, ids[0]]);
    const logits = f.logits.toArray();
    const p = attn.softmax([logits[logits.length - 1]]).toArray()[0];
    const best = p.indexOf(Math.max(...p));
    const table = pg.shadowRoot.querySelector('table[data-matrix="next-probabilities"]');
    const shown = [...table.querySelectorAll('tbody td')].map((td) => Number(td.textContent));
    const cols = [...table.querySelectorAll('thead th')].map((th) => th.textContent).filter(Boolean);
    return { best: model.decode([best])[0], top: p[best], second: model.decode([ids[1]])[0], shown, cols, step: s.options.step }; })()`);
  assert.equal(r.step, 2);
  assert.equal(r.cols[0], r.best, 'the most probable next token comes first');
  assert.equal(r.best, r.second, 'greedy decoding writes the most probable token');
  assert.ok(Math.abs(r.shown[0] - r.top) <= 0.5e-4);
  assert.equal(r.shown.length, 5);
  await decoding.locator('[data-decode="next"]').click();
  await page.waitForTimeout(50);
  assert.equal(await decoding.locator('[aria-current="step"]').getAttribute('data-step-token'), '3');
  assert.deepEqual(problems, []);
  await page.close();
});

async function exportFile(page, figure, kind) {
  const fig = page.locator(`${PG} figure[${figure}]`).first();
  await fig.scrollIntoViewIfNeeded();
  await fig.locator('details.export summary').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    fig.locator(`button[data-export="${kind}"]`).click(),
  ]);
  return readFileSync(await download.path());
}

test('exports: a head of the model view as PNG and SVG, a matrix of an opened head as CSV', async () => {
  const { page, problems } = await open();
  const png = await exportFile(page, 'data-heatmap="cross-1-1"', 'PNG');
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  const svg = (await exportFile(page, 'data-heatmap="cross-1-1"', 'SVG')).toString('utf8');
  assert.match(svg, /^<svg[\s\S]*<\/svg>\s*$/);
  assert.match(svg, /Jerry/);
  await page.locator(`${PG} button[data-action="cross-1-1"]`).click();
  await page.waitForFunction(
    (sel) => document.querySelector(sel).shadowRoot.querySelector('table[data-matrix="head-q"]'),
    PG,
  );
  const csv = (await exportFile(page, 'data-figure="head-q"', 'CSV')).toString('utf8').trim().split('\n');
  const q = await page.evaluate(
    (sel) => document.querySelector(sel).shadowRoot.querySelector('table[data-matrix="head-q"]').tBodies[0].rows.length,
    PG,
  );
  assert.equal(csv.length, q + 1, 'a header and one line per token');
  assert.deepEqual(problems, []);
  await page.close();
});

test('opening a head shows its Q, K, V, scores, weights and output: the numbers of the forward pass’s trace', async () => {
  const { page, problems } = await open();
  await page.locator(`${PG} button[data-action="cross-1-2"]`).click();
  await page.waitForFunction(
    (sel) => document.querySelector(sel).shadowRoot.querySelector('table[data-matrix="head-q"]'),
    PG,
  );
  const r = await page.evaluate(`(async () => { ${ENGINE}
    const n = ids.length, step = Math.min(Math.max(1, s.options.step || n), n);
    const f = model.forward(src, [cfg.bos, ...ids.slice(0, step - 1)], { trace: true });
    const read = (name) => {
      const t = pg.shadowRoot.querySelector('table[data-matrix="' + name + '"]');
      t.scrollIntoView();
      return [...t.tBodies[0].rows].map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent.replace('\\u2212', '-'))));
    };
    const HEAD = 1, LAYER = 0;
    const tr = f.trace.decoder[LAYER].crossAttention;
    return {
      head: s.options.head,
      q: read('head-q'), k: read('head-k'), v: read('head-v'), weights: read('head-weights'), output: read('head-output'),
      tq: tr.q.toArray()[HEAD], tk: tr.k.toArray()[HEAD], tv: tr.v.toArray()[HEAD], tw: f.attention.cross[LAYER].toArray()[HEAD],
      to: tr.heads.toArray().map((row) => row.slice(HEAD * tr.q.shape[2], (HEAD + 1) * tr.q.shape[2])),
      precision: s.precision ?? 4,
    }; })()`);
  assert.equal(r.head, 'cross.0.1');
  const tol = 0.5 * 10 ** -r.precision + 1e-6;
  for (const [shown, trace, name] of [
    [r.q, r.tq, 'Q'],
    [r.k, r.tk, 'K'],
    [r.v, r.tv, 'V'],
    [r.weights, r.tw, 'weights'],
    [r.output, r.to, 'output'],
  ]) {
    assert.deepEqual([shown.length, shown[0].length], [trace.length, trace[0].length], `${name} shape`);
    shown
      .flat()
      .forEach((x, i) => assert.ok(Math.abs(x - trace.flat()[i]) <= tol, `${name}[${i}]: ${x} vs ${trace.flat()[i]}`));
  }
  // a weight's arithmetic, as in the other examples
  await page.locator(`${PG} table[data-matrix="head-weights"] td.num`).first().click();
  await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelector('table[data-explain]'), PG);
  // the permalink holds the open head
  await page.waitForTimeout(300);
  const link = page.url();
  const second = await open(new URL(link).hash);
  assert.equal(await second.page.evaluate((sel) => document.querySelector(sel).state.options.head, PG), 'cross.0.1');
  assert.ok(await second.page.locator(`${PG} table[data-matrix="head-q"]`).count());
  await second.page.close();
  await fullScreenshot(page, 'trained-translator-head');
  assert.deepEqual(problems, []);
  await page.close();
});

test('an unknown word is marked with the nearest known words; the typed text stays; a suggestion fixes it', async () => {
  const { page, problems } = await open();
  const before = await shownTranslation(page);
  await typeSentence(page, 'Tom chsae Jerry');
  const input = page.locator(`${PG} input[data-control="sentence"]`);
  assert.equal(await input.inputValue(), 'Tom chsae Jerry', 'nothing typed is lost');
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator(`${PG} mark[data-unknown]`).textContent(), 'chsae');
  const near = await page.locator(`${PG} button[data-near]`).allTextContents();
  assert.ok(near.includes('chase'), `nearest: ${near}`);
  assert.match(await page.locator(`${PG} p.message`).textContent(), /chsae/);
  assert.equal(await shownTranslation(page), before, 'the last good translation stays');
  // the datalist offers the vocabulary
  const options = await page.locator(`${PG} datalist option`).evaluateAll((os) => os.map((o) => o.value));
  assert.ok(options.includes('Tom') && options.includes('chase'));
  await page.screenshot({ path: screenshotPath('trained-translator-unknown') });
  await page.locator(`${PG} button[data-near="chase"]`).click();
  assert.equal(await input.inputValue(), 'Tom chase Jerry');
  assert.equal(await input.getAttribute('aria-invalid'), null);
  assert.equal(await page.locator(`${PG} mark[data-unknown]`).count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a malformed model file shows an error and the last good model stays; a good one is used', async () => {
  const { page, problems } = await open();
  const before = await shownTranslation(page);
  const picker = page.locator(`${PG} input[data-control="model"]`);
  await picker.setInputFiles({
    name: 'broken.safetensors',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from([1, 2, 3]),
  });
  await page.waitForFunction((sel) => !document.querySelector(sel).shadowRoot.querySelector('p.message').hidden, PG);
  assert.match(await page.locator(`${PG} p.message`).textContent(), /broken\.safetensors/);
  assert.equal(await shownTranslation(page), before);
  assert.equal(await page.evaluate((sel) => document.querySelector(sel).state.options.model, PG), 'shipped');
  // the shipped file chosen as one's own: it runs from the page's memory
  const bytes = await page.evaluate(async () =>
    Array.from(new Uint8Array(await (await fetch('/dist/models/translator.safetensors')).arrayBuffer())),
  );
  await picker.setInputFiles({
    name: 'mine.safetensors',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(bytes),
  });
  await page.waitForFunction((sel) => document.querySelector(sel).state.options.model.startsWith('file:'), PG);
  assert.equal(await shownTranslation(page), before);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the head view: every head of a layer in its own colour, toggled; focusing a token isolates its lines, from the keyboard', async () => {
  const { page, problems } = await open();
  const view = page.locator(`${PG} attention-head-view`);
  await view.scrollIntoViewIfNeeded();
  const state = () =>
    page.evaluate((sel) => {
      const hv = document.querySelector(sel).shadowRoot.querySelector('attention-head-view');
      const lines = [...hv.shadowRoot.querySelectorAll('line[data-line]')];
      const v = hv.data.views[0];
      return {
        heads: v.heads,
        cols: v.cols.length,
        rows: v.rows.length,
        colours: hv.data.colours,
        lines: lines.map((l) => ({
          key: l.dataset.line,
          stroke: l.getAttribute('stroke'),
          opacity: Number(l.getAttribute('stroke-opacity')),
          visible: l.getAttribute('visibility') === 'visible',
        })),
        toggles: [...hv.shadowRoot.querySelectorAll('[data-head-toggle]')].map((b) => [
          b.checked,
          b.closest('label').textContent.trim(),
        ]),
        readout: hv.shadowRoot.querySelector('.readout').textContent,
      };
    }, PG);
  let r = await state();
  const H = r.heads.length;
  assert.ok(H >= 2, 'the shipped model has several heads');
  // all heads on by default, each named, one colour each, from the colour library's categorical scheme
  assert.deepEqual(
    r.toggles,
    r.heads.map((_, h) => [true, `head ${h + 1}`]),
  );
  assert.equal(new Set(r.colours.slice(0, H)).size, H, 'a colour per head');
  assert.equal(r.lines.length, H * r.rows * r.cols, 'a line per head, query and key');
  for (const l of r.lines) {
    const [h, i, j] = l.key.split('-').map(Number);
    assert.equal(l.stroke, r.colours[h], `line ${l.key}: its head's colour`);
    assert.ok(Math.abs(l.opacity - r.heads[h][i][j]) < 1e-6, `line ${l.key}: strength = the engine's weight`);
  }
  // the lines run from the queries' right edges to the keys' left edges (a weight's room before
  // each key once left a 50-pixel gap)
  const ends = await page.evaluate((sel) => {
    const root = document.querySelector(sel).shadowRoot.querySelector('attention-head-view').shadowRoot;
    const edge = (q, side) => root.querySelector(q).getBoundingClientRect()[side];
    return {
      svg: [edge('.board svg', 'left'), edge('.board svg', 'right')],
      query: edge('[data-token="left-0"]', 'right'),
      key: edge('[data-token="right-0"]', 'left'),
    };
  }, PG);
  assert.ok(Math.abs(ends.svg[0] - ends.query) <= 2 && Math.abs(ends.svg[1] - ends.key) <= 2, JSON.stringify(ends));
  // a head switched off takes its lines away; on again, they come back
  await view.locator('[data-head-toggle="1"]').uncheck();
  r = await state();
  assert.equal(r.lines.length, (H - 1) * r.rows * r.cols);
  assert.ok(r.lines.every((l) => !l.key.startsWith('1-')));
  // focusing a token keeps only its lines, in every head shown, and reads its weights out per head
  const left = view.locator('[data-token="left-0"]');
  await left.focus();
  r = await state();
  const shown = r.lines.filter((l) => l.visible).map((l) => l.key);
  assert.deepEqual(
    shown,
    r.heads.flatMap((_, h) => (h === 1 ? [] : Array.from({ length: r.cols }, (_, j) => `${h}-0-${j}`))),
  );
  assert.match(r.readout, /attends to: head 1: .*; head 3: /);
  assert.doesNotMatch(r.readout, /head 2:/);
  await view.locator('[data-head-toggle="1"]').check();
  assert.equal((await state()).lines.length, H * r.rows * r.cols);
  await left.focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await view.locator('[data-token="left-1"]').evaluate((b) => b.matches(':focus')), true);
  await page.keyboard.press('Enter'); // a button: nothing breaks
  // the toggles and the open buttons have accessible names
  assert.equal(await view.getByRole('checkbox', { name: 'head 3' }).count(), 1);
  await view.getByRole('button', { name: 'Open head 3 step by step' }).click();
  await page.waitForFunction((sel) => document.querySelector(sel).state.options.head === 'cross.0.2', PG);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the blocks of any encoder and decoder layer, every number from the trace; the permalink holds the layers', async () => {
  const { page, problems } = await open();
  const pick = async (kind, layer) => {
    const select = page.locator(`${PG} attention-layer-picker select[data-layer-picker="${kind}"]`);
    await select.scrollIntoViewIfNeeded();
    await select.selectOption({ value: String(layer) }); // the values are 0-based, the labels 1-based
    await page.waitForFunction(
      ([sel, key, l]) => document.querySelector(sel).state.options[key] === l,
      [PG, `${kind}Layer`, layer],
    );
  };
  await pick('encoder', 1);
  await pick('decoder', 1);
  const r = await page.evaluate(`(async () => { ${ENGINE}
    const n = ids.length, step = Math.min(Math.max(1, s.options.step || n), n);
    const f = model.forward(src, [cfg.bos, ...ids.slice(0, step - 1)], { trace: true });
    const read = (name) => {
      const t = pg.shadowRoot.querySelector('table[data-matrix="' + name + '"]');
      if (!t) return null;
      t.scrollIntoView();
      return [...t.tBodies[0].rows].map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent.replace('\\u2212', '-'))));
    };
    const E = f.trace.encoder[1], D = f.trace.decoder[1];
    const pairs = {
      'encoder-input': E.input, 'encoder-mha': E.selfAttention.output, 'encoder-residual1': E.residual1,
      'encoder-norm1': E.norm1, 'encoder-hidden': E.hidden, 'encoder-feed-forward': E.feedForward,
      'encoder-residual2': E.residual2, 'encoder-norm2': E.norm2,
      'target-input': f.trace.target.input, 'target-embedding': f.trace.target.embedding,
      'decoder-input': D.input, 'decoder-mha': D.selfAttention.output, 'decoder-residual1': D.residual1,
      'decoder-norm1': D.norm1, 'decoder-cross': D.crossAttention.output, 'decoder-residual2': D.residual2,
      'decoder-norm2': D.norm2, 'decoder-hidden': D.hidden, 'decoder-feed-forward': D.feedForward,
      'decoder-residual3': D.residual3, 'decoder-norm3': D.norm3,
    };
    const titles = [...pg.shadowRoot.querySelectorAll('section[data-step^="encoder-"] h3, section[data-step^="decoder-"] h3')].map((h) => h.textContent);
    return {
      layers: [cfg.num_encoder_layers, cfg.num_decoder_layers], titles,
      list: Object.entries(pairs).map(([name, t]) => [name, read(name), t.toArray()]),
      // layer 2 reads layer 1's output: the page shows the layer asked for, not the first
      chained: f.trace.decoder[1].input.toArray().flat().every((x, i) => x === f.trace.decoder[0].output.toArray().flat()[i]),
      precision: s.precision ?? 4,
    }; })()`);
  assert.ok(r.layers[0] >= 2 && r.layers[1] >= 2, 'the shipped model has two layers each side');
  assert.ok(r.chained);
  assert.equal(r.titles.filter((t) => / layer 2: /.test(t)).length, 5, r.titles.join(' | '));
  const tol = 0.5 * 10 ** -r.precision + 1e-6;
  for (const [name, shown, trace] of r.list) {
    assert.ok(shown, `${name} is shown`);
    assert.deepEqual([shown.length, shown[0].length], [trace.length, trace[0].length], `${name} shape`);
    shown
      .flat()
      .forEach((x, i) => assert.ok(Math.abs(x - trace.flat()[i]) <= tol, `${name}[${i}]: ${x} vs ${trace.flat()[i]}`));
  }
  // the permalink holds the chosen layers
  await page.waitForTimeout(300);
  const second = await open(new URL(page.url()).hash);
  assert.deepEqual(
    await second.page.evaluate((sel) => {
      const o = document.querySelector(sel).state.options;
      return [o.encoderLayer, o.decoderLayer];
    }, PG),
    [1, 1],
  );
  assert.equal(
    await second.page.locator(`${PG} attention-layer-picker select[data-layer-picker="decoder"]`).inputValue(),
    '1',
  );
  await second.page.close();
  assert.deepEqual(problems, []);
  await page.close();
});

// Every token labelled on both axes of every model-view heatmap: the labels drawn are the display
// list's, which the SVG export writes out as <text> elements.
for (const [lang, width] of [
  ['en', 1200],
  ['zh-CN', 1200],
  ['en', 390],
  ['zh-CN', 390],
]) {
  test(`the model view labels every token of a 12-word sentence (${lang}, ${width} px wide)`, async () => {
    const { page, problems } = await openPage(env.browser, env.url, { viewport: { width, height: 900 } });
    await page.goto(`${env.url}#example=trained-translator${lang === 'en' ? '' : `&lang=${lang}`}`);
    await page.waitForSelector('body[data-ready]');
    await page.waitForFunction(
      (sel) => document.querySelector(sel).shadowRoot.querySelector('section[data-step="translation"]'),
      PG,
    );
    await typeSentence(page, TWELVE[0]);
    const missing = await page.evaluate(async (sel) => {
      const pg = document.querySelector(sel);
      const out = [];
      for (const kind of ['encoder', 'decoder', 'cross']) {
        pg.shadowRoot.querySelector(`section[data-step="grid-${kind}"]`).scrollIntoView();
        for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
        for (const hm of pg.shadowRoot.querySelectorAll(`section[data-step="grid-${kind}"] attention-heatmap`)) {
          const doc = new DOMParser().parseFromString(hm.toSVG(), 'image/svg+xml');
          const texts = [...doc.querySelectorAll('svg > g > text')].map((t) => t.textContent);
          const want = [...hm.rows, ...hm.cols];
          const left = [...texts];
          for (const w of want) {
            const at = left.indexOf(w);
            if (at < 0) out.push(`${hm.dataset.name}: ${w}`);
            else left.splice(at, 1);
          }
          if (hm.cols.length !== 12 && kind !== 'decoder') out.push(`${hm.dataset.name}: ${hm.cols.length} columns`);
        }
      }
      return out;
    }, PG);
    assert.deepEqual(missing, []);
    await fullScreenshot(page, `trained-translator-model-view-${lang}-${width}`);
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('edit-to-paint of a 12-word sentence (reported, not asserted); a new length updates the figures in place', async () => {
  const { page, problems } = await open();
  await typeSentence(page, "Tom's big cat chased the small dog yesterday Mary ate a book");
  assert.equal(await page.locator(`${PG} mark[data-unknown]`).count(), 0);
  // every other sentence with Jerry's instead of the: a translation two tokens longer (杰瑞 的), and
  // the article's claim step then has rows; none of them met before (another owner than TWELVE's)
  const LENGTHS = TWELVE.map((s) => s.replace("Tom's", "Bob's")).map((s, i) =>
    i % 2 ? s.replace('chased the', "chased Jerry's") : s,
  );
  const lengths = await page.evaluate(`(async () => { ${ENGINE}
    return ${JSON.stringify(LENGTHS)}.map((t) => model.greedy(model.encode(t.split(' ')), { maxLength: 64 }).ids.length); })()`);
  lengths.slice(1).forEach((n, i) => assert.notEqual(n, lengths[i], 'each edit changes the translation’s length'));
  const input = await page.evaluateHandle(() => {
    const pg = document.querySelector('attention-playground');
    const input = pg.shadowRoot.querySelector('attention-sentence').shadowRoot.querySelector('input');
    input.scrollIntoView({ block: 'center' });
    return input;
  });
  const measure = async (values) => ({
    ...(await page.evaluate(editToPaint, [input, values, 'input'])),
    compute: await page.evaluate(() => document.querySelector('attention-playground').lastComputeMs),
  });
  // the figures of the first sentence, to see that a new length keeps them (rewritten in place)
  await page.evaluate(() => {
    const root = document.querySelector('attention-playground').shadowRoot;
    window.__kept = [
      'section[data-step="grid-decoder"]',
      'attention-heatmap[data-name="decoder-1-1"]',
      'attention-head-view',
    ].map((sel) => root.querySelector(sel));
  });
  const same = await measure(TWELVE);
  const changing = await measure(LENGTHS);
  const words = TWELVE[0].split(' ').length;
  process.stdout.write(
    `# trained translator, edit-to-paint in Chromium (${words} words): ${same.median.toFixed(1)} ms / ${same.p90.toFixed(1)} ms (median / p90 of 21; engine + DOM ${same.compute.toFixed(1)} ms); edits that change the translation's length: ${changing.median.toFixed(1)} / ${changing.p90.toFixed(1)} ms (engine + DOM ${changing.compute.toFixed(1)} ms)\n`,
  );
  assert.ok(same.median > 0 && changing.median > 0);
  const after = await page.evaluate(async () => {
    const root = document.querySelector('attention-playground').shadowRoot;
    const hm = root.querySelector('attention-heatmap[data-name="decoder-1-1"]');
    hm.scrollIntoView(); // off-screen figures catch up when they come into view
    for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
    return {
      kept: window.__kept.map((el) => el.isConnected),
      shape: [hm.values.rows, hm.values.cols],
      tokens: root.querySelector('attention-decoding').data.tokens.length,
    };
  });
  assert.deepEqual(after.kept, [true, true, true], 'the figures were updated, not rebuilt');
  // the last edit's decoder input: bos and the tokens before the last (the default step is the last)
  assert.deepEqual(after.shape, [after.tokens, after.tokens]);
  assert.equal(after.tokens, lengths.at(-1) - 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('<attention-model> under the strict CSP, offline, finds the shipped model in dist/ and a src model', async () => {
  const dir = siteWithDist('attention-model-');
  const html = (body) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>model</title><script type="module" src="dist/attention-playground.js"></script></head><body>${body}</body></html>`;
  writeFileSync(path.join(dir, 'index.html'), html('<attention-model readonly></attention-model>'));
  writeFileSync(
    path.join(dir, 'src.html'),
    html(
      '<attention-model src="dist/models/translator.safetensors" sentence="Jerry chase Tom"></attention-model><attention-model id="bad" src="missing.safetensors"></attention-model>',
    ),
  );
  const { server, url } = await startServer({ port: 0, dir });
  try {
    const { page, problems } = await openPage(env.browser, url);
    const shown = (selector) =>
      page.evaluate(
        (selector) =>
          document
            .querySelector(selector)
            ?.shadowRoot?.querySelector('attention-decoding')
            ?.shadowRoot?.querySelector('[data-output]')?.textContent,
        selector,
      );
    await page.goto(new URL('index.html', url).href);
    await page.waitForFunction(() => customElements.get('attention-model'));
    await page.waitForFunction(
      () =>
        document
          .querySelector('attention-model')
          ?.shadowRoot?.querySelector('attention-decoding')
          ?.shadowRoot?.querySelector('[data-output]')?.textContent,
    );
    assert.equal(await shown('attention-model'), '汤姆 追逐 杰瑞');
    assert.equal(await page.locator('attention-model [data-control]').count(), 0, 'readonly: no controls');

    await page.goto(new URL('src.html', url).href);
    await page.waitForFunction(
      () =>
        document
          .querySelector('attention-model')
          ?.shadowRoot?.querySelector('attention-decoding')
          ?.shadowRoot?.querySelector('[data-output]')?.textContent,
    );
    const first = await page.evaluate(() => {
      const el = document.querySelector('attention-model');
      return {
        model: el.state.options.model,
        sentence: el.state.texts.sentence,
      };
    });
    assert.match(first.model, /^src:/);
    assert.equal(first.sentence, 'Jerry chase Tom');
    assert.equal(await shown('attention-model'), '杰瑞 追逐 汤姆');
    await page.waitForFunction(() => !document.querySelector('#bad')?.shadowRoot?.querySelector('p.message')?.hidden);
    assert.match(
      await page.evaluate(() => document.querySelector('#bad').shadowRoot.querySelector('p.message').textContent),
      /missing\.safetensors: 404/,
    );
    assert.equal(await shown('#bad'), '汤姆 追逐 杰瑞', 'a src that fails leaves the shipped model');
    await page.screenshot({ path: screenshotPath('attention-model-element') });
    // the one console error is the missing file's 404, asked for on purpose; nothing left the origin
    assert.deepEqual(
      problems.filter((p) => !/status of 404/.test(p)),
      [],
    );
    await page.close();
  } finally {
    await new Promise((r) => server.close(r));
  }
});
