// The elements' bundle (dist/): the worker is dist/pool-worker.js, next to the module.
export const startWebWorker = () => new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module' });
export const workerFile = () => new URL('./pool-worker.js', import.meta.url);
