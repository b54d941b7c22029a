// attn.loadModel(bytes): a trained translator (PyTorch's nn.Transformer with embeddings and a
// generator, in a .safetensors file; see model/export.py and the README's "Run a trained
// translator") run by the engine. A module of its own, installed by importing it, as checker.js is:
// the package's entry (api.js) imports it; the bundled elements import it only where a model is
// shown. Its WebAssembly (the attention_model_* builds: the same engine plus the loader and the
// forward pass) is fetched with the first loadModel(), so loadModel is async.
//
// Parsing, validation and every number happen in WASM (native/src/model.cpp); this file checks the
// JS types of the arguments, throws the module's errors as TypeError / RangeError, and turns the
// results into Tensor.
import { AttentionEngine } from './engine.js';
import { loadModule } from './loader.js';
import { Tensor } from './tensor.js';

const ERRORS = { TypeError, RangeError };

// The module's { error: { name, message } } as a thrown error; anything else passes through.
function unwrap(result) {
  if (result && result.error) throw new (ERRORS[result.error.name] ?? Error)(result.error.message);
  return result;
}

// { data: Float32Array, shape } anywhere in a result -> Tensor.
function tensors(value) {
  if (Array.isArray(value)) return value.map(tensors);
  if (value === null || typeof value !== 'object') return value;
  if (value.data instanceof Float32Array && Array.isArray(value.shape)) return new Tensor(value.data, value.shape);
  const out = {};
  for (const key of Object.keys(value)) out[key] = tensors(value[key]);
  return out;
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value;
}

// Token ids as a plain array of numbers (the module checks that they are ids of the vocabulary).
function idList(value, name, fn) {
  const ok =
    (Array.isArray(value) && value.every((x) => typeof x === 'number')) ||
    (ArrayBuffer.isView(value) &&
      !(value instanceof DataView) &&
      !(value instanceof BigInt64Array) &&
      !(value instanceof BigUint64Array));
  if (!ok) throw new TypeError(`${fn}: ${name} must be an array of token ids (numbers), got ${describe(value)}`);
  return Array.from(value);
}

function optionsOf(options, allowed, fn) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${fn}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key))
      throw new TypeError(`${fn}: unknown option '${key}'; expected one of ${allowed.join(', ')}`);
  }
  return options;
}

function freeze(value) {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) freeze(v);
    Object.freeze(value);
  }
  return value;
}

// Frees a model's WASM memory when its object is collected without dispose().
const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(({ module, handle }) => module._dispose(handle))
    : null;

/**
 * A translator loaded by attn.loadModel(). Its weights stay in WASM memory (one copy, behind a
 * handle) until dispose().
 */
export class TranslatorModel {
  #module;
  #handle;
  #maxLength; // tokens per call, the engine's limit

  constructor(module, handle, config) {
    this.#module = module;
    this.#handle = handle;
    this.#maxLength = module._info().maxLength;
    /** The file's config: { d_model, nhead, num_encoder_layers, ..., src_vocab, tgt_vocab, pad, bos, eos }. */
    this.config = freeze(config);
    registry?.register(this, { module, handle }, this);
    Object.freeze(this);
  }

  /**
   * The forward pass on source ids [S] and target ids [T] (the decoder's input, bos first):
   * { logits [T, Vt], attention: { encoder: [L × [H, S, S]], decoder: [L × [H, T, T]],
   * cross: [L × [H, T, S]] } }, and with { trace: true } also `trace` (every intermediate; see the
   * README).
   * @example model.forward(model.encode('Tom chase Jerry'), [model.config.bos]).logits.shape  // [1, Vt]
   */
  forward(srcIds, tgtIds, options = {}) {
    const { trace = false } = optionsOf(options, ['trace'], 'forward');
    if (typeof trace !== 'boolean') throw new TypeError(`forward: trace must be true or false, got ${describe(trace)}`);
    const src = idList(srcIds, 'srcIds', 'forward');
    const tgt = idList(tgtIds, 'tgtIds', 'forward');
    return tensors(unwrap(this.#module._forward(this.#handle, src, tgt, trace)));
  }

  /**
   * Greedy decoding from bos, one token at a time, until eos or maxLength ids (bos included;
   * default 2 S + 10, at most 1024): { ids, tokens, steps: [{ id, token, top, tokens, probabilities }] }, where step
   * i is the choice of ids[i + 1], with the topK (default 5) most probable next tokens and their
   * softmax probabilities.
   * @example model.decode(model.greedy(model.encode('Tom chase Jerry')).ids)  // ['<bos>', '汤姆', '追逐', '杰瑞', '<eos>']
   */
  greedy(srcIds, options = {}) {
    const src = idList(srcIds, 'srcIds', 'greedy');
    const { maxLength = Math.min(2 * src.length + 10, this.#maxLength), topK = 5 } = optionsOf(
      options,
      ['maxLength', 'topK'],
      'greedy',
    );
    for (const [name, v, lo] of [
      ['maxLength', maxLength, 1],
      ['topK', topK, 1],
    ]) {
      if (typeof v !== 'number') throw new TypeError(`greedy: ${name} must be a number, got ${describe(v)}`);
      if (!Number.isInteger(v) || v < lo || v > 1 << 20)
        throw new RangeError(`greedy: ${name} must be an integer from ${lo}, got ${v}`);
    }
    const r = unwrap(this.#module._greedy(this.#handle, src, maxLength, topK));
    const vocab = this.config.tgt_vocab;
    return {
      ids: r.ids,
      tokens: r.ids.map((i) => vocab[i]),
      steps: r.steps.map((s) => ({ ...s, token: vocab[s.id], tokens: s.top.map((i) => vocab[i]) })),
    };
  }

  /**
   * Source ids of words: an array of words, or a string split at white space. A RangeError names
   * every word that is not in the source vocabulary.
   * @example model.encode('Tom chase Jerry')  // [1, 27, 2]
   */
  encode(words) {
    const list = typeof words === 'string' ? words.split(/\s+/).filter(Boolean) : words;
    if (!Array.isArray(list) || !list.every((w) => typeof w === 'string')) {
      throw new TypeError(`encode: words must be a string or an array of strings, got ${describe(words)}`);
    }
    return unwrap(this.#module._encode(this.#handle, list));
  }

  /**
   * The source words nearest to `word` by edit distance (ASCII case ignored), nearest first: what
   * to suggest for a word encode() does not know.
   * @example model.nearest('Jery', { count: 1 })  // ['Jerry']
   */
  nearest(word, options = {}) {
    const { count = 3 } = optionsOf(options, ['count'], 'nearest');
    if (typeof word !== 'string') throw new TypeError(`nearest: word must be a string, got ${describe(word)}`);
    if (!Number.isInteger(count) || count < 0 || count > 1 << 20) {
      throw new RangeError(`nearest: count must be an integer from 0, got ${count}`);
    }
    return unwrap(this.#module._nearest(this.#handle, word, count));
  }

  /**
   * The words of target ids (or, with { source: true }, of source ids).
   * @example model.decode([1, 3, 2])  // ['<bos>', '汤姆', '<eos>']
   */
  decode(ids, options = {}) {
    const { source = false } = optionsOf(options, ['source'], 'decode');
    if (typeof source !== 'boolean')
      throw new TypeError(`decode: source must be true or false, got ${describe(source)}`);
    return unwrap(this.#module._decode(this.#handle, idList(ids, 'ids', 'decode'), source));
  }

  /** Frees the weights; the model cannot be used afterwards (a TypeError says so). */
  dispose() {
    this.#module._dispose(this.#handle);
    registry?.unregister(this);
  }
}

/**
 * Loads a translator from the bytes of a .safetensors file (see model/export.py). Async: the first
 * call fetches the model module. A malformed file is a TypeError or RangeError naming what is
 * wrong; the engine and any model loaded before stay usable.
 * @example const model = await attn.loadModel(new Uint8Array(await (await fetch(url)).arrayBuffer()));
 */
async function loadModel(bytes) {
  let data = bytes;
  if (data instanceof ArrayBuffer) data = new Uint8Array(data);
  if (!(data instanceof Uint8Array)) {
    throw new TypeError(
      `loadModel: expected the bytes of a .safetensors file (Uint8Array or ArrayBuffer), got ${describe(bytes)}`,
    );
  }
  const module = await loadModule(this.simd ? 'model-simd' : 'model-scalar');
  const r = unwrap(module._load(data));
  return new TranslatorModel(module, r.handle, r.config);
}

// as class methods are: not enumerable
Object.defineProperty(AttentionEngine.prototype, 'loadModel', { value: loadModel, writable: true, configurable: true });
