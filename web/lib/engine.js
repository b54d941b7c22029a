// The public API: a thin facade over the raw Embind functions (_softmax, _attention, ...).
// It checks option names, converts arguments, stages them in WASM memory, turns the bindings' errors
// into TypeError / RangeError, and copies results out as Tensor. It computes nothing: every number
// comes from WASM.
//
// How arguments cross (native/bindings/convert.hpp): each tensor is copied straight into a tensor
// allocated by _stage(slot, rank, shape); each scalar option is written into the option record in
// WASM memory as (tag, value), the tag naming its JS type, so that the C++ side checks types and
// values in one place; the call returns 0 or 1 (then _error() has { name, message }); results are
// read from the result table and copied out; _release() frees everything the call held. The numbers
// of slots, keys and tags come from the module (_info().binding, convert.hpp's binding table).
import { Tensor, toRaw } from './tensor.js';

const SCORE_OPTIONS = ['scoring', 'wq', 'wk', 'v', 'w'];
const MASK_OPTIONS = ['validLens', 'mask', 'causal', 'fill'];
const ATTENTION_OPTIONS = [...SCORE_OPTIONS, ...MASK_OPTIONS, 'temperature', 'mode', 'seed', 'trace', 'weights'];
// numHeads and the attention's weights and biases: multiHeadAttention's and the block's
const MULTI_HEAD_OPTIONS = ['numHeads', 'wq', 'wk', 'wv', 'wo', 'bq', 'bk', 'bv', 'bo'];
// the block's feed-forward, norms and their settings
const BLOCK_OPTIONS = ['w1', 'b1', 'w2', 'b2', 'gamma1', 'beta1', 'gamma2', 'beta2', 'norm', 'activation', 'eps'];
const OPTIONS = {
  softmax: ['temperature'],
  maskedSoftmax: ['fill'],
  applyMask: MASK_OPTIONS,
  score: SCORE_OPTIONS,
  attention: ATTENTION_OPTIONS,
  selfAttention: [...ATTENTION_OPTIONS, 'wv'],
  multiHeadAttention: [...MULTI_HEAD_OPTIONS, ...MASK_OPTIONS, 'temperature', 'trace', 'weights'],
  layerNorm: ['gamma', 'beta', 'eps'],
  linear: ['bias'],
  feedForward: ['w1', 'b1', 'w2', 'b2', 'activation'],
  transformerBlock: [...MULTI_HEAD_OPTIONS, ...BLOCK_OPTIONS, ...MASK_OPTIONS, 'trace', 'weights'],
  softmaxSteps: ['temperature'],
  random: ['seed', 'distribution', 'scale', 'offset', 'decimals'],
  scaleExperiment: ['dims', 'keys', 'samples', 'seed'],
  downsample: ['rows', 'cols', 'reduce'],
};
// How a tensor slot's value is converted, by the slot's kind in the binding table.
const CONVERT = {
  floats: {},
  mask: { booleans: true },
  lengths: { dtype: Float64Array, scalar: true },
};
const ERRORS = { TypeError, RangeError };

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** The engine returned by init(). All methods are synchronous. */
export class AttentionEngine {
  #module;
  #options64; // the option record, as an index into HEAPF64
  #results32; // the result table, as an index into HEAPU32
  #slots; // { name: { index, kind } }: where each tensor argument is staged
  #keys; // { name: index }: each scalar option's place in the option record
  #tags; // { typeof name: number }

  /** @param {object} module the instantiated Emscripten module @param {boolean} simd */
  constructor(module, simd) {
    this.#module = module;
    const info = module._info();
    this.#options64 = info.options / 8;
    this.#results32 = info.results / 4;
    ({ slots: this.#slots, keys: this.#keys, tags: this.#tags } = info.binding);
    /** True when a SIMD build (relaxed SIMD or SIMD128) is in use. */
    this.simd = simd;
    /** The kernels in use: 'relaxed-simd', 'simd128' or 'scalar' (init({ isa }) loads the same build). */
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
    return this.#call('_softmax', o, [['x', this.#tensor(x, 'x')]])[0];
  }

  /**
   * d2l's masked softmax: entries at or past each row's valid length become `fill` first.
   * @example attn.maskedSoftmax(x, [2, 3])   // x [2, Q, K]: 2 keys in batch 0, 3 in batch 1
   */
  maskedSoftmax(x, validLens, options = {}) {
    const o = this.#options({ ...options }, 'maskedSoftmax');
    if (validLens !== null && validLens !== undefined)
      o.validLens = this.#tensor(validLens, 'validLens', CONVERT.lengths);
    return this.#call('_maskedSoftmax', o, [['x', this.#tensor(x, 'x')]])[0];
  }

  /**
   * x [B, Q, K] or [Q, K] with the blocked entries replaced by `fill`: the logits a masked softmax
   * sees. Same masks as attention(): validLens, mask, causal.
   */
  applyMask(x, options = {}) {
    const o = this.#options(options, 'applyMask');
    return this.#call('_applyMask', o, [['x', this.#tensor(x, 'x')]])[0];
  }

  /** Scores [..., Q, K] of each query against each key. */
  score(queries, keys, options = {}) {
    const o = this.#options(options, 'score');
    const inputs = [
      ['queries', this.#tensor(queries, 'queries')],
      ['keys', this.#tensor(keys, 'keys')],
    ];
    return this.#call('_score', o, inputs, text(o.scoring))[0];
  }

  /**
   * output = softmax(mask(score / temperature)) · values.
   * @returns {{ output: Tensor, weights: Tensor | null, steps?: object }}
   */
  attention(queries, keys, values, options = {}) {
    const o = this.#options(options, 'attention');
    const inputs = [
      ['queries', this.#tensor(queries, 'queries')],
      ['keys', this.#tensor(keys, 'keys')],
      ['values', this.#tensor(values, 'values')],
    ];
    const [output, weights, scores, logits, probabilities] = this.#call(
      '_attention',
      o,
      inputs,
      text(o.scoring),
      text(o.mode),
    );
    const result = { output, weights: options.weights === false ? null : weights };
    if (options.trace) {
      result.steps = { scores, logits, weights, output };
      if (probabilities && (options.mode === 'argmax' || options.mode === 'sample')) {
        result.steps.probabilities = probabilities;
      }
    }
    return result;
  }

  /** Self-attention of x with projections wq, wk, wv: { q, k, v, scores, logits, weights, output }. */
  selfAttention(x, options = {}) {
    const o = this.#options(options, 'selfAttention');
    const [q, k, v, scores, logits, weights, output] = this.#call(
      '_selfAttention',
      o,
      [['x', this.#tensor(x, 'x')]],
      text(o.scoring),
      text(o.mode),
    );
    return { q, k, v, scores, logits, weights, output };
  }

  /**
   * Multi-head attention as PyTorch's nn.MultiheadAttention, weights in [in, out], biases optional.
   * @returns {{ output: Tensor, weights: Tensor | null, steps?: object }}
   */
  multiHeadAttention(queries, keys, values, options = {}) {
    const o = this.#options(options, 'multiHeadAttention');
    const inputs = [
      ['queries', this.#tensor(queries, 'queries')],
      ['keys', this.#tensor(keys, 'keys')],
      ['values', this.#tensor(values, 'values')],
    ];
    const [output, weights, q, k, v, scores, logits, heads] = this.#call('_multiHeadAttention', o, inputs);
    const result = { output, weights: options.weights === false ? null : weights };
    if (options.trace) result.steps = { q, k, v, scores, logits, weights, heads, output };
    return result;
  }

  /**
   * Layer norm over the last axis, as torch.nn.functional.layer_norm: (x - mean) / √(var + eps) · gamma + beta.
   * @example attn.layerNorm([[1, 2, 3]]).toArray()  // [[-1.2247, 0, 1.2247]]
   */
  layerNorm(x, options = {}) {
    const o = this.#options(options, 'layerNorm');
    return this.#call('_layerNorm', o, [['x', this.#tensor(x, 'x')]])[0];
  }

  /**
   * x W + bias, with w [in, out] (PyTorch's weight transposed).
   * @example attn.linear([[1, 2]], [[1, 0, 1], [0, 1, 1]]).toArray()  // [[1, 2, 3]]
   */
  linear(x, w, options = {}) {
    const o = this.#options(options, 'linear');
    return this.#call('_linear', o, [
      ['x', this.#tensor(x, 'x')],
      ['w', this.#tensor(w, 'w')],
    ])[0];
  }

  /** activation(x W1 + b1) W2 + b2, activation 'relu' (default) or 'gelu' (exact, erf). */
  feedForward(x, options = {}) {
    const o = this.#options(options, 'feedForward');
    return this.#call('_feedForward', o, [['x', this.#tensor(x, 'x')]], text(o.activation))[0];
  }

  /**
   * One transformer encoder layer, as torch.nn.TransformerEncoderLayer(batch_first=True, dropout=0) with
   * its weights transposed: self-attention, add & norm, feed-forward, add & norm (norm 'post', default)
   * or the pre-norm variant (norm 'pre').
   * @returns {{ output: Tensor, weights: Tensor | null, steps?: object }}
   */
  transformerBlock(x, options = {}) {
    const o = this.#options(options, 'transformerBlock');
    const [
      output,
      weights,
      q,
      k,
      v,
      scores,
      logits,
      heads,
      attention,
      residual1,
      norm1,
      hidden,
      feedForward,
      residual2,
      norm2,
    ] = this.#call('_transformerBlock', o, [['x', this.#tensor(x, 'x')]], text(o.norm), text(o.activation));
    const result = { output, weights: options.weights === false ? null : weights };
    if (options.trace) {
      result.steps = {
        q,
        k,
        v,
        scores,
        logits,
        weights,
        heads,
        attention,
        residual1,
        norm1,
        hidden,
        feedForward,
        residual2,
        norm2,
        output,
      };
    }
    return result;
  }

  /** Sinusoidal positional encoding [length, dim]. */
  positionalEncoding(length, dim) {
    return this.#call('_positionalEncoding', { length, dim }, [])[0];
  }

  /**
   * The arithmetic of softmax(x / temperature) along the last axis: { logits, max, exp, sum, weights }
   * with m = max of a row, e = exp(logit - m), s = Σ e, w = e / s. x may hold -Infinity (masked).
   */
  softmaxSteps(x, options = {}) {
    const o = this.#options(options, 'softmaxSteps');
    const [logits, max, exp, sum, weights] = this.#call('_softmaxSteps', o, [['x', this.#tensor(x, 'x')]]);
    return { logits, max, exp, sum, weights };
  }

  /**
   * A seeded random tensor: offset + normal(0, scale²) (default) or offset + uniform[-scale, scale),
   * optionally rounded to `decimals` places. Same seed, same numbers.
   * @example attn.random([3, 4], { seed: 1, decimals: 2 })
   */
  random(shape, options = {}) {
    this.#optionNames(options, 'random');
    const { seed, distribution = 'normal', scale = 1, offset = 0, decimals = -1 } = options;
    const dims = Array.isArray(shape) ? shape : [shape];
    if (!dims.every((d) => typeof d === 'number')) throw new TypeError('shape: expected an array of integers');
    if (typeof distribution !== 'string') throw new TypeError('distribution: expected a string');
    for (const [name, v] of [
      ['scale', scale],
      ['offset', offset],
      ['decimals', decimals],
    ]) {
      if (typeof v !== 'number') throw new TypeError(`${name}: expected a number`);
    }
    return this.#call(
      '_random',
      seed === undefined ? {} : { seed },
      [],
      dims.length,
      dims[0] ?? 0,
      dims[1] ?? 0,
      dims[2] ?? 0,
      dims[3] ?? 0,
      distribution,
      scale,
      offset,
      decimals,
    )[0];
  }

  /** a + b, element-wise (same shapes). @example attn.add(x, attn.positionalEncoding(T, d)) */
  add(a, b) {
    return this.#call('_add', {}, [
      ['x', this.#tensor(a, 'a')],
      ['keys', this.#tensor(b, 'b')],
    ])[0];
  }

  /** a - b, element-wise (same shapes). */
  subtract(a, b) {
    return this.#call('_subtract', {}, [
      ['x', this.#tensor(a, 'a')],
      ['keys', this.#tensor(b, 'b')],
    ])[0];
  }

  /**
   * Why attention scales by 1/√d_k: for each width in `dims`, the variance of q·k for N(0, 1)
   * entries and the mean entropy and max weight of the softmax over `keys` keys, unscaled and scaled.
   */
  scaleExperiment(options) {
    this.#optionNames(options ?? {}, 'scaleExperiment');
    const { dims, keys = 16, samples = 256, seed } = options ?? {};
    if (!Array.isArray(dims) || dims.length > 64) throw new TypeError('dims: expected an array of at most 64 integers');
    for (const [name, v] of [
      ['keys', keys],
      ['samples', samples],
    ]) {
      if (typeof v !== 'number') throw new TypeError(`${name}: expected a number`);
    }
    const raw = this.#tensor(dims, 'dims');
    const [d, variance, varianceScaled, entropy, entropyScaled, maxWeight, maxWeightScaled] = this.#call(
      '_scaleExperiment',
      seed === undefined ? {} : { seed },
      [['x', raw]],
      keys,
      samples,
    );
    return { dims: d, variance, varianceScaled, entropy, entropyScaled, maxWeight, maxWeightScaled };
  }

  /**
   * x [M, N] shrunk to [rows, cols] for a heatmap: each block of rows × columns reduced to its mean
   * (default) or its max. Block (r, c) holds rows [rowEdges[r], rowEdges[r + 1]) and columns
   * [colEdges[c], colEdges[c + 1]).
   * @example attn.downsample(weights, { rows: 256, cols: 256, reduce: 'max' }).values  // [256, 256]
   * @returns {{ values: Tensor, rowEdges: Tensor, colEdges: Tensor }}
   */
  downsample(x, options = {}) {
    const o = this.#options(options, 'downsample');
    const [values, rowEdges, colEdges] = this.#call('_downsample', o, [['x', this.#tensor(x, 'x')]], text(o.reduce));
    return { values, rowEdges, colEdges };
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
    const out = {};
    for (const key of this.#optionNames(options, fn)) {
      const value = options[key];
      if (value === undefined || value === null) continue;
      const slot = this.#slots[key];
      out[key] = slot ? this.#tensor(value, key, CONVERT[slot.kind]) : value;
    }
    return out;
  }

  // The option names, checked against those `fn` takes.
  #optionNames(options, fn) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new TypeError(`${fn}: options must be an object, got ${options === null ? 'null' : typeof options}`);
    }
    const allowed = OPTIONS[fn];
    const names = Object.keys(options);
    for (const key of names) {
      if (!allowed.includes(key)) {
        const hint = allowed.includes(camel(key)) ? ` (did you mean '${camel(key)}'?)` : '';
        throw new TypeError(`${fn}: unknown option '${key}'${hint}; expected one of ${allowed.join(', ')}`);
      }
    }
    return names;
  }

  // Stages the tensors (inputs: [name, raw] pairs, and the tensor options) and the scalar options,
  // runs `name`, and returns its results as Tensor | null, in the order the binding lists them.
  #call(name, options, inputs, ...args) {
    const m = this.#module;
    try {
      for (const [slot, raw] of inputs) this.#stage(this.#slots[slot].index, raw);
      for (const key of Object.keys(options)) {
        const value = options[key];
        if (this.#slots[key]) {
          this.#stage(this.#slots[key].index, value);
        } else {
          // an option the facade accepts but convert.hpp's binding table lacks would be dropped silently
          if (!(key in this.#keys))
            throw new Error(`${name}: option '${key}' is not in the binding table (convert.hpp)`);
          const type = typeof value;
          const at = this.#options64 + 2 * this.#keys[key];
          m.HEAPF64[at] = this.#tags[type] ?? this.#tags.other;
          m.HEAPF64[at + 1] = type === 'number' ? value : type === 'boolean' ? Number(value) : 0;
        }
      }
      if (m[name](...args) !== 0) this.#throw();
      return this.#results();
    } finally {
      m._release();
    }
  }

  #stage(slot, { data, shape }) {
    const m = this.#module;
    const address = m._stage(slot, shape.length, shape[0] ?? 0, shape[1] ?? 0, shape[2] ?? 0, shape[3] ?? 0);
    if (address === -1) this.#throw();
    if (data.length === 0) return;
    // read the heap views after _stage: an allocation may have grown (and replaced) the memory
    if (data instanceof Float64Array) m.HEAPF64.set(data, address / 8);
    else m.HEAPF32.set(data, address / 4);
  }

  #results() {
    const m = this.#module;
    const table = m.HEAPU32,
      at = this.#results32;
    const out = [];
    for (let i = 0; i < table[at]; i++) {
      const row = at + 1 + 6 * i,
        rank = table[row + 1];
      if (rank === 0) {
        out.push(null); // not computed
        continue;
      }
      const shape = Array.from(table.subarray(row + 2, row + 2 + rank));
      const n = shape.reduce((a, b) => a * b, 1),
        start = table[row] / 4;
      out.push(new Tensor(m.HEAPF32.slice(start, start + n), shape));
    }
    return out;
  }

  #throw() {
    const { name, message } = this.#module._error();
    throw new (ERRORS[name] ?? Error)(message);
  }
}

// A string option's text for the bindings ('' when it is not a string: the record says so).
function text(value) {
  return typeof value === 'string' ? value : '';
}
