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
// The numbers of Slot, Key and Tag are mirrored in web/lib/engine.js.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <new>
#include <optional>
#include <string>

#include "attn/attn.hpp"

namespace attn::bindings {

enum class Slot : int { x = 0, keys, values, wq, wk, wv, wo, v, w, mask, valid_lens, count };
constexpr Slot kQueries = Slot::x;  // the first argument: x or queries

enum class Key : int {
  scoring, mode, temperature, fill, seed, causal, trace, weights, num_heads, length, dim, count
};
enum class Tag : int { undefined = 0, number = 1, boolean = 2, string = 3, other = 4 };

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

std::uint64_t seed_option();  // Key::seed: an integer in [0, 2^53), default 0
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
