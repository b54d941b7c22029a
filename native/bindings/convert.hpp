// Conversion and validation between JS values and the C++ API, used only by bindings.cpp.
//
// Tensors cross as { data: Float32Array, shape: number[] } (lengths as Float64Array); they are copied
// in once and copied out once (never a view into WASM memory, which growth would invalidate).
// Every raw binding returns either its result object or { error: { name, message } }, which the JS
// facade (web/lib/engine.js) throws as a TypeError or RangeError: a C++ exception never reaches JS.
#pragma once

#include <emscripten/val.h>

#include <exception>
#include <new>
#include <optional>

#include "attn/attn.hpp"

namespace attn::bindings {

using emscripten::val;

Tensor tensor_from_js(const val& t, const char* name);
std::optional<Tensor> optional_tensor(const val& options, const char* key);
std::optional<Lengths> optional_lengths(const val& options, const char* key);
val tensor_to_js(const Tensor& t);  // null for an empty (not computed) tensor

double number_option(const val& options, const char* key, double fallback);
bool bool_option(const val& options, const char* key, bool fallback);
std::string string_option(const val& options, const char* key, const char* fallback);
std::size_t count_argument(const val& x, const char* name);  // an integer >= 0
std::uint64_t seed_option(const val& options);               // options.seed: an integer in [0, 2^53)

MaskOptions mask_options(const val& options);
ScoreOptions score_options(const val& options);
AttentionOptions attention_options(const val& options);

val error_object(const char* name, const char* message);

// Runs `body` and turns every exception into an error object, so the instance stays usable.
template <class F>
val guarded(F&& body) {
  try {
    return body();
  } catch (const Error& e) {
    return error_object(e.kind() == ErrorKind::type ? "TypeError" : "RangeError", e.what());
  } catch (const std::bad_alloc&) {
    return error_object("RangeError",
                        "out of memory: the WebAssembly heap cannot grow enough for this call; "
                        "use smaller inputs (the engine is still usable)");
  } catch (const std::exception& e) {
    return error_object("Error", e.what());
  }
}

}  // namespace attn::bindings
