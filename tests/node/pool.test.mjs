// The worker pool (web/lib/pool.js) in Node's worker_threads: every engine method, async, with the
// engine's results bit for bit (split calls included: by batch and by query rows, at sizes around
// the kernels' spans) and the engine's errors; a crashed worker's call rejected and the worker
// replaced; the calling-thread fallback (workers: 0).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, initPool } from '../../web/lib/api.js';

let attn, pool;
before(async () => {
  attn = await init();
  pool = await initPool({ workers: 2 });
});
after(() => pool.close());

const same = (a, b, what) => {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  // bit for bit: compare the bytes, so -0 / +0 and NaN payloads count too
  assert.ok(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer)), `${what}: not bit-identical`);
};

test('the pool runs the build init() loads, in two workers, with every engine method', () => {
  assert.equal(pool.workers, 2);
  assert.equal(pool.isa, attn.isa);
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(attn))) {
    if (name !== 'constructor') assert.equal(typeof pool[name], 'function', name);
  }
});

test('pool.loadModel loads a model on the calling thread, with the pool build, and it translates', async () => {
  const { readFileSync } = await import('node:fs');
  const bytes = new Uint8Array(readFileSync(new URL('../../model/translator.safetensors', import.meta.url)));
  const model = await pool.loadModel(bytes);
  assert.deepEqual(model.greedy(model.encode('Tom chase Jerry')).tokens, ['<bos>', '汤姆', '追逐', '杰瑞', '<eos>']);
  model.dispose();
  await assert.rejects(pool.loadModel(bytes.subarray(0, 5)), RangeError);
});

test('split calls are bit-identical to the synchronous engine', async () => {
  const r = (shape, seed) => attn.random(shape, { seed });
  const cases = [
    // unbatched, split by query rows (Q over two spans of 256), odd key counts
    ['rows', [r([1000, 24], 1), r([777, 24], 2), r([777, 9], 3)], {}],
    ['rows, weights: false', [r([1300, 64], 4), r([600, 64], 5), r([600, 64], 6)], { weights: false }],
    [
      'rows, trace, additive',
      [r([520, 8], 7), r([130, 8], 8), r([130, 5], 9)],
      {
        trace: true,
        scoring: 'additive',
        wq: r([8, 6], 10),
        wk: r([8, 6], 11),
        v: r([6], 12),
      },
    ],
    [
      'rows, per-row lengths and a mask',
      [r([600, 16], 13), r([300, 16], 14), r([300, 16], 15)],
      {
        validLens: Array.from({ length: 600 }, (_, i) => (i * 7) % 301),
        mask: { data: Float32Array.from({ length: 600 * 300 }, (_, i) => (i % 5 ? 1 : 0)), shape: [600, 300] },
        fill: -Infinity,
      },
    ],
    ['batch, causal', [r([3, 300, 16], 16), r([3, 300, 16], 17), r([3, 300, 8], 18)], { causal: true }],
    [
      'batch and rows, [B, Q] lengths',
      [r([2, 700, 16], 19), r([2, 260, 16], 20), r([2, 260, 16], 21)],
      {
        validLens: { data: Float64Array.from({ length: 1400 }, (_, i) => i % 261), shape: [2, 700] },
      },
    ],
  ];
  for (const [what, [q, k, v], options] of cases) {
    const want = attn.attention(q, k, v, options);
    const got = await pool.attention(q, k, v, options);
    same(got.output, want.output, `${what} output`);
    if (want.weights) same(got.weights, want.weights, `${what} weights`);
    else assert.equal(got.weights, null);
    if (want.steps) for (const s of Object.keys(want.steps)) same(got.steps[s], want.steps[s], `${what} steps.${s}`);
  }
  const D = 16,
    w = (seed) => r([D, D], seed);
  const mh = { numHeads: 4, wq: w(30), wk: w(31), wv: w(32), wo: w(33), bq: r([D], 34) };
  for (const [what, q, kv] of [
    ['multi-head, rows', r([900, D], 35), r([300, D], 36)],
    ['multi-head, batch', r([2, 300, D], 37), r([2, 300, D], 38)],
  ]) {
    const want = attn.multiHeadAttention(q, kv, kv, mh);
    const got = await pool.multiHeadAttention(q, kv, kv, mh);
    same(got.output, want.output, `${what} output`);
    same(got.weights, want.weights, `${what} weights`);
  }
  const x = r([2, 300, 8], 40);
  const sa = { wq: r([8, 8], 41), wk: r([8, 8], 42), wv: r([8, 8], 43) };
  same((await pool.selfAttention(x, sa)).output, attn.selfAttention(x, sa).output, 'selfAttention, batch');
});

test("repeated split calls, their pieces in the buffers the workers handed back: bit-identical, the caller's arrays intact", async () => {
  for (let i = 0; i < 4; i++) {
    const [q, k, v] = [0, 1, 2].map((j) => attn.random([2, 600, 16], { seed: 60 + 3 * i + j }));
    const before = [q, k, v].map((t) => t.data.slice());
    const options = i % 2 ? { weights: false } : {};
    const want = attn.attention(q, k, v, options);
    const got = await pool.attention(q, k, v, options);
    same(got.output, want.output, `call ${i} output`);
    if (want.weights) same(got.weights, want.weights, `call ${i} weights`);
    [q, k, v].forEach((t, j) => assert.deepEqual(t.data, before[j], `call ${i}: input ${j} changed`));
  }
});

test('inputs on a SharedArrayBuffer: the worker shares them and hands back only what it can move', async () => {
  const shared = (t) => {
    const data = new Float32Array(new SharedArrayBuffer(t.data.byteLength));
    data.set(t.data);
    return { data, shape: t.shape };
  };
  const [q, k, v] = [70, 71, 72].map((seed) => shared(attn.random([20, 8], { seed })));
  same((await pool.attention(q, k, v)).output, attn.attention(q, k, v).output, 'shared inputs');
});

test('four workers split by batch and rows at once; the scalar build in a pool is the scalar engine', async () => {
  const r = (shape, seed) => attn.random(shape, { seed });
  const q = r([2, 700, 16], 50),
    k = r([2, 333, 16], 51);
  const four = await initPool({ workers: 4 });
  try {
    same((await four.attention(q, k, k)).weights, attn.attention(q, k, k).weights, '2 batches × 2 row pieces');
  } finally {
    four.close();
  }
  const scalar = await init({ simd: false });
  const slow = await initPool({ workers: 2, simd: false });
  try {
    assert.equal(slow.isa, 'scalar');
    const x = r([600, 16], 52);
    same((await slow.attention(x, x, x)).output, scalar.attention(x, x, x).output, 'scalar, rows');
  } finally {
    slow.close();
  }
});

test('calls that are not split give the same results: softmax, random, downsample, parseMatrix', async () => {
  same(await pool.softmax([[1, 2, 3]]), attn.softmax([[1, 2, 3]]), 'softmax');
  same(await pool.random([4, 5], { seed: 9 }), attn.random([4, 5], { seed: 9 }), 'random');
  const x = attn.random([50, 70], { seed: 3 });
  const d = await pool.downsample(x, { rows: 7, cols: 9, reduce: 'max' });
  same(d.values, attn.downsample(x, { rows: 7, cols: 9, reduce: 'max' }).values, 'downsample');
  assert.deepEqual(await pool.parseMatrix('[[1, 2], [3, 4]]'), [
    [1, 2],
    [3, 4],
  ]);
});

test("errors are the engine's own: same class, same message, split or not", async () => {
  const q = attn.random([1024, 8], { seed: 1 }),
    k = attn.random([1024, 8], { seed: 2 });
  const calls = [
    ['attention', [q, attn.random([1024, 4], { seed: 3 }), k]], // dk ≠ dq, a split-sized call
    ['attention', [q, k, k, { causel: true }]],
    ['attention', [q, k, k, { validLens: 2000 }]],
    ['attention', [q, k, k, { temperature: () => 1 }]], // cannot be cloned: refused on this thread
    ['attention', [[[1, 2], [3]], k, k]],
    ['softmax', ['nope']],
    ['downsample', [[[1, 2]], { rows: 3, cols: 1 }]],
    ['parseMatrix', ['[[1, 2']],
  ];
  for (const [method, args] of calls) {
    let want;
    try {
      attn[method](...args);
    } catch (e) {
      want = e;
    }
    assert.ok(want, `${method}: the engine refuses it`);
    await assert.rejects(
      pool[method](...args),
      (e) => e.constructor === want.constructor && e.message === want.message,
    );
  }
});

test('a worker that crashes during a call: the call is rejected, never left hanging, and the worker replaced', async () => {
  const p = await initPool({ workers: 1 });
  try {
    p[Symbol.for('attention-playground.pool.crash')](0);
    const call = p.softmax([[1, 2]]); // sent to the worker that is about to crash
    await assert.rejects(call, /the worker running softmax crashed/);
    await waitFor(() => p.workers === 1);
    same(await p.softmax([[1, 2]]), attn.softmax([[1, 2]]), 'the replacement answers');
    // a split call whose piece is lost is rejected as a whole (the first piece goes to the first
    // worker, in the same task as the call)
    const q = attn.random([2048, 16], { seed: 2 });
    const p2 = await initPool({ workers: 2 });
    p2[Symbol.for('attention-playground.pool.crash')](0);
    await assert.rejects(p2.attention(q, q, q), /crashed/);
    await waitFor(() => p2.workers === 2);
    same((await p2.attention(q, q, q)).output, attn.attention(q, q, q).output, 'after the replacement');
    p2.close();
  } finally {
    p.close();
  }
});

test('workers: 0 runs on the calling thread, with the same results and errors', async () => {
  const p = await initPool({ workers: 0 });
  assert.equal(p.workers, 0);
  same(
    (
      await p.attention(
        [[1, 0]],
        [
          [1, 0],
          [0, 1],
        ],
        [[1], [2]],
      )
    ).output,
    attn.attention(
      [[1, 0]],
      [
        [1, 0],
        [0, 1],
      ],
      [[1], [2]],
    ).output,
    'local',
  );
  await assert.rejects(p.softmax('x'), TypeError);
  await assert.rejects(initPool({ workers: -1 }), RangeError);
  await assert.rejects(initPool({ workers: '2' }), TypeError);
  p.close();
});

async function waitFor(ok) {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ok(), 'timed out');
}
