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
  emscripten::function("_score", &js_score);
  emscripten::function("_attention", &js_attention);
  emscripten::function("_selfAttention", &js_self_attention);
  emscripten::function("_multiHeadAttention", &js_multi_head_attention);
  emscripten::function("_positionalEncoding", &js_positional_encoding);
  emscripten::function("_info", &js_info);
  emscripten::function("_memory", &js_memory);
}
