// The classic bundle's WASM source: the SIMD128 and scalar builds inlined (esbuild's binary loader),
// so a page opened from file://, where Chromium blocks fetches and module scripts, still runs the
// engine. The relaxed-SIMD build stays out: a third inlined module would add ~40% to the file.
import simd from './wasm/attention_simd.wasm';
import scalar from './wasm/attention_scalar.wasm';

export const available = ['simd', 'scalar'];

export async function wasmOptions(which) {
  // the model module is not inlined: it would double the classic bundle for every page
  if (which.startsWith('model'))
    throw new Error(
      'attention-playground: the classic bundle has no model module; load the ES module build for loadModel()',
    );
  return { wasmBinary: which === 'simd' ? simd : scalar };
}
