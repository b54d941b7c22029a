// flash_attention__simd128_4x8: attention of one batch element with the softmax kept online over
// tiles of keys, in the 4x8 register tiles of tiles.hpp and the exponentials of exp.hpp.
//
// Why it is not softmax_row + gemm: the online softmax never holds a whole row of logits, so it
// rescales its running sum and output whenever a row's max grows; the exp and the mask rule
// (KeyMask::end / kept) are the ones the row kernels and the materialised path (src/logits.cpp) use.
#include <algorithm>
#include <cfloat>
#include <cstring>

#include "../kernels.hpp"
#include "exp.hpp"
#include "tiles.hpp"

namespace attn::kernels {

using namespace v128;

namespace {

constexpr std::size_t kGroups = kFlashRows / 4;  // 4-row lane groups of a query block
static_assert(kFlashRows % 8 == 0 && kFlashKeys % 4 == 0, "the 4x8 tiles must tile the blocks");

// A fill in base-2 logit units: -inf stays -inf, a finite fill stays finite (-FLT_MAX at most), so
// a fully masked row stays uniform under a finite fill, however large.
inline float base2_fill(float fill) {
  if (fill == -std::numeric_limits<float>::infinity()) return fill;
  const float f = fill * 1.44269504088896341f;
  return f < -FLT_MAX ? -FLT_MAX : (f > FLT_MAX ? FLT_MAX : f);
}

// weights [rows][cols] (row stride ldw) = st [cols][kFlashRows]ᵀ: a block's logits for the
// weights output, 4x4 transposes where the block is whole.
void store_logits_t(const float* st, std::size_t rows, std::size_t cols, float* weights,
                    std::size_t ldw) {
  for (std::size_t r = 0; r < rows; r += 4) {
    std::size_t jj = 0;
    if (r + 4 <= rows) {
      for (; jj + 4 <= cols; jj += 4) {
        const float* s = st + jj * kFlashRows + r;
        f32x4 c0 = load(s), c1 = load(s + kFlashRows), c2 = load(s + 2 * kFlashRows),
              c3 = load(s + 3 * kFlashRows);
        transpose4(c0, c1, c2, c3);
        float* w = weights + r * ldw + jj;
        store(w, c0), store(w + ldw, c1), store(w + 2 * ldw, c2), store(w + 3 * ldw, c3);
      }
    }
    for (std::size_t u = r; u < rows && u < r + 4; ++u) {
      for (std::size_t j = jj; j < cols; ++j) weights[u * ldw + j] = st[j * kFlashRows + u];
    }
  }
}

// The first key blocked for all of `rows` rows, from their ends stored as floats (endf).
std::size_t end_of(const float* endf, std::size_t rows) {
  float e = 0.0f;
  for (std::size_t r = 0; r < rows; ++r) e = endf[r] > e ? endf[r] : e;
  return static_cast<std::size_t>(e);
}

// weights[i0 + r][j0 .. j0 + cols) = fill for r < rows: the logits of blocked keys a tile leaves out
void fill_weights(const FlashArgs& a, std::size_t i0, std::size_t rows, std::size_t j0,
                  std::size_t cols, float fill) {
  for (std::size_t r = 0; r < rows; ++r) std::fill_n(a.weights + (i0 + r) * a.ldw + j0, cols, fill);
}

// The state of one span of query rows (see flash_attention__simd128_4x8).
struct Span {
  const FlashArgs* args;
  const float* kp;
  float *qt, *st, *mx, *sum, *rescale, *endf;
  std::size_t s0, blocks;
  const std::size_t *end_min, *end_max;
  bool* begun;  // per block: pass 4 has written its rows of out
  f32x4 ok;
};

// Passes 1-4 for the key tile at j0 against every block of the span; false when every block
// skipped it (and so every later tile). It must stay a separate WASM function (see span_tile_fn).
bool span_tile(Span& sp, std::size_t j0) noexcept {
  const FlashArgs& a = *sp.args;
  const KeyMask& mask = a.mask;
  const std::size_t n = a.n, d = a.d, dv = a.dv, s0 = sp.s0, blocks = sp.blocks;
  const float* kp = sp.kp;
  float *qt = sp.qt, *st = sp.st, *mx = sp.mx, *sum = sp.sum, *rescale = sp.rescale,
        *endf = sp.endf;
  const std::size_t *end_min = sp.end_min, *end_max = sp.end_max;
  f32x4 ok = sp.ok;
  // unchecked, the logits are in base 2 (log2 e folded into the queries' scale): so is the fill
  const bool base2 = !a.checked;
  const float fill = base2 ? base2_fill(mask.fill) : mask.fill;
  const float cutoff = base2 ? kExp2Zero : kExpCutoff;
  const f32x4 vscale = splat(a.scale), vfill = splat(fill), vneginf = splat(kNegInf);
  const std::size_t tile_cols = n - j0 < kFlashKeys ? n - j0 : kFlashKeys;
  bool any = false;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t i0 = s0 + b * kFlashRows,
                      rows = a.m - i0 < kFlashRows ? a.m - i0 : kFlashRows;
    float* out = a.out + i0 * a.ldo;
    const float* qtb = qt + b * d * kFlashRows;
    float *mxb = mx + b * kFlashRows, *sumb = sum + b * kFlashRows,
          *rescaleb = rescale + b * kFlashRows;
    const float* endfb = endf + b * kFlashRows;
    // Keys from end_max[b] on are blocked for every row of the block (lengths, causality).
    // Unchecked and without a 0/1 mask, their logits are the fill whatever q·k is, so pass 1 only
    // computes the `live` keys before end_max[b]; and they are left out when their weight is exactly
    // 0, i.e. the fill is -inf or far enough below each row's max that the exp below flushes it
    // (the max only grows, so it would flush later too): the whole tile when it starts at or past
    // end_max[b], else its columns from end_max[b] on (the tile on the diagonal of a causal mask).
    // While a row has no max yet (the first key tile), a finite fill is judged against the max of
    // the tile's live keys, once pass 2 has it. Trimmed columns that pad the last 4-key panel are
    // real, blocked keys: the -inf padding below covers them.
    std::size_t cols = tile_cols, live = tile_cols;
    bool zero_blocked = false;  // every blocked logit of the tile weighs exactly 0 (it was trimmed)
    if (!a.checked && mask.keep == nullptr && j0 + cols > end_max[b]) {
      live = j0 < end_max[b] ? end_max[b] - j0 : 0;
      bool zero = true;
      for (std::size_t r = 0; r < rows; ++r) {
        zero = zero && (fill == kNegInf || fill - mxb[r] < cutoff);
      }
      if (zero) {
        // for the weights, the fill as these logits: it weighs exactly 0 against the final max
        if (a.weights != nullptr) fill_weights(a, i0, rows, j0 + live, cols - live, fill);
        if (live == 0) continue;
        cols = live, zero_blocked = true;
      }
    }
    any = true;
    // pass 1: st [live4][kFlashRows] = (q kᵀ)ᵀ; fused with pass 2 for live keys that are unchecked,
    // unmasked and a whole number of 4-key panels (the last panel's padding keys give 0)
    const bool by_end = j0 + live > end_min[b];  // some row's lengths or causality block keys here
    const bool fused = !a.checked && !by_end && mask.keep == nullptr && live % 4 == 0;
    f32x4 vmax[kGroups], vend[kGroups];
    for (std::size_t g = 0; g < kGroups; ++g) vmax[g] = vneginf, vend[g] = load(endfb + 4 * g);
    for (std::size_t jj = 0; jj < live; jj += 4) {
      const float* kpanel = kp + (j0 + jj) * d;
      for (std::size_t ii = 0; ii < kFlashRows; ii += 8) {
        Tile4x8 t = tile_zero();
        tile_mac(t, d, KmajorA{kpanel, 4}, qtb + ii, kFlashRows);
        tile_store(t, 4, 8, st + jj * kFlashRows + ii, kFlashRows);
        if (fused) {
          // rows of the tile are 4 keys, columns 8 query rows: the max over the keys, lane-wise
          vmax[ii / 4] = max(vmax[ii / 4],
                             max(max(t.vacc0x0123, t.vacc1x0123), max(t.vacc2x0123, t.vacc3x0123)));
          vmax[ii / 4 + 1] = max(vmax[ii / 4 + 1], max(max(t.vacc0x4567, t.vacc1x4567),
                                                       max(t.vacc2x4567, t.vacc3x4567)));
        }
      }
    }

    // pass 2: logits (scaled here when checked), checks, masks, tile max per row (lane-wise)
    for (std::size_t jj = 0; jj < live && !fused; ++jj) {
      float* sj = st + jj * kFlashRows;
      const f32x4 key = splat(static_cast<float>(j0 + jj));
      for (std::size_t g = 0; g < kGroups; ++g) {
        f32x4 x = load(sj + 4 * g);
        if (a.checked) {
          x = mul(x, vscale);
          ok = bit_and(ok, le(abs(x), splat(FLT_MAX)));  // false for ±inf and NaN
        }
        if (by_end)
          x = select(le(vend[g], key), vfill, x);  // KeyMask::blocked: j >= end, 4 rows at a time
        store(sj + 4 * g, x);
        vmax[g] = max(vmax[g], x);
      }
    }
    if (mask.keep != nullptr) {
      for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t jj = 0; jj < cols; ++jj) {
          if (!mask.kept(i0 + r, j0 + jj)) st[jj * kFlashRows + r] = fill;
        }
      }
      for (std::size_t g = 0; g < kGroups; ++g) vmax[g] = vneginf;
      for (std::size_t jj = 0; jj < cols; ++jj) {
        for (std::size_t g = 0; g < kGroups; ++g)
          vmax[g] = max(vmax[g], load(st + jj * kFlashRows + 4 * g));
      }
    }
    if (live < cols) {
      // the blocked keys [live, cols) undecided above: left out if they weigh 0 against the rows'
      // maxima with the live keys, else their logits are the fill
      float m_new[kFlashRows];
      for (std::size_t g = 0; g < kGroups; ++g)
        store(m_new + 4 * g, max(load(mxb + 4 * g), vmax[g]));
      bool zero = live > 0;
      for (std::size_t r = 0; r < rows; ++r) zero = zero && fill - m_new[r] < cutoff;
      if (zero) {
        if (a.weights != nullptr) fill_weights(a, i0, rows, j0 + live, cols - live, fill);
        cols = live, zero_blocked = true;
      } else {
        for (std::size_t jj = live; jj < cols; ++jj) {
          for (std::size_t g = 0; g < kGroups; ++g) store(st + jj * kFlashRows + 4 * g, vfill);
        }
        for (std::size_t g = 0; g < kGroups; ++g) vmax[g] = max(vmax[g], vfill);
      }
    }
    const std::size_t cols4 = (cols + 3) & ~std::size_t{3};
    for (std::size_t jj = cols; jj < cols4; ++jj) {
      for (std::size_t g = 0; g < kGroups; ++g) store(st + jj * kFlashRows + 4 * g, vneginf);
    }
    if (a.weights != nullptr) store_logits_t(st, rows, cols, a.weights + i0 * a.ldw + j0, a.ldw);

    // pass 3: online softmax, lane-wise per row; a row with nothing attended yet (max -inf) takes
    // 0 as its max, so that its exps are exp(-inf) = 0 rather than NaN
    f32x4 vmaxsafe[kGroups], vsum[kGroups];
    for (std::size_t g = 0; g < kGroups; ++g) {
      const f32x4 old = load(mxb + 4 * g);
      const f32x4 m_new = max(old, vmax[g]);
      vmaxsafe[g] = select(eq(m_new, vneginf), splat(0.0f), m_new);
      const f32x4 x = sub(old, vmaxsafe[g]);
      store(rescaleb + 4 * g, base2 ? exp2minus4(x) : expminus4(x));  // 1 exactly when x = 0
      store(mxb + 4 * g, m_new);
      vsum[g] = splat(0.0f);
    }
    // the same loop twice, so the choice of exp stays out of it
    if (base2) {
      for (std::size_t jj = 0; jj < cols4; ++jj) {
        float* sj = st + jj * kFlashRows;
        for (std::size_t g = 0; g < kGroups; ++g) {
          const f32x4 p = exp2minus4(sub(load(sj + 4 * g), vmaxsafe[g]));
          store(sj + 4 * g, p);
          vsum[g] = add(vsum[g], p);
        }
      }
    } else {
      for (std::size_t jj = 0; jj < cols4; ++jj) {
        float* sj = st + jj * kFlashRows;
        for (std::size_t g = 0; g < kGroups; ++g) {
          const f32x4 p = expminus4(sub(load(sj + 4 * g), vmaxsafe[g]));
          store(sj + 4 * g, p);
          vsum[g] = add(vsum[g], p);
        }
      }
    }
    for (std::size_t g = 0; g < kGroups; ++g) {
      store(sumb + 4 * g, madd(load(sumb + 4 * g), load(rescaleb + 4 * g), vsum[g]));
    }

    // pass 4: out = rescale · out + p · v[j0 : j0 + cols]; where the blocked keys weigh exactly 0,
    // 4 rows stop at the last key any of them attends (the causal diagonal: adding p · v = 0
    // leaves the sums as they are)
    const float* vt = a.v + j0 * a.ldv;
    const bool fresh = !sp.begun[b];
    sp.begun[b] = true;
    for (std::size_t ii = 0; ii < rows; ii += 4) {
      const std::size_t mr = rows - ii < 4 ? rows - ii : 4;
      float* o = out + ii * a.ldo;
      std::size_t kc = cols;
      if (zero_blocked) {
        const std::size_t e = end_of(endfb + ii, mr);
        kc = e <= j0 ? 0 : (e - j0 < cols ? e - j0 : cols);
      }
      std::size_t c = 0;
      // once the rows' maxima have settled (most key tiles), there is nothing to rescale: load the
      // accumulators as they are (measured: 1% of the kernel at N = 4096)
      const bool unit = mr == 4 && all(eq(load(rescaleb + ii), splat(1.0f)));
      // the block's first tile clears its rows of out here, where they are about to be written
      if (fresh) {
        for (std::size_t r = 0; r < mr; ++r) std::memset(o + r * a.ldo, 0, dv * sizeof(float));
      }
      for (; c + 8 <= dv; c += 8) {
        Tile4x8 t = unit ? tile_load(4, 8, o + c, a.ldo)
                         : tile_load_scaled(mr, 8, o + c, a.ldo, rescaleb + ii);
        tile_mac(t, kc, KmajorA{st + ii, kFlashRows}, vt + c, a.ldv);
        tile_store(t, mr, 8, o + c, a.ldo);
      }
      for (; c < dv; ++c) {
        for (std::size_t r = 0; r < mr; ++r) {
          float acc = o[r * a.ldo + c] * rescaleb[ii + r];
          for (std::size_t j = 0; j < kc; ++j)
            acc += st[j * kFlashRows + ii + r] * vt[j * a.ldv + c];
          o[r * a.ldo + c] = acc;
        }
      }
    }
  }
  sp.ok = ok;
  return any;
}

// V8 moves a call onto optimised (TurboFan) code only when a function is entered, never inside a
// running loop, and a fresh module starts in baseline (Liftoff) code: a first, long attention()
// call would run the whole kernel at Liftoff speed (measured: 6 instead of 36 GFLOP/s at
// N = 4096) if the kernel were one function. Entering span_tile once per key tile lets the call
// switch as soon as V8 has optimised it. The call goes through a volatile pointer because
// binaryen (emcc's wasm-opt) inlines a function called from one place whatever clang was told.
bool (*volatile const span_tile_fn)(Span&, std::size_t) noexcept = span_tile;

// The weights of a span's rows once every key tile is done: the stored logits of keys [0, seen)
// become exp(logit - max) / sum with the final max and sum (in base 2 when unchecked, as the
// logits are); keys from `seen` on and rows whose every logit is -inf weigh 0.
void span_weights(const FlashArgs& a, std::size_t s0, std::size_t span, std::size_t seen,
                  const float* mx, const float* sum) noexcept {
  for (std::size_t r = 0; r < span; ++r) {
    float* w = a.weights + (s0 + r) * a.ldw;
    std::size_t j = 0;
    if (sum[r] > 0.0f) {
      const f32x4 vmax = splat(mx[r]), vinv = splat(1.0f / sum[r]);
      if (!a.checked) {
        for (; j + 4 <= seen; j += 4) store(w + j, mul(exp2minus4(sub(load(w + j), vmax)), vinv));
        if (j < seen)
          store_tail(w + j, seen - j,
                     mul(exp2minus4(sub(load_tail(w + j, seen - j, mx[r]), vmax)), vinv));
      } else {
        for (; j + 4 <= seen; j += 4) store(w + j, mul(expminus4(sub(load(w + j), vmax)), vinv));
        if (j < seen)
          store_tail(w + j, seen - j,
                     mul(expminus4(sub(load_tail(w + j, seen - j, mx[r]), vmax)), vinv));
      }
      j = seen;
    }
    std::fill(w + j, w + a.n, 0.0f);
  }
}

}  // namespace

bool flash_attention__simd128_4x8(const FlashArgs& a) noexcept {
  // The same definition as flash_attention__scalar, in blocks of kFlashRows query rows against
  // kFlashKeys keys. The block of logits is kept transposed, st [key][row], so that a 4-lane
  // vector holds one key for 4 rows: every per-row statistic (running max, sum, rescale) is then
  // lane-wise, with no horizontal reductions, and the probabilities are already laid out k-major
  // for the P·V tiles.
  //   pass 0  the keys packed once, k-major in 4-key panels; per block, the queries k-major
  //           (times the scale when unchecked)
  //   pass 1  stᵀ = q kᵀ: 4x8 tiles of 4 keys (broadcast) × 8 query rows (loaded); for an
  //           unchecked, unmasked tile also its per-row max, and pass 2 is skipped
  //   pass 2  logits = scale · s (checked), masked; per-row max of the tile
  //   pass 3  online softmax: max' = max(max, tile max), rescale = exp(max - max'),
  //           p = exp(s - max'), sum = rescale · sum + Σ p
  //   pass 4  out = rescale · out + p · v: 4x8 tiles of 4 query rows (broadcast) × 8 values
  //   pass 5  out /= sum, once every key tile is done
  const KeyMask& mask = a.mask;
  const std::size_t n = a.n, d = a.d, dv = a.dv;
  const std::size_t n4 = (n + 3) & ~std::size_t{3};
  float* kp = a.work;                        // [n4 / 4][d][4]
  float* qt = kp + n4 * d;                   // [kFlashSpan / kFlashRows][d][kFlashRows]
  float* st = qt + d * kFlashSpan;           // [kFlashKeys][kFlashRows]
  float* mx = st + kFlashKeys * kFlashRows;  // [kFlashSpan] each
  float* sum = mx + kFlashSpan;
  float* rescale = sum + kFlashSpan;
  float* endf = rescale + kFlashSpan;  // first blocked key per row (lengths, causality), as float
  constexpr std::size_t kBlocks = kFlashSpan / kFlashRows;
  std::size_t end_min[kBlocks], end_max[kBlocks];  // per block, over its rows

  // pass 0: the keys, packed once for every query block, k-major in 4-key panels (broadcast in
  // pass 1), zero-padded
  for (std::size_t j = 0; j < n; j += 4)
    pack_kmajor(n - j < 4 ? n - j : 4, 4, d, a.k + j * a.ldk, a.ldk, kp + j * d);

  f32x4 ok = eq(splat(0.0f), splat(0.0f));  // all lanes true until a logit is not finite
  // Spans of up to kFlashSpan query rows: each key tile is used by every block of the span while
  // it is in L1/L2, so the keys and values stream through the cache once per span, not per block
  // (at N = 32768 the packed keys and the values are 16 MiB).
  for (std::size_t s0 = 0; s0 < a.m; s0 += kFlashSpan) {
    const std::size_t span = a.m - s0 < kFlashSpan ? a.m - s0 : kFlashSpan;
    const std::size_t blocks = (span + kFlashRows - 1) / kFlashRows;
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t i0 = s0 + b * kFlashRows,
                        rows = a.m - i0 < kFlashRows ? a.m - i0 : kFlashRows;
      float* qtb = qt + b * d * kFlashRows;
      pack_kmajor(rows, kFlashRows, d, a.q + i0 * a.ldq, a.ldq, qtb);
      if (!a.checked) {
        // unchecked (nothing can overflow): the scale goes into the queries, so the logits come
        // straight out of pass 1, which also takes the tile max for the usual unmasked tile; and
        // the softmax runs in base 2, 2^(x log2 e - m) = e^(x - m'), where exp costs 17
        // operations instead of 21 (measured +3.5% for the kernel)
        const f32x4 vscale2 = splat(a.scale * 1.44269504088896341f);  // and base 2: times log2 e
        for (std::size_t i = 0; i < d * kFlashRows; i += 4)
          store(qtb + i, mul(load(qtb + i), vscale2));
      }
      end_min[b] = n, end_max[b] = 0;
      for (std::size_t r = 0; r < kFlashRows; ++r) {
        std::size_t e = n;
        if (r < rows) {
          e = mask.end(i0 + r, n);
          end_min[b] = e < end_min[b] ? e : end_min[b];
          end_max[b] = e > end_max[b] ? e : end_max[b];
        }
        endf[b * kFlashRows + r] = static_cast<float>(e);  // exact: n <= 2^24
        mx[b * kFlashRows + r] = kNegInf;
        sum[b * kFlashRows + r] = 0.0f;
      }
    }
    bool begun[kBlocks] = {};
    Span sp{&a, kp, qt, st, mx, sum, rescale, endf, s0, blocks, end_min, end_max, begun, ok};
    std::size_t seen = n;  // keys whose logits are stored in the weights (the rest weigh 0)
    for (std::size_t j0 = 0; j0 < n; j0 += kFlashKeys) {
      if (!span_tile_fn(sp, j0)) {  // every block skips this tile, and so every later one
        seen = j0 + kFlashKeys < n ? j0 + kFlashKeys : n;
        break;
      }
    }
    ok = sp.ok;
    if (a.weights != nullptr) span_weights(a, s0, span, seen, mx, sum);
    // the rows of blocks that attended nothing at all (every tile skipped) are 0
    for (std::size_t b = 0; b < blocks; ++b) {
      if (begun[b]) continue;
      for (std::size_t r = b * kFlashRows; r < span && r < (b + 1) * kFlashRows; ++r)
        std::memset(a.out + (s0 + r) * a.ldo, 0, dv * sizeof(float));
    }

    // pass 5: normalise; a row whose every logit is -inf has sum 0 and stays all zeros
    for (std::size_t r = 0; r < span; ++r) {
      if (sum[r] == 0.0f) continue;
      const f32x4 inv = splat(1.0f / sum[r]);
      float* o = a.out + (s0 + r) * a.ldo;
      std::size_t c = 0;
      for (; c + 4 <= dv; c += 4) store(o + c, mul(load(o + c), inv));
      for (; c < dv; ++c) o[c] *= 1.0f / sum[r];
    }
  }
  return all(ok);
}

}  // namespace attn::kernels
