// The WASM kernel micro-bench (`npm run bench -- --kernels`, bench/js/kernels.mjs): the flash
// kernel and its parts, alone, without the engine's staging and checks, so that the time of
// attention splits into what the matrix products need, what the exp costs and the rest (the
// bookkeeping between tiles: packing, the online softmax's max and rescale, masks, stores).
// Built twice, like the engine: attn_kernels_bench (SIMD128: a multiply and an add) and
// attn_kernels_bench_relaxed (f32x4.relaxed_madd), as bare modules with no imports.
//
// Each export runs its part `reps` times on buffers it owns and returns a checksum, so that
// nothing is optimised away; JS times the call.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../../native/kernels/kernels.hpp"
#include "../../native/kernels/simd/exp.hpp"
#include "../../native/kernels/simd/tiles.hpp"

using namespace attn::kernels;
using namespace attn::kernels::v128;

namespace {

std::vector<float> random(std::size_t n, std::uint32_t seed) {
  std::vector<float> v(n);
  for (float& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<float>(seed) / 4294967296.0f * 2.0f - 1.0f;
  }
  return v;
}

struct Head {
  std::size_t n, d;
  std::vector<float> q, k, v, out, work;
  Head(std::size_t n_, std::size_t d_)
      : n(n_),
        d(d_),
        q(random(n_ * d_, 1)),
        k(random(n_ * d_, 2)),
        v(random(n_ * d_, 3)),
        out(n_ * d_),
        work(flash_attention_workspace(n_, d_, d_)) {}
};
Head* head = nullptr;

}  // namespace

extern "C" {

// flash_attention__simd128_4x8 on one head, q, k, v [n, d], unchecked (as attention() runs it),
// scaled by 1/√d; causal or not.
__attribute__((export_name("flash"))) float flash(int n, int d, int causal, int reps) {
  if (head == nullptr || head->n != static_cast<std::size_t>(n) ||
      head->d != static_cast<std::size_t>(d)) {
    delete head;
    head = new Head(static_cast<std::size_t>(n), static_cast<std::size_t>(d));
  }
  FlashArgs a{};
  a.m = a.n = head->n;
  a.d = a.dv = head->d;
  a.q = head->q.data(), a.ldq = head->d;
  a.k = head->k.data(), a.ldk = head->d;
  a.v = head->v.data(), a.ldv = head->d;
  a.out = head->out.data(), a.ldo = head->d;
  a.scale = 0.125f;
  a.mask.causal = causal != 0;
  a.mask.fill = -1e6f;
  a.checked = false;
  a.work = head->work.data();
  for (int r = 0; r < reps; ++r) flash_attention__simd128_4x8(a);
  return head->out[0];
}

// The 4x8 tile alone on data in L1: `reps` times a [4, k] k-major panel against [k, 8], as in
// pass 1 and pass 4 (one broadcast per row and step, two loads, 8 multiply-adds). 64·k flops.
__attribute__((export_name("tile"))) float tile(int k, int reps) {
  static const std::vector<float> a = random(4 * 1024, 4), b = random(8 * 1024, 5);
  float sum = 0.0f;
  for (int r = 0; r < reps; ++r) {
    Tile4x8 t = tile_zero();
    tile_mac(t, static_cast<std::size_t>(k), KmajorA{a.data(), 4}, b.data(), 8);
    // every accumulator in the checksum, or the compiler drops the ones left out
    const f32x4 s0 = add(add(t.vacc0x0123, t.vacc0x4567), add(t.vacc1x0123, t.vacc1x4567));
    const f32x4 s1 = add(add(t.vacc2x0123, t.vacc2x4567), add(t.vacc3x0123, t.vacc3x4567));
    sum += lane(add(s0, s1), 0);
  }
  return sum;
}

// exp2minus4 over n logits in L1, as pass 3 runs it: load, subtract the row max, exp, store, sum.
__attribute__((export_name("exp_pass"))) float exp_pass(int n, int reps) {
  static std::vector<float> x, p;
  if (x.size() != static_cast<std::size_t>(n)) {
    x = random(static_cast<std::size_t>(n), 6);
    for (float& y : x) y *= 20.0f;
    p.assign(x.size(), 0.0f);
  }
  f32x4 sum = splat(0.0f);
  const f32x4 vmax = splat(20.0f);
  for (int r = 0; r < reps; ++r) {
    for (int i = 0; i + 4 <= n; i += 4) {
      const f32x4 e = exp2minus4(sub(load(x.data() + i), vmax));
      store(p.data() + i, e);
      sum = add(sum, e);
    }
  }
  return lane(sum, 0) + p[0];
}
}
