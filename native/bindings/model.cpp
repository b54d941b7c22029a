// The Embind declarations of the model module (attention_model_simd / _scalar): a second module
// built from the same engine, loaded only by attn.loadModel() (web/lib/model.js), so pages without a
// model do not download the loader and the forward pass (the 150 KB budget of the main module).
// Models live here, in WASM memory, behind integer handles; every call returns a plain object, or
// { error: { name, message } } that the JS facade throws as a TypeError or RangeError.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <initializer_list>
#include <map>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "../kernels/kernels.hpp"
#include "attn/model.hpp"
#include "convert.hpp"

using emscripten::val;

namespace {

std::map<int, std::unique_ptr<attn::Model>> models;
int next_handle = 1;

template <class F>
val guarded(F&& body) {
  val result = val::undefined();
  if (attn::bindings::guarded([&] { result = body(); }) == 0) return result;
  val error = val::object();
  error.set("name", val(attn::bindings::error_name()));
  error.set("message", val(attn::bindings::error_message()));
  val out = val::object();
  out.set("error", error);
  return out;
}

attn::Model& model(int handle) {
  const auto it = models.find(handle);
  if (it == models.end())
    attn::throw_type_error("model: this model was disposed; load it again with attn.loadModel()");
  return *it->second;
}

// A copy of t as { data: Float32Array, shape } (a view would die when memory grows).
val tensor(const attn::Tensor& t) {
  val out = val::object();
  out.set("data", val(emscripten::typed_memory_view(t.size(), t.data())).call<val>("slice"));
  val shape = val::array();
  for (std::size_t d : t.shape()) shape.call<void>("push", val(static_cast<double>(d)));
  out.set("shape", shape);
  return out;
}

// x [N, D] as its heads [H, N, D / H]: head h holds columns [h d, (h + 1) d).
val heads(const attn::Tensor& x, std::size_t H) {
  const std::size_t N = x.shape()[0], D = x.shape()[1], d = D / H;
  attn::Tensor out = attn::Tensor::from_shape({H, N, d});
  for (std::size_t h = 0; h < H; ++h)
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t c = 0; c < d; ++c) out(h, n, c) = x(n, h * d + c);
  return tensor(out);
}

// A JS array of v's elements; ids and counts (std::size_t) as numbers, which Embind has no type for.
template <class T>
val list(const std::vector<T>& v) {
  val out = val::array();
  for (const T& x : v) {
    if constexpr (std::is_same_v<T, std::size_t>)
      out.call<void>("push", val(static_cast<double>(x)));
    else
      out.call<void>("push", val(x));
  }
  return out;
}

using Fields = std::initializer_list<std::pair<const char*, const attn::Tensor*>>;

// Sets each name of `fields` on o to a copy of its tensor, in order (the trace's key order).
void set_tensors(val& o, Fields fields) {
  for (const auto& [name, t] : fields) o.set(name, tensor(*t));
}

// One multi-head attention of a layer (a MultiHeadResult, or the attention inside a
// TransformerBlockResult, whose own output is the block's): its projections split into heads.
template <class R>
val attention_trace(const R& r, const attn::Tensor& output, std::size_t H) {
  val a = val::object();
  a.set("q", heads(r.q, H));
  a.set("k", heads(r.k, H));
  a.set("v", heads(r.v, H));
  set_tensors(a, {{"scores", &r.scores},
                  {"logits", &r.logits},
                  {"weights", &r.weights},
                  {"heads", &r.heads},
                  {"output", &output}});
  return a;
}

// The layers of a stack as an array: each layer's input (the stack's input, then the previous
// layer's output), what set_fields puts on it, then its output.
template <class Layer, class F>
val layer_traces(const std::vector<Layer>& layers, const attn::Tensor& input, F&& set_fields) {
  val out = val::array();
  for (std::size_t l = 0; l < layers.size(); ++l) {
    val layer = val::object();
    layer.set("input", tensor(l == 0 ? input : layers[l - 1].output));
    set_fields(layer, layers[l]);
    layer.set("output", tensor(layers[l].output));
    out.call<void>("push", layer);
  }
  return out;
}

// body(model, source ids) for the model behind `handle`, guarded: what forward and greedy share.
template <class F>
val with_source(int handle, const val& src_ids, F&& body) {
  return guarded([&] { return body(model(handle), emscripten::vecFromJSArray<double>(src_ids)); });
}

val config(const attn::ModelConfig& c) {
  val out = val::object();
  out.set("d_model", val(static_cast<double>(c.d_model)));
  out.set("nhead", val(static_cast<double>(c.nhead)));
  out.set("num_encoder_layers", val(static_cast<double>(c.num_encoder_layers)));
  out.set("num_decoder_layers", val(static_cast<double>(c.num_decoder_layers)));
  out.set("dim_feedforward", val(static_cast<double>(c.dim_feedforward)));
  out.set("activation", val(std::string(attn::to_string(c.activation))));
  out.set("norm_first", val(c.norm_first));
  out.set("layer_norm_eps", val(c.layer_norm_eps));
  out.set("src_vocab", list(c.src_vocab));
  out.set("tgt_vocab", list(c.tgt_vocab));
  out.set("pad", val(static_cast<double>(c.pad)));
  out.set("bos", val(static_cast<double>(c.bos)));
  out.set("eos", val(static_cast<double>(c.eos)));
  return out;
}

val js_load(std::string bytes) {
  return guarded([&] {
    auto m = std::make_unique<attn::Model>(
        attn::Model::load(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    const int handle = next_handle++;
    val out = val::object();
    out.set("handle", val(handle));
    out.set("config", config(m->config()));
    models.emplace(handle, std::move(m));
    return out;
  });
}

val js_forward(int handle, val src_ids, val tgt_ids, bool trace) {
  return with_source(handle, src_ids, [&](attn::Model& m, const std::vector<double>& src) {
    const attn::ModelForward f = m.forward(src, emscripten::vecFromJSArray<double>(tgt_ids), trace);
    const std::size_t H = m.config().nhead;
    val out = val::object();
    out.set("logits", tensor(f.logits));
    val attention = val::object();
    for (const auto& [name, weights] :
         {std::pair{"encoder", &f.encoder}, {"decoder", &f.decoder}, {"cross", &f.cross}}) {
      val layers = val::array();
      for (const attn::Tensor& w : *weights) layers.call<void>("push", tensor(w));
      attention.set(name, layers);
    }
    out.set("attention", attention);
    if (!trace) return out;
    val t = val::object();
    auto embedding = [&](const attn::Tensor& e, const attn::Tensor& p, const attn::Tensor& x) {
      val s = val::object();
      set_tensors(s, {{"embedding", &e}, {"positions", &p}, {"input", &x}});
      return s;
    };
    t.set("source", embedding(f.src_embedding, f.src_positions, f.src_input));
    t.set("target", embedding(f.tgt_embedding, f.tgt_positions, f.tgt_input));
    t.set("encoder", layer_traces(f.encoder_layers, f.src_input,
                                  [&](val& layer, const attn::TransformerBlockResult& r) {
                                    layer.set("selfAttention", attention_trace(r, r.attention, H));
                                    set_tensors(layer, {{"residual1", &r.residual1},
                                                        {"norm1", &r.norm1},
                                                        {"hidden", &r.hidden},
                                                        {"feedForward", &r.feed_forward},
                                                        {"residual2", &r.residual2},
                                                        {"norm2", &r.norm2}});
                                  }));
    t.set("memory", tensor(f.memory));
    t.set("decoder",
          layer_traces(f.decoder_layers, f.tgt_input,
                       [&](val& layer, const attn::DecoderLayerTrace& d) {
                         const attn::MultiHeadResult &s = d.self_attention, &c = d.cross_attention;
                         layer.set("selfAttention", attention_trace(s, s.output, H));
                         set_tensors(layer, {{"residual1", &d.residual1}, {"norm1", &d.norm1}});
                         layer.set("crossAttention", attention_trace(c, c.output, H));
                         set_tensors(layer, {{"residual2", &d.residual2},
                                             {"norm2", &d.norm2},
                                             {"hidden", &d.hidden},
                                             {"feedForward", &d.feed_forward},
                                             {"residual3", &d.residual3},
                                             {"norm3", &d.norm3}});
                       }));
    t.set("output", tensor(f.decoder_output));
    t.set("logits", tensor(f.logits));
    t.set("probabilities", tensor(f.probabilities));
    out.set("trace", t);
    return out;
  });
}

val js_greedy(int handle, val src_ids, double max_length, double top_k) {
  return with_source(handle, src_ids, [&](attn::Model& m, const std::vector<double>& src) {
    const attn::GreedyResult g =
        m.greedy(src, static_cast<std::size_t>(max_length), static_cast<std::size_t>(top_k));
    val out = val::object();
    out.set("ids", list(g.ids));
    val steps = val::array();
    for (const attn::GreedyStep& s : g.steps) {
      val step = val::object();
      step.set("top", list(s.top));
      step.set("probabilities", list(s.probabilities));
      step.set("id", val(static_cast<double>(s.chosen)));
      steps.call<void>("push", step);
    }
    out.set("steps", steps);
    return out;
  });
}

val js_encode(int handle, val words) {
  return guarded(
      [&] { return list(model(handle).encode(emscripten::vecFromJSArray<std::string>(words))); });
}

val js_nearest(int handle, std::string word, double count) {
  return guarded(
      [&] { return list(model(handle).nearest(word, static_cast<std::size_t>(count))); });
}

val js_decode(int handle, val ids, bool source) {
  return guarded(
      [&] { return list(model(handle).decode(emscripten::vecFromJSArray<double>(ids), source)); });
}

void js_dispose(int handle) { models.erase(handle); }

val js_info() {
  val out = val::object();
  out.set("isa", val(attn::kernels::active().isa));
  out.set("maxLength", val(static_cast<double>(attn::kMaxModelLength)));
  out.set("models", val(static_cast<double>(models.size())));
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(attention_model) {
  emscripten::function("_load", &js_load);
  emscripten::function("_forward", &js_forward);
  emscripten::function("_greedy", &js_greedy);
  emscripten::function("_encode", &js_encode);
  emscripten::function("_decode", &js_decode);
  emscripten::function("_nearest", &js_nearest);
  emscripten::function("_dispose", &js_dispose);
  emscripten::function("_info", &js_info);
}
