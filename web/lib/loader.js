// Finds, loads and memoises the WebAssembly build: SIMD where the engine validates SIMD128, the
// scalar fallback elsewhere. The same code runs in Node >= 20 and browsers.
// A module whose one function uses v128 (i8x16.splat, i8x16.popcnt): valid only with SIMD128.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253,
  98, 11,
]);

/** True when this JavaScript engine can run the SIMD build. */
export function simdSupported() {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' &&
  typeof window === 'undefined';

// Literal import() specifiers, so bundlers can see them; only the build in use is downloaded.
const builds = {
  simd: {
    glue: () => import('./wasm/attention_simd.js'),
    wasm: new URL('./wasm/attention_simd.wasm', import.meta.url),
  },
  scalar: {
    glue: () => import('./wasm/attention_scalar.js'),
    wasm: new URL('./wasm/attention_scalar.wasm', import.meta.url),
  },
};

const loaded = new Map();

/**
 * The Emscripten module of one build, instantiated once per realm.
 * @param {'simd' | 'scalar'} which
 */
export function loadModule(which) {
  if (!loaded.has(which)) {
    const promise = instantiate(builds[which]);
    promise.catch(() => loaded.delete(which));  // a failed load may be retried
    loaded.set(which, promise);
  }
  return loaded.get(which);
}

async function instantiate({ glue, wasm }) {
  let factory;
  try {
    ({ default: factory } = await glue());
  } catch (cause) {
    throw new Error(
      `attention-playground: cannot load the WebAssembly glue next to ${wasm.href}; ` +
        'if you are working from a clone, run `npm run build` first',
      { cause },
    );
  }
  const options = {};
  if (isNode) {
    // The glue is built for web and worker only (its Node path cannot run from an ES module), so
    // Node gets the bytes handed over.
    const { readFile } = await import('node:fs/promises');
    options.wasmBinary = await readFile(wasm);
  } else {
    options.locateFile = (path) => new URL(path, wasm).href;
  }
  return factory(options);
}
