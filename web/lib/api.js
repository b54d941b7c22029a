// The package's entry: the engine (index.js) with the worked-example checker installed (checker.js).
export * from './index.js';
import './checker.js';
