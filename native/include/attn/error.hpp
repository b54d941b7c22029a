// Errors the engine reports. Every public function validates its arguments before any math or
// allocation and throws attn::Error; the WASM bindings turn it into a JS TypeError or RangeError
// with the same message, so the instance always survives bad input.
#pragma once

#include <stdexcept>
#include <string>

namespace attn {

enum class ErrorKind {
  type,   // not a tensor, a missing required argument, an unknown scoring function or mode
  range,  // shapes that do not fit, NaN/±Infinity, lengths out of range, sizes over the limit
};

class Error : public std::invalid_argument {
 public:
  Error(ErrorKind kind, const std::string& message) : std::invalid_argument(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

[[noreturn]] inline void throw_type_error(const std::string& message) {
  throw Error(ErrorKind::type, message);
}
[[noreturn]] inline void throw_range_error(const std::string& message) {
  throw Error(ErrorKind::range, message);
}

}  // namespace attn
