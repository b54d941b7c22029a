// Where pool-spawn.js finds the worker: dist/pool-worker.js, the worker bundled into one file (the
// engine and both glues inlined). Bundlers build a worker as a classic script (Vite: iife), which
// cannot split code, so they must be handed a worker that needs no splitting. The elements' bundle
// replaces this module with pool-worker-url.dist.js (the worker next to it). Each URL is written
// as `new URL('<literal>', import.meta.url)` inside `new Worker(...)`, the form bundlers recognise.

/** The pool's worker in a browser (a module Web Worker). */
export const startWebWorker = () =>
  new Worker(new URL('../../dist/pool-worker.js', import.meta.url), { type: 'module' });

/** The pool's worker file, for Node's worker_threads. */
export const workerFile = () => new URL('../../dist/pool-worker.js', import.meta.url);
