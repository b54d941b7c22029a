// How arguments and results cross between JS (web/lib/engine.js) and the C++ API, used only by
// bindings.cpp. Nothing crosses property by property: an Embind `val` access costs a JS round trip
// (~0.4 µs), which made a small call cost ~20 µs. Instead:
//
//  - Tensors are staged. JS calls _stage(slot, rank, d0, d1, d2, d3), which allocates the tensor
//    here (stage()) and returns where its data lives; JS copies its Float32Array (Float64Array for the
//    valid lengths) straight into WASM memory. One copy, no per-element traffic.
//  - Scalar options are written by JS into the option record, a small array in WASM memory of
//    (tag, value) pairs, one per Key, the tag saying which JS type the value had. The checks of
//    type and value stay here, in one place and in a fixed order, with the messages the API
//    documents. The two string options (scoring, mode) come as call arguments.
//  - A call returns 0, or 1 with its error kept for _error() ({ name, message }), which the JS
//    facade throws as a TypeError or RangeError: a C++ exception never reaches JS.
//  - Results stay in WASM memory, described by the result table (pointer, rank, shape per
//    tensor) until JS has copied them out and calls _release(), which frees every staged tensor
//    and result, so no call keeps memory.
//
// All of this, and the calls of calls.hpp, is plain C++: the fuzzer (tests/fuzz) drives it natively
// the way JS does. Only bindings.cpp knows about Embind and WASM addresses.
//
// The binding table below (slots, keys, tags) is the only place their numbers are written: _info()
// exports it and web/lib/engine.js reads it from there.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <new>
#include <optional>
#include <string>

#include "attn/attn.hpp"

namespace attn::bindings {

// --- the binding table ----------------------------------------------------------------------------
// Every tensor slot, scalar option key and type tag, written once. The enums below, the names in
// error messages and _info() (which hands the table to engine.js) are all made from these lists, so
// a new argument is one line here.
//
// Tensor slots: X(identifier, name in JS and in messages, kind). The kind says how JS converts the
// value: floats (Float32Array), mask (0/1 or booleans, as floats) or lengths (Float64Array, a
// number allowed).
// (clang-format cannot lay out an X-macro list, and does it differently on each pass)
// clang-format off
#define ATTN_BINDING_SLOTS(X)                                                                    \
  X(x, "x", floats) X(keys, "keys", floats) X(values, "values", floats) X(wq, "wq", floats)      \
  X(wk, "wk", floats) X(wv, "wv", floats) X(wo, "wo", floats) X(v, "v", floats) X(w, "w", floats) \
  X(mask, "mask", mask) X(valid_lens, "validLens", lengths) X(bq, "bq", floats)                  \
  X(bk, "bk", floats) X(bv, "bv", floats) X(bo, "bo", floats) X(bias, "bias", floats)           \
  X(gamma, "gamma", floats) X(beta, "beta", floats) X(w1, "w1", floats) X(b1, "b1", floats)      \
  X(w2, "w2", floats) X(b2, "b2", floats) X(gamma1, "gamma1", floats) X(beta1, "beta1", floats)  \
  X(gamma2, "gamma2", floats) X(beta2, "beta2", floats)
// Scalar options in the option record: X(identifier, name in JS and in messages).
#define ATTN_BINDING_KEYS(X)                                                                      \
  X(scoring, "scoring") X(mode, "mode") X(temperature, "temperature") X(fill, "fill")            \
  X(seed, "seed") X(causal, "causal") X(trace, "trace") X(weights, "weights")                    \
  X(num_heads, "numHeads") X(length, "length") X(dim, "dim") X(eps, "eps")                       \
  X(activation, "activation") X(norm, "norm") X(rows, "rows") X(cols, "cols")                \
  X(reduce, "reduce")
// The JS type of an option's value, as `typeof` names it (anything else is `other`).
#define ATTN_BINDING_TAGS(X) X(undefined) X(number) X(boolean) X(string) X(other)
// clang-format on

#define ATTN_BINDING_ENUM(id, ...) id,
enum class Slot : int { ATTN_BINDING_SLOTS(ATTN_BINDING_ENUM) count };
enum class Key : int { ATTN_BINDING_KEYS(ATTN_BINDING_ENUM) count };
enum class Tag : int { ATTN_BINDING_TAGS(ATTN_BINDING_ENUM) count };
#undef ATTN_BINDING_ENUM
enum class SlotKind : int { floats, mask, lengths };
// The first positional argument is staged in Slot::x under either name; JS knows it as "queries" too.
constexpr Slot kQueries = Slot::x;
constexpr const char* kQueriesName = "queries";

// The names of the table, for messages and for _info().
const char* slot_name(Slot slot);
SlotKind slot_kind(Slot slot);
const char* slot_kind_name(SlotKind kind);
const char* key_name(Key key);
const char* tag_name(Tag tag);

// _stage: a tensor of the given shape (rank <= 4; unused dims 0) in `slot`; returns its data (float*,
// or double* for Slot::valid_lens; possibly null when empty), or nothing after an error kept for
// _error().
std::optional<void*> stage(int slot, int rank, double d0, double d1, double d2, double d3);
// _release: frees every staged tensor and result, and clears the option record.
void release();
// The option record, double[2 * Key::count] as (tag, value) pairs (its address goes to JS).
double* option_record();
// The result table, uint32 [count, then address, rank, d0, d1, d2, d3 per result] for JS (WASM
// addresses are 32-bit); rank 0 marks a result that was not computed (null in JS).
const std::uint32_t* result_table();
// The same results as tensors, for native callers: nullptr past the count.
const Tensor* result(std::size_t i);
// _error: the name (TypeError, RangeError or Error) and message of the last failed call.
const std::string& error_name();
const std::string& error_message();

// The staged tensor of a slot (a TypeError naming `name` if JS staged none), or nothing.
const Tensor& input(Slot slot, const char* name);
std::optional<Tensor> optional_tensor(Slot slot);
std::optional<Lengths> optional_lengths();

// Options from the record: the fallback when undefined, a TypeError when of the wrong type.
double number_option(Key key, double fallback);
bool bool_option(Key key, bool fallback);
std::string string_option(Key key, const std::string& value, const char* fallback);
std::size_t count_argument(Key key);  // an integer >= 0

std::uint64_t seed_option();     // Key::seed: an integer in [0, 2^53), default 0
std::size_t num_heads_option();  // Key::num_heads: an integer in [1, 65536], default 1
MaskOptions mask_options();
ScoreOptions score_options(const std::string& scoring);
AttentionOptions attention_options(const std::string& scoring, const std::string& mode);

// Keeps the result of a call for JS to copy out: make() is evaluated straight into storage that
// lives until _release() (C++17 guaranteed elision: its tensors are neither copied nor moved), and
// `tensors` lists which of its members go into the result table, in order.
struct Held {
  virtual ~Held() = default;
};
void hold(Held* held);
void describe_results(std::initializer_list<const Tensor*> tensors);
template <class R, class F>
R& keep(F&& make) {
  struct Value : Held {
    explicit Value(F& f) : value(f()) {}
    R value;
  };
  auto* held = new Value(make);
  hold(held);
  return held->value;
}

void set_error(const char* name, const std::string& message);

// Runs `body` and turns every exception into a kept error: 0 on success, 1 on error. The instance
// stays usable either way.
template <class F>
int guarded(F&& body) {
  try {
    body();
    return 0;
  } catch (const Error& e) {
    set_error(e.kind() == ErrorKind::type ? "TypeError" : "RangeError", e.what());
  } catch (const std::bad_alloc&) {
    set_error("RangeError",
              "out of memory: the WebAssembly heap cannot grow enough for this call; "
              "use smaller inputs (the engine is still usable)");
  } catch (const std::exception& e) {
    set_error("Error", e.what());
  }
  return 1;
}

}  // namespace attn::bindings
