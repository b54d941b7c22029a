// attention-playground: attention computed in C++/WebAssembly, for Node >= 20 and browsers.
//
//   import { init } from 'attention-playground';
//   const attn = await init();
//   const { output, weights } = attn.attention(queries, keys, values, { causal: true });
import { AttentionEngine } from './engine.js';
import { loadModule, simdSupported } from './loader.js';

export { AttentionEngine } from './engine.js';
export { Tensor } from './tensor.js';
export { simdSupported } from './loader.js';

const engines = new Map();

/**
 * Loads the engine (once per build; later calls return the same engine).
 * @param {{ simd?: 'auto' | boolean }} [options] 'auto' (default) picks the SIMD build where
 *   WebAssembly.validate accepts SIMD128; false forces the scalar build; true requires SIMD.
 * @returns {Promise<AttentionEngine>}
 */
export async function init({ simd = 'auto' } = {}) {
  if (simd !== 'auto' && simd !== true && simd !== false) {
    throw new TypeError(`init: simd must be 'auto', true or false, got ${JSON.stringify(simd)}`);
  }
  const supported = simdSupported();
  if (simd === true && !supported) {
    throw new Error(
      'init: this JavaScript engine does not support WebAssembly SIMD128; use init() or init({ simd: false })',
    );
  }
  const useSimd = simd === 'auto' ? supported : simd;
  const which = useSimd ? 'simd' : 'scalar';
  if (!engines.has(which)) {
    const promise = loadModule(which).then((module) => new AttentionEngine(module, useSimd));
    promise.catch(() => engines.delete(which));
    engines.set(which, promise);
  }
  return engines.get(which);
}
