// Random cases for the property tests: fast-check arbitraries for shapes, value ranges, masks and
// options; the data itself comes from a seeded generator (so a case shrinks by its sizes and stays
// cheap to generate), and the float64 oracle of each case (tests/support/oracle.mjs).
import fc from 'fast-check';
import { rng } from '../support/random.mjs';
import * as o from '../support/oracle.mjs';

// --- values --------------------------------------------------------------------------------------

const EDGES = [
  0,
  -0,
  1,
  -1,
  2 ** -149,
  -(2 ** -149),
  2 ** -126,
  -(2 ** -126),
  1e-30,
  -1e-30,
  1e30,
  -1e30,
  65504,
  -65504,
  88.7,
  -104,
  1e38,
  -1e38,
  o.FLT_MAX,
  -o.FLT_MAX,
];

// How the values of one tensor are drawn. Each is float32 (Math.fround).
export const MODELS = {
  unit: (r) => r(-4, 4), // the everyday range
  ints: (r) => Math.floor(r(-3, 4)), // exact, with ties
  wide: (r) => (r() < 0 ? -1 : 1) * 10 ** r(-30, 30), // ±1e-30 .. ±1e30, log-uniform
  tiny: (r) => (r() < 0 ? -1 : 1) * 10 ** r(-30, -20),
  subnormal: (r) => (r() < 0 ? -1 : 1) * Math.floor(r(0, 2 ** 23)) * 2 ** -149,
  huge: (r) => (r() < 0 ? -1 : 1) * 10 ** r(15, 30),
  edge: (r) => EDGES[Math.floor(r(0, EDGES.length))],
};
const MODEL_WEIGHTS = { unit: 6, ints: 2, wide: 2, tiny: 1, subnormal: 1, huge: 1, edge: 1 };
export const model = fc.oneof(
  ...Object.entries(MODEL_WEIGHTS).map(([name, weight]) => ({ arbitrary: fc.constant(name), weight })),
);

/** n float32 values of `modelName` from `seed`. */
export function values(n, modelName, seed) {
  const r = rng(seed),
    draw = MODELS[modelName],
    out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = draw(r);
  return out;
}

// --- sizes ---------------------------------------------------------------------------------------

// Every axis from 1 to 64, small ones (and the SIMD tile edges 3, 4, 5, 15, 16, 17) most often.
export const axis = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 8 }), weight: 4 },
  { arbitrary: fc.constantFrom(3, 4, 5, 15, 16, 17), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 64 }), weight: 3 },
);

/**
 * Keeps the work of a case under `budget` multiply-adds by halving its largest axes: any axis may
 * still be 64, just not all at once. `work(dims)` estimates the cost.
 */
export function bounded(dims, work, budget) {
  const d = { ...dims };
  while (work(d) > budget) {
    const [key] = Object.entries(d)
      .filter(([, v]) => typeof v === 'number' && v > 1)
      .sort((a, b) => b[1] - a[1])[0];
    d[key] = Math.ceil(d[key] / 2);
  }
  return d;
}

// --- options -------------------------------------------------------------------------------------

export const fill = fc.oneof(
  { arbitrary: fc.constant(-1e6), weight: 3 },
  { arbitrary: fc.constant(-Infinity), weight: 3 },
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.float({ min: Math.fround(-1e30), max: Math.fround(1e30), noNaN: true }), weight: 1 },
);

export const temperature = fc.oneof(
  { arbitrary: fc.constant(1), weight: 4 },
  { arbitrary: fc.double({ min: 0.05, max: 20, noNaN: true }), weight: 3 },
  { arbitrary: fc.constantFrom(1e-30, 3e-45, 5e-324, 1e-3, 1e3, 1e30, 1e300), weight: 1 },
);

/** Masks for scores [B, Q, K] from a seed: validLens (in one of its shapes), a 0/1 mask, causal. */
export const maskSpec = fc.record({
  lens: fc.constantFrom('none', 'none', 'scalar', 'batch', 'row'),
  mask: fc.constantFrom('none', 'none', 'shared', 'batched'),
  density: fc.constantFrom(0.5, 0.8, 1),
  causal: fc.boolean(),
  seed: fc.integer(),
});

/**
 * The engine's options and the keep(b, i, j) rule they mean (mask.hpp), for scores [B, Q, K].
 * @returns {{ options: object, keep: (b, i, j) => boolean }}
 */
export function masks(spec, { B, Q, K, batched }) {
  const r = rng(spec.seed);
  const options = {};
  let len = () => K;
  if (spec.lens === 'scalar') {
    const l = Math.floor(r(0, K + 1));
    options.validLens = l;
    len = () => l;
  } else if (spec.lens === 'batch' && batched) {
    const l = Array.from({ length: B }, () => Math.floor(r(0, K + 1)));
    options.validLens = l;
    len = (b) => l[b];
  } else if (spec.lens === 'row' || spec.lens === 'batch') {
    const l = Array.from({ length: B * Q }, () => Math.floor(r(0, K + 1)));
    options.validLens = batched ? { data: Float64Array.from(l), shape: [B, Q] } : l;
    len = (b, i) => l[b * Q + i];
  }
  let allowed = () => true;
  if (spec.mask === 'shared' || (spec.mask === 'batched' && batched)) {
    const shared = spec.mask === 'shared';
    const n = (shared ? 1 : B) * Q * K;
    const m = Float32Array.from({ length: n }, () => (r() < spec.density ? 1 : 0));
    options.mask = { data: m, shape: shared ? [Q, K] : [B, Q, K] };
    allowed = (b, i, j) => m[((shared ? 0 : b) * Q + i) * K + j] === 1;
  }
  if (spec.causal) options.causal = true;
  const keep = (b, i, j) => j < len(b, i) && allowed(b, i, j) && !(spec.causal && j > i);
  return { options, keep };
}

// --- tensors -------------------------------------------------------------------------------------

/** { data, shape } for the engine plus the oracle's exact matrices per batch element. */
export function tensor(batched, B, rows, cols, modelName, seed) {
  const data = values(B * rows * cols, modelName, seed);
  return { arg: { data, shape: batched ? [B, rows, cols] : [rows, cols] }, data, rows, cols };
}
export function exactRows(t, b) {
  const n = t.rows * t.cols;
  return o.exact(t.rows, t.cols, t.data.subarray(b * n, (b + 1) * n));
}

// --- attention cases ---------------------------------------------------------------------------

const ATTENTION_BUDGET = 2 ** 16; // multiply-adds per case (all axes still reach 64, not all at once)
const attentionWork = (d) =>
  d.B * d.Q * d.K * (2 * d.dq + d.dv + d.h) + d.B * (d.Q + d.K) * 2 * d.dq * d.h + d.B * d.Q * d.dq * (d.dk ?? 0);

/** A random attention() case: sizes, scoring, value ranges, masks, fill, temperature, mode. */
export const attentionCase = fc
  .record({
    batched: fc.boolean(),
    dims: fc.record({ B: axis, Q: axis, K: axis, dq: axis, dk: axis, dv: axis, h: axis }),
    scoring: fc.constantFrom('dot', 'scaled_dot', 'additive', 'bilinear'),
    models: fc.record({ q: model, k: model, v: model, w: model }),
    seed: fc.integer(),
    masks: maskSpec,
    fill,
    temperature,
    mode: fc.oneof({ arbitrary: fc.constant('soft'), weight: 4 }, fc.constant('argmax'), fc.constant('sample')),
    sampleSeed: fc.maxSafeNat(),
  })
  .map((c) => {
    const dims = { ...c.dims };
    if (!c.batched) dims.B = 1;
    if (c.scoring !== 'additive') dims.h = 1;
    const sameWidth = c.scoring === 'dot' || c.scoring === 'scaled_dot';
    if (sameWidth) delete dims.dk; // dk = dq, bounded with it
    const b = bounded(dims, attentionWork, ATTENTION_BUDGET);
    return { ...c, dims: sameWidth ? { ...b, dk: b.dq } : b };
  });

/**
 * The engine's arguments for one case, its masks as keep(b, i, j) and its oracle per batch element:
 * { args, ov, perBatch, keep, dims }.
 */
export function prepareAttention(c) {
  const { batched, scoring, models: m, seed } = c;
  const { B, Q, K, dq, dk, dv, h } = c.dims;
  const q = tensor(batched, B, Q, dq, m.q, seed),
    k = tensor(batched, B, K, dk, m.k, seed + 1);
  const v = tensor(batched, B, K, dv, m.v, seed + 2);
  const { options: maskOptions, keep } = masks(c.masks, { B, Q, K, batched });
  const options = {
    scoring,
    temperature: c.temperature,
    fill: c.fill,
    mode: c.mode,
    seed: c.sampleSeed,
    trace: true,
    ...maskOptions,
  };
  const weights = {};
  if (scoring === 'additive') {
    weights.wq = tensor(false, 1, dq, h, m.w, seed + 3);
    weights.wk = tensor(false, 1, dk, h, m.w, seed + 4);
    weights.v = tensor(false, 1, 1, h, m.w, seed + 5);
    Object.assign(options, { wq: weights.wq.arg, wk: weights.wk.arg, v: { data: weights.v.data, shape: [h] } });
  }
  if (scoring === 'bilinear') {
    weights.w = tensor(false, 1, dq, dk, m.w, seed + 3);
    options.w = weights.w.arg;
  }

  const oracle = attentionOracle({
    q,
    k,
    v,
    weights,
    keep,
    dims: c.dims,
    scoring,
    fill: c.fill,
    temperature: c.temperature,
    mode: c.mode,
  });
  return { args: [q.arg, k.arg, v.arg, options], ...oracle, keep, dims: c.dims };
}

/**
 * The oracle of attention(q, k, v) (tensors as made by tensor()), per batch element:
 * { ov, perBatch: [{ scores, logits, w, out, v, blocked }] } where blocked[i] says row i has nothing
 * to attend under a -inf fill. `weights` holds the additive (wq, wk, v) or bilinear (w) tensors.
 */
export function attentionOracle({
  q,
  k,
  v,
  weights = {},
  keep,
  dims: { B },
  scoring,
  fill,
  temperature,
  mode = 'soft',
}) {
  const ov = new o.Overflow();
  const exactWeights = Object.fromEntries(Object.entries(weights).map(([name, t]) => [name, exactRows(t, 0)]));
  const perBatch = [];
  for (let b = 0; b < B; b++) {
    perBatch.push(
      o.attend(
        exactRows(q, b),
        exactRows(k, b),
        exactRows(v, b),
        { scoring, ...exactWeights, keep: (i, j) => keep(b, i, j), fill, temperature, mode },
        ov,
      ),
    );
  }
  return { ov, perBatch };
}

// --- comparisons ---------------------------------------------------------------------------------

/** Every element of `got` within the oracle's bound of the exact value. */
export function within(got, m, what, offset = 0, floor = 0) {
  for (let i = 0; i < m.val.length; i++) {
    const g = got[offset + i],
      v = m.val[i];
    if (Number.isNaN(g)) throw new Error(`${what}: element ${i} is NaN (exact ${v})`);
    if (g === v) continue; // including -inf == -inf
    const tol = m.err[i] + o.REL64 * Math.abs(v) + floor;
    if (!(Math.abs(g - v) <= tol)) {
      throw new Error(`${what}: element ${i} is ${g}, exact ${v}, allowed ±${tol.toPrecision(3)}`);
    }
  }
}

/** Weights within softmax() bounds; -inf-masked entries and fully -inf rows exactly 0. */
// The engine's precision contract for weights (README, "Precision"): within the oracle's bounds, or,
// for a weight below the smallest normal float32 (2^-126 ≈ 1.18e-38), anything in [0, 2^-126]: the
// SIMD exp flushes such subnormal results to 0, as XNNPACK's does (an absolute error under 1.2e-38
// on a probability).
export const FLT_MIN = 2 ** -126;

export function weightsWithin(got, w, what, offset = 0) {
  for (let i = 0; i < w.val.length; i++) {
    const g = got[offset + i];
    if (w.val[i] < FLT_MIN && g >= 0 && g <= FLT_MIN) continue;
    if (!(g >= w.lo[i] && g <= w.hi[i])) {
      throw new Error(
        `${what}: weight ${i} (row ${Math.floor(i / w.c)}) is ${g}, exact ${w.val[i]}, ` +
          `allowed [${w.lo[i]}, ${w.hi[i]}]`,
      );
    }
  }
}

/** Each row of K weights sums to 1 within float32 rounding of K terms, or is exactly 0 when allowed. */
export function rowsSumToOne(got, K, zeroAllowed, what) {
  for (let r = 0; r * K < got.length; r++) {
    let sum = 0;
    for (let j = 0; j < K; j++) sum += got[r * K + j];
    if (sum === 0 && zeroAllowed(r)) continue;
    if (!(Math.abs(sum - 1) <= (2 * K + 4) * o.U)) throw new Error(`${what}: row ${r} sums to ${sum}`);
  }
}

/** Every element finite (the engine must refuse rather than return NaN or ±Infinity). */
export function finite(got, what) {
  for (let i = 0; i < got.length; i++) {
    if (!Number.isFinite(got[i])) throw new Error(`${what}: element ${i} is ${got[i]}`);
  }
}

/**
 * Runs `call` and decides the outcome against the oracle's overflow record: a RangeError saying
 * "overflowed float32" is accepted only when an intermediate of the float64 reference exceeds the
 * float32 range; a result is accepted only when no checked quantity is surely beyond it. Any other
 * error fails the property. Returns the result, or null when refused for overflow.
 */
export function outcome(call, ov, what) {
  let result;
  try {
    result = call();
  } catch (e) {
    if (e instanceof RangeError && /overflowed float32/.test(e.message)) {
      if (!ov.may) {
        throw new Error(
          `${what}: refused as an overflow, but no intermediate of the float64 reference exceeds ` +
            `float32 (largest ${ov.largest.toPrecision(4)} at ${ov.where || 'none'}): ${e.message}`,
        );
      }
      return null;
    }
    throw new Error(`${what}: unexpected ${e.constructor.name}: ${e.message}`);
  }
  if (ov.must) throw new Error(`${what}: returned a result although ${ov.must} is beyond float32 in the reference`);
  return result;
}

// --- SplitMix64, as the engine's sample mode draws ------------------------------------------------

const M64 = (1n << 64n) - 1n;
/** The engine's PRNG (attention.cpp): uniform doubles in [0, 1) from a 64-bit seed. */
export function splitmix(seed) {
  let s = BigInt(seed);
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & M64;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    z ^= z >> 31n;
    return Number(z >> 11n) * 2 ** -53;
  };
}
