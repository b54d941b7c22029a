// The package's entry: the engine (index.js) with the worked-example checker installed (checker.js)
// and the worker pool (pool.js).
export * from './index.js';
export { initPool, AttentionPool } from './pool.js';
import './checker.js';
