// Finds, loads and memoises the WebAssembly build: relaxed SIMD where the engine validates it, else
// SIMD128, else the scalar fallback. The same code runs in Node >= 20 and browsers; where the bytes
// come from is wasm-source.js (a file next to this one, or, in the classic bundle, bytes inlined in
// it, which holds the SIMD128 and scalar builds only).
import { available, wasmOptions } from './wasm-source.js';
// A module whose one function uses v128 (i8x16.splat, i8x16.popcnt): valid only with SIMD128.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);
// (func (param v128 v128 v128) (result v128) local.get 0, 1, 2, f32x4.relaxed_madd): valid only
// with relaxed SIMD (Chromium; Node 20 with --experimental-wasm-relaxed-simd).
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2,
  253, 133, 2, 11,
]);

/** True when this JavaScript engine can run the SIMD128 build. */
export function simdSupported() {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

/** True when this JavaScript engine can run the relaxed-SIMD build (f32x4.relaxed_madd). */
export function relaxedSimdSupported() {
  return simdSupported() && WebAssembly.validate(RELAXED_PROBE);
}

/**
 * The builds this engine can run and this bundle holds, fastest first: 'relaxed-simd', 'simd128',
 * 'scalar'.
 */
export function supportedIsas() {
  const runs = { 'relaxed-simd': relaxedSimdSupported(), simd128: simdSupported(), scalar: true };
  return ISAS.filter((isa) => runs[isa] && available.includes(BUILD[isa]));
}
export const ISAS = ['relaxed-simd', 'simd128', 'scalar'];
// the build (file name part) of each ISA
export const BUILD = { 'relaxed-simd': 'relaxed', simd128: 'simd', scalar: 'scalar' };

// Literal import() specifiers, so bundlers can see them; only the build in use is downloaded.
const builds = {
  relaxed: () => import('./wasm/attention_relaxed.js'),
  simd: () => import('./wasm/attention_simd.js'),
  scalar: () => import('./wasm/attention_scalar.js'),
  // the model module (web/lib/model.js), loaded by the first loadModel()
  'model-simd': () => import('./wasm/attention_model_simd.js'),
  'model-scalar': () => import('./wasm/attention_model_scalar.js'),
};

const loaded = new Map();

/**
 * The Emscripten module of one build, instantiated once per realm.
 * @param {'relaxed' | 'simd' | 'scalar' | 'model-simd' | 'model-scalar'} which
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
