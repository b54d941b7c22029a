// Bad input: a TypeError or RangeError whose message names the argument; never an abort; the engine
// stays usable and its memory stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../support/relaxed.mjs';
import { init } from 'attention-playground';
import { k, q, v } from '../support/matrices.mjs';
import { REFUSALS } from '../support/refusals.mjs';
import { SEED_W, SEED_X } from '../../web/components/examples/self-attention.js';

// the refusals of every suite live in one table (tests/support/refusals.mjs); here each is checked
// on every build, then many of them in a row against the engine's memory
const builds = [
  ['simd', await init({ isa: 'simd128' })],
  ['scalar', await init({ isa: 'scalar' })],
  ['relaxed', await init({ isa: 'relaxed-simd' })],
];

for (const [build, attn] of builds) {
  test(`[${build}] every bad input throws the right error, naming the argument`, () => {
    for (const [what, call, type, pattern] of REFUSALS) {
      assert.throws(
        () => call(attn),
        (e) => {
          assert.equal(e.constructor, type, `${what}: got ${e.constructor.name}: ${e.message}`);
          assert.match(e.message, pattern, what);
          return true;
        },
        what,
      );
    }
  });

  test(`[${build}] the engine stays correct and its memory bounded after many errors`, () => {
    const before = attn.selfAttention(SEED_X, { wq: SEED_W, wk: SEED_W, wv: SEED_W }).output.toArray();
    for (let round = 0; round < 3; round++) for (const [, call] of REFUSALS) assert.throws(() => call(attn));
    const baseline = attn.memory();
    for (let round = 0; round < 40; round++) {
      for (const [, call] of REFUSALS) assert.throws(() => call(attn));
      attn.attention(q, k, v, { trace: true });
      attn.multiHeadAttention([q], [q], [q], { numHeads: 2, wq: q, wk: q, wv: q, wo: q });
    }
    const after = attn.memory();
    assert.equal(after.heapBytes, baseline.heapBytes, 'the WASM memory did not grow');
    assert.ok(
      after.allocatedBytes <= baseline.allocatedBytes + 4096,
      `allocated ${after.allocatedBytes} bytes after, ${baseline.allocatedBytes} before`,
    );
    assert.deepEqual(attn.selfAttention(SEED_X, { wq: SEED_W, wk: SEED_W, wv: SEED_W }).output.toArray(), before);
  });

  test(`[${build}] a large call, then small ones: memory is given back`, () => {
    const n = 1500;
    const big = { data: new Float32Array(n * 8).fill(0.01), shape: [n, 8] };
    const baseline = attn.memory().allocatedBytes;
    const r = attn.attention(big, big, big);
    assert.deepEqual(r.weights.shape, [n, n]);
    assert.ok(attn.memory().allocatedBytes <= baseline + 4096, 'nothing of the call stays allocated');
  });
}
