#include "convert.hpp"

#include <cfloat>
#include <cmath>
#include <string>

namespace attn::bindings {

using emscripten::typed_memory_view;

namespace {

std::size_t shape_entry(const val& v, const char* name) {
  if (!v.isNumber()) throw_type_error(std::string(name) + ": shape entries must be numbers");
  const double d = v.as<double>();
  if (!(d >= 0 && d == std::floor(d) && d <= 4294967295.0)) {
    throw_range_error(std::string(name) + ": shape entries must be integers >= 0, got " +
                      std::to_string(d));
  }
  return static_cast<std::size_t>(d);
}

template <class T>
xt::xarray<T> array_from_js(const val& t, const char* name, const char* typed_array) {
  if (t.isNull() || t.isUndefined() || t.typeOf().as<std::string>() != "object") {
    throw_type_error(std::string(name) + ": expected a tensor { data, shape }");
  }
  const val data = t["data"], shape_js = t["shape"];
  if (!data.instanceof(val::global(typed_array)) || !shape_js.isArray()) {
    throw_type_error(std::string(name) + ": expected { data: " + typed_array + ", shape: number[] }");
  }
  const std::size_t rank = shape_js["length"].as<std::size_t>();
  if (rank > 4) throw_range_error(std::string(name) + ": rank " + std::to_string(rank) + " is over 4");
  typename xt::xarray<T>::shape_type shape(rank);
  std::size_t n = 1;
  for (std::size_t i = 0; i < rank; ++i) {
    shape[i] = shape_entry(shape_js[i], name);
    n = checked_product({n, shape[i]});
  }
  check_size(n, name);  // before allocating
  const std::size_t length = data["length"].as<std::size_t>();
  if (length != n) {
    throw_range_error(std::string(name) + ": data has " + std::to_string(length) +
                      " elements but shape " + shape_string(Tensor::shape_type(shape.begin(), shape.end())) +
                      " needs " + std::to_string(n));
  }
  xt::xarray<T> out = xt::xarray<T>::from_shape(shape);
  if (n > 0) val(typed_memory_view(n, out.data())).call<void>("set", data);
  return out;
}

}  // namespace

Tensor tensor_from_js(const val& t, const char* name) {
  return array_from_js<float>(t, name, "Float32Array");
}

std::optional<Tensor> optional_tensor(const val& options, const char* key) {
  const val t = options[key];
  if (t.isUndefined() || t.isNull()) return std::nullopt;
  return tensor_from_js(t, key);
}

std::optional<Lengths> optional_lengths(const val& options, const char* key) {
  const val t = options[key];
  if (t.isUndefined() || t.isNull()) return std::nullopt;
  return array_from_js<double>(t, key, "Float64Array");
}

val tensor_to_js(const Tensor& t) {
  if (t.dimension() == 0) return val::null();  // default-constructed: not computed
  val out = val::object();
  out.set("data", val::global("Float32Array").new_(typed_memory_view(t.size(), t.data())));
  val shape = val::array();
  for (std::size_t i = 0; i < t.dimension(); ++i) shape.set(i, val(static_cast<double>(t.shape()[i])));
  out.set("shape", shape);
  return out;
}

double number_option(const val& options, const char* key, double fallback) {
  const val v = options[key];
  if (v.isUndefined()) return fallback;
  if (!v.isNumber()) throw_type_error(std::string(key) + ": expected a number");
  return v.as<double>();
}

bool bool_option(const val& options, const char* key, bool fallback) {
  const val v = options[key];
  if (v.isUndefined()) return fallback;
  if (!v.isTrue() && !v.isFalse()) throw_type_error(std::string(key) + ": expected true or false");
  return v.isTrue();
}

std::string string_option(const val& options, const char* key, const char* fallback) {
  const val v = options[key];
  if (v.isUndefined()) return fallback;
  if (!v.isString()) throw_type_error(std::string(key) + ": expected a string");
  return v.as<std::string>();
}

std::size_t count_argument(const val& x, const char* name) {
  if (!x.isNumber()) throw_type_error(std::string(name) + ": expected an integer");
  const double d = x.as<double>();
  if (!(d >= 0 && d == std::floor(d) && d <= 4294967295.0)) {
    throw_range_error(std::string(name) + ": expected an integer >= 0, got " + std::to_string(d));
  }
  return static_cast<std::size_t>(d);
}

std::uint64_t seed_option(const val& options) {
  const double seed = number_option(options, "seed", 0.0);
  if (!(seed >= 0 && seed == std::floor(seed) && seed <= 9007199254740991.0)) {
    throw_range_error("seed: expected an integer in [0, 2^53 - 1], got " + std::to_string(seed));
  }
  return static_cast<std::uint64_t>(seed);
}

MaskOptions mask_options(const val& options) {
  MaskOptions m;
  m.valid_lens = optional_lengths(options, "validLens");
  m.mask = optional_tensor(options, "mask");
  m.causal = bool_option(options, "causal", false);
  const double fill = number_option(options, "fill", kDefaultFill);
  if (std::isnan(fill) || fill == INFINITY) {
    throw_range_error("fill: must be a number or -Infinity (not NaN or +Infinity)");
  }
  // beyond float range: -inf is what float32 would round it to (casting would be undefined)
  m.fill = fill < -FLT_MAX ? -INFINITY : (fill > FLT_MAX ? FLT_MAX : static_cast<float>(fill));
  return m;
}

ScoreOptions score_options(const val& options) {
  ScoreOptions s;
  s.scoring = parse_scoring(string_option(options, "scoring", "scaled_dot"));
  s.wq = optional_tensor(options, "wq");
  s.wk = optional_tensor(options, "wk");
  s.v = optional_tensor(options, "v");
  s.w = optional_tensor(options, "w");
  return s;
}

AttentionOptions attention_options(const val& options) {
  AttentionOptions a;
  a.score = score_options(options);
  a.mask = mask_options(options);
  a.temperature = number_option(options, "temperature", 1.0);
  a.mode = parse_mode(string_option(options, "mode", "soft"));
  a.seed = seed_option(options);
  a.trace = bool_option(options, "trace", false);
  a.weights = bool_option(options, "weights", true);
  return a;
}

val error_object(const char* name, const char* message) {
  val error = val::object();
  error.set("name", val(std::string(name)));
  error.set("message", val(std::string(message)));  // std::string crosses as UTF-8; char* would not
  val out = val::object();
  out.set("error", error);
  return out;
}

}  // namespace attn::bindings
