#include "json.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "attn/error.hpp"

namespace attn::detail {

const Json* Json::find(const std::string& key) const {
  for (const auto& [name, value] : members)
    if (name == key) return &value;
  return nullptr;
}

const char* describe(const Json::Kind kind) {
  switch (kind) {
    case Json::Kind::null: return "null";
    case Json::Kind::boolean: return "a boolean";
    case Json::Kind::number: return "a number";
    case Json::Kind::string: return "a string";
    case Json::Kind::array: return "an array";
    case Json::Kind::object: return "an object";
  }
  return "?";
}

namespace {

constexpr int kMaxDepth = 64;

class Reader {
 public:
  Reader(const char* text, std::size_t size, const std::string& what)
      : p_(text), begin_(text), end_(text + size), what_(what) {}

  Json document() {
    Json value = parse(0);
    space();
    if (p_ != end_) fail("unexpected text after the value");
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const {
    throw_type_error(what_ + " is not JSON: " + reason + " at byte " + std::to_string(p_ - begin_));
  }

  void space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  bool literal(const char* word) {
    const char* q = p_;
    for (; *word; ++word, ++q)
      if (q == end_ || *q != *word) return false;
    p_ = q;
    return true;
  }

  Json parse(int depth) {
    if (depth > kMaxDepth) fail("nested more than " + std::to_string(kMaxDepth) + " levels deep");
    space();
    if (p_ == end_) fail("unexpected end");
    Json v;
    switch (*p_) {
      case '{': object(v, depth); break;
      case '[': array(v, depth); break;
      case '"':
        v.kind = Json::Kind::string;
        v.text = string();
        break;
      case 't':
      case 'f':
        v.kind = Json::Kind::boolean;
        if (literal("true"))
          v.boolean = true;
        else if (!literal("false"))
          fail("unknown word");
        break;
      case 'n':
        if (!literal("null")) fail("unknown word");
        break;
      default: number(v);
    }
    return v;
  }

  void object(Json& v, int depth) {
    v.kind = Json::Kind::object;
    ++p_;
    space();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      return;
    }
    for (;;) {
      space();
      if (p_ == end_ || *p_ != '"') fail("expected a string key");
      std::string key = string();
      space();
      if (p_ == end_ || *p_ != ':') fail("expected ':'");
      ++p_;
      Json value = parse(depth + 1);
      v.members.emplace_back(std::move(key), std::move(value));
      space();
      if (p_ == end_) fail("unexpected end in an object");
      if (*p_ == '}') {
        ++p_;
        check_unique(v);
        return;
      }
      if (*p_ != ',') fail("expected ',' or '}'");
      ++p_;
    }
  }

  // Sorted rather than looked up member by member: a header of many tensors stays O(n log n).
  void check_unique(const Json& v) const {
    std::vector<const std::string*> keys;
    for (const auto& member : v.members) keys.push_back(&member.first);
    std::sort(keys.begin(), keys.end(), [](auto a, auto b) { return *a < *b; });
    const auto twin =
        std::adjacent_find(keys.begin(), keys.end(), [](auto a, auto b) { return *a == *b; });
    if (twin != keys.end()) fail("duplicate key \"" + **twin + "\" in an object ending");
  }

  void array(Json& v, int depth) {
    v.kind = Json::Kind::array;
    ++p_;
    space();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      return;
    }
    for (;;) {
      v.items.push_back(parse(depth + 1));
      space();
      if (p_ == end_) fail("unexpected end in an array");
      if (*p_ == ']') {
        ++p_;
        return;
      }
      if (*p_ != ',') fail("expected ',' or ']'");
      ++p_;
    }
  }

  unsigned hex4() {
    if (end_ - p_ < 4) fail("unexpected end in a \\u escape");
    unsigned code = 0;
    for (int i = 0; i < 4; ++i, ++p_) {
      const char c = *p_;
      code <<= 4;
      if (c >= '0' && c <= '9')
        code |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        code |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        code |= static_cast<unsigned>(c - 'A' + 10);
      else
        fail("bad \\u escape");
    }
    return code;
  }

  static void utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  std::string string() {
    ++p_;  // the opening quote
    std::string out;
    for (;;) {
      if (p_ == end_) fail("unterminated string");
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return out;
      }
      if (c < 0x20) fail("control character in a string");
      if (c != '\\') {
        out += static_cast<char>(c);
        ++p_;
        continue;
      }
      ++p_;
      if (p_ == end_) fail("unterminated string");
      const char e = *p_++;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned code = hex4();
          if (code >= 0xD800 && code < 0xDC00) {  // a high surrogate: its low half must follow
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u')
              fail("lone surrogate in a \\u escape");
            p_ += 2;
            const unsigned low = hex4();
            if (low < 0xDC00 || low >= 0xE000) fail("lone surrogate in a \\u escape");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          } else if (code >= 0xDC00 && code < 0xE000) {
            fail("lone surrogate in a \\u escape");
          }
          utf8(out, code);
          break;
        }
        default: fail("bad escape");
      }
    }
  }

  void number(Json& v) {
    const char* start = p_;
    auto digits = [&] {
      const char* d = p_;
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      return p_ - d;
    };
    if (p_ != end_ && *p_ == '-') ++p_;
    if (p_ != end_ && *p_ == '0')
      ++p_;
    else if (digits() == 0)
      fail("unexpected character");
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (digits() == 0) fail("expected digits after '.'");
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (digits() == 0) fail("expected digits in the exponent");
    }
    // strtod needs a terminated string; the grammar above already decided what the token is
    const std::string token(start, p_);
    v.kind = Json::Kind::number;
    v.number = std::strtod(token.c_str(), nullptr);
  }

  const char* p_;
  const char* begin_;
  const char* end_;
  const std::string& what_;
};

}  // namespace

Json parse_json(const char* text, std::size_t size, const std::string& what) {
  return Reader(text, size, what).document();
}

}  // namespace attn::detail
