// The package's entry: the engine (index.js) with the worked-example checker (checker.js) and the
// model loader (model.js, attn.loadModel) installed.
export * from './index.js';
export { TranslatorModel } from './model.js';
import './checker.js';
