// <attention-heatmap> on a page of its own, in real headless Chromium: labels when cells are small,
// and the exports (the PNG and the SVG draw one display list, so they show the same figure). Its
// keyboard and arithmetic panel are tested in the playground (controls.test.mjs, playground.test.mjs),
// hostile values and labels in hostile.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { launch, openPage, siteWithDist } from './chromium.mjs';
import { startServer } from '../../scripts/serve.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

test('a heatmap with cells smaller than a line labels every k-th row and column; every label stays reachable', async () => {
  const dir = siteWithDist('attn-labels-');
  const n = 48;
  const values = JSON.stringify(
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => ((i * 7 + j * 3) % 11) / 10)),
  );
  const names = JSON.stringify(Array.from({ length: n }, (_, i) => `token${i}`));
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>labels</title>
<link rel="stylesheet" href="narrow.css">
<script type="module" src="dist/attention-playground.js"></script>
<div class="narrow"><attention-heatmap values='${values}' rows='${names}' cols='${names}'></attention-heatmap></div>`,
  );
  writeFileSync(path.join(dir, 'narrow.css'), '.narrow { width: 420px; }\n'); // a heatmap sizes itself by its container
  const { server, url } = await startServer({ port: 0, dir });
  try {
    const { page, problems } = await openPage(env.browser, url);
    await page.goto(url);
    await page.waitForFunction(
      () =>
        document.querySelector('attention-heatmap').shadowRoot.querySelectorAll('table tbody td:not(.summary)')
          .length ===
        48 * 48,
      null,
      { timeout: 10000 },
    );
    const svg = await page.evaluate(() => document.querySelector('attention-heatmap').toSVG());
    const shown = [...svg.matchAll(/<text [^>]*>(token\d+)<\/text>/g)].map((m) => m[1]);
    const rows = shown.filter((t, i) => shown.indexOf(t) === i);
    assert.ok(shown.includes('token0'), 'the first row and column are labelled');
    assert.ok(
      shown.length < 2 * n && shown.length >= 2 * 4,
      `${shown.length} labels drawn for ${2 * n} rows and columns`,
    );
    assert.ok(rows.length > 1);
    // the cells' tooltips (SVG titles) and the screen-reader table still name every row and column
    assert.equal([...svg.matchAll(/<title>token47 → token47:/g)].length, 1);
    const headers = await page.evaluate(() =>
      [...document.querySelector('attention-heatmap').shadowRoot.querySelectorAll('table th[scope]')].map(
        (th) => th.textContent,
      ),
    );
    assert.equal(headers.length, 2 * n + 1); // and the summary column's
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    server.close();
  }
});

test("a heatmap's PNG and SVG show the same figure: cell colours, the numbers in the cells, the colour bar's ticks", async () => {
  const dir = siteWithDist('attn-exports-');
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>exports</title>
<script type="module" src="dist/attention-playground.js"></script>
<attention-heatmap values='[[0.1, null, 0.35], [0.5, 0.9, -0.25]]' rows='["a", "b"]' cols='["x", "y", "z"]' cell-size="40" precision="3"></attention-heatmap>`,
  );
  const { server, url } = await startServer({ port: 0, dir });
  try {
    const { page, problems } = await openPage(env.browser, url);
    await page.goto(url);
    await page.waitForFunction(
      () => document.querySelector('attention-heatmap')?.shadowRoot.querySelector('canvas')?.width > 0,
    );
    const { cells, texts, key } = await page.evaluate(async () => {
      const hm = document.querySelector('attention-heatmap');
      const doc = new DOMParser().parseFromString(hm.toSVG(), 'image/svg+xml');
      const png = await createImageBitmap(await hm.toPNG());
      const canvas = new OffscreenCanvas(png.width, png.height);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(png, 0, 0);
      const hex = ([r, g, b]) => `#${[r, g, b].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
      // each cell of the SVG (a rect with a title) against the PNG (2×) near the cell's corner,
      // clear of the number written in its middle
      return {
        cells: [...doc.querySelectorAll('rect > title')].map((t) => {
          const r = t.parentNode,
            x = Number(r.getAttribute('x')),
            y = Number(r.getAttribute('y'));
          return {
            title: t.textContent,
            svg: r.getAttribute('fill'),
            png: hex(ctx.getImageData((x + 3) * 2, (y + 3) * 2, 1, 1).data),
          };
        }),
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
        // the masked key under the colour bar: a grey swatch without a title, in both exports
        key: [...doc.querySelectorAll('svg > rect:not(:has(title))')]
          .filter((r) => r.getAttribute('fill') === '#8c8c8c')
          .map((r) => {
            const x = Number(r.getAttribute('x')),
              y = Number(r.getAttribute('y'));
            return { svg: r.getAttribute('fill'), png: hex(ctx.getImageData((x + 5) * 2, (y + 5) * 2, 1, 1).data) };
          }),
      };
    });
    assert.equal(cells.length, 6);
    assert.equal(cells[1].title, 'a → y: -Infinity');
    assert.equal(cells[1].svg, '#8c8c8c', 'masked');
    for (const c of cells) assert.equal(c.png, c.svg, c.title);
    assert.equal(new Set(cells.map((c) => c.svg)).size, 6);
    // labels, the numbers in the cells (2 decimals) and the ticks (the heatmap's precision)
    assert.deepEqual(texts, [
      'a',
      'b',
      'x',
      'y',
      'z',
      '0.10',
      '−∞',
      '0.35',
      '0.50',
      '0.90',
      '−0.25',
      '0.900',
      '−0.250',
      'masked',
    ]);
    assert.deepEqual(key, [{ svg: '#8c8c8c', png: '#8c8c8c' }], 'one masked key, grey in the PNG too');
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    server.close();
  }
});
