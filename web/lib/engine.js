// The public API: a thin facade over the raw Embind functions (_softmax, _attention, ...).
// It converts arguments, checks option names, turns the bindings' error objects into TypeError /
// RangeError, and wraps results in Tensor. It computes nothing: every number comes from WASM.
import { toRaw, wrap } from './tensor.js';

const SCORE_OPTIONS = ['scoring', 'wq', 'wk', 'v', 'w'];
const MASK_OPTIONS = ['validLens', 'mask', 'causal', 'fill'];
const ATTENTION_OPTIONS = [...SCORE_OPTIONS, ...MASK_OPTIONS, 'temperature', 'mode', 'seed', 'trace', 'weights'];
const OPTIONS = {
  softmax: ['temperature'],
  maskedSoftmax: ['fill'],
  applyMask: MASK_OPTIONS,
  score: SCORE_OPTIONS,
  attention: ATTENTION_OPTIONS,
  selfAttention: [...ATTENTION_OPTIONS, 'wv'],
  multiHeadAttention: ['numHeads', 'wq', 'wk', 'wv', 'wo', ...MASK_OPTIONS, 'temperature', 'trace'],
  softmaxSteps: ['temperature'],
  random: ['seed', 'distribution', 'scale', 'offset', 'decimals'],
  scaleExperiment: ['dims', 'keys', 'samples', 'seed'],
};
// Options that hold tensors, and how to convert them.
const TENSOR_OPTIONS = {
  wq: {}, wk: {}, wv: {}, wo: {}, v: {}, w: {},
  mask: { booleans: true },
  validLens: { dtype: Float64Array, scalar: true },
};

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** The engine returned by init(). All methods are synchronous. */
export class AttentionEngine {
  #module;

  /** @param {object} module the instantiated Emscripten module @param {boolean} simd */
  constructor(module, simd) {
    this.#module = module;
    const info = module._info();
    /** True when the SIMD128 build is in use. */
    this.simd = simd;
    /** The kernels in use: 'simd128' or 'scalar'. */
    this.isa = info.isa;
    /** Input limits: maxElements is the largest tensor (in elements) any call accepts or builds. */
    this.limits = Object.freeze({ maxElements: info.maxElements });
    Object.freeze(this);
  }

  /**
   * softmax(x / temperature) along the last axis.
   * @example attn.softmax([[1, 2, 3]]).toArray()  // [[0.0900, 0.2447, 0.6652]]
   */
  softmax(x, options = {}) {
    const o = this.#options(options, 'softmax');
    return wrap(this.#call('_softmax', this.#tensor(x, 'x'), o));
  }

  /**
   * d2l's masked softmax: entries at or past each row's valid length become `fill` first.
   * @example attn.maskedSoftmax(x, [2, 3])   // x [2, Q, K]: 2 keys in batch 0, 3 in batch 1
   */
  maskedSoftmax(x, validLens, options = {}) {
    const o = this.#options({ ...options }, 'maskedSoftmax');
    if (validLens !== null && validLens !== undefined) o.validLens = this.#tensor(validLens, 'validLens', TENSOR_OPTIONS.validLens);
    return wrap(this.#call('_maskedSoftmax', this.#tensor(x, 'x'), o));
  }

  /**
   * x [B, Q, K] or [Q, K] with the blocked entries replaced by `fill`: the logits a masked softmax
   * sees. Same masks as attention(): validLens, mask, causal.
   */
  applyMask(x, options = {}) {
    const o = this.#options(options, 'applyMask');
    return wrap(this.#call('_applyMask', this.#tensor(x, 'x'), o));
  }

  /** Scores [..., Q, K] of each query against each key. */
  score(queries, keys, options = {}) {
    const o = this.#options(options, 'score');
    return wrap(this.#call('_score', this.#tensor(queries, 'queries'), this.#tensor(keys, 'keys'), o));
  }

  /**
   * output = softmax(mask(score / temperature)) · values.
   * @returns {{ output: Tensor, weights: Tensor | null, steps?: object }}
   */
  attention(queries, keys, values, options = {}) {
    const o = this.#options(options, 'attention');
    const r = this.#call('_attention', this.#tensor(queries, 'queries'), this.#tensor(keys, 'keys'),
      this.#tensor(values, 'values'), o);
    const output = wrap(r.output);
    const weights = wrap(r.weights);
    const result = { output, weights: options.weights === false ? null : weights };
    if (options.trace) {
      result.steps = { scores: wrap(r.scores), logits: wrap(r.logits), weights, output };
      if (r.probabilities && (options.mode === 'argmax' || options.mode === 'sample')) {
        result.steps.probabilities = wrap(r.probabilities);
      }
    }
    return result;
  }

  /** Self-attention of x with projections wq, wk, wv: { q, k, v, scores, logits, weights, output }. */
  selfAttention(x, options = {}) {
    const o = this.#options(options, 'selfAttention');
    const r = this.#call('_selfAttention', this.#tensor(x, 'x'), o);
    return {
      q: wrap(r.q), k: wrap(r.k), v: wrap(r.v), scores: wrap(r.scores), logits: wrap(r.logits),
      weights: wrap(r.weights), output: wrap(r.output),
    };
  }

  /** Multi-head attention as PyTorch's nn.MultiheadAttention(bias=False), weights in [in, out]. */
  multiHeadAttention(queries, keys, values, options = {}) {
    const o = this.#options(options, 'multiHeadAttention');
    const r = this.#call('_multiHeadAttention', this.#tensor(queries, 'queries'), this.#tensor(keys, 'keys'),
      this.#tensor(values, 'values'), o);
    const result = { output: wrap(r.output), weights: wrap(r.weights) };
    if (options.trace) {
      result.steps = {
        q: wrap(r.q), k: wrap(r.k), v: wrap(r.v), scores: wrap(r.scores), logits: wrap(r.logits),
        weights: result.weights, heads: wrap(r.heads), output: result.output,
      };
    }
    return result;
  }

  /** Sinusoidal positional encoding [length, dim]. */
  positionalEncoding(length, dim) {
    return wrap(this.#call('_positionalEncoding', length, dim));
  }

  /**
   * The arithmetic of softmax(x / temperature) along the last axis: { logits, max, exp, sum, weights }
   * with m = max of a row, e = exp(logit - m), s = Σ e, w = e / s. x may hold -Infinity (masked).
   */
  softmaxSteps(x, options = {}) {
    const o = this.#options(options, 'softmaxSteps');
    const r = this.#call('_softmaxSteps', this.#tensor(x, 'x'), o);
    return { logits: wrap(r.logits), max: wrap(r.max), exp: wrap(r.exp), sum: wrap(r.sum), weights: wrap(r.weights) };
  }

  /**
   * A seeded random tensor: offset + normal(0, scale²) (default) or offset + uniform[-scale, scale),
   * optionally rounded to `decimals` places. Same seed, same numbers.
   * @example attn.random([3, 4], { seed: 1, decimals: 2 })
   */
  random(shape, options = {}) {
    const o = this.#options(options, 'random');
    return wrap(this.#call('_random', Array.isArray(shape) ? shape : [shape], o));
  }

  /** a - b, element-wise (same shapes). */
  subtract(a, b) {
    return wrap(this.#call('_subtract', this.#tensor(a, 'a'), this.#tensor(b, 'b')));
  }

  /**
   * Why attention scales by 1/√d_k: for each width in `dims`, the variance of q·k for N(0, 1)
   * entries and the mean entropy and max weight of the softmax over `keys` keys, unscaled and scaled.
   */
  scaleExperiment(options) {
    const o = this.#options(options ?? {}, 'scaleExperiment');
    const r = this.#call('_scaleExperiment', o);
    return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, wrap(v)]));
  }

  /** WASM memory in use: { heapBytes (the whole linear memory), allocatedBytes (malloc'd now) }. */
  memory() {
    return this.#module._memory();
  }

  #tensor(value, name, convert = {}) {
    return toRaw(value, name, { ...convert, maxElements: this.limits.maxElements });
  }

  // Checks option names and converts tensor-valued options; scalar options are checked in C++.
  #options(options, fn) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new TypeError(`${fn}: options must be an object, got ${options === null ? 'null' : typeof options}`);
    }
    const allowed = OPTIONS[fn];
    const out = {};
    for (const key of Object.keys(options)) {
      if (!allowed.includes(key)) {
        const hint = allowed.includes(camel(key)) ? ` (did you mean '${camel(key)}'?)` : '';
        throw new TypeError(`${fn}: unknown option '${key}'${hint}; expected one of ${allowed.join(', ')}`);
      }
      const value = options[key];
      if (value === undefined || value === null) continue;
      out[key] = key in TENSOR_OPTIONS ? this.#tensor(value, key, TENSOR_OPTIONS[key]) : value;
    }
    return out;
  }

  #call(name, ...args) {
    const result = this.#module[name](...args);
    if (result && result.error) {
      const { name: kind, message } = result.error;
      const ErrorType = kind === 'TypeError' ? TypeError : kind === 'RangeError' ? RangeError : Error;
      throw new ErrorType(message);
    }
    return result;
  }
}
