// A float64 reference of the attention math, written straight from the definitions, for tests only.
// Matrices are arrays of rows (number[][]); batched inputs are arrays of those.

export function matmul(a, b) {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, x, p) => s + x * b[p][j], 0)));
}
export const transpose = (a) => a[0].map((_, j) => a.map((row) => row[j]));

export function softmaxRow(row) {
  const max = Math.max(...row);
  if (max === -Infinity) return row.map(() => 0);
  const e = row.map((x) => Math.exp(x - max));
  const sum = e.reduce((s, x) => s + x, 0);
  return e.map((x) => x / sum);
}

export function score(q, k, { scoring = 'scaled_dot', wq, wk, v, w } = {}) {
  switch (scoring) {
    case 'dot': return matmul(q, transpose(k));
    case 'scaled_dot': return matmul(q, transpose(k)).map((r) => r.map((x) => x / Math.sqrt(q[0].length)));
    case 'bilinear': return matmul(matmul(q, w), transpose(k));
    case 'additive': {
      const qp = matmul(q, wq), kp = matmul(k, wk);
      return qp.map((qi) => kp.map((kj) => qi.reduce((s, x, h) => s + v[h] * Math.tanh(x + kj[h]), 0)));
    }
    default: throw new Error(scoring);
  }
}

/**
 * One unbatched problem. keep(i, j) says whether query i may attend key j.
 */
export function attention(q, k, v, { temperature = 1, fill = -1e6, keep = () => true, ...scoreOptions } = {}) {
  const scores = score(q, k, scoreOptions);
  const logits = scores.map((r, i) => r.map((x, j) => (keep(i, j) ? x / temperature : fill)));
  const weights = logits.map(softmaxRow);
  return { scores, logits, weights, output: matmul(weights, v) };
}

export function positionalEncoding(length, dim) {
  return Array.from({ length }, (_, p) => Array.from({ length: dim }, (_, c) => {
    const angle = p / 10000 ** ((c - (c % 2)) / dim);
    return c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
  }));
}

/** Seeded uniform numbers in [lo, hi) (mulberry32), for reproducible random inputs. */
export function rng(seed) {
  let a = seed >>> 0;
  return (lo = -1, hi = 1) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  };
}

export function randomMatrix(rows, cols, next, lo, hi) {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.fround(next(lo, hi))));
}

/** Asserts |got - want| <= abs + rel·|want| element-wise over nested arrays, with a useful message. */
export function assertClose(got, want, { abs = 1e-6, rel = 1e-5, what = 'value' } = {}) {
  const g = [got].flat(Infinity), w = [want].flat(Infinity);
  if (g.length !== w.length) throw new Error(`${what}: ${g.length} elements, expected ${w.length}`);
  for (let i = 0; i < w.length; i++) {
    const ok = (g[i] === w[i]) || Math.abs(g[i] - w[i]) <= abs + rel * Math.abs(w[i]);
    if (!ok) throw new Error(`${what}: element ${i} is ${g[i]}, expected ${w[i]} (±${abs + rel * Math.abs(w[i])})`);
  }
}
