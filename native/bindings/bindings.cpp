// The Embind declarations and nothing else. Raw names are _prefixed; web/lib/engine.js wraps them in
// the public API. Tensors and scalar options arrive staged in WASM memory, results leave through
// the result table (convert.hpp says how); every call returns 0, or 1 with its error for _error().
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <malloc.h>

#include <cmath>
#include <vector>

#include "../kernels/kernels.hpp"
#include "convert.hpp"

using emscripten::val;
namespace b = attn::bindings;
using b::Key;
using b::Slot;

namespace {

int js_softmax() {
  return b::guarded([&] {
    const attn::Tensor& x = b::input(Slot::x, "x");
    const double temperature = b::number_option(Key::temperature, 1.0);
    const auto& y = b::keep<attn::Tensor>([&] { return attn::softmax(x, temperature); });
    b::describe_results({&y});
  });
}

int js_masked_softmax() {
  return b::guarded([&] {
    const attn::Tensor& x = b::input(Slot::x, "x");
    const attn::MaskOptions m = b::mask_options();
    const auto& y = b::keep<attn::Tensor>([&] { return attn::masked_softmax(x, m.valid_lens, m.fill); });
    b::describe_results({&y});
  });
}

int js_score(std::string scoring) {
  return b::guarded([&] {
    const attn::Tensor& q = b::input(b::kQueries, "queries");
    const attn::Tensor& k = b::input(Slot::keys, "keys");
    const attn::ScoreOptions o = b::score_options(scoring);
    const auto& s = b::keep<attn::Tensor>([&] { return attn::score(q, k, o); });
    b::describe_results({&s});
  });
}

int js_attention(std::string scoring, std::string mode) {
  return b::guarded([&] {
    const attn::Tensor& q = b::input(b::kQueries, "queries");
    const attn::Tensor& k = b::input(Slot::keys, "keys");
    const attn::Tensor& v = b::input(Slot::values, "values");
    const attn::AttentionOptions o = b::attention_options(scoring, mode);
    const auto& r = b::keep<attn::AttentionResult>([&] { return attn::attention(q, k, v, o); });
    b::describe_results({&r.output, &r.weights, &r.scores, &r.logits, &r.probabilities});
  });
}

int js_self_attention(std::string scoring, std::string mode) {
  return b::guarded([&] {
    const attn::Tensor& x = b::input(Slot::x, "x");
    const auto wq = b::optional_tensor(Slot::wq);
    const auto wk = b::optional_tensor(Slot::wk);
    const auto wv = b::optional_tensor(Slot::wv);
    if (!wq || !wk || !wv) attn::throw_type_error("wq, wk, wv: all three are required by selfAttention");
    const attn::AttentionOptions o = b::attention_options(scoring, mode);
    const auto& r = b::keep<attn::SelfAttentionResult>([&] { return attn::self_attention(x, *wq, *wk, *wv, o); });
    b::describe_results({&r.q, &r.k, &r.v, &r.scores, &r.logits, &r.weights, &r.output});
  });
}

int js_multi_head_attention() {
  return b::guarded([&] {
    attn::MultiHeadOptions o;
    const double heads = b::number_option(Key::num_heads, 1.0);
    if (!(heads >= 1 && heads == std::floor(heads) && heads <= 65536)) {
      attn::throw_range_error("numHeads: expected an integer >= 1, got " + std::to_string(heads));
    }
    o.num_heads = static_cast<std::size_t>(heads);
    o.wq = b::optional_tensor(Slot::wq);
    o.wk = b::optional_tensor(Slot::wk);
    o.wv = b::optional_tensor(Slot::wv);
    o.wo = b::optional_tensor(Slot::wo);
    o.mask = b::mask_options();
    o.temperature = b::number_option(Key::temperature, 1.0);
    o.trace = b::bool_option(Key::trace, false);
    const attn::Tensor& q = b::input(b::kQueries, "queries");
    const attn::Tensor& k = b::input(Slot::keys, "keys");
    const attn::Tensor& v = b::input(Slot::values, "values");
    const auto& r = b::keep<attn::MultiHeadResult>([&] { return attn::multi_head_attention(q, k, v, o); });
    b::describe_results({&r.output, &r.weights, &r.q, &r.k, &r.v, &r.scores, &r.logits, &r.heads});
  });
}

int js_positional_encoding() {
  return b::guarded([&] {
    const std::size_t length = b::count_argument(Key::length);
    const std::size_t dim = b::count_argument(Key::dim);
    const auto& pe = b::keep<attn::Tensor>([&] { return attn::positional_encoding(length, dim); });
    b::describe_results({&pe});
  });
}

// --- what the playground needs to show its work (see attn/explain.hpp) ---------------------------

int js_apply_mask() {
  return b::guarded([&] {
    const attn::Tensor& x = b::input(Slot::x, "x");
    const attn::MaskOptions m = b::mask_options();
    const auto& y = b::keep<attn::Tensor>([&] { return attn::apply_mask(x, m); });
    b::describe_results({&y});
  });
}

int js_softmax_steps() {
  return b::guarded([&] {
    const attn::Tensor& x = b::input(Slot::x, "x");
    const double temperature = b::number_option(Key::temperature, 1.0);
    const auto& r = b::keep<attn::SoftmaxSteps>([&] { return attn::softmax_steps(x, temperature); });
    b::describe_results({&r.logits, &r.max, &r.exp, &r.sum, &r.weights});
  });
}

int js_subtract() {
  return b::guarded([&] {
    const attn::Tensor& a = b::input(Slot::x, "a");
    const attn::Tensor& bb = b::input(Slot::keys, "b");
    const auto& y = b::keep<attn::Tensor>([&] { return attn::subtract(a, bb); });
    b::describe_results({&y});
  });
}

// shape as (rank, d0..d3) like _stage; the seed in the option record
int js_random(int rank, double d0, double d1, double d2, double d3, std::string distribution, double scale,
              double offset, double decimals) {
  return b::guarded([&] {
    if (rank < 1 || rank > 4) attn::throw_range_error("shape: expected 1 to 4 dimensions");
    attn::Tensor::shape_type shape;
    for (double d : {d0, d1, d2, d3}) {
      if (shape.size() == static_cast<std::size_t>(rank)) break;
      if (!(d >= 1 && d == std::floor(d) && d <= 4294967295.0)) {
        attn::throw_range_error("shape: every dimension must be an integer >= 1, got " + std::to_string(d));
      }
      shape.push_back(static_cast<std::size_t>(d));
    }
    if (decimals != std::floor(decimals)) attn::throw_range_error("decimals: expected an integer");
    const auto dist = attn::parse_distribution(distribution);
    const std::uint64_t seed = b::seed_option();
    const auto& y = b::keep<attn::Tensor>([&] {
      return attn::random_tensor(shape, seed, dist, scale, static_cast<int>(std::max(-2.0, std::min(decimals, 7.0))), offset);
    });
    b::describe_results({&y});
  });
}

// the widths staged as a tensor in Slot::x; the seed in the option record
int js_scale_experiment(double keys, double samples) {
  return b::guarded([&] {
    const attn::Tensor& dims_in = b::input(Slot::x, "dims");
    std::vector<std::size_t> dims;
    for (float d : dims_in) {
      if (!(d >= 1 && d == std::floor(d))) attn::throw_range_error("dims: every width must be an integer >= 1");
      dims.push_back(static_cast<std::size_t>(d));
    }
    auto count = [](double v, const char* name) {
      if (!(v >= 0 && v == std::floor(v) && v <= 4294967295.0)) attn::throw_range_error(std::string(name) + ": expected an integer >= 0");
      return static_cast<std::size_t>(v);
    };
    const std::uint64_t seed = b::seed_option();
    const auto& r = b::keep<attn::ScaleExperiment>([&] {
      return attn::scale_experiment(dims, count(keys, "keys"), count(samples, "samples"), seed);
    });
    b::describe_results({&r.dims, &r.variance, &r.variance_scaled, &r.entropy, &r.entropy_scaled, &r.max_weight, &r.max_weight_scaled});
  });
}

val js_info() {
  val out = val::object();
  out.set("isa", val(attn::kernels::active().isa));
  out.set("maxElements", val(static_cast<double>(attn::kMaxElements)));
  out.set("defaultFill", val(attn::kDefaultFill));
  out.set("options", val(b::option_record()));
  out.set("results", val(b::result_table()));
  return out;
}

val js_memory() {
  const struct mallinfo m = mallinfo();
  val out = val::object();
  out.set("heapBytes", val(static_cast<double>(emscripten_get_heap_size())));
  out.set("allocatedBytes", val(static_cast<double>(m.uordblks)));
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(attention_playground) {
  emscripten::function("_stage", &b::stage);
  emscripten::function("_release", &b::release);
  emscripten::function("_error", &b::last_error);
  emscripten::function("_softmax", &js_softmax);
  emscripten::function("_maskedSoftmax", &js_masked_softmax);
  emscripten::function("_score", &js_score);
  emscripten::function("_attention", &js_attention);
  emscripten::function("_selfAttention", &js_self_attention);
  emscripten::function("_multiHeadAttention", &js_multi_head_attention);
  emscripten::function("_positionalEncoding", &js_positional_encoding);
  emscripten::function("_applyMask", &js_apply_mask);
  emscripten::function("_softmaxSteps", &js_softmax_steps);
  emscripten::function("_subtract", &js_subtract);
  emscripten::function("_random", &js_random);
  emscripten::function("_scaleExperiment", &js_scale_experiment);
  emscripten::function("_info", &js_info);
  emscripten::function("_memory", &js_memory);
}
