// Making and resizing inputs: random matrices drawn by the engine's seeded generator, labels for new
// tokens, and masks kept consistent with the sizes. Shared by the examples that resize.
import { arr } from './model.js';

export const words = (s) => s.trim().split(/\s+/).filter(Boolean);

/** A [rows, cols] matrix from the engine's seeded normal generator, rounded to 2 decimals. */
export function randomMatrix(attn, rows, cols, seed, scale = 1) {
  return arr(attn.random([rows, cols], { seed, scale, decimals: 2 }));
}

/** n labels: the existing ones, then base1, base2, … */
export function tokensFor(labels, n, base) {
  return Array.from({ length: n }, (_, i) => labels?.[i] ?? `${base}${i + 1}`);
}

/** Keeps the top-left of `m` and fills new cells from `fresh()` (only when the shape changes). */
export function grow(m, rows, cols, fresh) {
  if (m.length === rows && m[0].length === cols) return m;
  const f = fresh();
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => m[i]?.[j] ?? f[i][j]));
}

/** Keeps the mask options (valid lengths per row, cells) consistent with Q × K after a resize. */
export function fitMask(o, Q, K) {
  const lens = Array.from({ length: Q }, (_, i) => Math.min(K, o.validLens?.[i] ?? K));
  const cells = Array.from({ length: Q }, (_, i) => Array.from({ length: K }, (_, j) => o.cells?.[i]?.[j] ?? 1));
  return { ...o, validLens: lens, cells };
}

/** Mask options of a T-token example with every key open: valid lengths T, all cells 1. */
export function openMask(T) {
  return { validLens: Array(T).fill(T), cells: Array.from({ length: T }, () => Array(T).fill(1)) };
}

/**
 * Self-attention inputs at new sizes: x [tokens, d] (d kept), W_Q, W_K, W_V [d, dk] and, when the
 * state has one, W_O [dk, d]; what fits is kept, new cells come from the seeded generator (weights
 * times `scale`), new tokens are labelled base1, base2, …, and the mask options follow.
 */
export function resizeProjections(attn, s, { tokens, dk, seed = 1 }, { scale = 1, base = 'x' } = {}) {
  const d = s.inputs.x[0].length;
  const inputs = {
    x: grow(s.inputs.x, tokens, d, () => randomMatrix(attn, tokens, d, seed)),
    wq: grow(s.inputs.wq, d, dk, () => randomMatrix(attn, d, dk, seed + 1, scale)),
    wk: grow(s.inputs.wk, d, dk, () => randomMatrix(attn, d, dk, seed + 2, scale)),
    wv: grow(s.inputs.wv, d, dk, () => randomMatrix(attn, d, dk, seed + 3, scale)),
  };
  if (s.inputs.wo) inputs.wo = grow(s.inputs.wo, dk, d, () => randomMatrix(attn, dk, d, seed + 4, scale));
  return {
    ...s,
    labels: { ...s.labels, queries: tokensFor(s.labels.queries, tokens, base) },
    inputs,
    options: fitMask(s.options, tokens, tokens),
  };
}

/** New random x, W_Q, W_K, W_V (and W_O when present) of the same sizes. */
export function randomProjections(attn, s, seed, { scale = 1 } = {}) {
  const [T, d] = [s.inputs.x.length, s.inputs.x[0].length],
    dk = s.inputs.wq[0].length;
  const inputs = {
    x: randomMatrix(attn, T, d, seed),
    wq: randomMatrix(attn, d, dk, seed + 1, scale),
    wk: randomMatrix(attn, d, dk, seed + 2, scale),
    wv: randomMatrix(attn, d, dk, seed + 3, scale),
  };
  if (s.inputs.wo) inputs.wo = randomMatrix(attn, dk, d, seed + 4, scale);
  return { ...s, inputs };
}

/**
 * `sizes`, `resize` and `randomise` of an example whose inputs are x, W_Q, W_K, W_V (and W_O):
 * the size control edits the tokens and d_k (the width of the projections).
 */
export function projectionSizing({ scale = 1, base = 'x' } = {}) {
  return {
    sizes: (s) => ({ tokens: s.inputs.x.length, dk: s.inputs.wq[0].length }),
    resize: (attn, s, sizes) => resizeProjections(attn, s, sizes, { scale, base }),
    randomise: (attn, s, seed) => randomProjections(attn, s, seed, { scale }),
  };
}
