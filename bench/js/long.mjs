// One long sequence in a fresh process (so the WASM memory it reports is this call's alone):
//   node bench/js/long.mjs [N] [d]   ->   JSON { N, d, ms, heapBytes, allocatedBytes, ... }
// attention(q, k, v, { weights: false }) streams: it never builds the N x N matrix.
import { init } from '../../web/lib/index.js';

const N = Number(process.argv[2] ?? 32768),
  d = Number(process.argv[3] ?? 64);
const attn = await init();
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
const x = () => ({ data: Float32Array.from({ length: N * d }, random), shape: [N, d] });
const q = x(),
  k = x(),
  v = x();
const before = attn.memory();
const t0 = performance.now();
const { output } = attn.attention(q, k, v, { weights: false });
const ms = performance.now() - t0;
const after = attn.memory();
let finite = true;
for (const y of output.data) finite &&= Number.isFinite(y);
process.stdout.write(
  `${JSON.stringify({
    N,
    d,
    ms,
    gflops: (4 * N * N * d) / (ms * 1e6),
    heapBytes: after.heapBytes,
    allocatedBytes: after.allocatedBytes,
    heapBytesBefore: before.heapBytes,
    finite,
    isa: attn.isa,
  })}\n`,
);
