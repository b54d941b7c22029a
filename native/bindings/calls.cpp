// What each raw binding computes (see calls.hpp): read the staged arguments, call the engine, keep
// the results. Plain C++: compiled into the WASM modules and, natively, into the fuzzers.
#include "calls.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "convert.hpp"

namespace attn::bindings::calls {

namespace {

// numHeads and the attention weights and biases, shared by multiHeadAttention and transformerBlock.
template <class Options>
void read_multi_head(Options& o) {
  o.num_heads = num_heads_option();
  o.wq = optional_tensor(Slot::wq);
  o.wk = optional_tensor(Slot::wk);
  o.wv = optional_tensor(Slot::wv);
  o.wo = optional_tensor(Slot::wo);
  o.bq = optional_tensor(Slot::bq);
  o.bk = optional_tensor(Slot::bk);
  o.bv = optional_tensor(Slot::bv);
  o.bo = optional_tensor(Slot::bo);
}

}  // namespace

int softmax() {
  return guarded([&] {
    const attn::Tensor& x = input(Slot::x, "x");
    const double temperature = number_option(Key::temperature, 1.0);
    const auto& y = keep<attn::Tensor>([&] { return attn::softmax(x, temperature); });
    describe_results({&y});
  });
}

int masked_softmax() {
  return guarded([&] {
    const attn::Tensor& x = input(Slot::x, "x");
    const attn::MaskOptions m = mask_options();
    const auto& y =
        keep<attn::Tensor>([&] { return attn::masked_softmax(x, m.valid_lens, m.fill); });
    describe_results({&y});
  });
}

int score(std::string scoring) {
  return guarded([&] {
    const attn::Tensor& q = input(kQueries, "queries");
    const attn::Tensor& k = input(Slot::keys, "keys");
    const attn::ScoreOptions o = score_options(scoring);
    const auto& s = keep<attn::Tensor>([&] { return attn::score(q, k, o); });
    describe_results({&s});
  });
}

int attention(std::string scoring, std::string mode) {
  return guarded([&] {
    const attn::Tensor& q = input(kQueries, "queries");
    const attn::Tensor& k = input(Slot::keys, "keys");
    const attn::Tensor& v = input(Slot::values, "values");
    const attn::AttentionOptions o = attention_options(scoring, mode);
    const auto& r = keep<attn::AttentionResult>([&] { return attn::attention(q, k, v, o); });
    describe_results({&r.output, &r.weights, &r.scores, &r.logits, &r.probabilities});
  });
}

int self_attention(std::string scoring, std::string mode) {
  return guarded([&] {
    const attn::Tensor& x = input(Slot::x, "x");
    const auto wq = optional_tensor(Slot::wq);
    const auto wk = optional_tensor(Slot::wk);
    const auto wv = optional_tensor(Slot::wv);
    if (!wq || !wk || !wv)
      attn::throw_type_error("wq, wk, wv: all three are required by selfAttention");
    const attn::AttentionOptions o = attention_options(scoring, mode);
    const auto& r =
        keep<attn::SelfAttentionResult>([&] { return attn::self_attention(x, *wq, *wk, *wv, o); });
    describe_results({&r.q, &r.k, &r.v, &r.scores, &r.logits, &r.weights, &r.output});
  });
}

int multi_head_attention() {
  return guarded([&] {
    attn::MultiHeadOptions o;
    read_multi_head(o);
    o.mask = mask_options();
    o.temperature = number_option(Key::temperature, 1.0);
    o.trace = bool_option(Key::trace, false);
    o.weights = bool_option(Key::weights, true);
    const attn::Tensor& q = input(kQueries, "queries");
    const attn::Tensor& k = input(Slot::keys, "keys");
    const attn::Tensor& v = input(Slot::values, "values");
    const auto& r =
        keep<attn::MultiHeadResult>([&] { return attn::multi_head_attention(q, k, v, o); });
    describe_results({&r.output, &r.weights, &r.q, &r.k, &r.v, &r.scores, &r.logits, &r.heads});
  });
}

int positional_encoding() {
  return guarded([&] {
    const std::size_t length = count_argument(Key::length);
    const std::size_t dim = count_argument(Key::dim);
    const auto& pe = keep<attn::Tensor>([&] { return attn::positional_encoding(length, dim); });
    describe_results({&pe});
  });
}

int layer_norm() {
  return guarded([&] {
    const attn::Tensor& x = input(Slot::x, "x");
    attn::LayerNormOptions o;
    o.gamma = optional_tensor(Slot::gamma);
    o.beta = optional_tensor(Slot::beta);
    o.eps = number_option(Key::eps, o.eps);
    const auto& y = keep<attn::Tensor>([&] { return attn::layer_norm(x, o); });
    describe_results({&y});
  });
}

int linear() {
  return guarded([&] {
    const attn::Tensor& x = input(Slot::x, "x");
    const attn::Tensor& w = input(Slot::w, "w");
    const auto bias = optional_tensor(Slot::bias);
    const auto& y = keep<attn::Tensor>([&] { return attn::linear(x, w, bias); });
    describe_results({&y});
  });
}

int feed_forward(std::string activation) {
  return guarded([&] {
    const attn::Tensor& x = input(Slot::x, "x");
    attn::FeedForwardOptions o;
    o.w1 = optional_tensor(Slot::w1);
    o.b1 = optional_tensor(Slot::b1);
    o.w2 = optional_tensor(Slot::w2);
    o.b2 = optional_tensor(Slot::b2);
    o.activation = attn::parse_activation(string_option(Key::activation, activation, "relu"));
    const auto& y = keep<attn::Tensor>([&] { return attn::feed_forward(x, o); });
    describe_results({&y});
  });
}

int transformer_block(std::string norm, std::string activation) {
  return guarded([&] {
    const attn::Tensor& x = input(Slot::x, "x");
    attn::TransformerBlockOptions o;
    read_multi_head(o);
    o.w1 = optional_tensor(Slot::w1);
    o.b1 = optional_tensor(Slot::b1);
    o.w2 = optional_tensor(Slot::w2);
    o.b2 = optional_tensor(Slot::b2);
    o.gamma1 = optional_tensor(Slot::gamma1);
    o.beta1 = optional_tensor(Slot::beta1);
    o.gamma2 = optional_tensor(Slot::gamma2);
    o.beta2 = optional_tensor(Slot::beta2);
    o.norm = attn::parse_norm(string_option(Key::norm, norm, "post"));
    o.activation = attn::parse_activation(string_option(Key::activation, activation, "relu"));
    o.eps = number_option(Key::eps, o.eps);
    o.mask = mask_options();
    o.trace = bool_option(Key::trace, false);
    o.weights = bool_option(Key::weights, true);
    const auto& r =
        keep<attn::TransformerBlockResult>([&] { return attn::transformer_block(x, o); });
    describe_results({&r.output, &r.weights, &r.q, &r.k, &r.v, &r.scores, &r.logits, &r.heads,
                      &r.attention, &r.residual1, &r.norm1, &r.hidden, &r.feed_forward,
                      &r.residual2, &r.norm2});
  });
}

// --- what the playground needs to show its work (see attn/explain.hpp) ---------------------------

int apply_mask() {
  return guarded([&] {
    const attn::Tensor& x = input(Slot::x, "x");
    const attn::MaskOptions m = mask_options();
    const auto& y = keep<attn::Tensor>([&] { return attn::apply_mask(x, m); });
    describe_results({&y});
  });
}

int softmax_steps() {
  return guarded([&] {
    const attn::Tensor& x = input(Slot::x, "x");
    const double temperature = number_option(Key::temperature, 1.0);
    const auto& r = keep<attn::SoftmaxSteps>([&] { return attn::softmax_steps(x, temperature); });
    describe_results({&r.logits, &r.max, &r.exp, &r.sum, &r.weights});
  });
}

namespace {
template <class F>
int elementwise(F f) {
  return guarded([&] {
    const attn::Tensor& a = input(Slot::x, "a");
    const attn::Tensor& bb = input(Slot::keys, "b");
    const auto& y = keep<attn::Tensor>([&] { return f(a, bb); });
    describe_results({&y});
  });
}
}  // namespace

int add() { return elementwise(attn::add); }
int subtract() { return elementwise(attn::subtract); }

int random(int rank, double d0, double d1, double d2, double d3, std::string distribution,
           double scale, double offset, double decimals) {
  return guarded([&] {
    if (rank < 1 || rank > 4) attn::throw_range_error("shape: expected 1 to 4 dimensions");
    attn::Tensor::shape_type shape;
    for (double d : {d0, d1, d2, d3}) {
      if (shape.size() == static_cast<std::size_t>(rank)) break;
      if (!(d >= 1 && d == std::floor(d) && d <= 4294967295.0)) {
        attn::throw_range_error("shape: every dimension must be an integer >= 1, got " +
                                std::to_string(d));
      }
      shape.push_back(static_cast<std::size_t>(d));
    }
    if (decimals != std::floor(decimals)) attn::throw_range_error("decimals: expected an integer");
    const auto dist = attn::parse_distribution(distribution);
    const std::uint64_t seed = seed_option();
    const auto& y = keep<attn::Tensor>([&] {
      return attn::random_tensor(shape, seed, dist, scale,
                                 static_cast<int>(std::max(-2.0, std::min(decimals, 7.0))), offset);
    });
    describe_results({&y});
  });
}

int scale_experiment(double keys, double samples) {
  return guarded([&] {
    const attn::Tensor& dims_in = input(Slot::x, "dims");
    std::vector<std::size_t> dims;
    for (float d : dims_in) {
      // below 2^32 before the cast (a larger float does not fit a size_t in WASM: found by fuzzing)
      if (!(d >= 1 && d == std::floor(d) && d < 4294967296.0f)) {
        attn::throw_range_error("dims: every width must be an integer >= 1, got " +
                                std::to_string(d));
      }
      dims.push_back(static_cast<std::size_t>(d));
    }
    auto count = [](double v, const char* name) {
      if (!(v >= 0 && v == std::floor(v) && v <= 4294967295.0))
        attn::throw_range_error(std::string(name) + ": expected an integer >= 0");
      return static_cast<std::size_t>(v);
    };
    const std::uint64_t seed = seed_option();
    const auto& r = keep<attn::ScaleExperiment>([&] {
      return attn::scale_experiment(dims, count(keys, "keys"), count(samples, "samples"), seed);
    });
    describe_results({&r.dims, &r.variance, &r.variance_scaled, &r.entropy, &r.entropy_scaled,
                      &r.max_weight, &r.max_weight_scaled});
  });
}

int downsample(std::string reduce) {
  return guarded([&] {
    const attn::Tensor& x = input(Slot::x, "x");
    const std::size_t rows = count_argument(Key::rows);
    const std::size_t cols = count_argument(Key::cols);
    const attn::Reduce how = attn::parse_reduce(string_option(Key::reduce, reduce, "mean"));
    const auto& r = keep<attn::Downsampled>([&] { return attn::downsample(x, rows, cols, how); });
    describe_results({&r.values, &r.row_edges, &r.col_edges});
  });
}

}  // namespace attn::bindings::calls
