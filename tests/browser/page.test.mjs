// The worked-example page in real headless Chromium: loads the SIMD build under the strict CSP,
// shows the correct numbers, recomputes on edit, keeps the last good state on bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, screenshotPath } from './chromium.mjs';
import { CSP } from '../../scripts/serve.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

// The numbers of one matrix figure, by its caption, as shown on the page.
const numbers = (page, caption) => page.$$eval('table.matrix', (tables, cap) => {
  const t = tables.find((x) => x.caption.textContent === cap);
  return [...t.tBodies[0].rows].map((r) => [...r.querySelectorAll('td.num')].map((td) => Number(td.textContent)));
}, caption);

test('the page loads the engine under a strict CSP and shows the correct worked example', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  const response = await page.goto(env.url);
  assert.equal(response.headers()['content-security-policy'], CSP);
  await page.waitForSelector('body[data-ready]');
  assert.match(await page.textContent('#engine'), /SIMD128/);
  assert.deepEqual(await numbers(page, 'Q = X W_Q'), [[1, 0], [0, 1], [1, 1]]);
  assert.deepEqual(await numbers(page, 'Q Kᵀ'), [[1, 0, 1], [0, 1, 1], [1, 1, 2]]);
  // closed forms, to the 4 decimals shown: a = 1/√2
  const a = Math.SQRT1_2, ea = Math.exp(a), e2a = Math.exp(2 * a);
  const round = (m) => m.map((r) => r.map((x) => Number(x.toFixed(4))));
  const w0 = [ea, 1, ea].map((x) => x / (2 * ea + 1)), w2 = [ea, ea, e2a].map((x) => x / (2 * ea + e2a));
  assert.deepEqual(await numbers(page, 'Q Kᵀ / √d_k'), round([[a, 0, a], [0, a, a], [a, a, 2 * a]]));
  assert.deepEqual(await numbers(page, 'softmax(Q Kᵀ / √d_k)'), round([w0, [w0[1], w0[0], w0[2]], w2]));
  assert.deepEqual(await numbers(page, 'weights · V'), round([[w0[0] + w0[2], w0[1] + w0[2]], [w0[0] + w0[2], w0[1] + w0[2]].reverse(), [w2[0] + w2[2], w2[1] + w2[2]]]));
  await page.screenshot({ path: screenshotPath('worked-example-light'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('editing an input recomputes every step; a bad cell shows an error and keeps the last result', async () => {
  const { page, problems } = await openPage(env.browser, env.url, { colorScheme: 'dark' });
  await page.goto(env.url);
  await page.waitForSelector('body[data-ready]');
  const cell = page.getByLabel('X row 3 column 3');
  await cell.fill('2');
  assert.deepEqual(await numbers(page, 'Q = X W_Q'), [[1, 0], [0, 1], [2, 2]]);
  assert.deepEqual((await numbers(page, 'Q Kᵀ'))[2], [2, 2, 8]);
  const before = await numbers(page, 'weights · V');
  await cell.fill('abc');
  assert.equal(await page.isVisible('#error'), true);
  assert.match(await page.textContent('#error'), /“abc” is not a number/);
  assert.equal(await cell.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await numbers(page, 'weights · V'), before);
  await cell.fill('1');
  assert.equal(await page.isVisible('#error'), false);
  await page.screenshot({ path: screenshotPath('worked-example-dark'), fullPage: true });
  assert.deepEqual(problems, []);
});
