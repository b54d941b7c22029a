// Types of the public API of attention-playground (hand-written: Emscripten 3.1.6 cannot emit them).

/** Nested arrays of numbers, rectangular: number[], number[][], number[][][], ... */
export type NestedNumbers = number | NestedNumbers[];

/** A tensor argument: rectangular nested arrays, or row-major data with its shape. */
export type TensorInput =
  NestedNumbers[] | Float32Array | Float64Array | { data: Float32Array | Float64Array | number[]; shape: number[] };

/** A row-major float32 tensor computed by the engine (its own copy; WASM memory is never exposed). */
export declare class Tensor {
  readonly data: Float32Array;
  readonly shape: number[];
  /** Nested arrays of numbers. */
  toArray(): any;
}

export type Scoring = 'dot' | 'scaled_dot' | 'additive' | 'bilinear';
export type Mode = 'soft' | 'argmax' | 'sample';

export interface ScoreOptions {
  /** Default 'scaled_dot' (q·k/√d). */
  scoring?: Scoring;
  /** additive: W_q [dq, hidden]. */
  wq?: TensorInput;
  /** additive: W_k [dk, hidden]. */
  wk?: TensorInput;
  /** additive: v [hidden]. */
  v?: TensorInput;
  /** bilinear: W [dq, dk]. */
  w?: TensorInput;
}

export interface MaskOptions {
  /**
   * d2l valid lengths: a number (every row), [B] (per batch element), [B, Q] (per query row), or, for
   * unbatched [Q, K] scores, [Q] (per row). Integers in [0, K].
   */
  validLens?: number | TensorInput | null;
  /** 0/1 mask [Q, K] or [B, Q, K]: 1 = may attend. Booleans are accepted in nested arrays. */
  mask?: TensorInput | (boolean | number)[][] | (boolean | number)[][][] | null;
  /** Block key j > query i (top-left aligned, as PyTorch's is_causal). Default false. */
  causal?: boolean;
  /** What masked scores become. Default -1e6 (d2l: a fully masked row is uniform); -Infinity gives exact zeros. */
  fill?: number;
}

/** What a call returns beside its output (attention, multiHeadAttention, transformerBlock). */
export interface ResultOptions {
  /** Return every intermediate in `steps`. Default false. */
  trace?: boolean;
  /**
   * false: `weights` is null and the engine may skip building the weights ([(B,) Q, K], per head
   * [(B,) H, Q, K]): the heads stream. Default true.
   */
  weights?: boolean;
}

export interface AttentionOptions extends ScoreOptions, MaskOptions, ResultOptions {
  /** logits = scores / temperature; > 0, default 1. */
  temperature?: number;
  /** 'soft' (default), 'argmax' (one-hot, first index on ties) or 'sample' (one-hot, seeded draw). */
  mode?: Mode;
  /** Seed of the sampling PRNG (integer in [0, 2^53 - 1], default 0): same seed, same draw. */
  seed?: number;
}

export interface AttentionSteps {
  /** The scoring function's output [(B,) Q, K]. */
  scores: Tensor;
  /** After temperature and masking: what enters the softmax. */
  logits: Tensor;
  weights: Tensor;
  output: Tensor;
  /** In 'argmax' and 'sample' modes: the soft weights the one-hot rows were chosen from. */
  probabilities?: Tensor;
}

/**
 * A call's result: its output, its attention weights (null with { weights: false }) and, with
 * { trace: true }, every intermediate.
 */
export interface WeightedResult<Steps> {
  output: Tensor;
  weights: Tensor | null;
  steps?: Steps;
}

/** output [(B,) Q, dv], weights [(B,) Q, K]. */
export type AttentionResult = WeightedResult<AttentionSteps>;

export interface SelfAttentionOptions extends Omit<AttentionOptions, 'wq' | 'wk' | 'scoring'> {
  /** W_Q [d, dk] */
  wq: TensorInput;
  /** W_K [d, dk] */
  wk: TensorInput;
  /** W_V [d, dv] */
  wv: TensorInput;
  /** 'additive' is refused here: project first, then call attention(). */
  scoring?: Exclude<Scoring, 'additive'>;
}

/** The intermediates of an attention that projects its inputs: q, k, v, then scores, logits, weights, output. */
export interface ProjectedAttention {
  q: Tensor;
  k: Tensor;
  v: Tensor;
  scores: Tensor;
  /** After temperature and masking: what enters the softmax. */
  logits: Tensor;
  weights: Tensor;
  output: Tensor;
}

/** With heads: `heads` is the head outputs concatenated in head order, before W_O. */
export interface MultiHeadTensors extends ProjectedAttention {
  heads: Tensor;
}

export interface SelfAttentionResult extends ProjectedAttention {}

/** The weights of multi-head attention in the "x W" layout [in, out] (PyTorch's transposed). */
export interface MultiHeadWeights {
  /** W_Q [dq, D] (PyTorch: in_proj_weight[:D].T) */
  wq: TensorInput;
  /** W_K [dk, D] (PyTorch: in_proj_weight[D:2D].T) */
  wk: TensorInput;
  /** W_V [dv, D] (PyTorch: in_proj_weight[2D:].T) */
  wv: TensorInput;
  /** W_O [D, dout] (PyTorch: out_proj.weight.T) */
  wo: TensorInput;
  /** b_Q [D], added to queries W_Q (PyTorch: in_proj_bias[:D]). Optional, as are bk, bv, bo. */
  bq?: TensorInput;
  /** b_K [D] (PyTorch: in_proj_bias[D:2D]) */
  bk?: TensorInput;
  /** b_V [D] (PyTorch: in_proj_bias[2D:]) */
  bv?: TensorInput;
  /** b_O [dout] (PyTorch: out_proj.bias) */
  bo?: TensorInput;
}

/** The options of every call with heads (multiHeadAttention, transformerBlock). */
export interface HeadsOptions extends MaskOptions, MultiHeadWeights, ResultOptions {
  /** Number of heads; must divide D (the columns of wq). */
  numHeads: number;
}

export interface MultiHeadOptions extends HeadsOptions {
  temperature?: number;
}

/**
 * The projections, biases added: q, k, v [(B,) Q|K, D]; per head, scaled by 1/√(D/H): scores,
 * logits, weights [(B,) H, Q, K]; heads [(B,) Q, D].
 */
export interface MultiHeadSteps extends MultiHeadTensors {}

/** output [(B,) Q, dout], weights per head [(B,) H, Q, K]. */
export type MultiHeadResult = WeightedResult<MultiHeadSteps>;

export type Activation = 'relu' | 'gelu';

export interface LayerNormOptions {
  /** Scale [D], default all 1 (PyTorch: LayerNorm.weight). */
  gamma?: TensorInput;
  /** Shift [D], default all 0 (PyTorch: LayerNorm.bias). */
  beta?: TensorInput;
  /** Added to the variance; finite and > 0, default 1e-5. */
  eps?: number;
}

export interface FeedForwardOptions {
  /** W1 [D, F] (PyTorch: linear1.weight.T) */
  w1: TensorInput;
  /** b1 [F], optional */
  b1?: TensorInput;
  /** W2 [F, D'] (PyTorch: linear2.weight.T) */
  w2: TensorInput;
  /** b2 [D'], optional */
  b2?: TensorInput;
  /** 'relu' (default) or 'gelu': x/2 · (1 + erf(x/√2)), PyTorch's exact GELU. */
  activation?: Activation;
}

/**
 * The attention weights are MultiHeadWeights with dq = dk = dv = dout = D, the width of x (numHeads
 * must divide it); the feed-forward's are FeedForwardOptions with D' = D.
 */
export interface TransformerBlockOptions extends HeadsOptions, FeedForwardOptions {
  /** The two layer norms' scales and shifts [D], default 1 and 0 (PyTorch: norm1, norm2). */
  gamma1?: TensorInput;
  beta1?: TensorInput;
  gamma2?: TensorInput;
  beta2?: TensorInput;
  /**
   * 'post' (default, the original paper): h = norm1(x + attention(x)), output = norm2(h + ff(h)).
   * 'pre' (PyTorch's norm_first=True): h = x + attention(norm1(x)), output = h + ff(norm2(h)).
   */
  norm?: 'post' | 'pre';
  /** Of both layer norms; finite and > 0, default 1e-5. */
  eps?: number;
}

/**
 * What an encoder layer computes after its attention (transformerBlock's steps, a model's encoder
 * layers), in the order computed; [(B,) T, D] unless said.
 */
export interface EncoderSublayers {
  /** x + attention: the first residual sum (in both placements). */
  residual1: Tensor;
  /** post: norm1(residual1); pre: norm1(x), what the attention reads. */
  norm1: Tensor;
  /** activation(h W1 + b1): the feed-forward's hidden layer [(B,) T, F]. */
  hidden: Tensor;
  /** hidden W2 + b2: the feed-forward's output. */
  feedForward: Tensor;
  /** post: norm1 + feedForward; pre: residual1 + feedForward (= output). */
  residual2: Tensor;
  /** post: norm2(residual2) (= output); pre: norm2(residual1), what the feed-forward reads. */
  norm2: Tensor;
}

/** Every intermediate of a transformerBlock, in the order computed; [(B,) T, D] unless said. */
export interface TransformerBlockSteps extends MultiHeadSteps, EncoderSublayers {
  /** The attention sublayer's output (after W_O and b_O); `output` of the inherited fields is the block's. */
  attention: Tensor;
}

/** output [(B,) T, D], the attention weights per head [(B,) H, T, T]. */
export type TransformerBlockResult = WeightedResult<TransformerBlockSteps>;

/** A matrix read by parseMatrix / parseWorkedExample: rows of numbers, with the decimals it was printed with. */
export type ParsedMatrix = number[][] & {
  /** The most decimals any entry shows; null when every entry is exact (integers, fractions, square roots). */
  readonly decimals: number | null;
};

export type ClaimName = 'x' | 'wq' | 'wk' | 'wv' | 'q' | 'k' | 'v' | 'qk' | 'scores' | 'weights' | 'output';
export type CheckStep = 'q' | 'k' | 'v' | 'qk' | 'scores' | 'weights' | 'output';

/** A worked example's matrices: the inputs ({ x, wq, wk, wv } or { q, k, v }) and any claimed steps. */
export type Claims = Partial<Record<ClaimName, number[][] | Tensor>>;

export interface CheckOptions {
  /** 'scaled_dot' (default): scores = QKᵀ/√d_k; 'dot': scores = QKᵀ. */
  scoring?: 'scaled_dot' | 'dot';
  causal?: boolean;
  mask?: MaskOptions['mask'];
  validLens?: MaskOptions['validLens'];
  /**
   * How many decimals the claims were printed with: a claim within half a unit of its last decimal
   * (plus float32 rounding) is correct. Default: each matrix's own (ParsedMatrix.decimals, or read
   * off its numbers).
   */
  decimals?: number;
}

export type DiagnosisCode =
  'shape' | 'transposed' | 'no-scale' | 'scaled-by-dk' | 'softmax-axis' | 'carried' | 'arithmetic';

export interface CheckItem {
  name: CheckStep;
  status: 'correct' | 'wrong' | 'not-given';
  /** The engine's value of this step. */
  expected: Tensor;
  claimed: number[][] | null;
  /** [row, column] of each wrong cell (every cell of a claim of the wrong shape). */
  wrongCells: [number, number][];
  /** Why it is wrong, in a sentence; null unless status is 'wrong'. */
  diagnosis: { code: DiagnosisCode; message: string } | null;
}

export interface CheckResult {
  verdict: 'correct' | 'wrong';
  /** The first wrong step, in the order q, k, v, qk, scores, weights, output. */
  firstWrong: CheckStep | null;
  /** One per step (q, k, v only when x is given). */
  items: CheckItem[];
}

/** The config of a model file (its __metadata__.config). */
export interface ModelConfig {
  readonly d_model: number;
  readonly nhead: number;
  readonly num_encoder_layers: number;
  readonly num_decoder_layers: number;
  readonly dim_feedforward: number;
  readonly activation: 'relu' | 'gelu';
  readonly norm_first: boolean;
  readonly layer_norm_eps: number;
  readonly src_vocab: readonly string[];
  readonly tgt_vocab: readonly string[];
  /** id 0 in both vocabularies in the shipped model; src == pad is masked */
  readonly pad: number;
  readonly bos: number;
  readonly eos: number;
}

/**
 * One multi-head attention of a layer, as the trace gives it (N queries, M keys, d = d_model / nhead):
 * per head q [H, N, d], k and v [H, M, d], biases included; scores Q_h K_hᵀ / √d [H, N, M] before the
 * mask; logits the scores after it (-Infinity where blocked); weights their softmax; heads the heads'
 * outputs concatenated, before W_O [N, D]; output after W_O and b_O [N, D].
 */
export interface ModelAttentionTrace extends MultiHeadTensors {}

/** One encoder layer: as transformerBlock's steps (hidden [S, dim_feedforward]). */
export interface ModelEncoderLayerTrace extends EncoderSublayers {
  input: Tensor;
  selfAttention: ModelAttentionTrace;
  output: Tensor;
}

/**
 * One decoder layer: causal self-attention, cross-attention over the memory, feed-forward, each with
 * its residual and norm (residual2 and norm2 are the cross-attention's, residual3 and norm3 the
 * feed-forward's).
 */
export interface ModelDecoderLayerTrace extends ModelEncoderLayerTrace {
  crossAttention: ModelAttentionTrace;
  residual3: Tensor;
  norm3: Tensor;
}

/** embedding = embed[ids] · √d_model, positions = the sinusoidal encoding, input = their sum. */
export interface ModelEmbeddingTrace {
  embedding: Tensor;
  positions: Tensor;
  input: Tensor;
}

export interface ModelTrace {
  /** [S, D] */
  source: ModelEmbeddingTrace;
  /** [T, D] */
  target: ModelEmbeddingTrace;
  encoder: ModelEncoderLayerTrace[];
  /** the encoder's final norm of its last layer [S, D]: what cross-attention reads */
  memory: Tensor;
  decoder: ModelDecoderLayerTrace[];
  /** the decoder's final norm of its last layer [T, D] */
  output: Tensor;
  /** output · generatorᵀ + bias [T, tgt_vocab] */
  logits: Tensor;
  /** softmax of the logits over the vocabulary [T, tgt_vocab] */
  probabilities: Tensor;
}

export interface ModelForwardResult {
  logits: Tensor;
  /** per layer: encoder [H, S, S], decoder (causal) [H, T, T], cross [H, T, S] */
  attention: { encoder: Tensor[]; decoder: Tensor[]; cross: Tensor[] };
  /** only with { trace: true } */
  trace?: ModelTrace;
}

export interface GreedyStep {
  /** the id chosen at this step (ids[i + 1] for step i) and its word */
  id: number;
  token: string;
  /** the topK most probable next ids, most probable first, their words and softmax probabilities */
  top: number[];
  tokens: string[];
  probabilities: number[];
}

/** A translator loaded by attn.loadModel(): weights in WASM memory until dispose(). */
export declare class TranslatorModel {
  readonly config: ModelConfig;
  /** The forward pass on source ids [S] and target ids [T] (bos first). */
  forward(srcIds: ArrayLike<number>, tgtIds: ArrayLike<number>, options?: { trace?: boolean }): ModelForwardResult;
  /** Greedy decoding from bos until eos or maxLength ids (default min(2 S + 10, 1024)); topK (default 5) per step. */
  greedy(
    srcIds: ArrayLike<number>,
    options?: { maxLength?: number; topK?: number },
  ): { ids: number[]; tokens: string[]; steps: GreedyStep[] };
  /** Source ids of words (an array, or a string split at white space); RangeError naming unknown words. */
  encode(words: string | string[]): number[];
  /** The source words nearest to `word` by edit distance (ASCII case ignored), nearest first (count default 3). */
  nearest(word: string, options?: { count?: number }): string[];
  /** Target words of ids (source words with { source: true }). */
  decode(ids: ArrayLike<number>, options?: { source?: boolean }): string[];
  /** Frees the weights; later calls throw a TypeError. */
  dispose(): void;
}

/**
 * The engine. Every method but loadModel is synchronous, validates its arguments (TypeError / RangeError naming the
 * argument and the shapes) and leaves the engine usable after an error.
 */
export declare class AttentionEngine {
  /** True when a SIMD build (relaxed SIMD or SIMD128) is in use. */
  readonly simd: boolean;
  /** The kernels in use; init({ isa }) with it loads the same build (in a worker, say). */
  readonly isa: Isa;
  /** The largest tensor, in elements, that any call accepts or builds. */
  readonly limits: { readonly maxElements: number };

  /** softmax(x / temperature) along the last axis. */
  softmax(x: TensorInput, options?: { temperature?: number }): Tensor;
  /** d2l's masked softmax over x [B, Q, K] or [Q, K]. */
  maskedSoftmax(x: TensorInput, validLens?: MaskOptions['validLens'], options?: { fill?: number }): Tensor;
  /** x [B, Q, K] or [Q, K] with the blocked entries replaced by `fill` (what a masked softmax sees). */
  applyMask(x: TensorInput, options?: MaskOptions): Tensor;
  /** The arithmetic of softmax(x / temperature) along the last axis; x may hold -Infinity. */
  softmaxSteps(
    x: TensorInput,
    options?: { temperature?: number },
  ): { logits: Tensor; max: Tensor; exp: Tensor; sum: Tensor; weights: Tensor };
  /** A seeded random tensor: offset + normal(0, scale²) or offset + uniform[-scale, scale), rounded to `decimals`. */
  random(
    shape: number[] | number,
    options?: {
      seed?: number;
      distribution?: 'normal' | 'uniform';
      scale?: number;
      offset?: number;
      decimals?: number;
    },
  ): Tensor;
  /** a + b, element-wise, same shapes. */
  add(a: TensorInput, b: TensorInput): Tensor;
  /** a - b, element-wise, same shapes. */
  subtract(a: TensorInput, b: TensorInput): Tensor;
  /** The why-scale experiment: per width in `dims`, score variance, softmax entropy and max weight, unscaled and scaled. */
  scaleExperiment(options: { dims: number[]; keys?: number; samples?: number; seed?: number }): {
    dims: Tensor;
    variance: Tensor;
    varianceScaled: Tensor;
    entropy: Tensor;
    entropyScaled: Tensor;
    maxWeight: Tensor;
    maxWeightScaled: Tensor;
  };
  /** Scores [(B,) Q, K] of queries [(B,) Q, dq] against keys [(B,) K, dk]. */
  score(queries: TensorInput, keys: TensorInput, options?: ScoreOptions): Tensor;
  /** output = softmax(mask(score / temperature)) · values. */
  attention(queries: TensorInput, keys: TensorInput, values: TensorInput, options?: AttentionOptions): AttentionResult;
  /** Self-attention of x [(B,) T, d]: Q = x W_Q, K = x W_K, V = x W_V, then attention. */
  selfAttention(x: TensorInput, options: SelfAttentionOptions): SelfAttentionResult;
  /** Multi-head attention, as PyTorch's nn.MultiheadAttention with weights transposed (biases optional). */
  multiHeadAttention(
    queries: TensorInput,
    keys: TensorInput,
    values: TensorInput,
    options: MultiHeadOptions,
  ): MultiHeadResult;
  /** Layer norm over the last axis of x [..., D], as torch.nn.functional.layer_norm. */
  layerNorm(x: TensorInput, options?: LayerNormOptions): Tensor;
  /** x [..., in] · w [in, out] + bias [out]. */
  linear(x: TensorInput, w: TensorInput, options?: { bias?: TensorInput }): Tensor;
  /** activation(x W1 + b1) W2 + b2 over the last axis of x [..., D]. */
  feedForward(x: TensorInput, options: FeedForwardOptions): Tensor;
  /** One transformer encoder layer on x [(B,) T, D], as torch.nn.TransformerEncoderLayer(batch_first=True, dropout=0). */
  transformerBlock(x: TensorInput, options: TransformerBlockOptions): TransformerBlockResult;
  /** Sinusoidal positional encoding [length, dim]. */
  positionalEncoding(length: number, dim: number): Tensor;
  /** A matrix as people publish it (NumPy/PyTorch repr, JSON, Markdown table, LaTeX, rows); SyntaxError with line and column. */
  parseMatrix(text: string): ParsedMatrix;
  /** A labelled worked example (X =, W_Q =, Q =, QK^T =, scores =, weights =, output = …) split into named matrices. */
  parseWorkedExample(text: string): Partial<Record<ClaimName, ParsedMatrix>>;
  /** Checks the claimed steps against the engine: each wrong cell, the first wrong step, a diagnosis. */
  checkWorkedExample(claims: Claims, options?: CheckOptions): CheckResult;
  /**
   * Loads a translator from a .safetensors file (PyTorch's nn.Transformer with embeddings and a
   * generator; model/export.py writes one). Async: the first call fetches the model module.
   * TypeError / RangeError naming what is wrong in a malformed file.
   */
  loadModel(bytes: Uint8Array | ArrayBuffer): Promise<TranslatorModel>;
  /** x [M, N] shrunk to [rows, cols] blocks, each its mean (default) or max; the block edges for hovers. */
  downsample(
    x: TensorInput,
    options: { rows: number; cols: number; reduce?: 'mean' | 'max' },
  ): { values: Tensor; rowEdges: Tensor; colEdges: Tensor };
  /**
   * WASM memory: the whole linear memory, the bytes malloc'd right now, and heldBytes: the most
   * bytes a call held at its end (its inputs, results and what it kept) over the calls since the
   * previous memory() call, which resets it.
   */
  memory(): { heapBytes: number; allocatedBytes: number; heldBytes: number };
}

/** The builds: relaxed SIMD (SIMD128 with f32x4.relaxed_madd), SIMD128, scalar. */
export type Isa = 'relaxed-simd' | 'simd128' | 'scalar';

/**
 * Loads the engine; later calls return the same engine for the same build.
 * isa: 'auto' (default) picks the fastest build that WebAssembly.validate accepts, in the order
 * 'relaxed-simd', 'simd128', 'scalar'; naming one requires it (rejects where it cannot run).
 * simd (pass one of the two): true requires a SIMD build (the faster one), false forces scalar.
 */
export declare function init(options?: { isa?: 'auto' | Isa; simd?: 'auto' | boolean }): Promise<AttentionEngine>;

/** True when this JavaScript engine validates WebAssembly SIMD128. */
export declare function simdSupported(): boolean;

/** True when this JavaScript engine validates relaxed SIMD (f32x4.relaxed_madd). */
export declare function relaxedSimdSupported(): boolean;

/** The builds this JavaScript engine can run and this bundle holds, fastest first. */
export declare function supportedIsas(): Isa[];

/** Every method of the engine, async: same arguments, same results, same errors. */
export type AsyncEngineMethods = {
  [
    K in keyof AttentionEngine as AttentionEngine[K] extends (...args: any[]) => any ? K : never
  ]: AttentionEngine[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/**
 * A pool of workers (Web Workers in browsers, worker_threads in Node), each with its own WASM
 * instance of the same build. Large attention calls are split by batch and by query rows and the
 * results are bit for bit the synchronous engine's. memory() sums over the workers.
 */
export declare class AttentionPool {
  /** How many workers run calls; 0 when they run on the calling thread (no Worker, e.g. file://). */
  readonly workers: number;
  /** The kernels every worker runs, as attn.isa. */
  readonly isa: AttentionEngine['isa'];
  /** True when the SIMD build is in use. */
  readonly simd: boolean;
  readonly limits: AttentionEngine['limits'];
  /** Stops the workers; calls not yet answered are rejected. */
  close(): void;
}
export interface AttentionPool extends AsyncEngineMethods {}

/**
 * Starts a pool. workers: how many (default: the number of cores; 0: the calling thread). The other
 * options are init()'s: every worker loads the build init() with them would load.
 * @example const pool = await initPool({ workers: 2 }); await pool.attention(q, k, v, { weights: false }); pool.close();
 */
export declare function initPool(
  options?: { workers?: number } & NonNullable<Parameters<typeof init>[0]>,
): Promise<AttentionPool>;
