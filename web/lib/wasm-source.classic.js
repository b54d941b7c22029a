// The classic bundle's WASM source: the SIMD128 and scalar builds inlined (esbuild's binary loader),
// so a page opened from file://, where Chromium blocks fetches and module scripts, still runs the
// engine. The relaxed-SIMD build stays out: a third inlined module would add ~40% to the file.
import simd from './wasm/attention_simd.wasm';
import scalar from './wasm/attention_scalar.wasm';

export const available = ['simd', 'scalar'];

export async function wasmOptions(which) {
  return { wasmBinary: which === 'simd' ? simd : scalar };
}
