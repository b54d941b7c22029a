// The package's entry: the engine (index.js) with the worked-example checker (checker.js) and the
// model loader (model.js, attn.loadModel) installed, and the worker pool (pool.js).
export * from './index.js';
export { TranslatorModel } from './model.js';
export { initPool, AttentionPool } from './pool.js';
import './checker.js';
