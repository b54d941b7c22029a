// The playground in real headless Chromium, example by example: the deep link loads without a
// console error, the numbers shown equal the engine's (called directly, not through the page), an
// edit updates the dependent steps and the heatmap, the permalink round-trips, PNG/SVG exports are
// valid files, and no request leaves 127.0.0.1. Screenshots in light and dark go to test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { editToPaint, fullScreenshot, launch, openPage, screenshotPath } from './chromium.mjs';
import { EXAMPLES } from '../../web/components/examples/index.js';
import { translator } from '../../web/i18n/index.js';

const en = translator('en');

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

// For each example: the matrix to check, and how to get it from the engine given the page's state.
// These run in the page with `attn` (the engine) and `s` (the playground's state).
const CHECKS = {
  'self-attention': [
    'weights',
    `attn.selfAttention(s.inputs.x, { wq: s.inputs.wq, wk: s.inputs.wk, wv: s.inputs.wv }).weights`,
  ],
  'translation-alignment': [
    'weights',
    `attn.attention(s.inputs.q, s.inputs.k, s.inputs.k, { scoring: 'dot' }).weights`,
  ],
  'masked-softmax': [
    'weights-inf-1',
    `attn.maskedSoftmax(s.inputs.x, s.inputs.lens, { fill: -Infinity }).toArray()[0]`,
  ],
  'scoring-functions': [
    'weights-additive',
    `attn.attention(s.inputs.q, s.inputs.k, s.inputs.k, { scoring: 'additive', wq: s.inputs.wq, wk: s.inputs.wk, v: s.inputs.va[0] }).weights`,
  ],
  'causal-mask': [
    'weights',
    `attn.selfAttention(s.inputs.x, { wq: s.inputs.wq, wk: s.inputs.wk, wv: s.inputs.wv, causal: true, fill: -Infinity }).weights`,
  ],
  'hard-vs-soft': ['soft-out', `attn.attention(s.inputs.q, s.inputs.k, s.inputs.v, { scoring: 'dot' }).output`],
  'multi-head': [
    'output',
    `attn.multiHeadAttention(s.inputs.x, s.inputs.x, s.inputs.x, { numHeads: s.options.heads, wq: s.inputs.wq, wk: s.inputs.wk, wv: s.inputs.wv, wo: s.inputs.wo }).output`,
  ],
  // the swapped sentence with positions: the words swapped first, then the encoding added
  'positional-encoding': [
    'positional-swapped',
    `(() => { const x = s.inputs.x.slice(), i = s.options.swapA, j = s.options.swapB; [x[i], x[j]] = [x[j], x[i]]; return attn.selfAttention(attn.add(x, attn.positionalEncoding(x.length, x[0].length)), { wq: s.inputs.wq, wk: s.inputs.wk, wv: s.inputs.wv }).weights; })()`,
  ],
  'transformer-block': [
    'output',
    `(() => { const i = s.inputs, o = s.options; return attn.transformerBlock(i.x, { numHeads: o.heads, wq: i.wq, wk: i.wk, wv: i.wv, wo: i.wo, bq: i.bq[0], bk: i.bk[0], bv: i.bv[0], bo: i.bo[0], w1: i.w1, b1: i.b1[0], w2: i.w2, b2: i.b2[0], gamma1: i.gamma1[0], beta1: i.beta1[0], gamma2: i.gamma2[0], beta2: i.beta2[0], norm: o.norm, activation: o.activation }).output; })()`,
  ],
  'why-scale': [
    'scaled',
    `attn.attention(attn.random([1, s.options.demoDk], { seed: s.options.seed + 100 }), attn.random([s.options.keys, s.options.demoDk], { seed: s.options.seed + 200 }), attn.random([s.options.keys, s.options.demoDk], { seed: s.options.seed + 200 }), { scoring: 'scaled_dot' }).weights`,
  ],
};

/** In the page: the numbers shown in matrix `name` and the engine's, from the state shown. */
async function shownAndExpected(page, name, expression) {
  // a string, evaluated through DevTools: the page's CSP (rightly) forbids eval inside it
  return page.evaluate(`(async () => {
    const { init } = await import('/dist/attention-playground.js');
    const attn = await init();
    const pg = document.querySelector('attention-playground');
    const s = pg.state;
    const table = pg.shadowRoot.querySelector('table[data-matrix="${name}"]');
    // off-screen steps catch up when they scroll into view: look at the matrix as a user would
    table.scrollIntoView({ block: 'center' });
    for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
    const shown = [...table.tBodies[0].rows].map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent.replace('\u2212', '-'))));
    const r = ${expression};
    return { shown, expected: r.toArray ? r.toArray() : r, precision: s.precision ?? 4 };
  })()`);
}

function assertShown({ shown, expected, precision }, what) {
  const flat = (m) => m.flat(Infinity);
  const a = flat(shown),
    b = flat(expected);
  assert.equal(a.length, b.length, `${what}: ${a.length} numbers shown, engine has ${b.length}`);
  const tol = 0.5 * 10 ** -precision + 1e-9;
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= tol, `${what}[${i}]: shown ${x}, engine ${b[i]}`));
}

const heatmapValues = (page, name) =>
  page.evaluate(async (name) => {
    const pg = document.querySelector('attention-playground');
    const hm = pg.shadowRoot.querySelector(`attention-heatmap[data-name="${name}"]`);
    if (!hm) return null;
    hm.scrollIntoView({ block: 'center' });
    for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
    return Array.from(hm.values.data);
  }, name);

async function exportFile(page, figure, kind) {
  const fig = page.locator(`attention-playground figure[data-heatmap="${figure}"]`).first();
  await fig.locator('details.export summary').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    fig.locator(`button[data-export="${kind}"]`).click(),
  ]);
  return readFileSync(await download.path());
}

async function ready(page) {
  await page.waitForSelector('body[data-ready]');
  await page.waitForFunction(() => document.querySelector('attention-playground').shadowRoot.querySelector('.step'));
}

test('the bare address lists every example and shows the first; a link in the list opens another', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(env.url); // what `npm start` prints: no hash
  await ready(page);
  // Chromium validates relaxed SIMD: the page computes with the fused build, and says so
  const isa = await page.evaluate(async () => (await (await import('/dist/attention-playground.js')).init()).isa);
  assert.equal(isa, 'relaxed-simd');
  await page.waitForFunction(() => /relaxed-SIMD/.test(document.getElementById('footer').textContent));
  const links = await page
    .locator('nav ol#examples a')
    .evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent, a.getAttribute('aria-current')]));
  assert.deepEqual(
    links.map(([href]) => href),
    EXAMPLES.map((e) => `#example=${e.id}`),
  );
  assert.deepEqual(
    links.map(([, text]) => text),
    EXAMPLES.map((e) => en(e.title)),
  );
  assert.equal(links[0][2], 'page', 'the first example is marked as the one shown');
  const shownTitle = () =>
    page.evaluate(
      () => document.querySelector('attention-playground').shadowRoot.querySelector('h2.title').textContent,
    );
  assert.equal(await shownTitle(), en(EXAMPLES[0].title));
  assert.equal(await page.title(), `${en(EXAMPLES[0].title)} · attention-playground`);
  await page.locator(`nav ol#examples a[href="#example=${EXAMPLES[1].id}"]`).click();
  await page.waitForFunction(
    (t) => document.querySelector('attention-playground').shadowRoot.querySelector('h2.title').textContent === t,
    en(EXAMPLES[1].title),
  );
  assert.equal(
    await page.locator('nav ol#examples a[aria-current="page"]').getAttribute('href'),
    `#example=${EXAMPLES[1].id}`,
  );
  await page.screenshot({ path: screenshotPath('bare-address') });
  assert.deepEqual(problems, []);
  await page.close();
});

// On a phone the 13 examples once filled the whole first screen: there they are one row that
// scrolls sideways, the current one in sight, and the example starts on the first screen.
test('on a phone the list of examples is one row, the current example in sight', async () => {
  const { page, problems } = await openPage(env.browser, env.url, { viewport: { width: 390, height: 800 } });
  await page.goto(`${env.url}#example=${EXAMPLES[11].id}`);
  await ready(page);
  const nav = () =>
    page.evaluate(() => {
      const ol = document.getElementById('examples');
      const r = ol.getBoundingClientRect();
      const c = ol.querySelector('[aria-current]').getBoundingClientRect();
      const pg = document.querySelector('attention-playground').getBoundingClientRect();
      return {
        height: r.height,
        left: r.left,
        right: r.right,
        current: { left: c.left, right: c.right },
        scrolls: ol.scrollWidth > ol.clientWidth,
        playgroundTop: pg.top,
      };
    });
  const phone = await nav();
  assert.ok(phone.scrolls && phone.height < 60, JSON.stringify(phone));
  assert.ok(
    phone.current.left >= phone.left && phone.current.right <= phone.right,
    `the current example is cut: ${JSON.stringify(phone)}`,
  );
  assert.ok(phone.playgroundTop < 800, `the example starts below the first screen: ${JSON.stringify(phone)}`);
  // every example is still a link in the list
  assert.equal(await page.locator('nav ol#examples a').count(), EXAMPLES.length);
  // on a desktop the list wraps: every chip in view, nothing to scroll
  await page.setViewportSize({ width: 1200, height: 800 });
  const desktop = await nav();
  assert.ok(!desktop.scrolls, JSON.stringify(desktop));
  assert.deepEqual(problems, []);
  await page.close();
});

// Beside its matrix in a row of figures, a heatmap once took its place in the row for its room:
// masked-softmax's 2 × 5 heatmaps came out with 6-pixel cells, labelled "row 1" and "k1", "k4"
// only. Every small heatmap of every example must label each of its rows and columns, and stand
// next to (or below) its own matrix.
test('every heatmap of at most 12 × 12, in every example at 1200 and 390 px, labels every row and column; matrix headers align', async () => {
  for (const width of [1200, 390]) {
    const { page, problems } = await openPage(env.browser, env.url, { viewport: { width, height: 900 } });
    let checked = 0;
    for (const { id } of EXAMPLES) {
      await page.goto(`${env.url}#example=${id}`);
      await ready(page);
      // the example's own title and steps (not the last example's, while its code loads)
      await page.waitForFunction(
        (title) => {
          const root = document.querySelector('attention-playground').shadowRoot;
          return root.querySelector('h2.title')?.textContent === title && root.querySelector('.step');
        },
        en(EXAMPLES.find((e) => e.id === id).title),
      );
      const { missing, count } = await page.evaluate(async () => {
        const pg = document.querySelector('attention-playground');
        const out = [];
        let count = 0;
        for (const hm of pg.shadowRoot.querySelectorAll('attention-heatmap')) {
          if (!hm.values || hm.rows.length > 12 || hm.cols.length > 12) continue;
          count++;
          hm.scrollIntoView({ block: 'center' });
          for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
          const doc = new DOMParser().parseFromString(hm.toSVG(), 'image/svg+xml');
          const left = [...doc.querySelectorAll('svg > g > text')].map((t) => t.textContent);
          for (const want of [...hm.rows, ...hm.cols]) {
            const at = left.indexOf(want);
            if (at < 0) out.push(`${hm.dataset.name}: ${want}`);
            else left.splice(at, 1);
          }
          // a heatmap's figure sits in a pair with its matrix's, when it has one
          const pair = hm.closest('figure')?.parentElement;
          if (pair?.classList.contains('pair') && pair.firstElementChild.dataset.heatmap === hm.dataset.name) {
            out.push(`${hm.dataset.name}: its figure comes before its matrix`);
          }
        }
        // and every matrix's column labels stand over their own columns
        for (const table of pg.shadowRoot.querySelectorAll('table.matrix')) {
          const head = table.tHead?.rows[0]?.cells.length;
          const body = table.tBodies[0]?.rows[0]?.cells.length;
          if (head !== undefined && head !== body)
            out.push(`${table.dataset.matrix}: ${head} header cells, ${body} in a row`);
        }
        return { missing: out, count };
      });
      assert.deepEqual(missing, [], `#example=${id} at ${width} px`);
      checked += count;
    }
    assert.ok(checked >= 20, `only ${checked} heatmaps checked at ${width} px`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

/**
 * Where the weights step of #example=quadratic-cost lays out, in CSS px from the viewport's left:
 * the step's column, the figure, the heatmap and its canvas, the figure's Export link; and how wide
 * the page and the heatmap's scrolling box are.
 */
function weightsLayout(page) {
  return page.evaluate(() => {
    const section = document
      .querySelector('attention-playground')
      .shadowRoot.querySelector('section[data-step="weights"]');
    const heatmap = section.querySelector('attention-heatmap');
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right };
    };
    return {
      viewport: { left: 0, right: document.documentElement.clientWidth },
      pageWidth: document.documentElement.scrollWidth,
      column: box(section),
      figure: box(section.querySelector('figure.heat')),
      heatmap: box(heatmap),
      canvas: box(heatmap.shadowRoot.querySelector('canvas')),
      exportLink: box(section.querySelector('figure.heat details.export summary')),
      scrolls: heatmap.scrollWidth > heatmap.clientWidth,
      more: heatmap.dataset.more ?? '',
      figureShadow: getComputedStyle(section.querySelector('figure.heat')).boxShadow,
    };
  });
}
const inside = (inner, outer) => inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5;

/**
 * The charts of the page, as laid out: each svg's drawn width (its width attribute) and its width on
 * the screen, its figure's content width, the y axis's title, and the boxes of its tick and legend texts.
 */
const chartsLayout = (page) =>
  page.evaluate(() =>
    [...document.querySelector('attention-playground').shadowRoot.querySelectorAll('figure[data-chart]')].map((f) => {
      const svg = f.querySelector('svg');
      const cs = getComputedStyle(f);
      const box = (n) => {
        const r = n.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      };
      return {
        id: f.dataset.chart,
        drawn: Number(svg.getAttribute('width')),
        shown: svg.getBoundingClientRect().width,
        room: f.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
        svg: box(svg),
        yTitle: [...svg.querySelectorAll('text.label')].map((t) => t.textContent),
        ticks: [...svg.querySelectorAll('text.tick')]
          .filter((t) => t.getAttribute('text-anchor') === 'middle')
          .map(box),
        legend: [...svg.querySelectorAll('text.legend')].map(box),
        yTicks: [...svg.querySelectorAll('text.tick')]
          .filter((t) => t.getAttribute('text-anchor') === 'end')
          .map((t) => t.textContent),
      };
    }),
  );

/**
 * Brings each chart into view and waits until it is drawn at its figure's width: a step's figures
 * lay out only near the screen (content-visibility), and a chart is redrawn when its figure does.
 */
async function chartsInView(page) {
  for (const id of ['cost', 'memory']) {
    await page.waitForFunction(
      (id) => {
        const f = document.querySelector('attention-playground').shadowRoot.querySelector(`figure[data-chart="${id}"]`);
        f.scrollIntoView({ block: 'center' });
        const svg = f.querySelector('svg');
        return Math.abs(svg.getBoundingClientRect().width - Number(svg.getAttribute('width'))) < 1;
      },
      id,
      { timeout: 10_000 },
    );
  }
}

/** Charts drawn at their figure's width (11 px text, no scaling), their labels apart and inside. */
function assertChartsReadable(charts, width, at) {
  const apart = (a, b) => a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
  for (const c of charts) {
    // every y tick says its own value (5×10⁵ once read 10⁶, as 10⁶ itself did)
    assert.equal(new Set(c.yTicks).size, c.yTicks.length, `${c.id} at ${at}: y ticks ${c.yTicks}`);
    assert.ok(Math.abs(c.shown - c.drawn) < 1, `${c.id} at ${at}: drawn ${c.drawn} px, scaled to ${c.shown}`);
    assert.ok(
      c.drawn <= c.room + 1 && c.drawn >= Math.min(c.room, 640) - 1,
      `${c.id} at ${at}: ${c.drawn} px in ${c.room}`,
    );
    assert.ok(c.svg.right <= width, `${c.id} at ${at}: leaves the viewport`);
    for (const [i, a] of [...c.ticks, ...c.legend].entries()) {
      assert.ok(
        a.left >= c.svg.left - 0.5 && a.right <= c.svg.right + 0.5,
        `${c.id} at ${at}: text ${i} leaves the chart`,
      );
      for (const b of [...c.ticks, ...c.legend].slice(i + 1)) assert.ok(apart(a, b), `${c.id} at ${at}: texts overlap`);
    }
  }
}

/** The figure, the heatmap and its Export link stay in the step's column, the page in the viewport. */
function assertFits(l, width) {
  const at = `at ${width} px: ${JSON.stringify(l)}`;
  assert.ok(inside(l.figure, l.column), `the figure leaves its column ${at}`);
  assert.ok(inside(l.heatmap, l.figure), `the heatmap leaves its figure ${at}`);
  assert.ok(inside(l.exportLink, l.figure) && inside(l.exportLink, l.viewport), `the Export link is clipped ${at}`);
  assert.ok(l.pageWidth <= l.viewport.right, `the page scrolls sideways ${at}`);
}

// #example=quadratic-cost has no input table to edit: its numbers are measured in the page's worker
// pool (dist/pool-worker.js) and arrive while the page stays usable, so it is checked here rather
// than by a CHECKS line: the heatmap against the engine, the charts, the permalink, N = 16384.
test('#example=quadratic-cost: measured live, the heatmap is attn.downsample of the weights, the permalink holds N', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=quadratic-cost`);
  await ready(page);
  const pg = 'document.querySelector("attention-playground")';
  const measuredUpTo = (n) =>
    page.waitForFunction(
      (n) => {
        const root = document.querySelector('attention-playground').shadowRoot;
        const note = root.querySelector('section[data-step="cost"] .note')?.textContent ?? '';
        return note.startsWith('Measured') && note.includes(`N = ${n}:`) && root.querySelector('attention-heatmap');
      },
      n,
      { timeout: 120_000 },
    );
  await measuredUpTo(1024);
  // off-screen steps take their new numbers when they scroll into view (steps-view.js): show it
  await page.evaluate(`${pg}.shadowRoot.querySelector('section[data-step="weights"]').scrollIntoView()`);
  await page.evaluate(
    () => new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 100)),
  );
  // the heatmap: the engine's weights at N = 1024, shrunk by the engine, straight from the engine here
  const check = await page.evaluate(`(async () => {
    const { init } = await import('/dist/attention-playground.js');
    const attn = await init();
    const s = ${pg}.state;
    const n = s.options.n;
    const r = (seed) => attn.random([n, 64], { seed });
    const w = attn.attention(r(1), r(2), r(3), { weights: true }).weights;
    const d = attn.downsample(w, { rows: 64, cols: 64, reduce: s.options.reduce });
    const hm = ${pg}.shadowRoot.querySelector('attention-heatmap[data-name="weights"]');
    const shown = Array.from(hm.values.data);
    return { n, equal: shown.length === d.values.data.length && shown.every((v, i) => v === d.values.data[i]),
      charts: ${pg}.shadowRoot.querySelectorAll('figure[data-chart] svg polyline').length,
      title: ${pg}.shadowRoot.querySelector('section[data-step="weights"] figure.heat figcaption .name').textContent };
  })()`);
  assert.equal(check.n, 1024);
  assert.ok(check.equal, 'the heatmap is attn.downsample of the weights');
  assert.equal(check.charts, 4, 'two series on each of the two charts');
  // the heatmap's own title follows N (it kept the first N's, [64, 64])
  assert.equal(check.title, 'The weights [1024, 1024], mean of each block');
  // each chart as wide as its figure allows (640 px at most), its y axis titled with the unit
  await chartsInView(page);
  const charts = await chartsLayout(page);
  assert.deepEqual(
    charts.map((c) => [c.id, c.drawn, c.yTitle]),
    [
      ['cost', 640, ['N', 'time (ms)']],
      ['memory', 640, ['N', 'WASM memory held (bytes)']],
    ],
  );
  assertChartsReadable(charts, 1200, '1200 px');
  await page.screenshot({ path: screenshotPath('quadratic-cost'), fullPage: true });
  // at the desktop width the whole heatmap fits its column (its canvas too), nothing scrolls
  const desktop = await weightsLayout(page);
  assertFits(desktop, 1200);
  assert.ok(inside(desktop.canvas, desktop.heatmap) && !desktop.scrolls && !desktop.more, JSON.stringify(desktop));
  await page
    .locator('attention-playground section[data-step="weights"]')
    .screenshot({ path: screenshotPath('quadratic-cost-weights-desktop') });
  // on a phone, 64 columns at the smallest cells are wider than the column: the heatmap scrolls
  // sideways inside its figure, and the figure, its Export link and the page stay in the viewport
  const narrow = await openPage(env.browser, env.url, { viewport: { width: 390, height: 844 } });
  await narrow.page.goto(`${env.url}#example=quadratic-cost`);
  await ready(narrow.page);
  await narrow.page.waitForFunction(
    () =>
      document
        .querySelector('attention-playground')
        .shadowRoot.querySelector('section[data-step="weights"] attention-heatmap')?.values,
    null,
    { timeout: 120_000 },
  );
  await narrow.page.evaluate(`${pg}.shadowRoot.querySelector('section[data-step="weights"]').scrollIntoView()`);
  await narrow.page.evaluate(
    () => new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 100)),
  );
  const phone = await weightsLayout(narrow.page);
  assertFits(phone, 390);
  // the charts too: drawn at the phone's width rather than scaled down (their text stays 11 px)
  await chartsInView(narrow.page);
  const phoneCharts = await chartsLayout(narrow.page);
  assert.equal(phoneCharts.length, 2);
  assert.ok(
    phoneCharts.every((c) => c.drawn < 400),
    JSON.stringify(phoneCharts.map((c) => c.drawn)),
  );
  assertChartsReadable(phoneCharts, 390, '390 px');
  assert.ok(phone.scrolls, `the heatmap scrolls sideways at 390 px: ${JSON.stringify(phone)}`);
  // and shows that it does: its right edge fades, its figure shades the edge
  assert.equal(phone.more, 'right');
  assert.notEqual(phone.figureShadow, 'none');
  await narrow.page
    .locator('attention-playground section[data-step="weights"]')
    .screenshot({ path: screenshotPath('quadratic-cost-weights-narrow') });
  assert.deepEqual(narrow.problems, []);
  await narrow.page.close();

  // N = 16384 on the slider: the page keeps answering (a click changes the reduction meanwhile)
  const slider = page.locator('attention-playground input[data-control="n"]');
  await slider.evaluate((el) => {
    el.value = '14';
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  assert.equal(await page.locator('attention-playground output[data-output="n"]').textContent(), 'N = 16384');
  assert.equal(await slider.getAttribute('aria-valuetext'), 'N = 16384');
  await page.locator('attention-playground select[data-control="reduce"]').selectOption('max');
  assert.equal(await page.evaluate(`${pg}.state.options.reduce`), 'max', 'the page answered during the measurement');
  await measuredUpTo(16384);
  const note = await page.evaluate(`${pg}.shadowRoot.querySelector('section[data-step="memory"] .note').textContent`);
  assert.match(
    note,
    /From N = 8192 on, the engine refuses to build the \[N, N\] weights/,
    'beyond 4096 the engine says why',
  );
  const inLink = await page.evaluate(
    `import('/dist/attention-playground.js').then((m) => m.decodeHash(location.hash).state.options.n)`,
  );
  assert.equal(inLink, 16384, 'the permalink holds N');
  await page.screenshot({ path: screenshotPath('quadratic-cost-16384'), fullPage: true });
  // the permalink reopens at N = 16384
  const url = await page.evaluate('location.href');
  const again = await openPage(env.browser, env.url);
  await again.page.goto(url);
  await ready(again.page);
  assert.equal(await again.page.evaluate(`${pg}.state.options.n`), 16384);
  await again.page.close();
  assert.deepEqual(problems, []);
  await page.close();
});

// why-scale at its largest settings (64 keys, 64 samples: over 100 ms of engine work) computes its
// experiment in the worker pool: the edit applies at once, the charts follow with the engine's numbers.
test("why-scale: a large experiment runs in the pool, and its charts are the engine's", async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=why-scale`);
  await ready(page);
  for (const [control, value] of [
    ['keys', '64'],
    ['samples', '64'],
  ]) {
    await page.locator(`attention-playground input[data-control="${control}"]`).fill(value);
    await page.locator(`attention-playground input[data-control="${control}"]`).press('Tab');
  }
  await page.waitForFunction(
    () => document.querySelector('attention-playground').shadowRoot.querySelector('[aria-busy="false"] .step'),
    null,
    { timeout: 60_000 },
  );
  const r = await page.evaluate(`(async () => {
    const { init } = await import('/dist/attention-playground.js');
    const attn = await init();
    const s = document.querySelector('attention-playground').state;
    const e = attn.scaleExperiment({ dims: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], keys: s.options.keys, samples: s.options.samples, seed: s.options.seed });
    const dots = [...document.querySelector('attention-playground').shadowRoot.querySelectorAll('figure[data-chart="variance"] circle title')].map((t) => Number(t.textContent.split(': ').pop()));
    return { keys: s.options.keys, samples: s.options.samples, shown: dots, want: [...e.variance.data, ...e.varianceScaled.data] };
  })()`);
  assert.equal(r.keys, 64);
  assert.equal(r.samples, 64);
  assert.deepEqual(r.shown, r.want, 'the variance chart is the engine experiment at 64 keys × 64 samples');
  assert.deepEqual(problems, []);
  await page.close();
});

for (const [id, [name, expression]] of Object.entries(CHECKS)) {
  test(`${id}: deep link, engine numbers, an edit, the permalink, exports, screenshots`, async () => {
    const { page, problems } = await openPage(env.browser, env.url);
    await page.goto(`${env.url}#example=${id}`);
    await ready(page);
    assertShown(await shownAndExpected(page, name, expression), `${id} ${name}`);

    // an edit: the first input cell (or, for why-scale, the seed) changes the checked matrix and its heatmap
    const before = await shownAndExpected(page, name, expression);
    const heatBefore = await heatmapValues(page, name === 'output' ? 'head1' : name);
    if (id === 'why-scale') {
      await page.locator('attention-playground input[data-control="seed"]').fill('5');
      await page.locator('attention-playground input[data-control="seed"]').press('Tab');
    } else {
      const cell = page.locator('attention-playground section[data-step="inputs"] table.editable input').first();
      await cell.fill('0.37');
    }
    const after = await shownAndExpected(page, name, expression);
    assertShown(after, `${id} ${name} after the edit`);
    assert.notDeepEqual(after.shown, before.shown, `${id}: the edit changed ${name}`);
    if (heatBefore) {
      await page.waitForTimeout(20);
      assert.notDeepEqual(
        await heatmapValues(page, name === 'output' ? 'head1' : name),
        heatBefore,
        `${id}: the heatmap repainted`,
      );
    }

    // the permalink: a fresh page from the URL shows the same state and numbers
    await page.waitForFunction(() => location.hash.includes('&state='));
    await page.waitForTimeout(200); // the address bar is written once edits pause
    const link = page.url();
    assert.match(link, new RegExp(`#example=${id}&state=`));
    const state = await page.evaluate(() => document.querySelector('attention-playground').state);
    const second = await openPage(env.browser, env.url);
    await second.page.goto(link);
    await ready(second.page);
    assert.deepEqual(await second.page.evaluate(() => document.querySelector('attention-playground').state), state);
    assert.deepEqual((await shownAndExpected(second.page, name, expression)).shown, after.shown);
    assert.deepEqual(second.problems, []);
    await second.page.close();

    // exports of a heatmap: a PNG and a well-formed SVG
    const heat = await page.evaluate(
      () =>
        document.querySelector('attention-playground').shadowRoot.querySelector('figure[data-heatmap]')?.dataset
          .heatmap,
    );
    if (heat) {
      const png = await exportFile(page, heat, 'PNG');
      assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
      const svg = (await exportFile(page, heat, 'SVG')).toString('utf8');
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {
          root: doc.documentElement.nodeName,
          error: !!doc.querySelector('parsererror'),
          rects: doc.querySelectorAll('rect').length,
        };
      }, svg);
      assert.equal(parsed.root, 'svg');
      assert.equal(parsed.error, false);
      assert.ok(parsed.rects > 1);
    }

    await fullScreenshot(page, `${id}-light`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(50);
    await fullScreenshot(page, `${id}-dark`);
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('positional encoding: swapping two tokens only permutes the weights without positions, changes them with', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=positional-encoding`);
  await ready(page);
  const shown = (name) =>
    page.evaluate(async (name) => {
      const table = document
        .querySelector('attention-playground')
        .shadowRoot.querySelector(`table[data-matrix="${name}"]`);
      table.scrollIntoView({ block: 'center' });
      for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
      return [...table.tBodies[0].rows].map((r) =>
        [...r.querySelectorAll('td')].map((td) => Number(td.textContent.replace('\u2212', '-'))),
      );
    }, name);
  for (const [a, b] of [
    ['0', '2'],
    ['0', '1'],
    ['1', '2'],
  ]) {
    await page.locator('attention-playground select[data-control="swapA"]').selectOption(a);
    await page.locator('attention-playground select[data-control="swapB"]').selectOption(b);
    const [plain, original, swapped, positional] = await Promise.all(
      ['plain-difference', 'plain-weights', 'plain-swapped', 'positional-difference'].map(shown),
    );
    // self-attention is permutation-equivariant: A(ΠX) = Π A(X) Πᵀ, so the swapped weights are the
    // original ones with rows and columns a and b exchanged, and the difference is zero
    const [i, j] = [Number(a), Number(b)],
      p = (k) => (k === i ? j : k === j ? i : k);
    original.forEach((row, r) =>
      row.forEach((x, c) => assert.equal(swapped[p(r)][p(c)], x, `swap ${a}/${b}: A(X')[${p(r)}][${p(c)}]`)),
    );
    assert.ok(
      plain.flat().every((x) => x === 0),
      `swap ${a}/${b}: Δ without positions is ${JSON.stringify(plain)}`,
    );
    assert.ok(
      positional.flat().some((x) => Math.abs(x) >= 0.01),
      `swap ${a}/${b}: Δ with positions is ${JSON.stringify(positional)}`,
    );
  }
  const title = await page.evaluate(
    () =>
      document.querySelector('attention-playground').shadowRoot.querySelector('section[data-step="with"] h3')
        .textContent,
  );
  assert.match(title, /swap chase and Jerry/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("transformer block: the pre-norm switch reorders the steps and the output is the engine's pre-norm block", async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=transformer-block`);
  await ready(page);
  const stepIds = () =>
    page.evaluate(() =>
      [...document.querySelector('attention-playground').shadowRoot.querySelectorAll('section.step')].map(
        (s) => s.dataset.step,
      ),
    );
  assert.deepEqual(await stepIds(), [
    'inputs',
    'attention-weights',
    'projections',
    'heads',
    'attention',
    'norm1',
    'feed-forward',
    'output',
  ]);
  const expression = CHECKS['transformer-block'][1];
  const post = await shownAndExpected(page, 'output', expression);
  assertShown(post, 'post-norm output');
  await page.locator('attention-playground select[data-control="norm"]').selectOption('pre');
  await page.waitForFunction(() => document.querySelector('attention-playground').state.options.norm === 'pre');
  assert.deepEqual(await stepIds(), [
    'inputs',
    'norm1',
    'attention-weights',
    'projections',
    'heads',
    'attention',
    'residual1',
    'norm2',
    'feed-forward',
    'output',
  ]);
  const pre = await shownAndExpected(page, 'output', expression);
  assertShown(pre, 'pre-norm output');
  assert.notDeepEqual(pre.shown, post.shown, 'the placement of the norms changes the output');
  await page.locator('attention-playground select[data-control="activation"]').selectOption('gelu');
  assertShown(await shownAndExpected(page, 'output', expression), 'pre-norm GELU output');
  await fullScreenshot(page, 'transformer-block-pre-norm');
  assert.deepEqual(problems, []);
  await page.close();
});

test('focusing a weight shows its arithmetic: the exp terms and the row sum, from the engine', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=self-attention`);
  await ready(page);
  await page.locator('attention-playground table[data-matrix="weights"] td.num').nth(1).click(); // row x₁, column x₂
  const panel = page.locator('attention-playground aside.explain');
  await assert.doesNotReject(panel.locator('table[data-explain]').waitFor());
  const rows = await panel.locator('table[data-explain] tbody tr').allTextContents();
  assert.equal(rows.length, 3);
  // row x₁ of the logits is [1/√2, 0, 1/√2]: m = 0.7071, e = [1, e^-0.7071, 1], Σ = 2.4931
  const a = Math.SQRT1_2,
    e = Math.exp(-a);
  assert.match(await panel.textContent(), new RegExp(`Σ e = ${(2 + e).toFixed(4)}`));
  assert.match(rows[1], new RegExp(`${e.toFixed(4)}${(e / (2 + e)).toFixed(4)}$`));
  assert.deepEqual(problems, []);
  await page.close();
});

test("multi-head shows each head's weights as numbers at its default size, the engine's; 64 tokens × 8 heads as heatmaps", async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=multi-head`);
  await ready(page);
  const call = CHECKS['multi-head'][1].replace(/\.output$/, '.weights');
  for (const h of [1, 2]) {
    assertShown(await shownAndExpected(page, `head${h}`, `${call}.toArray()[${h - 1}]`), `head ${h}`);
  }
  // past a few hundred weights, heatmaps only: no table of 8 × 64 × 64 numbers to repaint
  await page.goto(`${env.url}#example=multi-head`);
  await ready(page);
  await page.evaluate(() => {
    const pg = document.querySelector('attention-playground');
    pg.shadowRoot.querySelector('select[data-control="heads"]').value = '8';
    pg.shadowRoot.querySelector('select[data-control="heads"]').dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForFunction(() => document.querySelector('attention-playground').state.options.heads === 8);
  const tokens = page.locator('attention-playground input[data-control="tokens"]');
  await tokens.fill('64');
  await tokens.press('Tab');
  await page.waitForFunction(() => document.querySelector('attention-playground').state.inputs.x.length === 64);
  const counts = await page.evaluate(() => {
    const root = document.querySelector('attention-playground').shadowRoot;
    return [
      root.querySelectorAll('section[data-step="heads"] attention-heatmap').length,
      root.querySelectorAll('section[data-step="heads"] table.matrix').length,
      root.querySelector('section[data-step="heads"] .step-head .shape').textContent,
    ];
  });
  // the subtitle names the first four heads' shapes and says how many more there are
  assert.deepEqual(counts, [8, 0, 'A_1 64×64 · A_2 64×64 · A_3 64×64 · A_4 64×64 · +4']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('on a phone the arithmetic of a chosen weight shows on the screen, not after every step; × closes it', async () => {
  const { page, problems } = await openPage(env.browser, env.url, { viewport: { width: 390, height: 800 } });
  await page.goto(`${env.url}#example=self-attention`);
  await ready(page);
  const panelBox = () =>
    page.evaluate(() => {
      const ex = document.querySelector('attention-playground').shadowRoot.querySelector('aside.explain');
      const r = ex.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: innerHeight, docked: ex.classList.contains('docked') };
    });
  const before = await panelBox();
  assert.ok(before.top > before.height, `the panel starts below the steps: ${JSON.stringify(before)}`);
  const cell = page.locator('attention-playground table[data-matrix="weights"] td.num').nth(1);
  await cell.click();
  await page.locator('attention-playground aside.explain table[data-explain]').waitFor();
  const shown = await panelBox();
  assert.ok(
    shown.docked && shown.top >= 0 && shown.bottom <= shown.height,
    `not on the screen: ${JSON.stringify(shown)}`,
  );
  // the weight itself stays visible above it
  const cellBox = await cell.boundingBox();
  assert.ok(
    cellBox.y + cellBox.height <= shown.top,
    `the panel covers the weight: ${JSON.stringify({ cellBox, shown })}`,
  );
  await page.locator('attention-playground aside.explain button[data-close]').click();
  const closed = await panelBox();
  assert.ok(!closed.docked && closed.top > closed.height, `closed: ${JSON.stringify(closed)}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('on a phone a formula or matrix wider than its column fades at the edge it goes on beyond', async () => {
  const { page, problems } = await openPage(env.browser, env.url, { viewport: { width: 390, height: 800 } });
  await page.goto(`${env.url}#example=why-scale`);
  await ready(page);
  // the entropy formula (a display formula) and the 1 × 16 rows of weights (matrices' scroll boxes)
  const boxes = 'section[data-step="entropy"] .tex:not(.inline), section:last-of-type .scroll';
  const every = (more) =>
    page.waitForFunction(
      ([boxes, more]) => {
        const all = [...document.querySelector('attention-playground').shadowRoot.querySelectorAll(boxes)];
        return all.length >= 2 && all.every((b) => (b.dataset.more ?? '') === more);
      },
      [boxes, more],
      { timeout: 30_000 },
    );
  const each = (f, arg) =>
    page.evaluate(
      ([boxes, f, arg]) =>
        [...document.querySelector('attention-playground').shadowRoot.querySelectorAll(boxes)].map((b) =>
          f === 'look'
            ? {
                mask: getComputedStyle(b).maskImage,
                wider: b.scrollWidth > b.clientWidth,
                // a matrix's figure shades its edge beside the cut too
                shadow: b.matches('.scroll') ? getComputedStyle(b.closest('figure')).boxShadow : 'formula',
              }
            : (b.scrollLeft = arg * (b.scrollWidth - b.clientWidth)),
        ),
      [boxes, f, arg],
    );
  // (a step lays out when it nears the screen: content-visibility)
  await page.evaluate(() =>
    document.querySelector('attention-playground').shadowRoot.querySelector('section:last-of-type').scrollIntoView(),
  );
  await every('right');
  for (const b of await each('look')) {
    assert.ok(b.wider, 'the box is wider than the phone');
    assert.match(b.mask, /linear-gradient/, 'and its right edge fades');
    assert.notEqual(b.shadow, 'none', "and its figure's edge is shaded");
  }
  // scrolled to the middle, both edges fade; to the end, the left one alone
  await each('scroll', 0.5);
  await every('left right');
  await each('scroll', 1);
  await every('left');
  // at a desktop width the formula fits: it does not fade
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.waitForFunction(() => {
    const f = document
      .querySelector('attention-playground')
      .shadowRoot.querySelector('section[data-step="entropy"] .tex');
    return f.dataset.more === undefined && getComputedStyle(f).maskImage === 'none' && f.scrollWidth <= f.clientWidth;
  });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a malformed or hostile hash gives a visible notice and the default state', async () => {
  for (const hash of [
    '#example=nope',
    '#example=self-attention&state=%%%not-base64',
    `#example=self-attention&state=${Buffer.from('{"__proto__":{"x":1}}').toString('base64url')}`,
    `#example=self-attention&state=${'A'.repeat(250000)}`,
  ]) {
    const { page, problems } = await openPage(env.browser, env.url);
    await page.goto(`${env.url}${hash}`);
    await ready(page);
    assert.equal(await page.isVisible('#notice'), true, hash.slice(0, 60));
    assert.ok((await page.textContent('#notice')).length > 10);
    assert.match(await page.locator('attention-playground table[data-matrix="weights"]').textContent(), /0\.4011/);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('a bad cell edit shows an inline error and keeps the last good state', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=self-attention`);
  await ready(page);
  const cell = page.locator('attention-playground section[data-step="inputs"] table.editable input').first();
  const before = await page.locator('attention-playground table[data-matrix="output"]').textContent();
  await cell.fill('abc');
  assert.equal(await cell.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('attention-playground p.message').textContent(), /“abc” is not a number/);
  assert.equal(await page.locator('attention-playground table[data-matrix="output"]').textContent(), before);
  assert.equal(await cell.inputValue(), 'abc', 'what the user typed stays in the field');
  assert.deepEqual(problems, []);
  await page.close();
});

test('edit-to-paint fits a frame: every example, and 64 tokens × 8 heads', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  // Each edit is made at the start of a frame (in requestAnimationFrame); a message posted there is
  // delivered after that frame's style, layout and paint. The time between is one frame's work.
  // `view`: 'input' edits a cell of the inputs (or the seed) in view; 'heads' drags the temperature
  // with the per-head heatmaps in view, so every visible figure is redrawn.
  const measure = async (view = 'input') => {
    const input = await page.evaluateHandle(async (view) => {
      const pg = document.querySelector('attention-playground');
      if (view === 'heads') {
        pg.shadowRoot.querySelector('section[data-step="heads"]').scrollIntoView({ block: 'start' });
        await new Promise((r) => setTimeout(r, 300)); // let deferred steps catch up first
        return pg.shadowRoot.querySelector('input[data-control="temperature"]');
      }
      const lazy = pg.shadowRoot.querySelector('section[data-step="inputs"] td.edit');
      lazy?.click(); // a large matrix: its cells become inputs when clicked
      const input =
        pg.shadowRoot.querySelector(
          'section[data-step="inputs"] table.editable input, section[data-step="inputs"] td.edit input',
        ) ?? pg.shadowRoot.querySelector('input[data-control="seed"]');
      input.scrollIntoView({ block: 'center' });
      return input;
    }, view);
    const heads = view === 'heads';
    const type = heads || !(await input.evaluate((i) => i.dataset.control)) ? 'input' : 'change';
    const values = Array.from({ length: 21 }, (_, i) => String(heads ? 0.5 + i / 20 : 1 + i));
    const r = await page.evaluate(editToPaint, [input, values, type]);
    return { ...r, compute: await page.evaluate(() => document.querySelector('attention-playground').lastComputeMs) };
  };
  const report = [];
  for (const id of Object.keys(CHECKS)) {
    await page.goto(`${env.url}#example=${id}`);
    await ready(page);
    report.push([id, await measure()]);
  }
  // the largest case the playground allows: 64 tokens, D = 64 split into 8 heads
  await page.goto(`${env.url}#example=multi-head`);
  await ready(page);
  for (const [control, value] of [
    ['tokens', '64'],
    ['dk', '64'],
  ]) {
    await page.locator(`attention-playground input[data-control="${control}"]`).fill(value);
    await page.locator(`attention-playground input[data-control="${control}"]`).press('Tab');
  }
  await page.locator('attention-playground select[data-control="heads"]').selectOption('8');
  assert.equal(await page.locator('attention-playground attention-heatmap[data-name^="head"]').count(), 8);
  report.push(['64 tokens × 8 heads: edit X', await measure()]);
  report.push(['64 tokens × 8 heads: temperature', await measure('heads')]);
  process.stdout.write(
    '# edit-to-paint in Chromium: one edit per frame, edit → style, layout and paint done (median / p90 of 21):\n',
  );
  for (const [name, r] of report)
    process.stdout.write(
      `#   ${name.padEnd(32)} ${r.median.toFixed(1)} ms / ${r.p90.toFixed(1)} ms  (engine + DOM ${r.compute.toFixed(1)} ms)\n`,
    );
  assert.deepEqual(problems, []);
  await page.close();
});
