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

let pool = null;

/**
 * The shared worker pool (web/lib/pool.js), loaded with the first element that needs it: work
 * longer than a frame runs there, so the page never freezes.
 */
export function enginePool() {
  pool ??= import('../lib/pool.js')
    .then(({ initPool }) => initPool())
    .catch((e) => {
      pool = null;
      throw e;
    });
  return pool;
}
