// The Embind declarations and nothing else. Raw names are _prefixed; web/lib/engine.js wraps them in
// the public API. Tensors and scalar options arrive staged in WASM memory, results leave through
// the result table (convert.hpp says how); every call returns 0, or 1 with its error for _error().
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <malloc.h>

#include <algorithm>
#include <cstdint>

#include "../kernels/kernels.hpp"
#include "calls.hpp"
#include "convert.hpp"

using emscripten::val;
namespace b = attn::bindings;
namespace c = attn::bindings::calls;

namespace {

// WASM addresses are 32-bit; JS reads HEAPF32/HEAPF64/HEAPU32 at them.
int address(const void* p) { return static_cast<int>(reinterpret_cast<std::uintptr_t>(p)); }

// the address of the staged tensor's data, or -1 after an error kept for _error()
int js_stage(int slot, int rank, double d0, double d1, double d2, double d3) {
  const auto data = b::stage(slot, rank, d0, d1, d2, d3);
  return data ? address(*data) : -1;
}

val js_error() {
  val error = val::object();
  error.set("name", val(b::error_name()));
  error.set("message", val(b::error_message()));  // std::string crosses as UTF-8; char* would not
  return error;
}

// The binding table of convert.hpp, for engine.js: slots { name: { index, kind } } (the first
// argument also as "queries"), keys { name: index }, tags { typeof name: number }.
val binding_table() {
  val slots = val::object(), keys = val::object(), tags = val::object();
  auto slot = [](int i) {
    val s = val::object();
    s.set("index", val(i));
    s.set("kind", val(b::slot_kind_name(b::slot_kind(static_cast<b::Slot>(i)))));
    return s;
  };
  for (int i = 0; i < static_cast<int>(b::Slot::count); ++i)
    slots.set(b::slot_name(static_cast<b::Slot>(i)), slot(i));
  slots.set(b::kQueriesName, slot(static_cast<int>(b::kQueries)));
  for (int i = 0; i < static_cast<int>(b::Key::count); ++i)
    keys.set(b::key_name(static_cast<b::Key>(i)), val(i));
  for (int i = 0; i < static_cast<int>(b::Tag::count); ++i)
    tags.set(b::tag_name(static_cast<b::Tag>(i)), val(i));
  val table = val::object();
  table.set("slots", slots);
  table.set("keys", keys);
  table.set("tags", tags);
  return table;
}

val js_info() {
  val out = val::object();
  out.set("binding", binding_table());
  out.set("isa", val(attn::kernels::active().isa));
  out.set("maxElements", val(static_cast<double>(attn::kMaxElements)));
  out.set("defaultFill", val(attn::kDefaultFill));
  out.set("options", val(address(b::option_record())));
  out.set("results", val(address(b::result_table())));
  return out;
}

// The most bytes malloc'd just before a call released its tensors (its inputs, its results and
// whatever it kept: what the call needed to hold at its end), over the calls since the last
// _memory(), which reads and resets it. The quadratic-cost example shows it per call.
double held_bytes = 0;

void js_release() {
  held_bytes = std::max(held_bytes, static_cast<double>(mallinfo().uordblks));
  b::release();
}

val js_memory() {
  const struct mallinfo m = mallinfo();
  val out = val::object();
  out.set("heldBytes", val(held_bytes));
  held_bytes = 0;
  out.set("heapBytes", val(static_cast<double>(emscripten_get_heap_size())));
  out.set("allocatedBytes", val(static_cast<double>(m.uordblks)));
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(attention_playground) {
  emscripten::function("_stage", &js_stage);
  emscripten::function("_release", &js_release);
  emscripten::function("_error", &js_error);
  emscripten::function("_softmax", &c::softmax);
  emscripten::function("_maskedSoftmax", &c::masked_softmax);
  emscripten::function("_score", &c::score);
  emscripten::function("_attention", &c::attention);
  emscripten::function("_selfAttention", &c::self_attention);
  emscripten::function("_multiHeadAttention", &c::multi_head_attention);
  emscripten::function("_positionalEncoding", &c::positional_encoding);
  emscripten::function("_layerNorm", &c::layer_norm);
  emscripten::function("_linear", &c::linear);
  emscripten::function("_feedForward", &c::feed_forward);
  emscripten::function("_transformerBlock", &c::transformer_block);
  emscripten::function("_applyMask", &c::apply_mask);
  emscripten::function("_softmaxSteps", &c::softmax_steps);
  emscripten::function("_add", &c::add);
  emscripten::function("_subtract", &c::subtract);
  emscripten::function("_random", &c::random);
  emscripten::function("_scaleExperiment", &c::scale_experiment);
  emscripten::function("_downsample", &c::downsample);
  emscripten::function("_info", &js_info);
  emscripten::function("_memory", &js_memory);
}
