// Accessibility audit: axe-core over every worked example, the embedding docs and the sample
// tutorial, in the light and the dark colour scheme and in English and Chinese, with zero
// violations allowed. axe is injected into a context that bypasses the CSP (the pages' strict CSP
// would refuse the injected script).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, openPage, settled } from './chromium.mjs';
import { root } from '../../scripts/run.mjs';
import { EXAMPLES } from '../../web/components/examples/index.js';
import { SEED_W } from '../../web/components/examples/self-attention.js';
import { attention } from '../support/oracle.mjs';

const AXE = path.join(root, 'node_modules/axe-core/axe.min.js');

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

async function audit(address, colorScheme) {
  const { page, problems } = await openPage(env.browser, env.url, { colorScheme, bypassCSP: true });
  await page.goto(address);
  // steps off screen skip their layout (content-visibility: auto); scroll through so all are drawn
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += 600) {
      scrollTo(0, y);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    }
  });
  await settled(page);
  const inks = await cellInks(page);
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const pageLang = await page.evaluate(() => document.documentElement.lang);
  await page.close();
  const violations = result.violations.map(
    (v) =>
      `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help}; first: ${v.nodes[0].target.join(' ')} ${v.nodes[0].failureSummary?.split('\n').slice(0, 3).join(' ')}`,
  );
  return { violations, problems, inks, pageLang };
}

// Every number drawn in a heatmap cell, as [ink, cell colour], read from the figures' SVG exports
// (the same display list the canvas draws): cells in row-major order, then the numbers in the same order.
function cellInks(page) {
  return page.evaluate(() => {
    const out = [];
    const walk = (node) =>
      node.querySelectorAll('*').forEach((el) => {
        if (el.localName === 'attention-heatmap' && el.values) {
          const svg = el.toSVG();
          const cells = [
            ...svg.matchAll(/<rect x="[^"]*" y="[^"]*" width="[^"]*" height="[^"]*" fill="(#[0-9a-f]{6})"><title>/g),
          ].map((m) => m[1]);
          const numbers = svg.includes('<g font-size="10">')
            ? [
                ...svg
                  .split('<g font-size="10">')[1]
                  .split('</g>')[0]
                  .matchAll(/fill="(#[0-9a-f]+)"/g),
              ].map((m) => m[1])
            : [];
          if (numbers.length && numbers.length !== cells.length)
            throw new Error(`${numbers.length} numbers for ${cells.length} cells`);
          numbers.forEach((ink, i) => out.push([ink, cells[i]]));
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      });
    walk(document);
    return out;
  });
}

// WCAG 2's contrast ratio of two #rgb / #rrggbb colours, in float64
function contrast(a, b) {
  const rgb = (s) =>
    s.length === 4
      ? [1, 2, 3].map((i) => parseInt(s[i] + s[i], 16))
      : [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16));
  const lum = (s) => {
    const [r, g, b] = rgb(s).map((c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// each page in each language: the playground by its link's lang=, the docs and the tutorial as
// their Chinese twins (page.zh-CN.html)
const PAGES = (lang) => [
  ...EXAMPLES.map((e) => [`example ${e.id}`, `#example=${e.id}&lang=${lang}`]),
  ['the embedding docs', `docs/embedding${lang === 'en' ? '' : `.${lang}`}.html`],
  ['the sample tutorial', `examples/tutorial${lang === 'en' ? '' : `.${lang}`}.html`],
];

for (const lang of ['en', 'zh-CN']) {
  for (const colorScheme of ['light', 'dark']) {
    for (const [name, where] of PAGES(lang)) {
      test(`axe: no violations on ${name}, ${colorScheme}, ${lang}`, async () => {
        const { violations, problems, inks, pageLang } = await audit(`${env.url}${where}`, colorScheme);
        console.log(
          `# axe ${name} ${colorScheme} ${lang}: ${violations.length} violations; ${inks.length} cell numbers`,
        );
        assert.equal(pageLang, lang, 'the document says which language it is in');
        assert.deepEqual(violations, []);
        // axe cannot see text drawn on a canvas: the cells' numbers are checked here
        for (const [ink, cell] of inks)
          assert.ok(contrast(ink, cell) >= 4.5, `${ink} on ${cell}: ${contrast(ink, cell).toFixed(2)}:1`);
        assert.deepEqual(problems, []);
      });
    }
  }
}

test("each row of a heatmap's screen-reader table starts with its summary: where the row is largest", async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=self-attention`);
  await settled(page);
  const { rows, precision } = await page.evaluate(() => {
    const hm = document
      .querySelector('attention-playground')
      .shadowRoot.querySelector('attention-heatmap[data-name="weights"]');
    const t = hm.shadowRoot.querySelector('table');
    return {
      precision: hm.precision,
      rows: [...t.tBodies[0].rows].map((r) => [...r.cells].slice(0, 2).map((c) => c.textContent)),
    };
  });
  // X = I₃ and W_Q = W_K = W_V = W, so Q = K = V = W; the oracle's weights, the first maximum on ties
  const W = SEED_W;
  const names = ['x₁', 'x₂', 'x₃'];
  const want = attention(W, W, W, { scoring: 'scaled_dot' }).weights.map((row, i) => {
    const j = row.indexOf(Math.max(...row));
    return [names[i], `${names[i]} attends most to ${names[j]}: ${row[j].toFixed(precision)}`];
  });
  assert.deepEqual(rows, want);
  assert.match(rows[2][1], /^x₃ attends most to x₃: 0\.50/);
  assert.deepEqual(problems, []);
  await page.close();
});
