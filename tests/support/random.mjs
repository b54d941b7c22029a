// Seeded random test inputs shared by the JS suites (node, property): the same seed, the same data.

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

/** A rows × cols nested array of float32 values drawn from `next` in [lo, hi). */
export function randomMatrix(rows, cols, next, lo, hi) {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.fround(next(lo, hi))));
}
