// Node 20 validates relaxed SIMD only behind a V8 flag (Chromium runs it by default). A test file
// that imports this module before it calls init() can load the relaxed-SIMD build with
// init({ isa: 'relaxed-simd' }); init() then picks that build too, as it does in Chromium.
import v8 from 'node:v8';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
