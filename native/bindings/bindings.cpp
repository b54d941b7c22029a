// The Embind declarations and nothing else. Raw names are _prefixed; web/lib/engine.js wraps them in
// the public API (tensor conversion, error objects thrown as TypeError/RangeError).
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <malloc.h>

#include "../kernels/kernels.hpp"
#include "convert.hpp"

using emscripten::val;
namespace b = attn::bindings;

namespace {

val js_softmax(val x, val options) {
  return b::guarded([&] {
    const attn::Tensor in = b::tensor_from_js(x, "x");
    const double temperature = b::number_option(options, "temperature", 1.0);
    return b::tensor_to_js(attn::softmax(in, temperature));
  });
}

val js_masked_softmax(val x, val options) {
  return b::guarded([&] {
    const attn::Tensor in = b::tensor_from_js(x, "x");
    const attn::MaskOptions m = b::mask_options(options);
    return b::tensor_to_js(attn::masked_softmax(in, m.valid_lens, m.fill));
  });
}

val js_apply_mask(val x, val options) {
  return b::guarded([&] {
    const attn::Tensor in = b::tensor_from_js(x, "x");
    return b::tensor_to_js(attn::apply_mask(in, b::mask_options(options)));
  });
}

val js_score(val queries, val keys, val options) {
  return b::guarded([&] {
    const attn::Tensor q = b::tensor_from_js(queries, "queries");
    const attn::Tensor k = b::tensor_from_js(keys, "keys");
    return b::tensor_to_js(attn::score(q, k, b::score_options(options)));
  });
}

val js_attention(val queries, val keys, val values, val options) {
  return b::guarded([&] {
    const attn::Tensor q = b::tensor_from_js(queries, "queries");
    const attn::Tensor k = b::tensor_from_js(keys, "keys");
    const attn::Tensor v = b::tensor_from_js(values, "values");
    const attn::AttentionResult r = attn::attention(q, k, v, b::attention_options(options));
    val out = val::object();
    out.set("output", b::tensor_to_js(r.output));
    out.set("weights", b::tensor_to_js(r.weights));
    out.set("scores", b::tensor_to_js(r.scores));
    out.set("logits", b::tensor_to_js(r.logits));
    out.set("probabilities", b::tensor_to_js(r.probabilities));
    return out;
  });
}

val js_self_attention(val x, val options) {
  return b::guarded([&] {
    const attn::Tensor in = b::tensor_from_js(x, "x");
    const auto wq = b::optional_tensor(options, "wq");
    const auto wk = b::optional_tensor(options, "wk");
    const auto wv = b::optional_tensor(options, "wv");
    if (!wq || !wk || !wv) attn::throw_type_error("wq, wk, wv: all three are required by selfAttention");
    const attn::SelfAttentionResult r =
        attn::self_attention(in, *wq, *wk, *wv, b::attention_options(options));
    val out = val::object();
    out.set("q", b::tensor_to_js(r.q));
    out.set("k", b::tensor_to_js(r.k));
    out.set("v", b::tensor_to_js(r.v));
    out.set("scores", b::tensor_to_js(r.scores));
    out.set("logits", b::tensor_to_js(r.logits));
    out.set("weights", b::tensor_to_js(r.weights));
    out.set("output", b::tensor_to_js(r.output));
    return out;
  });
}

val js_multi_head_attention(val queries, val keys, val values, val options) {
  return b::guarded([&] {
    attn::MultiHeadOptions o;
    const double heads = b::number_option(options, "numHeads", 1.0);
    if (!(heads >= 1 && heads == std::floor(heads) && heads <= 65536)) {
      attn::throw_range_error("numHeads: expected an integer >= 1, got " + std::to_string(heads));
    }
    o.num_heads = static_cast<std::size_t>(heads);
    o.wq = b::optional_tensor(options, "wq");
    o.wk = b::optional_tensor(options, "wk");
    o.wv = b::optional_tensor(options, "wv");
    o.wo = b::optional_tensor(options, "wo");
    o.mask = b::mask_options(options);
    o.temperature = b::number_option(options, "temperature", 1.0);
    o.trace = b::bool_option(options, "trace", false);
    const attn::Tensor q = b::tensor_from_js(queries, "queries");
    const attn::Tensor k = b::tensor_from_js(keys, "keys");
    const attn::Tensor v = b::tensor_from_js(values, "values");
    const attn::MultiHeadResult r = attn::multi_head_attention(q, k, v, o);
    val out = val::object();
    out.set("output", b::tensor_to_js(r.output));
    out.set("weights", b::tensor_to_js(r.weights));
    out.set("q", b::tensor_to_js(r.q));
    out.set("k", b::tensor_to_js(r.k));
    out.set("v", b::tensor_to_js(r.v));
    out.set("scores", b::tensor_to_js(r.scores));
    out.set("logits", b::tensor_to_js(r.logits));
    out.set("heads", b::tensor_to_js(r.heads));
    return out;
  });
}

val js_positional_encoding(val length, val dim) {
  return b::guarded([&] {
    return b::tensor_to_js(attn::positional_encoding(b::count_argument(length, "length"),
                                                     b::count_argument(dim, "dim")));
  });
}

val js_softmax_steps(val x, val options) {
  return b::guarded([&] {
    const attn::SoftmaxSteps s =
        attn::softmax_steps(b::tensor_from_js(x, "x"), b::number_option(options, "temperature", 1.0));
    val out = val::object();
    out.set("logits", b::tensor_to_js(s.logits));
    out.set("max", b::tensor_to_js(s.max));
    out.set("exp", b::tensor_to_js(s.exp));
    out.set("sum", b::tensor_to_js(s.sum));
    out.set("weights", b::tensor_to_js(s.weights));
    return out;
  });
}

val js_random(val shape, val options) {
  return b::guarded([&] {
    if (!shape.isArray()) attn::throw_type_error("shape: expected an array of integers");
    const std::size_t rank = shape["length"].as<std::size_t>();
    if (rank < 1 || rank > 4) attn::throw_range_error("shape: expected 1 to 4 dimensions");
    attn::Tensor::shape_type dims(rank);
    for (std::size_t i = 0; i < rank; ++i) {
      dims[i] = b::count_argument(shape[i], "shape");
      if (dims[i] == 0) attn::throw_range_error("shape: every dimension must be at least 1");
    }
    const double decimals = b::number_option(options, "decimals", -1);
    if (decimals != std::floor(decimals)) attn::throw_range_error("decimals: expected an integer");
    return b::tensor_to_js(attn::random_tensor(
        dims, b::seed_option(options), attn::parse_distribution(b::string_option(options, "distribution", "normal")),
        b::number_option(options, "scale", 1.0), static_cast<int>(std::max(-2.0, std::min(decimals, 7.0))),
        b::number_option(options, "offset", 0.0)));
  });
}

val js_subtract(val a, val bb) {
  return b::guarded([&] {
    return b::tensor_to_js(attn::subtract(b::tensor_from_js(a, "a"), b::tensor_from_js(bb, "b")));
  });
}

val js_scale_experiment(val options) {
  return b::guarded([&] {
    const val dims_js = options["dims"];
    if (!dims_js.isArray()) attn::throw_type_error("dims: expected an array of integers");
    std::vector<std::size_t> dims;
    const std::size_t n = std::min<std::size_t>(dims_js["length"].as<std::size_t>(), 65);
    for (std::size_t i = 0; i < n; ++i) dims.push_back(b::count_argument(dims_js[i], "dims"));
    const attn::ScaleExperiment r = attn::scale_experiment(
        dims, b::count_argument(options["keys"].isUndefined() ? val(16) : options["keys"], "keys"),
        b::count_argument(options["samples"].isUndefined() ? val(256) : options["samples"], "samples"),
        b::seed_option(options));
    val out = val::object();
    out.set("dims", b::tensor_to_js(r.dims));
    out.set("variance", b::tensor_to_js(r.variance));
    out.set("varianceScaled", b::tensor_to_js(r.variance_scaled));
    out.set("entropy", b::tensor_to_js(r.entropy));
    out.set("entropyScaled", b::tensor_to_js(r.entropy_scaled));
    out.set("maxWeight", b::tensor_to_js(r.max_weight));
    out.set("maxWeightScaled", b::tensor_to_js(r.max_weight_scaled));
    return out;
  });
}

val js_info() {
  val out = val::object();
  out.set("isa", val(attn::kernels::active().isa));
  out.set("maxElements", val(static_cast<double>(attn::kMaxElements)));
  out.set("defaultFill", val(attn::kDefaultFill));
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
  emscripten::function("_softmax", &js_softmax);
  emscripten::function("_maskedSoftmax", &js_masked_softmax);
  emscripten::function("_applyMask", &js_apply_mask);
  emscripten::function("_score", &js_score);
  emscripten::function("_attention", &js_attention);
  emscripten::function("_selfAttention", &js_self_attention);
  emscripten::function("_multiHeadAttention", &js_multi_head_attention);
  emscripten::function("_positionalEncoding", &js_positional_encoding);
  emscripten::function("_softmaxSteps", &js_softmax_steps);
  emscripten::function("_random", &js_random);
  emscripten::function("_subtract", &js_subtract);
  emscripten::function("_scaleExperiment", &js_scale_experiment);
  emscripten::function("_info", &js_info);
  emscripten::function("_memory", &js_memory);
}
