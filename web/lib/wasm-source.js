// Where the WASM bytes come from: next to this module (import.meta.url). In Node the glue cannot
// fetch a file path, so the bytes are read and handed over; in browsers the glue streams them.
// (The classic bundle replaces this module with wasm-source.classic.js: bytes inlined.)
const isNode =
  typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

const urls = {
  relaxed: () => new URL('./wasm/attention_relaxed.wasm', import.meta.url),
  simd: () => new URL('./wasm/attention_simd.wasm', import.meta.url),
  scalar: () => new URL('./wasm/attention_scalar.wasm', import.meta.url),
  'model-simd': () => new URL('./wasm/attention_model_simd.wasm', import.meta.url),
  'model-scalar': () => new URL('./wasm/attention_model_scalar.wasm', import.meta.url),
};

/** The builds this source can provide. */
export const available = ['relaxed', 'simd', 'scalar'];

/** Emscripten module options that locate the bytes of one build. */
export async function wasmOptions(which) {
  const url = urls[which]();
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    return { wasmBinary: await readFile(url) };
  }
  // the glue asks only for its .wasm, under its original name; a bundler may have renamed the file
  // (Vite: assets/attention_simd-<hash>.wasm), so the URL is handed over as it is
  return { locateFile: () => url.href };
}
