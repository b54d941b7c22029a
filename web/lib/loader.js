// Finds, loads and memoises the WebAssembly build: SIMD where the engine validates SIMD128, the
// scalar fallback elsewhere. The same code runs in Node >= 20 and browsers; where the bytes come
// from is wasm-source.js (a file next to this one, or, in the classic bundle, bytes inlined in it).
import { wasmOptions } from './wasm-source.js';
// A module whose one function uses v128 (i8x16.splat, i8x16.popcnt): valid only with SIMD128.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** True when this JavaScript engine can run the SIMD build. */
export function simdSupported() {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

// Literal import() specifiers, so bundlers can see them; only the build in use is downloaded.
const builds = {
  simd: () => import('./wasm/attention_simd.js'),
  scalar: () => import('./wasm/attention_scalar.js'),
  // the model module (web/lib/model.js), loaded by the first loadModel()
  'model-simd': () => import('./wasm/attention_model_simd.js'),
  'model-scalar': () => import('./wasm/attention_model_scalar.js'),
};

const loaded = new Map();

/**
 * The Emscripten module of one build, instantiated once per realm.
 * @param {'simd' | 'scalar' | 'model-simd' | 'model-scalar'} which
 */
export function loadModule(which) {
  if (!loaded.has(which)) {
    const promise = instantiate(which);
    promise.catch(() => loaded.delete(which)); // a failed load may be retried
    loaded.set(which, promise);
  }
  return loaded.get(which);
}

async function instantiate(which) {
  let factory;
  try {
    ({ default: factory } = await builds[which]());
  } catch (cause) {
    throw new Error(
      `attention-playground: cannot load the WebAssembly glue (${which}); ` +
        'if you are working from a clone, run `npm run build` first',
      { cause },
    );
  }
  return factory(await wasmOptions(which));
}
