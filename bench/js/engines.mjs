// The engines `npm run bench` (scripts/bench.mjs) times side by side. Each computes
//   output [H, N, d] = softmax(Q Kᵀ / √d) V   for Q, K, V [H, N, d] (heads as batch)
// from Float32Arrays on the JS side and returns the output as a Float32Array on the JS side, so
// every engine pays for its copies in and out. All run on one thread.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { attentionModel } from './onnx-model.mjs';

const require = createRequire(import.meta.url);

/** This project through its public API (`weights: false` streams; `weights: true` builds [H, N, N]). */
export async function attnEngine({ simd, options = {} }) {
  const { init } = await import('../../web/lib/index.js');
  const attn = await init({ simd });
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
export async function poolEngine({ workers }) {
  const { initPool } = await import('../../web/lib/pool.js');
  const pool = await initPool({ workers, simd: true });
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
export async function tfjsEngine() {
  const tf = await import('@tensorflow/tfjs-core');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dist =
    path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
  wasm.setWasmPaths(dist); // a file path: read with fs, nothing is fetched
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
export async function ortEngine() {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  const sessions = new Map();
  return {
    version:
      ort.env.versions?.web ??
      JSON.parse(readFileSync(require.resolve('onnxruntime-web/package.json'), 'utf8')).version,
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

/** The 128-bit multiply + add ceiling (bench/wasm/ceiling.cpp): GFLOP/s of the best chain count. */
export async function ceilingEngine(wasmPath) {
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
  const counts = [8, 10, 12, 14];
  for (const n of counts) instance.exports[`chains_${n}`](10000, 0.999, 0.001);
  return {
    counts,
    /** { best, byCount } GFLOP/s, each chain count run for about `ms` milliseconds. */
    measure(ms = 25) {
      const byCount = {};
      for (const n of counts) {
        const f = instance.exports[`chains_${n}`];
        const iterations = Math.max(1000, Math.round((ms * 1e6 * 40) / (8 * n * 1000))); // ~40 GFLOP/s guess
        const t0 = performance.now();
        f(iterations, 0.999, 0.001);
        byCount[n] = (8 * n * iterations) / ((performance.now() - t0) * 1e6);
      }
      return { best: Math.max(...Object.values(byCount)), byCount };
    },
  };
}
