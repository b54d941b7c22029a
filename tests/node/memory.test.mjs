// Out of memory inside WebAssembly is a RangeError the caller can catch, after which the instance
// works as before. The production modules may grow to 2 GiB, more than any one call can use, so the
// test runs build/wasm/oom/attention_oom: the same sources and flags with a 64 MiB ceiling (the
// second test checks that the glue differs in nothing else), where inputs well under the size
// limit exhaust the heap: while staging an argument (_stage), or while computing a result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AttentionEngine } from 'attention-playground';
import { SEED_W, SEED_X } from '../../web/components/examples/self-attention.js';

const dir = new URL('../../build/wasm/oom/', import.meta.url);
const { default: factory } = await import(new URL('attention_oom.js', dir).href);
const attn = new AttentionEngine(await factory({ wasmBinary: readFileSync(new URL('attention_oom.wasm', dir)) }), true);
const CEILING = 64 * 2 ** 20;

const seedExample = () => attn.selfAttention(SEED_X, { wq: SEED_W, wk: SEED_W, wv: SEED_W }).output.data;
const OOM =
  /^out of memory: the WebAssembly heap cannot grow enough for this call; use smaller inputs \(the engine is still usable\)$/;

test('running out of WebAssembly memory is a RangeError, and the engine keeps working', (t) => {
  const before = seedExample();
  const baseline = attn.memory().allocatedBytes;
  // each under the size limit of 2^24 elements, each more than a 64 MiB heap holds
  const half = { data: new Float32Array(2 ** 23).fill(0.5), shape: [2 ** 13, 2 ** 10] }; // 32 MiB
  const rows = { data: new Float32Array(2 ** 22), shape: [2 ** 11, 2 ** 11] }; // 16 MiB
  const eye = { data: new Float32Array(2 ** 22), shape: [2 ** 11, 2 ** 11] };
  for (let i = 0; i < 2 ** 11; i++) eye.data[i * 2 ** 11 + i] = 1;
  const calls = {
    // the second 32 MiB argument does not fit: _stage itself runs out
    subtract: () => attn.subtract(half, half),
    // the arguments fit, the result does not
    softmax: () => attn.softmax(half),
    attention: () => attn.attention(rows, rows, rows, { trace: true }),
    multiHeadAttention: () =>
      attn.multiHeadAttention(rows, rows, rows, { numHeads: 2, wq: eye, wk: eye, wv: eye, wo: eye }),
    positionalEncoding: () => attn.positionalEncoding(4096, 4096),
  };
  let refused = 0;
  for (let round = 0; round < 4; round++) {
    for (const [name, call] of Object.entries(calls)) {
      assert.throws(
        call,
        (e) => e instanceof RangeError && OOM.test(e.message),
        `${name}: expected the out-of-memory RangeError`,
      );
      refused++;
      assert.deepEqual(seedExample(), before, `${name}: the engine answers differently after running out of memory`);
    }
  }
  assert.equal(refused, 20);
  const after = attn.memory();
  assert.ok(after.heapBytes <= CEILING, `the heap grew to ${after.heapBytes} bytes, over its ${CEILING} ceiling`);
  assert.ok(
    after.allocatedBytes <= baseline + 4096,
    `${after.allocatedBytes - baseline} bytes of the failed calls stayed allocated`,
  );
  // and a call that fits still runs, with the right numbers: softmax of equal entries is uniform
  const fits = attn.softmax({ data: new Float32Array(2 ** 21).fill(1), shape: [2 ** 11, 2 ** 10] });
  assert.equal(fits.data[12345], 2 ** -10);
  t.diagnostic(
    `out of memory: ${refused} calls refused with a RangeError, the seed example bit for bit after each; ` +
      `heap ${(after.heapBytes / 2 ** 20).toFixed(0)} MiB of ${CEILING / 2 ** 20}, ${after.allocatedBytes - baseline} bytes left allocated`,
  );
});

test('the out-of-memory module is the production SIMD module but for its heap ceiling', () => {
  const production = readFileSync(new URL('../../web/lib/wasm/attention_simd.js', import.meta.url), 'utf8');
  const small = readFileSync(new URL('attention_oom.js', dir), 'utf8');
  assert.match(production, /function _emscripten_get_heap_max\(\)\{return 2147483648\}/, 'production: a 2 GiB ceiling');
  assert.match(small, /function _emscripten_get_heap_max\(\)\{return 67108864\}/, 'test module: a 64 MiB ceiling');
  const normalised = small
    .replaceAll('attention_oom', 'attention_simd')
    .replace('return 67108864', 'return 2147483648');
  assert.equal(normalised, production, 'the glue differs in more than the name and the ceiling');
  // malloc fails softly (ABORTING_MALLOC=0): growing past the ceiling returns false, never aborts
  assert.match(production, /if\(requestedSize>maxHeapSize\)\{return false\}/);
  assert.doesNotMatch(production, /abortOnCannotGrowMemory/);
});
