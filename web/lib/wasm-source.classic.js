// The classic bundle's WASM source: both builds inlined (esbuild's binary loader), so a page opened
// from file://, where Chromium blocks fetches and module scripts, still runs the engine.
import simd from './wasm/attention_simd.wasm';
import scalar from './wasm/attention_scalar.wasm';

export async function wasmOptions(which) {
  return { wasmBinary: which === 'simd' ? simd : scalar };
}
