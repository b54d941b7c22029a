// attention-playground: attention computed in C++/WebAssembly, for Node >= 20 and browsers.
//
//   import { init } from 'attention-playground';
//   const attn = await init();
//   const { output, weights } = attn.attention(queries, keys, values, { causal: true });
import { AttentionEngine } from './engine.js';
import { BUILD, ISAS, loadModule, supportedIsas } from './loader.js';

export { AttentionEngine } from './engine.js';
export { Tensor } from './tensor.js';
export { relaxedSimdSupported, simdSupported, supportedIsas } from './loader.js';

const engines = new Map();

/**
 * Loads the engine (once per build; later calls return the same engine).
 * @param {{ isa?: 'auto' | 'relaxed-simd' | 'simd128' | 'scalar', simd?: 'auto' | boolean }} [options]
 *   isa: 'auto' (default) picks the fastest build this JavaScript engine validates: 'relaxed-simd'
 *   (fused multiply-add), then 'simd128', then 'scalar'; naming one requires it (a worker passes
 *   the main thread's attn.isa to get the same build). simd (the older option): true requires a
 *   SIMD build (the faster of the two), false forces the scalar build.
 * @returns {Promise<AttentionEngine>}
 */
export async function init({ isa = 'auto', simd = 'auto' } = {}) {
  if (simd !== 'auto' && simd !== true && simd !== false) {
    throw new TypeError(`init: simd must be 'auto', true or false, got ${JSON.stringify(simd)}`);
  }
  if (isa !== 'auto' && !ISAS.includes(isa)) {
    throw new TypeError(
      `init: isa must be 'auto', ${ISAS.map((i) => `'${i}'`).join(', ')}, got ${JSON.stringify(isa)}`,
    );
  }
  if (isa !== 'auto' && simd !== 'auto') throw new TypeError('init: pass isa or simd, not both');
  const supported = supportedIsas();
  let use;
  if (isa !== 'auto') {
    if (!supported.includes(isa)) {
      throw new Error(
        `init: this JavaScript engine${isa === 'relaxed-simd' ? ' or bundle' : ''} cannot run the '${isa}' build ` +
          `(it can run ${supported.map((i) => `'${i}'`).join(', ')}); use init() to pick the fastest`,
      );
    }
    use = isa;
  } else if (simd === false) {
    use = 'scalar';
  } else {
    use = supported[0];
    if (simd === true && use === 'scalar') {
      throw new Error(
        'init: this JavaScript engine does not support WebAssembly SIMD128; use init() or init({ simd: false })',
      );
    }
  }
  if (!engines.has(use)) {
    const promise = loadModule(BUILD[use]).then((module) => new AttentionEngine(module, use !== 'scalar'));
    promise.catch(() => engines.delete(use));
    engines.set(use, promise);
  }
  return engines.get(use);
}
