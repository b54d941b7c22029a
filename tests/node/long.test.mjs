// One long sequence through the public API: attention(q, k, v, { weights: false }) streams (online
// softmax over key tiles) and never builds the N x N matrix, so N = 32768, d = 64 (a 4 GiB matrix
// in float32) completes in a WASM memory under 64 MiB. Its own file, so its own process: the
// memory reported is this call's. Time and memory are recorded as TAP diagnostics; speed is
// measured by `npm run bench`, never asserted here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from 'attention-playground';
import * as ref from '../support/oracle.mjs';
import { rng } from '../support/random.mjs';

test('N = 32768, d = 64, one head, weights: false: completes under 64 MiB of WASM memory', async (t) => {
  const attn = await init();
  const N = 32768,
    d = 64;
  const next = rng(32768);
  const random = () => ({ data: Float32Array.from({ length: N * d }, () => next(-1, 1)), shape: [N, d] });
  const q = random(),
    k = random(),
    v = random();
  const started = performance.now();
  const { output, weights } = attn.attention(q, k, v, { weights: false });
  const seconds = (performance.now() - started) / 1000;
  const memory = attn.memory();
  t.diagnostic(
    `N = ${N}, d = ${d}: ${seconds.toFixed(2)} s, WASM memory ${(memory.heapBytes / 2 ** 20).toFixed(1)} MiB ` +
      `(${memory.allocatedBytes} bytes still allocated after the call)`,
  );
  assert.equal(weights, null);
  assert.deepEqual(output.shape, [N, d]);
  assert.ok(memory.heapBytes < 64 * 2 ** 20, `WASM memory ${memory.heapBytes} bytes`);
  assert.ok(memory.allocatedBytes < 64 * 1024, 'the call gave its memory back');
  // a few rows against the float64 oracle's softmax(q kᵀ / 8) v
  const keys = ref.exact(N, d, k.data),
    values = ref.exact(N, d, v.data);
  for (const i of [0, 1, 12345, N - 1]) {
    const query = ref.exact(1, d, q.data.subarray(i * d, (i + 1) * d));
    const want = ref.attend(
      query,
      keys,
      values,
      { scoring: 'scaled_dot', keep: () => true, fill: -1e6, temperature: 1 },
      new ref.Overflow(),
    ).out.val;
    for (let c = 0; c < d; c++) {
      const got = output.data[i * d + c];
      assert.ok(
        Math.abs(got - want[c]) <= 1e-5 + 1e-4 * Math.abs(want[c]),
        `row ${i}, column ${c}: ${got} vs ${want[c]}`,
      );
    }
  }
});
