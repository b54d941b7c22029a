// Google Benchmark targets for every kernel variant in the registry, and for attention end to end,
// so that regressions show without the JS layers:  ./build/native/attn_bench
// (natively the simd128 kernels run on SSE2 lanes; `npm run bench` measures the WASM build).
// GFLOP/s counters: gemm 2·m·n·k, attention and flash_attention 4·Q·K·d (Q Kᵀ and P V).
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "attn/attn.hpp"
#include "kernels/kernels.hpp"
#include "kernels/simd/tiles.hpp"

namespace {

using namespace attn;
using namespace attn::kernels;

std::vector<float> random(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1, 1);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

void gemm(benchmark::State& state, const Entry* e) {
  const std::size_t n = static_cast<std::size_t>(state.range(0)), d = 64;
  const bool nt = e->family == Family::gemm_nt;
  // nt: scores [n, n] = Q [n, d] Kᵀ; nn: output [n, d] = P [n, n] V [n, d]
  const std::size_t m = n, cols = nt ? n : d, inner = nt ? d : n;
  const auto a = random(m * inner, 1), b = random(cols * inner, 2);
  std::vector<float> c(m * cols);
  for (auto _ : state) {
    e->gemm(m, cols, inner, a.data(), inner, b.data(), nt ? inner : cols, c.data(), cols);
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * m * cols * inner, benchmark::Counter::kIsIterationInvariantRate,
                         benchmark::Counter::kIs1000);
}

void softmax(benchmark::State& state, const Entry* e) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const auto x = random(n * 64, 3);
  std::vector<float> y(x.size());
  for (auto _ : state) {
    for (std::size_t r = 0; r < 64; ++r) e->softmax_row(n, x.data() + r * n, y.data() + r * n);
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 64 * n));
}

void exp(benchmark::State& state, const Entry* e) {
  const std::size_t n = 4096;
  auto x = random(n, 4);
  for (float& v : x) v *= 80;
  std::vector<float> y(n);
  for (auto _ : state) {
    e->exp(n, x.data(), y.data());
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

void expminus(benchmark::State& state, const Entry* e) {
  const std::size_t n = 4096;
  auto x = random(n, 4);
  for (float& v : x) v = (v - 1) * 40;  // x - max in [-80, 0]
  std::vector<float> y(n);
  for (auto _ : state) {
    e->expminus(n, x.data(), 0.0f, y.data());
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

// One head: n queries against n keys, d = dv = 64; range(1): 0 no mask, 1 causal, 2 valid lengths
// n - 1 on every row (a masked last tile, the cost of the mask machinery); range(2): 1 also writes
// the weights [n, n].
void flash_attention(benchmark::State& state, const Entry* e) {
  const std::size_t n = static_cast<std::size_t>(state.range(0)), d = 64;
  const auto q = random(n * d, 9), k = random(n * d, 10), v = random(n * d, 11);
  std::vector<float> out(n * d), work(flash_attention_workspace(n, d, d)),
      weights(state.range(2) ? n * n : 0);
  const std::vector<std::uint32_t> ends(n, static_cast<std::uint32_t>(n - 1));
  FlashArgs a{};
  a.m = n, a.n = n, a.d = d, a.dv = d;
  a.q = q.data(), a.ldq = d, a.k = k.data(), a.ldk = d, a.v = v.data(), a.ldv = d;
  a.out = out.data(), a.ldo = d, a.scale = 0.125f, a.work = work.data();
  a.mask.causal = state.range(1) == 1;
  a.mask.ends = state.range(1) == 2 ? ends.data() : nullptr;
  if (state.range(2)) a.weights = weights.data(), a.ldw = n;
  for (auto _ : state) {
    benchmark::DoNotOptimize(e->flash_attention(a));
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(
      4.0 * n * n * d, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// The 4x8 register tile alone on data in L1, as the flash kernel's passes 1 and 4 run it (a k-major
// [4, k] panel against [k, 8]): the same part as `tile` in bench/wasm/kernels.cpp, the WASM
// kernel micro-bench. 64·k flops.
void tile_4x8(benchmark::State& state) {
  const std::size_t k = static_cast<std::size_t>(state.range(0));
  const auto a = random(4 * k, 12), b = random(8 * k, 13);
  for (auto _ : state) {
    v128::Tile4x8 t = v128::tile_zero();
    v128::tile_mac(t, k, v128::KmajorA{a.data(), 4}, b.data(), 8);
    benchmark::DoNotOptimize(t);
  }
  state.counters["GFLOP/s"] = benchmark::Counter(
      64.0 * k, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

void additive(benchmark::State& state, const Entry* e) {
  const std::size_t n = 64, h = static_cast<std::size_t>(state.range(0));
  const auto qp = random(n * h, 5), kp = random(n * h, 6), v = random(h, 7);
  std::vector<float> c(n * n);
  for (auto _ : state) {
    e->additive(n, n, h, qp.data(), kp.data(), v.data(), c.data());
    benchmark::DoNotOptimize(c.data());
  }
}

// attention() through the C++ API, heads as batch, d = 64; range(2): weights true (the streaming
// kernel also writes them) or false.
void attention_end_to_end(benchmark::State& state) {
  const std::size_t h = static_cast<std::size_t>(state.range(0)),
                    n = static_cast<std::size_t>(state.range(1)), d = 64;
  Tensor q = Tensor::from_shape({h, n, d});
  const auto data = random(q.size(), 8);
  std::copy(data.begin(), data.end(), q.begin());
  AttentionOptions o;
  o.weights = state.range(2) != 0;
  for (auto _ : state) {
    AttentionResult r = attention(q, q, q, o);
    benchmark::DoNotOptimize(r.output.data());
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(4.0 * h * n * n * d, benchmark::Counter::kIsIterationInvariantRate,
                         benchmark::Counter::kIs1000);
}

const int registered = [] {
  for (const Entry& e : registry()) {
    const std::string name = e.name;
    switch (e.family) {
      case Family::gemm_nt:
      case Family::gemm_nn:
        benchmark::RegisterBenchmark(name.c_str(), gemm, &e)->Arg(64)->Arg(256)->Arg(1024);
        break;
      case Family::softmax_row:
        benchmark::RegisterBenchmark(name.c_str(), softmax, &e)->Arg(64)->Arg(1024);
        break;
      case Family::exp: benchmark::RegisterBenchmark(name.c_str(), exp, &e); break;
      case Family::expminus:
      case Family::exp2minus: benchmark::RegisterBenchmark(name.c_str(), expminus, &e); break;
      case Family::additive:
        benchmark::RegisterBenchmark(name.c_str(), additive, &e)->Arg(16)->Arg(64);
        break;
      case Family::flash_attention:
        benchmark::RegisterBenchmark(name.c_str(), flash_attention, &e)
            ->ArgNames({"n", "mask", "weights"})
            ->ArgsProduct({{64, 256, 1024, 4096}, {0, 1, 2}, {0}})
            ->Args({256, 0, 1})
            ->Args({4096, 0, 1})
            ->Unit(benchmark::kMillisecond);
        break;
    }
  }
  benchmark::RegisterBenchmark("tile_4x8", tile_4x8)->Arg(64);
  // the (a)-(d) sizes of the speed issue: heads as batch, d = 64, without and with the weights
  benchmark::RegisterBenchmark("attention", attention_end_to_end)
      ->ArgNames({"H", "N", "weights"})
      ->Args({1, 64, 0})
      ->Args({8, 256, 0})
      ->Args({8, 256, 1})
      ->Args({8, 1024, 0})
      ->Args({1, 4096, 0})
      ->Unit(benchmark::kMillisecond);
  return 0;
}();

}  // namespace
