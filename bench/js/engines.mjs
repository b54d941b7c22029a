// The engines `npm run bench` (scripts/bench.mjs) times side by side. Each computes
//   output [H, N, d] = softmax(Q Kᵀ / √d) V   for Q, K, V [H, N, d] (heads as batch)
// from Float32Arrays on the JS side and returns the output as a Float32Array on the JS side, so
// every engine pays for its copies in and out. All run on one thread.
// The same module runs in headless Chromium (`npm run bench -- --browser`): the Node-only look-ups
// (where the peers' WASM files are) happen only when the caller does not pass them.
import { attentionModel } from './onnx-model.mjs';
import { randomArray } from './rounds.mjs';

async function nodeRequire() {
  const { createRequire } = await import('node:module');
  return createRequire(import.meta.url);
}

/**
 * This project through its public API (`weights: false` streams; `weights: true` builds [H, N, N]),
 * the build named by `isa` ('relaxed-simd', 'simd128', 'scalar'). `init` is the package's (Node)
 * or the page's (the browser bench) init.
 */
export async function attnEngine({ isa, options = {}, init }) {
  init ??= (await import('../../web/lib/index.js')).init;
  const attn = await init({ isa });
  return {
    attn,
    prepare({ H, N, d, q, k, v }) {
      const shape = [H, N, d];
      const Q = { data: q, shape },
        K = { data: k, shape },
        V = { data: v, shape };
      const o = { weights: false, ...(typeof options === 'function' ? options({ H, N }) : options) };
      return () => attn.attention(Q, K, V, o).output.data;
    },
  };
}

/**
 * This project's worker pool (web/lib/pool.js): the same call as attnEngine's (SIMD build), split
 * by batch (heads) or query rows over `workers` worker_threads, the inputs copied to the workers.
 */
export async function poolEngine({ workers, isa }) {
  const { initPool } = await import('../../web/lib/pool.js');
  const pool = await initPool({ workers, isa });
  return {
    pool,
    prepare({ H, N, d, q, k, v }) {
      const shape = [H, N, d];
      const Q = { data: q, shape },
        K = { data: k, shape },
        V = { data: v, shape };
      return async () => (await pool.attention(Q, K, V, { weights: false })).output.data;
    },
  };
}

/** Plain JS loops: one query row at a time, scores, max-subtracted exp, weighted sum of values. */
export async function jsEngine() {
  return {
    prepare({ H, N, d, q, k, v }) {
      const scale = 1 / Math.sqrt(d);
      const s = new Float64Array(N),
        acc = new Float64Array(d);
      return () => {
        const out = new Float32Array(H * N * d);
        for (let h = 0; h < H; h++) {
          const base = h * N * d;
          for (let i = 0; i < N; i++) {
            const qi = base + i * d;
            let max = -Infinity;
            for (let j = 0; j < N; j++) {
              const kj = base + j * d;
              let dot = 0;
              for (let p = 0; p < d; p++) dot += q[qi + p] * k[kj + p];
              s[j] = dot * scale;
              if (s[j] > max) max = s[j];
            }
            let sum = 0;
            for (let j = 0; j < N; j++) sum += s[j] = Math.exp(s[j] - max);
            acc.fill(0);
            for (let j = 0; j < N; j++) {
              const w = s[j],
                vj = base + j * d;
              for (let c = 0; c < d; c++) acc[c] += w * v[vj + c];
            }
            for (let c = 0; c < d; c++) out[qi + c] = acc[c] / sum;
          }
        }
        return out;
      };
    },
  };
}

/**
 * @tensorflow/tfjs-backend-wasm (XNNPACK), single-threaded, its SIMD build loaded from
 * node_modules. Driven the way it is fast: per head with 2-D matMul (a batched, 3-D matMul takes
 * a slow path), and with Kᵀ transposed explicitly, because matMul(q, k, false, true) also leaves
 * XNNPACK (measured here: 2 GFLOP/s against 17-29 without the transpose flag). Q is scaled before
 * Q Kᵀ (N·d multiplies instead of N²), in its favour.
 */
export async function tfjsEngine({ wasmPaths } = {}) {
  const tf = await import('@tensorflow/tfjs-core');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!wasmPaths) {
    // in Node a file path: read with fs, nothing is fetched
    const file = (await nodeRequire()).resolve('@tensorflow/tfjs-backend-wasm/package.json');
    wasmPaths = `${file.slice(0, file.lastIndexOf('/'))}/dist/`;
  }
  wasm.setWasmPaths(wasmPaths);
  wasm.setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
  if (!tf.env().getBool('WASM_HAS_SIMD_SUPPORT')) throw new Error('tfjs-backend-wasm: no SIMD');
  return {
    version: tf.version_core,
    prepare({ H, N, d, q, k, v }) {
      const scale = tf.scalar(1 / Math.sqrt(d));
      return () => {
        const out = new Float32Array(H * N * d);
        for (let h = 0; h < H; h++) {
          const at = h * N * d,
            end = at + N * d;
          const o = tf.tidy(() => {
            const qh = tf.mul(tf.tensor2d(q.subarray(at, end), [N, d]), scale);
            const kt = tf.transpose(tf.tensor2d(k.subarray(at, end), [N, d]));
            const vh = tf.tensor2d(v.subarray(at, end), [N, d]);
            return tf.matMul(tf.softmax(tf.matMul(qh, kt)), vh);
          });
          out.set(o.dataSync(), at);
          o.dispose();
        }
        return out;
      };
    },
  };
}

/**
 * onnxruntime-web, WASM execution provider, single-threaded, with an attention graph built in JS
 * (onnx-model.mjs: Transpose, MatMul, Mul, Softmax, MatMul over [H, N, d]), all graph
 * optimisations on (it fuses the scaling into the MatMul).
 */
export async function ortEngine({ wasmPaths } = {}) {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  if (wasmPaths) ort.env.wasm.wasmPaths = wasmPaths;
  const sessions = new Map();
  return {
    version: ort.env.versions?.web,
    async prepare({ H, N, d, q, k, v }) {
      const key = `${H}x${N}x${d}`;
      if (!sessions.has(key)) {
        sessions.set(
          key,
          await ort.InferenceSession.create(attentionModel(H, N, d), {
            executionProviders: ['wasm'],
            graphOptimizationLevel: 'all',
          }),
        );
      }
      const session = sessions.get(key);
      const dims = [H, N, d];
      return async () => {
        const feeds = {
          Q: new ort.Tensor('float32', q, dims),
          K: new ort.Tensor('float32', k, dims),
          V: new ort.Tensor('float32', v, dims),
        };
        const { O } = await session.run(feeds);
        return O.data; // already copied out of the WASM heap into a Float32Array
      };
    },
  };
}

/**
 * The engines of `npm run bench`'s table: both SIMD builds (the relaxed one where this JavaScript
 * engine runs it), their masks, the scalar build and the peers; and the 8x8 calls whose per-call
 * overhead it measures. `init` and `wasmPaths` as for attnEngine, tfjsEngine and ortEngine (the
 * browser bench passes them).
 */
export async function makeEngines({ relaxed, pool = false, init, wasmPaths = {} }) {
  const attn = (o) => attnEngine({ ...o, init });
  const best = relaxed ? 'relaxed-simd' : 'simd128';
  const engines = {};
  if (relaxed) {
    engines['attn-relaxed'] = {
      label: 'attention-playground, relaxed-SIMD build, weights: false',
      engine: await attn({ isa: 'relaxed-simd' }),
    };
  }
  engines['attn-simd'] = {
    label: 'attention-playground, SIMD128 build, weights: false',
    engine: await attn({ isa: 'simd128' }),
  };
  const tag = relaxed ? 'relaxed SIMD' : 'SIMD128';
  Object.assign(engines, {
    'attn-best-weights': {
      label: `attention-playground, ${tag}, weights: true`,
      engine: await attn({ isa: best, options: { weights: true } }),
    },
    'attn-scalar': {
      label: 'attention-playground, scalar build, weights: false',
      engine: await attn({ isa: 'scalar' }),
    },
    'attn-best-lens': {
      label: `attention-playground, ${tag}, validLens [H] = N - 1`,
      sizes: ['b', 'c'],
      masked: true,
      engine: await attn({ isa: best, options: ({ H, N }) => ({ validLens: new Array(H).fill(N - 1) }) }),
    },
    'attn-best-causal': {
      label: `attention-playground, ${tag}, causal`,
      sizes: ['b', 'c'],
      masked: true,
      engine: await attn({ isa: best, options: { causal: true } }),
    },
  });
  if (relaxed) {
    engines['attn-simd-causal'] = {
      label: 'attention-playground, SIMD128, causal',
      sizes: ['b', 'c'],
      masked: true,
      engine: await attn({ isa: 'simd128', options: { causal: true } }),
    };
  }
  if (pool) {
    // Node only (worker_threads): the browser bench has no pool row
    engines['attn-pool'] = {
      label: `attention-playground, ${tag}, pool of 2 workers, weights: false`,
      sizes: ['c', 'd'],
      engine: await poolEngine({ workers: 2, isa: best }),
    };
  }
  engines.js = { label: 'plain JS loops', engine: await jsEngine() };
  const tfjs = await tfjsEngine({ wasmPaths: wasmPaths.tfjs });
  engines.tfjs = { label: `tfjs-backend-wasm ${tfjs.version} (XNNPACK, per head)`, engine: tfjs };
  const ort = await ortEngine({ wasmPaths: wasmPaths.ort });
  engines.ort = { label: `onnxruntime-web ${ort.version} (wasm, graph)`, engine: ort };
  // the per-call overhead at 8x8 (typed arrays and nested arrays), on the build init() picks
  const picked = engines[relaxed ? 'attn-relaxed' : 'attn-simd'].engine.attn;
  const small = [4, 5, 6].map((seed) => randomArray(64, seed));
  const typed8 = small.map((x) => ({ data: x, shape: [8, 8] }));
  const nested8 = small.map((x) => Array.from({ length: 8 }, (_, i) => Array.from(x.subarray(i * 8, i * 8 + 8))));
  const overhead = {
    typed: () => picked.attention(...typed8, { weights: false }),
    nested: () => picked.attention(...nested8, { weights: false }),
  };
  return { engines, overhead, best };
}
