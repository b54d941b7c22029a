// One long sequence through the public API: attention(q, k, v, { weights: false }) streams (online
// softmax over key tiles) and never builds the N x N matrix, so N = 32768, d = 64 (a 4 GiB matrix
// in float32) completes in a WASM memory under 64 MiB. Its own file, so its own process: the
// memory reported is this call's. Time and memory are recorded as TAP diagnostics; speed is
// measured by `npm run bench`, never asserted here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from 'attention-playground';
import * as ref from './reference.mjs';

test('N = 32768, d = 64, one head, weights: false: completes under 64 MiB of WASM memory', async (t) => {
  const attn = await init();
  const N = 32768, d = 64;
  const next = ref.rng(32768);
  const random = () => ({ data: Float32Array.from({ length: N * d }, () => next(-1, 1)), shape: [N, d] });
  const q = random(), k = random(), v = random();
  const started = performance.now();
  const { output, weights } = attn.attention(q, k, v, { weights: false });
  const seconds = (performance.now() - started) / 1000;
  const memory = attn.memory();
  t.diagnostic(`N = ${N}, d = ${d}: ${seconds.toFixed(2)} s, WASM memory ${(memory.heapBytes / 2 ** 20).toFixed(1)} MiB ` +
    `(${memory.allocatedBytes} bytes still allocated after the call)`);
  assert.equal(weights, null);
  assert.deepEqual(output.shape, [N, d]);
  assert.ok(memory.heapBytes < 64 * 2 ** 20, `WASM memory ${memory.heapBytes} bytes`);
  assert.ok(memory.allocatedBytes < 64 * 1024, 'the call gave its memory back');
  // a few rows against softmax(q kᵀ / 8) v in float64
  for (const i of [0, 1, 12345, N - 1]) {
    const scores = new Float64Array(N);
    let max = -Infinity;
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let p = 0; p < d; p++) s += q.data[i * d + p] * k.data[j * d + p];
      scores[j] = s / 8;
      if (scores[j] > max) max = scores[j];
    }
    let sum = 0;
    for (let j = 0; j < N; j++) sum += (scores[j] = Math.exp(scores[j] - max));
    for (let c = 0; c < d; c++) {
      let want = 0;
      for (let j = 0; j < N; j++) want += scores[j] * v.data[j * d + c];
      want /= sum;
      const got = output.data[i * d + c];
      assert.ok(Math.abs(got - want) <= 1e-5 + 1e-4 * Math.abs(want), `row ${i}, column ${c}: ${got} vs ${want}`);
    }
  }
});
