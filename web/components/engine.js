// One engine for every element on the page: all instances share one WASM instance.
import { init } from '../lib/index.js';

let promise = null;

/** The shared engine (the SIMD build where supported). */
export function engine() {
  promise ??= init().catch((e) => {
    promise = null; // let a later element try again
    throw e;
  });
  return promise;
}
