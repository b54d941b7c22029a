// The worker pool in headless Chromium, under the page's strict CSP: module Web Workers started
// from 'self' by the package's module (web/lib/; the bundled elements' pool, dist/pool-worker.js,
// is exercised by #example=quadratic-cost in playground.test.mjs), results bit for bit the
// engine's, a crashed worker's call rejected; and the main thread has no long task (> 50 ms) while
// a pool call of seconds runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './chromium.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

const ready = (page) =>
  page
    .waitForSelector('body[data-ready]')
    .then(() =>
      page.waitForFunction(() => document.querySelector('attention-playground').shadowRoot.querySelector('.step')),
    );

test('the package module: a pool of two Web Workers under the strict CSP, bit for bit, errors, a crash', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=self-attention`);
  await ready(page);
  const r = await page.evaluate(`(async () => {
    const { init, initPool } = await import('/lib/api.js');
    const attn = await init();
    const pool = await initPool({ workers: 2 });
    const q = attn.random([1300, 32], { seed: 1 }), k = attn.random([700, 32], { seed: 2 });
    const a = attn.attention(q, k, k), b = await pool.attention(q, k, k);
    const same = (x, y) => x.data.length === y.data.length && x.data.every((v, i) => Object.is(v, y.data[i]));
    let error = null;
    try { await pool.attention(q, [[1]], k); } catch (e) { error = [e.constructor.name, e.message]; }
    let want = null;
    try { attn.attention(q, [[1]], k); } catch (e) { want = [e.constructor.name, e.message]; }
    pool[Symbol.for('attention-playground.pool.crash')](0);
    let crash = null;
    try { await pool.softmax([[1, 2]]); } catch (e) { crash = e.message; }
    for (let i = 0; i < 200 && pool.workers < 2; i++) await new Promise((r) => setTimeout(r, 25));
    const after = same(await pool.softmax([[1, 2]]), attn.softmax([[1, 2]]));
    const out = { workers: pool.workers, isa: pool.isa === attn.isa, output: same(a.output, b.output),
      weights: same(a.weights, b.weights), error, want, crash, after };
    pool.close();
    return out;
  })()`);
  assert.equal(r.workers, 2);
  assert.ok(r.isa && r.output && r.weights, 'bit for bit');
  assert.deepEqual(r.error, r.want);
  assert.match(r.crash, /the worker running softmax crashed/);
  assert.ok(r.after, 'the replacement answers');
  // the worker's own "crash requested" error is reported by the browser; nothing else may be
  assert.deepEqual(
    problems.filter((p) => !/crash requested/.test(p)),
    [],
  );
  await page.close();
});

test('no long task on the main thread while a pool call of seconds runs (N = 16384)', async () => {
  const { page, problems } = await openPage(env.browser, env.url);
  await page.goto(`${env.url}#example=self-attention`);
  await ready(page);
  // The workers take both cores of this machine, so the main thread's own tasks may be stretched by
  // the OS; the page therefore runs nothing of its own meanwhile but a 20 ms timer, and the test
  // has up to five tries: a task over 50 ms in all five is the page blocking, not the machine.
  let tries = [];
  for (let t = 0; t < 5; t++) {
    const r = await page.evaluate(`(async () => {
      const { initPool } = await import('/lib/api.js');
      const pool = await initPool({ workers: 2 });
      const q = await pool.random([16384, 64], { seed: 1 });
      const small = { data: q.data.slice(0, 4096), shape: [64, 64] };
      await pool.attention(small, small, small); // warm: the workers have compiled and run once
      const long = [];
      const observer = new PerformanceObserver((list) => long.push(...list.getEntries().map((e) => e.duration)));
      observer.observe({ type: 'longtask' });
      let ticks = 0;
      const timer = setInterval(() => ticks++, 20);
      const t0 = performance.now();
      const { output } = await pool.attention(q, q, q, { weights: false });
      const ms = performance.now() - t0;
      clearInterval(timer);
      await new Promise((r) => setTimeout(r, 100)); // let the observer deliver
      observer.disconnect();
      pool.close();
      return { long, ms, ticks, shape: output.shape };
    })()`);
    tries.push(r);
    if (r.long.length === 0) break;
  }
  const last = tries[tries.length - 1];
  assert.deepEqual(last.shape, [16384, 64]);
  assert.ok(last.ms > 200, `the call took ${last.ms} ms: long enough to have blocked`);
  // the event loop kept turning: the timer fired through the call (every 20 ms if nothing held it)
  assert.ok(last.ticks >= last.ms / 200, `${last.ticks} timer ticks during ${last.ms} ms`);
  assert.deepEqual(last.long, [], `long tasks in every try: ${JSON.stringify(tries.map((r) => r.long))}`);
  assert.deepEqual(problems, []);
  await page.close();
});
