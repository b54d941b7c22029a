// Embedding in tutorial pages, in real headless Chromium: the sample tutorial under a strict CSP
// (sent as an HTTP header by the server), dist/ copied alone next to a page, the classic build from
// file://, and a heatmap-only page that never loads KaTeX. (The heatmap element itself: heatmap.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fullScreenshot, launch, openPage, siteWithDist } from './chromium.mjs';
import { CSP, startServer } from '../../scripts/serve.mjs';
import { root } from '../../scripts/run.mjs';
import { EXAMPLES } from '../../web/components/examples/index.js';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

// Each element's rendered size and whether its shadow root has content.
const widgets = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('attention-heatmap, attention-steps, attention-playground')].map((el) => {
      const r = el.getBoundingClientRect();
      return {
        tag: el.localName,
        id: el.id,
        width: r.width,
        height: r.height,
        content: el.shadowRoot?.childElementCount ?? 0,
        text: el.shadowRoot?.textContent.length ?? 0,
      };
    }),
  );

async function allRendered(page) {
  await page.waitForFunction(() =>
    [...document.querySelectorAll('attention-steps, attention-playground')].every((el) =>
      el.shadowRoot?.querySelector('.step'),
    ),
  );
}

// Every heatmap on the page (inside other elements too) has written its screen-reader table.
function tablesWritten(page) {
  return page.waitForFunction(
    () => {
      const all = [];
      const walk = (root) =>
        root.querySelectorAll('*').forEach((el) => {
          if (el.localName === 'attention-heatmap') all.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        });
      walk(document);
      return all.every((hm) => {
        const v = hm.values,
          tds = [...hm.shadowRoot.querySelectorAll('table tbody td:not(.summary)')];
        return !v || (tds.length === v.rows * v.cols && tds.every((td) => td.textContent !== ''));
      });
    },
    null,
    { timeout: 10000 },
  );
}

test('the sample tutorial under a strict CSP: every widget renders; one edit changes only its widget', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  const response = await page.goto(`${env.url}examples/tutorial.html`);
  assert.equal(response.headers()['content-security-policy'], CSP);
  await allRendered(page);
  const list = await widgets(page);
  assert.ok(list.length >= 4, `${list.length} widgets`);
  for (const w of list) {
    assert.ok(w.content > 0 && w.width > 100 && w.height > 40, `${w.tag}#${w.id} rendered: ${JSON.stringify(w)}`);
  }
  // the inline-JSON figure shows the engine's causal weights: row "I" attends only to "I"
  const custom = await page.evaluate(() =>
    [
      ...document
        .getElementById('custom')
        .shadowRoot.querySelector('table[data-matrix="weights"]')
        .tBodies[0].rows[0].querySelectorAll('td'),
    ].map((td) => td.textContent),
  );
  assert.deepEqual(custom, ['1.0000', '0.0000', '0.0000']);

  const snapshot = async () => {
    await tablesWritten(page); // the heatmaps' screen-reader tables follow once the page is idle
    return page.evaluate(() =>
      Object.fromEntries(
        ['alignment', 'worked', 'custom', 'scale'].map((id) => [
          id,
          document.getElementById(id).shadowRoot.textContent,
        ]),
      ),
    );
  };
  const before = await snapshot();
  const events = await page.evaluate(() => {
    window.changes = [];
    document.addEventListener('attention-change', (e) => window.changes.push(e.target.id));
    return true;
  });
  assert.ok(events);
  const slider = page.locator('#live input[data-control="temperature"]');
  await slider.fill('3');
  await page.waitForFunction(() => window.changes.length > 0);
  assert.deepEqual(await page.evaluate(() => [...new Set(window.changes)]), ['live']);
  assert.equal(await page.evaluate(() => document.getElementById('live').state.options.temperature), 3);
  assert.deepEqual(await snapshot(), before, 'the other widgets are untouched');
  await fullScreenshot(page, 'tutorial-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await fullScreenshot(page, 'tutorial-dark');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the embedding docs page renders its live examples without a problem', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}docs/embedding.html`);
  await page.waitForFunction(
    () => document.querySelector('attention-heatmap')?.shadowRoot.querySelector('canvas')?.width > 0,
  );
  await fullScreenshot(page, 'embedding-docs');
  assert.deepEqual(problems, []);
  await page.close();
});

test('dist/ copied alone next to a page works over HTTP', async () => {
  const dir = siteWithDist('attn-embed-');
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>post</title>
<script type="module" src="dist/attention-playground.js"></script>
<p>Some prose.</p>
<attention-playground example="translation-alignment" controls="temperature"></attention-playground>
<attention-heatmap values="[[0.25, 0.75]]" rows="a" cols="b,c"></attention-heatmap>`,
  );
  const { server, url } = await startServer({ port: 0, dir });
  try {
    const { page, problems } = await openPage(env.browser, url);
    await page.goto(url);
    await allRendered(page);
    const weights = await page.evaluate(
      () =>
        document.querySelector('attention-playground').shadowRoot.querySelector('table[data-matrix="weights"]')
          .textContent,
    );
    assert.match(weights, /0\.7870/);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    server.close();
  }
});

/** A page on disk beside the classic bundle, `body` after its script tag, opened from file://. */
async function classicFilePage(name, body) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `attn-file-${name}-`));
  cpSync(path.join(root, 'dist/attention-playground.classic.js'), path.join(dir, 'attention-playground.classic.js'));
  writeFileSync(
    path.join(dir, `${name}.html`),
    `<!doctype html><meta charset="utf-8"><title>${name}</title>
<script src="attention-playground.classic.js"></script>
${body}`,
  );
  const opened = await openPage(env.browser, 'file://');
  await opened.page.goto(pathToFileURL(path.join(dir, `${name}.html`)).href);
  return opened;
}

test('the classic build works from file://', async () => {
  const { page, problems } = await classicFilePage(
    'notes',
    `<attention-steps example="self-attention"></attention-steps>
<attention-heatmap values="[[0.3, 0.2, 0.5]]" rows="杰瑞" cols="Tom,chase,Jerry"></attention-heatmap>`,
  );
  await allRendered(page);
  const output = await page.evaluate(
    () =>
      document.querySelector('attention-steps').shadowRoot.querySelector('table[data-matrix="weights"]').textContent,
  );
  assert.match(output, /0\.4011/);
  await page.waitForFunction(() => document.querySelector('attention-steps').shadowRoot.querySelector('.katex'));
  await fullScreenshot(page, 'classic-file');
  assert.deepEqual(problems, []);
  await page.close();
});

// A notebook author's page opened from disk, one <attention-playground> per example: each shows its
// steps with their formulas typeset, or (the trained translator, whose model file a page on file://
// cannot fetch) says what to do. The classic bundle's KaTeX styles once threw on a formula made
// before its step was attached, leaving quadratic-cost's formulas as raw TeX.
test('the classic build from file://: every example shows, formulas typeset, or says why not', async () => {
  const { page, problems } = await classicFilePage(
    'all',
    EXAMPLES.map((e) => `<attention-playground example="${e.id}"></attention-playground>`).join('\n'),
  );
  const states = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('attention-playground')].map((el) => ({
        id: el.getAttribute('example'),
        steps: el.shadowRoot?.querySelectorAll('section.step').length ?? 0,
        tex: el.shadowRoot?.querySelectorAll('.tex:not(.inline)').length ?? 0,
        typeset: el.shadowRoot?.querySelectorAll('.tex:not(.inline) .katex').length ?? 0,
        message: el.shadowRoot?.querySelector('.message, [role="alert"]')?.textContent ?? '',
      })),
    );
  await page
    .waitForFunction(
      () =>
        [...document.querySelectorAll('attention-playground')].every((el) => {
          const r = el.shadowRoot;
          if (!r) return false;
          if (el.getAttribute('example') === 'trained-translator') return /could not load/.test(r.textContent);
          const tex = r.querySelectorAll('.tex:not(.inline)');
          return r.querySelector('section.step') && [...tex].every((t) => t.querySelector('.katex'));
        }),
      null,
      { timeout: 120_000 },
    )
    .catch(async (e) => {
      throw new Error(`${e.message}\n${JSON.stringify(await states(), null, 1)}\n${problems.join('\n')}`);
    });
  for (const s of await states()) {
    if (s.id === 'trained-translator') continue;
    assert.ok(s.steps > 0 && s.tex > 0 && s.typeset === s.tex, JSON.stringify(s));
  }
  const translator = await page.evaluate(
    () => document.querySelector('attention-playground[example="trained-translator"]').shadowRoot.textContent,
  );
  assert.match(translator, /This example could not load: .*file:\/\/ cannot do: open the page through a web server/);
  // the one expected complaint: the browser refusing the translator's fetch of its model file
  assert.deepEqual(
    problems.filter((p) => !/translator\.safetensors|net::ERR_FAILED/.test(p)),
    [],
  );
  await page.close();
});

test('a page with only <attention-heatmap> does not load KaTeX (nor the WASM)', async () => {
  const dir = siteWithDist('attn-heat-');
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>heat</title>
<script type="module" src="dist/attention-playground.js"></script>
<attention-heatmap values="[[0.1, 0.9], [0.6, 0.4]]" rows="x,y" cols="p,q"></attention-heatmap>`,
  );
  const { server, url } = await startServer({ port: 0, dir });
  try {
    const { page, problems } = await openPage(env.browser, url);
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(url);
    await page.waitForFunction(
      () => document.querySelector('attention-heatmap').shadowRoot.querySelector('canvas').width > 0,
    );
    await page.waitForTimeout(300);
    assert.ok(requests.includes('/dist/attention-playground.js'));
    assert.deepEqual(
      requests.filter((p) => /katex/i.test(p)),
      [],
      'no KaTeX request',
    );
    assert.deepEqual(
      requests.filter((p) => p.endsWith('.wasm')),
      [],
      'no WASM request',
    );
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    server.close();
  }
});
