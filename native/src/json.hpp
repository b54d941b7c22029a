// A small JSON reader for the header of a model file (model.cpp). Strict RFC 8259: no comments, no
// trailing commas, nothing after the value; \u escapes (with surrogate pairs) become UTF-8. Nesting
// is limited so that a hostile header cannot exhaust the stack.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace attn::detail {

struct Json {
  enum class Kind { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  double number = 0;
  std::string text;                                   // a string's value (UTF-8)
  std::vector<Json> items;                            // an array's elements
  std::vector<std::pair<std::string, Json>> members;  // an object's members, in order

  // The member named `key`, or null.
  const Json* find(const std::string& key) const;
};

// "object", "a number", ...: what a message says a value was.
const char* describe(const Json::Kind kind);

// Parses text[0, size). TypeError "<what> is not JSON: <reason> at byte N" on any error, and for a
// duplicate key in an object.
Json parse_json(const char* text, std::size_t size, const std::string& what);

}  // namespace attn::detail
