// The float64 oracle of the engine's math for every JS suite (node, property): written once, straight
// from the definitions, independent of the engine. Two faces over the same code:
//   - matrices with error bounds (below), for the property tests;
//   - nested arrays (number[][]), values only (at the end: softmaxRow, attention, matmulRows,
//     positionalEncoding, assertClose), for the example-based tests.
//
// It says how far a correct float32 engine may land from the exact value: every quantity carries its
// exact value (`val`, float64 from the float32 inputs), a bound on the error of a float32
// computation of it (`err`), and the oracle records the largest magnitude any intermediate can
// reach (for deciding whether an "overflowed float32" refusal is legitimate).
//
// The bounds follow the standard model of floating-point arithmetic (Higham, "Accuracy and Stability
// of Numerical Algorithms", ch. 2-3), with u = 2^-24 the unit roundoff of float32:
//   fl(a op b) = (a op b)(1 + d) + e,   |d| <= u,   |e| <= 2^-150 (underflow to a subnormal)
//   a sum of n terms computed in any order is within gamma_n * sum|terms| (gamma_n = nu / (1 - nu))
//   softmax: logits perturbed by at most D_j move weight j within
//       [exp(x_j - D_j) / (exp(x_j - D_j) + sum_k!=j exp(x_k + D_k)),  same with the signs swapped]
//   exp on 4 lanes is within 3 ulp (6u relative) of exp, tanh within 8u absolute (its test and its
//   derivation in native/kernels/simd/exp.hpp), and tanh' = 1 - tanh^2 bounds how an argument error moves it.
// Both builds are covered: the SIMD kernels accumulate in float32 (the bounds above), the scalar
// ones in double and round once (well inside them). Nothing here is tuned to make a test pass; the
// only slack is the oracle's own float64 rounding (REL64 below), 2^-50 relative.
//
// Matrices are { r, c, val: Float64Array, err: Float64Array } in row-major order.

export const U = 2 ** -24;
export const TINY = 2 ** -149;
export const FLT_MAX = 3.4028234663852886e38;
export const REL64 = 2 ** -50;
export const gamma = (n) => (n * U) / (1 - n * U);

/** An exact matrix from float32 data (an input: no error). */
export function exact(r, c, data) {
  return { r, c, val: Float64Array.from(data), err: new Float64Array(r * c) };
}

/** Records what a run of the engine may and must do about float32 overflow. */
export class Overflow {
  constructor() {
    this.largest = 0; // the largest magnitude any intermediate can reach
    this.where = ''; // the stage where it is reached
    this.must = ''; // a checked quantity that is certainly beyond float32, if any
  }
  /** Any intermediate (product, partial sum, projection) of magnitude up to `mag`. */
  note(mag, stage) {
    if (mag > this.largest) {
      this.largest = mag;
      this.where = stage;
    }
  }
  /** A quantity the engine checks (scores, logits, output): beyond float32 for sure means refused. */
  checked(m, stage) {
    for (let i = 0; i < m.val.length; i++) {
      const v = Math.abs(m.val[i]);
      this.note(v + m.err[i], stage);
      if (v - m.err[i] > FLT_MAX && !this.must) this.must = stage;
    }
  }
  /** Whether an intermediate can exceed float32's range, so that a refusal is legitimate. */
  get may() {
    return this.largest > FLT_MAX;
  }
}

// sum_p a[aOff + p*aStep] * b[bOff + p*bStep], p < n, with both operands carrying errors.
function dot(n, a, aOff, aStep, b, bOff, bStep, ov, stage) {
  let val = 0,
    err = 0,
    mag = 0;
  for (let p = 0; p < n; p++) {
    const x = a.val[aOff + p * aStep],
      ex = a.err[aOff + p * aStep];
    const y = b.val[bOff + p * bStep],
      ey = b.err[bOff + p * bStep];
    val += x * y;
    err += Math.abs(x) * ey + Math.abs(y) * ex + ex * ey;
    mag += (Math.abs(x) + ex) * (Math.abs(y) + ey);
  }
  ov.note(mag * (1 + gamma(n + 1)), stage);
  return { val, err: err + gamma(n + 1) * mag + n * TINY };
}

function matrix(r, c) {
  return { r, c, val: new Float64Array(r * c), err: new Float64Array(r * c) };
}

/** a [m, k] · b [k, n]. */
export function matmul(a, b, ov, stage) {
  const out = matrix(a.r, b.c);
  for (let i = 0; i < a.r; i++) {
    for (let j = 0; j < b.c; j++) {
      const d = dot(a.c, a, i * a.c, 1, b, j, b.c, ov, stage);
      out.val[i * b.c + j] = d.val;
      out.err[i * b.c + j] = d.err;
    }
  }
  return out;
}

/** a [m, k] · b [n, k]ᵀ, on columns [col, col + width) of both (one head) or all of them. */
export function matmulT(a, b, ov, stage, col = 0, width = a.c) {
  const out = matrix(a.r, b.r);
  for (let i = 0; i < a.r; i++) {
    for (let j = 0; j < b.r; j++) {
      const d = dot(width, a, i * a.c + col, 1, b, j * b.c + col, 1, ov, stage);
      out.val[i * b.r + j] = d.val;
      out.err[i * b.r + j] = d.err;
    }
  }
  return out;
}

/** x / sqrt(d) as the engine does it: by sqrtf(d), rounded to float32 (relative error u). */
export function divideBySqrt(x, d) {
  const s = Math.sqrt(d);
  const out = matrix(x.r, x.c);
  for (let i = 0; i < x.val.length; i++) {
    const v = x.val[i],
      e = x.err[i];
    out.val[i] = v / s;
    // the rounded divisor (u), the division (u), the error carried in
    out.err[i] = (e * (1 + 2 * U) + 2.01 * U * (Math.abs(v) + e)) / s + TINY;
  }
  return out;
}

/** x / T, computed in double from float32 x and rounded once (the engine's temperature). */
export function divideByTemperature(x, t) {
  if (t === 1) return x;
  const out = matrix(x.r, x.c);
  for (let i = 0; i < x.val.length; i++) {
    const v = x.val[i] / t,
      e = x.err[i] / t;
    out.val[i] = v;
    out.err[i] = e + U * (Math.abs(v) + e) + TINY;
  }
  return out;
}

/** Additive scores s[i, j] = sum_p v[p] tanh(qp[i, p] + kp[j, p]) from the projections. */
export function additive(qp, kp, v, ov, stage) {
  const h = qp.c,
    out = matrix(qp.r, kp.r);
  for (let i = 0; i < qp.r; i++) {
    for (let j = 0; j < kp.r; j++) {
      let val = 0,
        err = 0,
        mag = 0;
      for (let p = 0; p < h; p++) {
        const z = qp.val[i * h + p] + kp.val[j * h + p];
        const ezIn = qp.err[i * h + p] + kp.err[j * h + p];
        const ez = ezIn + U * (Math.abs(z) + ezIn); // the float32 addition
        ov.note(Math.abs(qp.val[i * h + p]) + Math.abs(kp.val[j * h + p]) + ezIn, stage);
        const t = Math.tanh(z);
        // tanh is 1-Lipschitz with tanh' = 1 - tanh^2, largest nearest 0 within [|z| - ez, |z| + ez]
        const slope = Math.abs(z) <= ez ? 1 : 1 - Math.tanh(Math.abs(z) - ez) ** 2;
        const et = Math.min(2, ez * slope) + 8 * U;
        const w = v.val[p];
        val += w * t;
        err += Math.abs(w) * et;
        mag += Math.abs(w) * (Math.abs(t) + et);
      }
      ov.note(mag * (1 + gamma(h + 1)), stage);
      out.val[i * kp.r + j] = val;
      out.err[i * kp.r + j] = err + gamma(h + 1) * mag + h * TINY;
    }
  }
  return out;
}

/**
 * Softmax of each row of `logits` (masked entries already replaced by the exact fill, err 0).
 * Returns { r, c, val, lo, hi }: the exact weights and the interval a float32 engine's weight must
 * lie in. A row whose logits are all -inf has weights exactly 0.
 */
export function softmax(logits) {
  const { r, c: K } = logits;
  const val = new Float64Array(r * K),
    lo = new Float64Array(r * K),
    hi = new Float64Array(r * K);
  const A = new Float64Array(K),
    B = new Float64Array(K),
    D = new Float64Array(K);
  const preA = new Float64Array(K + 1),
    preB = new Float64Array(K + 1);
  const sufA = new Float64Array(K + 1),
    sufB = new Float64Array(K + 1);
  const rounding = gamma(K + 2); // the float32 sum and the normalisation
  const floor = (K + 2) * 2 ** -146; // subnormal exp results, a few ulp each
  for (let i = 0; i < r; i++) {
    const row = i * K;
    let m = -Infinity,
      E = 0;
    for (let j = 0; j < K; j++) {
      m = Math.max(m, logits.val[row + j]);
      E = Math.max(E, logits.err[row + j]);
    }
    if (m === -Infinity) continue; // nothing to attend: exact zeros
    // D_j: how far x_j = l_j - max may move, apart from a shift common to the row (which cancels):
    // the logit's own error, the rounding of the subtraction, exp's 3 ulp
    let top = -Infinity;
    for (let j = 0; j < K; j++) {
      const l = logits.val[row + j],
        e = logits.err[row + j];
      D[j] = l === -Infinity ? 0 : e + U * (Math.abs(l - m) + e + E) + 6.01 * U;
      top = Math.max(top, l - m + D[j]);
    }
    let sum = 0;
    for (let j = 0; j < K; j++) {
      const x = logits.val[row + j] - m;
      val[row + j] = Math.exp(x);
      sum += val[row + j];
      A[j] = Math.exp(x - D[j] - top); // lowest
      B[j] = Math.exp(x + D[j] - top); // highest
    }
    if (!Number.isFinite(top)) {
      // a logit whose error is unbounded (s / T beyond double's range): any weight in [0, 1]
      for (let j = 0; j < K; j++) {
        val[row + j] /= sum;
        if (logits.val[row + j] !== -Infinity) hi[row + j] = 1;
      }
      continue;
    }
    // sum_k!=j of A and of B as prefix + suffix sums: subtracting term j from the total would cancel
    // catastrophically when term j dominates
    preA[0] = preB[0] = 0;
    for (let j = 0; j < K; j++) {
      preA[j + 1] = preA[j] + A[j];
      preB[j + 1] = preB[j] + B[j];
    }
    sufA[K] = sufB[K] = 0;
    for (let j = K; j-- > 0;) {
      sufA[j] = sufA[j + 1] + A[j];
      sufB[j] = sufB[j + 1] + B[j];
    }
    // sum_k!=j exp(x_k + sign D_k - (x_j + own D_j)), directly, where the shifted terms underflow
    const others = (j, sign, own) => {
      let t = 0;
      for (let k = 0; k < K; k++) {
        if (k !== j) t += Math.exp(logits.val[row + k] - m + sign * D[k] - (logits.val[row + j] - m + own * D[j]));
      }
      return t;
    };
    for (let j = 0; j < K; j++) {
      val[row + j] /= sum;
      if (logits.val[row + j] === -Infinity) continue; // exactly 0
      const othersLow = preA[j] + sufA[j + 1],
        othersHigh = preB[j] + sufB[j + 1];
      const h = B[j] > 1e-280 ? B[j] / (B[j] + othersLow) : 1 / (1 + others(j, -1, 1));
      const l = A[j] > 1e-280 ? A[j] / (A[j] + othersHigh) : 1 / (1 + others(j, 1, -1));
      hi[row + j] = Math.min(1, h * (1 + rounding) * (1 + REL64) + floor);
      lo[row + j] = Math.max(0, l * (1 - rounding) * (1 - REL64) - floor);
    }
  }
  return { r, c: K, val, lo, hi };
}

/** output [Q, dv] = weights [Q, K] · values [K, dv], from softmax() bounds and values with errors. */
export function weighted(w, v, ov, stage) {
  const K = w.c,
    out = matrix(w.r, v.c);
  for (let i = 0; i < w.r; i++) {
    for (let c = 0; c < v.c; c++) {
      let val = 0,
        err = 0,
        mag = 0;
      for (let j = 0; j < K; j++) {
        const wj = w.val[i * K + j],
          hj = w.hi[i * K + j];
        const dw = Math.max(hj - wj, wj - w.lo[i * K + j]);
        const x = v.val[j * v.c + c],
          ex = v.err[j * v.c + c];
        val += wj * x;
        err += dw * Math.abs(x) + hj * ex;
        mag += hj * (Math.abs(x) + ex);
      }
      ov.note(mag * (1 + gamma(K + 1)), stage);
      out.val[i * v.c + c] = val;
      out.err[i * v.c + c] = err + gamma(K + 1) * mag + K * TINY;
    }
  }
  return out;
}

/** Columns [start, start + width) of m as a matrix (one head). */
export function columnsOf(m, start, width) {
  const out = matrix(m.r, width);
  for (let i = 0; i < m.r; i++) {
    for (let j = 0; j < width; j++) {
      out.val[i * width + j] = m.val[i * m.c + start + j];
      out.err[i * width + j] = m.err[i * m.c + start + j];
    }
  }
  return out;
}

/** Rows [start, start + rows) of m as a matrix (a batch element). */
export function rowsOf(m, start, rows) {
  const n = rows * m.c;
  return {
    r: rows,
    c: m.c,
    val: m.val.subarray(start * m.c, start * m.c + n),
    err: m.err.subarray(start * m.c, start * m.c + n),
  };
}

/** Logits from scores: / T, then blocked entries (keep(i, j) false) replaced by the float32 fill. */
export function logitsOf(scores, temperature, keep, fill, ov) {
  const l = divideByTemperature(scores, temperature);
  ov.checked(l, 'logits'); // the engine checks before masking: a masked s / T must fit too
  const out = { r: l.r, c: l.c, val: Float64Array.from(l.val), err: Float64Array.from(l.err) };
  for (let i = 0; i < l.r; i++) {
    for (let j = 0; j < l.c; j++) {
      if (!keep(i, j)) {
        out.val[i * l.c + j] = fill;
        out.err[i * l.c + j] = 0;
      }
    }
  }
  return out;
}

/**
 * One problem of attention from matrices with errors (inputs, or projections): { scores, logits, w,
 * out (soft mode), v, blocked } where blocked[i] says row i has nothing to attend under a -inf fill.
 * `wq`, `wk`, `v` (a 1 × h matrix) are the additive scoring's weights, `w` the bilinear one's.
 */
export function attend(qb, kb, vb, { scoring, w: wb, wq, wk, v: va, keep, fill, temperature, mode = 'soft' }, ov) {
  const fill32 = Math.fround(fill);
  let scores;
  if (scoring === 'dot') scores = matmulT(qb, kb, ov, 'scores');
  if (scoring === 'scaled_dot') scores = divideBySqrt(matmulT(qb, kb, ov, 'scores'), qb.c);
  if (scoring === 'bilinear') scores = matmulT(matmul(qb, wb, ov, 'q W'), kb, ov, 'scores');
  if (scoring === 'additive') {
    const qp = matmul(qb, wq, ov, 'q W_q'),
      kp = matmul(kb, wk, ov, 'k W_k');
    scores = additive(qp, kp, va, ov, 'scores');
  }
  ov.checked(scores, 'scores');
  const logits = logitsOf(scores, temperature, keep, fill32, ov);
  const w = softmax(logits);
  let out = null;
  if (mode === 'soft') {
    out = weighted(w, vb, ov, 'output');
    ov.checked(out, 'output');
  }
  const { r: Q, c: K } = logits;
  const blocked = Array.from(
    { length: Q },
    (_, i) => fill32 === -Infinity && [...Array(K).keys()].every((j) => !keep(i, j)),
  );
  return { scores, logits, w, out, v: vb.val, blocked };
}

// --- the same oracle on nested arrays, values only ------------------------------------------------

const fromRows = (a) => exact(a.length, a[0].length, a.flat());
const toRows = (m) => Array.from({ length: m.r }, (_, i) => Array.from(m.val.subarray(i * m.c, (i + 1) * m.c)));

/** a · b in float64. */
export function matmulRows(a, b) {
  return toRows(matmul(fromRows(a), fromRows(b), new Overflow(), 'matmul'));
}

/** The softmax of one row in float64 (max-subtracted; a row of -inf gives zeros). */
export function softmaxRow(row) {
  return toRows(softmax(fromRows([row])))[0];
}

/**
 * Attention on one unbatched problem in float64: { scores, logits, weights, output } as nested
 * arrays. keep(i, j) says whether query i may attend key j; `wq`, `wk`, `v` (additive) and `w`
 * (bilinear) are nested arrays as the engine takes them.
 */
export function attention(
  q,
  k,
  v,
  { scoring = 'scaled_dot', temperature = 1, fill = -1e6, keep = () => true, wq, wk, v: va, w } = {},
) {
  const weights = {};
  if (scoring === 'additive') Object.assign(weights, { wq: fromRows(wq), wk: fromRows(wk), v: fromRows([va]) });
  if (scoring === 'bilinear') weights.w = fromRows(w);
  if (!['dot', 'scaled_dot', 'additive', 'bilinear'].includes(scoring)) throw new Error(scoring);
  const r = attend(
    fromRows(q),
    fromRows(k),
    fromRows(v),
    { scoring, ...weights, keep, fill, temperature },
    new Overflow(),
  );
  return { scores: toRows(r.scores), logits: toRows(r.logits), weights: toRows(r.w), output: toRows(r.out) };
}

/**
 * x [M, N] (nested arrays) shrunk to [rows, cols] blocks in float64, each its mean or max; block
 * (r, c) holds rows [⌊r·M/rows⌋, ⌊(r+1)·M/rows⌋) and columns likewise.
 */
export function downsample(x, rows, cols, reduce = 'mean') {
  const M = x.length,
    N = x[0].length;
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => {
      const block = x
        .slice(Math.floor((r * M) / rows), Math.floor(((r + 1) * M) / rows))
        .flatMap((row) => row.slice(Math.floor((c * N) / cols), Math.floor(((c + 1) * N) / cols)));
      return reduce === 'max' ? Math.max(...block) : block.reduce((a, b) => a + b, 0) / block.length;
    }),
  );
}

/** The sinusoidal positional encoding [length, dim] in float64. */
export function positionalEncoding(length, dim) {
  return Array.from({ length }, (_, p) =>
    Array.from({ length: dim }, (_, c) => {
      const angle = p / 10000 ** ((c - (c % 2)) / dim);
      return c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }),
  );
}

/** Asserts |got - want| <= abs + rel·|want| element-wise over nested arrays, with a useful message. */
export function assertClose(got, want, { abs = 1e-6, rel = 1e-5, what = 'value' } = {}) {
  const g = [got].flat(Infinity),
    w = [want].flat(Infinity);
  if (g.length !== w.length) throw new Error(`${what}: ${g.length} elements, expected ${w.length}`);
  for (let i = 0; i < w.length; i++) {
    const ok = g[i] === w[i] || Math.abs(g[i] - w[i]) <= abs + rel * Math.abs(w[i]);
    if (!ok) throw new Error(`${what}: element ${i} is ${g[i]}, expected ${w[i]} (±${abs + rel * Math.abs(w[i])})`);
  }
}
