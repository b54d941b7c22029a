#include "attn/model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>

#include "attn/error.hpp"
#include "attn/positional.hpp"
#include "attn/softmax.hpp"
#include "json.hpp"
#include "layers.hpp"

namespace attn {

namespace {

using detail::Json;

constexpr double kMaxInteger = 9007199254740992.0;  // 2^53: larger JSON numbers are not exact

std::string number_string(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", x);
  return text;
}

std::string list_string(const std::vector<std::size_t>& dims) {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

bool is_count(const Json& v, double max) {
  return v.kind == Json::Kind::number && v.number >= 0 && v.number <= max &&
         std::floor(v.number) == v.number;
}

// IEEE half -> float, exactly (every half is a float).
float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
  float magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);  // subnormal
  else if (exponent == 31)
    magnitude =
        mantissa ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  else
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400), static_cast<int>(exponent) - 25);
  return sign ? -magnitude : magnitude;
}

// The safetensors container: the header's entries checked against the data, nothing read yet.
class File {
 public:
  File(const std::uint8_t* bytes, std::size_t size) {
    if (size < 8)
      throw_range_error("model file: " + std::to_string(size) +
                        " bytes, too short for a safetensors file (8 bytes of header length, "
                        "then the JSON header); is it truncated?");
    std::uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(bytes[i]) << (8 * i);
    if (n > size - 8)
      throw_range_error("model file: the header length " + std::to_string(n) +
                        " runs past the end of the file (" + std::to_string(size) +
                        " bytes); is it truncated?");
    if (n > kMaxModelHeader)
      throw_range_error("model file: a header of " + std::to_string(n) +
                        " bytes is over the engine's limit of " + std::to_string(kMaxModelHeader));
    const Json header =
        detail::parse_json(reinterpret_cast<const char*>(bytes) + 8, n, "model file: the header");
    if (header.kind != Json::Kind::object)
      throw_type_error(std::string("model file: the header is ") + detail::describe(header.kind) +
                       ", expected an object of tensors");
    data_ = bytes + 8 + n;
    size_ = size - 8 - n;
    for (const auto& [name, value] : header.members) {
      if (name == "__metadata__") {
        metadata(value);
        continue;
      }
      entries_.emplace(name, entry(name, value));
    }
    if (!has_config_)
      throw_type_error(
          "model file: __metadata__.config is missing (a JSON string with d_model, nhead, ...; "
          "model/export.py writes it)");
  }

  const std::string& config() const { return config_; }

  // The tensor `name`, which must have shape `dims`, as float32; `why` says where dims come from.
  Tensor read(const std::string& name, const std::vector<std::size_t>& dims,
              const std::string& why) const {
    const auto found = entries_.find(name);
    const Entry* e = found == entries_.end() ? nullptr : &found->second;
    if (e == nullptr)
      throw_type_error("model file: tensor '" + name + "' is missing; expected " +
                       list_string(dims) + " (" + why + ")");
    if (e->shape != dims)
      throw_range_error("model file: tensor '" + name + "' has shape " + list_string(e->shape) +
                        ", expected " + list_string(dims) + " (" + why + ")");
    Tensor t = Tensor::from_shape(std::vector<std::size_t>(dims));
    const std::uint8_t* src = data_ + e->begin;
    if (e->half) {
      for (std::size_t i = 0; i < t.size(); ++i)
        t.data()[i] = half_to_float(static_cast<std::uint16_t>(src[2 * i] | (src[2 * i + 1] << 8)));
    } else if (t.size() > 0) {
      // the data are little-endian, as WebAssembly and x86 are; the source may be unaligned
      std::memcpy(t.data(), src, 4 * t.size());
    }
    check_finite(t, name.c_str());
    return t;
  }

 private:
  struct Entry {
    bool half = false;
    std::vector<std::size_t> shape;
    std::size_t begin = 0, end = 0;
  };

  void metadata(const Json& value) {
    if (value.kind != Json::Kind::object)
      throw_type_error(std::string("model file: __metadata__ is ") + detail::describe(value.kind) +
                       ", expected an object of strings");
    const Json* config = value.find("config");
    if (config == nullptr) return;  // reported after the loop, once the tensors are known good
    if (config->kind != Json::Kind::string)
      throw_type_error(std::string("model file: __metadata__.config is ") +
                       detail::describe(config->kind) + ", expected a string holding JSON");
    config_ = config->text;
    has_config_ = true;
  }

  Entry entry(const std::string& name, const Json& value) const {
    const std::string where = "model file: tensor '" + name + "'";
    if (value.kind != Json::Kind::object)
      throw_type_error(where + " is " + detail::describe(value.kind) +
                       ", expected { dtype, shape, data_offsets }");
    const Json* dtype = value.find("dtype");
    const Json* shape = value.find("shape");
    const Json* offsets = value.find("data_offsets");
    if (dtype == nullptr || shape == nullptr || offsets == nullptr)
      throw_type_error(where + " lacks " +
                       (dtype == nullptr   ? "dtype"
                        : shape == nullptr ? "shape"
                                           : "data_offsets"));
    Entry e;
    if (dtype->kind != Json::Kind::string || (dtype->text != "F32" && dtype->text != "F16"))
      throw_type_error(where + ": dtype " +
                       (dtype->kind == Json::Kind::string ? "'" + dtype->text + "'"
                                                          : detail::describe(dtype->kind)) +
                       " is not supported; expected F32 (or F16)");
    e.half = dtype->text == "F16";
    if (shape->kind != Json::Kind::array || shape->items.size() > 8)
      throw_type_error(where + ": shape must be an array of at most 8 sizes");
    std::size_t elements = 1;
    for (const Json& d : shape->items) {
      if (!is_count(d, 1 << 30))
        throw_range_error(where + ": shape entries must be integers from 0 to 2^30");
      e.shape.push_back(static_cast<std::size_t>(d.number));
      elements = checked_product({elements, e.shape.back()});
    }
    if (elements > kMaxElements)
      throw_range_error(where + ": shape " + list_string(e.shape) +
                        " is over the engine's limit of 2^24 elements per tensor");
    if (offsets->kind != Json::Kind::array || offsets->items.size() != 2 ||
        !is_count(offsets->items[0], kMaxInteger) || !is_count(offsets->items[1], kMaxInteger))
      throw_type_error(where + ": data_offsets must be [begin, end], two integers");
    const double begin = offsets->items[0].number, end = offsets->items[1].number;
    if (begin > end || end > static_cast<double>(size_))
      throw_range_error(where + ": data_offsets [" + number_string(begin) + ", " +
                        number_string(end) + "] run past the data (" + std::to_string(size_) +
                        " bytes after the header); is the file truncated?");
    e.begin = static_cast<std::size_t>(begin);
    e.end = static_cast<std::size_t>(end);
    const std::size_t expected = elements * (e.half ? 2 : 4);
    if (e.end - e.begin != expected)
      throw_range_error(where + ": shape " + list_string(e.shape) + " of " + dtype->text +
                        " needs " + std::to_string(expected) + " bytes, data_offsets hold " +
                        std::to_string(e.end - e.begin));
    return e;
  }

  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::map<std::string, Entry> entries_;
  std::string config_;  // __metadata__.config, JSON
  bool has_config_ = false;
};

// The config's fields, each checked for type and range.
class Fields {
 public:
  explicit Fields(const Json& c) : c_(c) {}

  const Json& get(const char* key) const {
    const Json* v = c_.find(key);
    if (v == nullptr) throw_type_error(std::string("model config: '") + key + "' is missing");
    return *v;
  }
  std::size_t count(const char* key, std::size_t lo, std::size_t hi) const {
    const Json& v = get(key);
    if (v.kind != Json::Kind::number)
      throw_type_error(std::string("model config: '") + key + "' is " + detail::describe(v.kind) +
                       ", expected an integer");
    if (!is_count(v, kMaxInteger) || v.number < static_cast<double>(lo) ||
        v.number > static_cast<double>(hi))
      throw_range_error(std::string("model config: '") + key + "' = " + number_string(v.number) +
                        " is outside the engine's range: integers from " + std::to_string(lo) +
                        " to " + std::to_string(hi));
    return static_cast<std::size_t>(v.number);
  }
  std::vector<std::string> vocabulary(const char* key) const {
    const Json& v = get(key);
    if (v.kind != Json::Kind::array)
      throw_type_error(std::string("model config: '") + key + "' is " + detail::describe(v.kind) +
                       ", expected an array of words");
    if (v.items.empty() || v.items.size() > kMaxModelVocab)
      throw_range_error(std::string("model config: '") + key + "' has " +
                        std::to_string(v.items.size()) + " words; expected 1 to " +
                        std::to_string(kMaxModelVocab));
    std::vector<std::string> words;
    for (const Json& w : v.items) {
      if (w.kind != Json::Kind::string)
        throw_type_error(std::string("model config: '") + key + "' holds " +
                         detail::describe(w.kind) + ", expected only strings");
      words.push_back(w.text);
    }
    return words;
  }

 private:
  const Json& c_;
};

ModelConfig parse_config(const std::string& text) {
  const Json c = detail::parse_json(text.data(), text.size(), "model file: __metadata__.config");
  if (c.kind != Json::Kind::object)
    throw_type_error(std::string("model config is ") + detail::describe(c.kind) +
                     ", expected an object");
  const Fields f(c);
  ModelConfig m;
  m.json = text;
  m.d_model = f.count("d_model", 1, kMaxModelWidth);
  m.nhead = f.count("nhead", 1, kMaxModelHeads);
  if (m.d_model % m.nhead != 0)
    throw_range_error("model config: nhead = " + std::to_string(m.nhead) +
                      " does not divide d_model = " + std::to_string(m.d_model));
  m.num_encoder_layers = f.count("num_encoder_layers", 1, kMaxModelLayers);
  m.num_decoder_layers = f.count("num_decoder_layers", 1, kMaxModelLayers);
  m.dim_feedforward = f.count("dim_feedforward", 1, 4 * kMaxModelWidth);
  const Json& activation = f.get("activation");
  if (activation.kind != Json::Kind::string ||
      (activation.text != "relu" && activation.text != "gelu"))
    throw_type_error("model config: 'activation' must be 'relu' or 'gelu'");
  m.activation = parse_activation(activation.text);
  const Json& norm_first = f.get("norm_first");
  if (norm_first.kind != Json::Kind::boolean)
    throw_type_error("model config: 'norm_first' must be true or false");
  m.norm_first = norm_first.boolean;
  const Json& eps = f.get("layer_norm_eps");
  if (eps.kind != Json::Kind::number || !(eps.number > 0) || !std::isfinite(eps.number))
    throw_range_error("model config: 'layer_norm_eps' must be a number > 0");
  m.layer_norm_eps = eps.number;
  m.src_vocab = f.vocabulary("src_vocab");
  m.tgt_vocab = f.vocabulary("tgt_vocab");
  const std::size_t smaller = std::min(m.src_vocab.size(), m.tgt_vocab.size());
  m.pad = f.count("pad", 0, smaller - 1);
  m.bos = f.count("bos", 0, m.tgt_vocab.size() - 1);
  m.eos = f.count("eos", 0, m.tgt_vocab.size() - 1);
  return m;
}

// w [out, in] (PyTorch's layout) rows [from, from + n) transposed: [in, n], the engine's "x W".
Tensor transposed_rows(const Tensor& w, std::size_t from, std::size_t n) {
  const std::size_t in = w.shape()[1];
  Tensor t = Tensor::from_shape({in, n});
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < in; ++c) t(c, r) = w(from + r, c);
  return t;
}

Tensor slice(const Tensor& v, std::size_t from, std::size_t n) {
  Tensor t = Tensor::from_shape({n});
  std::copy(v.data() + from, v.data() + from + n, t.data());
  return t;
}

// a + b for the residual connections; RangeError naming `what` if it overflows float32.
Tensor residual(const Tensor& a, const Tensor& b, const char* what) {
  Tensor sum = a + b;
  check_finite(sum, what);
  return sum;
}

// The key padding mask of the source as a 0/1 keep mask [rows, S] (1: may attend).
Tensor keep_mask(const std::vector<std::size_t>& src, std::size_t rows, std::size_t pad) {
  Tensor keep = Tensor::from_shape({rows, src.size()});
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < src.size(); ++j) keep(i, j) = src[j] == pad ? 0.0f : 1.0f;
  return keep;
}

// The code points of UTF-8 text, ASCII letters folded to lower case (malformed bytes are kept as
// they are: a distance needs no validation).
std::vector<std::uint32_t> code_points(const std::string& s) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : c >> 5 == 6 ? 2 : c >> 4 == 14 ? 3 : c >> 3 == 30 ? 4 : 1;
    std::uint32_t cp = n == 1 ? c : c & (0x3F >> (n - 1));
    std::size_t k = 1;
    for (; k < n && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
    i += k;
  }
  return out;
}

// Levenshtein distance (insert, delete, substitute: 1 each).
std::size_t edit_distance(const std::vector<std::uint32_t>& a,
                          const std::vector<std::uint32_t>& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

Model Model::load(const std::uint8_t* bytes, std::size_t size) {
  const File file(bytes, size);
  Model m;
  m.config_ = parse_config(file.config());
  const ModelConfig& c = m.config_;
  const std::size_t D = c.d_model, F = c.dim_feedforward, Vs = c.src_vocab.size(),
                    Vt = c.tgt_vocab.size();
  const std::string Ds = "d_model = " + std::to_string(D);
  const std::string Fs = "dim_feedforward = " + std::to_string(F);
  m.src_embed_ = file.read("src_embed.weight", {Vs, D}, "[src_vocab, d_model], " + Ds);
  m.tgt_embed_ = file.read("tgt_embed.weight", {Vt, D}, "[tgt_vocab, d_model], " + Ds);
  m.generator_ =
      transposed_rows(file.read("generator.weight", {Vt, D}, "[tgt_vocab, d_model], " + Ds), 0, Vt);
  m.generator_bias_ = file.read("generator.bias", {Vt}, "[tgt_vocab]");

  auto vector = [&](const std::string& name, std::size_t n, const std::string& why) {
    return file.read(name, {n}, why);
  };
  auto attention = [&](const std::string& p, MultiHeadOptions& o) {
    const Tensor in = file.read(p + "in_proj_weight", {3 * D, D}, "[3 d_model, d_model], " + Ds);
    const Tensor bias = vector(p + "in_proj_bias", 3 * D, "[3 d_model], " + Ds);
    o.num_heads = c.nhead;
    o.wq = transposed_rows(in, 0, D);
    o.wk = transposed_rows(in, D, D);
    o.wv = transposed_rows(in, 2 * D, D);
    o.bq = slice(bias, 0, D);
    o.bk = slice(bias, D, D);
    o.bv = slice(bias, 2 * D, D);
    o.wo = transposed_rows(file.read(p + "out_proj.weight", {D, D}, "[d_model, d_model], " + Ds), 0,
                           D);
    o.bo = vector(p + "out_proj.bias", D, "[d_model], " + Ds);
    o.mask.fill = -std::numeric_limits<float>::infinity();  // masked weights exactly 0, as PyTorch
  };
  auto norm = [&](const std::string& p, LayerNormOptions& o) {
    o.gamma = vector(p + ".weight", D, "[d_model], " + Ds);
    o.beta = vector(p + ".bias", D, "[d_model], " + Ds);
    o.eps = c.layer_norm_eps;
  };
  auto linear1 = [&](const std::string& p) {
    return transposed_rows(
        file.read(p + "linear1.weight", {F, D}, "[dim_feedforward, d_model], " + Fs + ", " + Ds), 0,
        F);
  };
  auto linear2 = [&](const std::string& p) {
    return transposed_rows(
        file.read(p + "linear2.weight", {D, F}, "[d_model, dim_feedforward], " + Fs + ", " + Ds), 0,
        D);
  };

  for (std::size_t l = 0; l < c.num_encoder_layers; ++l) {
    const std::string p = "transformer.encoder.layers." + std::to_string(l) + ".";
    TransformerBlockOptions o;
    MultiHeadOptions a;
    attention(p + "self_attn.", a);
    o.num_heads = a.num_heads;
    o.wq = std::move(a.wq), o.wk = std::move(a.wk), o.wv = std::move(a.wv), o.wo = std::move(a.wo);
    o.bq = std::move(a.bq), o.bk = std::move(a.bk), o.bv = std::move(a.bv), o.bo = std::move(a.bo);
    o.mask.fill = a.mask.fill;
    o.w1 = linear1(p);
    o.b1 = vector(p + "linear1.bias", F, "[dim_feedforward], " + Fs);
    o.w2 = linear2(p);
    o.b2 = vector(p + "linear2.bias", D, "[d_model], " + Ds);
    LayerNormOptions n1, n2;
    norm(p + "norm1", n1);
    norm(p + "norm2", n2);
    o.gamma1 = std::move(n1.gamma), o.beta1 = std::move(n1.beta);
    o.gamma2 = std::move(n2.gamma), o.beta2 = std::move(n2.beta);
    o.norm = c.norm_first ? Norm::pre : Norm::post;
    o.activation = c.activation;
    o.eps = c.layer_norm_eps;
    m.encoder_.push_back(std::move(o));
  }
  for (std::size_t l = 0; l < c.num_decoder_layers; ++l) {
    const std::string p = "transformer.decoder.layers." + std::to_string(l) + ".";
    DecoderLayer d;
    attention(p + "self_attn.", d.self);
    d.self.mask.causal = true;
    attention(p + "multihead_attn.", d.cross);
    d.w1 = linear1(p);
    d.b1 = vector(p + "linear1.bias", F, "[dim_feedforward], " + Fs);
    d.w2 = linear2(p);
    d.b2 = vector(p + "linear2.bias", D, "[d_model], " + Ds);
    norm(p + "norm1", d.norm1);
    norm(p + "norm2", d.norm2);
    norm(p + "norm3", d.norm3);
    m.decoder_.push_back(std::move(d));
  }
  norm("transformer.encoder.norm", m.encoder_norm_);
  norm("transformer.decoder.norm", m.decoder_norm_);

  // sorted for encode()'s binary search; of equal words, the lowest id is found
  for (std::size_t i = 0; i < Vs; ++i) m.src_index_.emplace_back(c.src_vocab[i], i);
  std::stable_sort(m.src_index_.begin(), m.src_index_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return m;
}

std::vector<std::size_t> Model::encode(const std::vector<std::string>& words) const {
  std::vector<std::size_t> out;
  std::string unknown;
  std::size_t missing = 0;
  for (const std::string& w : words) {
    const auto it = std::lower_bound(src_index_.begin(), src_index_.end(), w,
                                     [](const std::pair<std::string, std::size_t>& e,
                                        const std::string& k) { return e.first < k; });
    if (it == src_index_.end() || it->first != w) {
      const std::vector<std::string> near = nearest(w.substr(0, 256), 1);
      unknown += (missing++ ? ", '" : "'") + w + "'" +
                 (near.empty() ? "" : " (nearest: '" + near[0] + "')");
      continue;
    }
    out.push_back(it->second);
  }
  if (missing)
    throw_range_error(std::string("encode: ") +
                      (missing == 1 ? "unknown word " : "unknown words ") + unknown +
                      ": not in the source vocabulary (config.src_vocab)");
  return out;
}

std::vector<std::string> Model::nearest(const std::string& word, std::size_t count) const {
  if (word.size() > 256) throw_range_error("nearest: a word of over 256 bytes");
  const std::vector<std::uint32_t> w = code_points(word);
  std::vector<std::pair<std::size_t, std::size_t>> ranked;  // (distance, id)
  for (std::size_t i = 0; i < config_.src_vocab.size(); ++i) {
    if (i == config_.pad) continue;
    ranked.emplace_back(edit_distance(w, code_points(config_.src_vocab[i])), i);
  }
  count = std::min(count, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(count),
                    ranked.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back(config_.src_vocab[ranked[i].second]);
  return out;
}

std::vector<std::string> Model::decode(const std::vector<double>& v, bool source) const {
  const auto& vocab = source ? config_.src_vocab : config_.tgt_vocab;
  std::vector<std::string> out;
  for (std::size_t i : ids(v, "ids", source)) out.push_back(vocab[i]);
  return out;
}

std::vector<std::size_t> Model::ids(const std::vector<double>& v, const char* name,
                                    bool source) const {
  const std::size_t V = (source ? config_.src_vocab : config_.tgt_vocab).size();
  if (v.size() > kMaxModelLength)
    throw_range_error(std::string(name) + ": " + std::to_string(v.size()) +
                      " tokens, over the engine's limit of " + std::to_string(kMaxModelLength));
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double x = v[i];
    if (!(x >= 0 && x < static_cast<double>(V) && std::floor(x) == x))
      throw_range_error(std::string(name) + "[" + std::to_string(i) + "] = " + number_string(x) +
                        " is not an id of the " + (source ? "source" : "target") +
                        " vocabulary (integers from 0 to " + std::to_string(V - 1) + ")");
    out.push_back(static_cast<std::size_t>(x));
  }
  return out;
}

void Model::check_source(const std::vector<std::size_t>& src) const {
  if (src.empty()) throw_range_error("srcIds: empty; expected at least one token");
  if (std::all_of(src.begin(), src.end(), [&](std::size_t i) { return i == config_.pad; }))
    throw_range_error("srcIds: every token is pad (id " + std::to_string(config_.pad) +
                      "), so cross-attention would have no key to attend to");
}

Tensor Model::embed(const Tensor& table, const std::vector<std::size_t>& ids, ModelForward* trace,
                    bool source) const {
  const std::size_t N = ids.size(), D = config_.d_model;
  // PyTorch multiplies a float32 tensor by a Python float in float32
  const float scale = static_cast<float>(std::sqrt(static_cast<double>(D)));
  Tensor embedding = Tensor::from_shape({N, D});
  for (std::size_t p = 0; p < N; ++p)
    for (std::size_t c = 0; c < D; ++c) embedding(p, c) = table(ids[p], c) * scale;
  Tensor positions = positional_encoding(N, D);
  Tensor x = embedding + positions;
  if (trace) {
    (source ? trace->src_embedding : trace->tgt_embedding) = std::move(embedding);
    (source ? trace->src_positions : trace->tgt_positions) = std::move(positions);
    (source ? trace->src_input : trace->tgt_input) = x;
  }
  return x;
}

Tensor Model::encode_memory(const std::vector<std::size_t>& src, ModelForward& out, bool trace) {
  Tensor x = embed(src_embed_, src, trace ? &out : nullptr, true);
  const Tensor keep = keep_mask(src, src.size(), config_.pad);
  for (TransformerBlockOptions& layer : encoder_) {
    layer.mask.mask = keep;
    layer.trace = trace;
    TransformerBlockResult r = transformer_block(x, layer);
    out.encoder.push_back(std::move(r.weights));
    x = trace ? r.output : std::move(r.output);  // the trace keeps each layer's output too
    if (trace) {
      r.weights = out.encoder.back();
      out.encoder_layers.push_back(std::move(r));
    }
  }
  Tensor memory = layer_norm(x, encoder_norm_);
  if (trace) out.memory = memory;
  return memory;
}

Tensor Model::decode_logits(const std::vector<std::size_t>& src, const Tensor& memory,
                            const std::vector<std::size_t>& tgt, ModelForward& out, bool trace) {
  const std::size_t T = tgt.size();
  check_size(checked_product({T, config_.tgt_vocab.size()}), "logits [T, tgt_vocab]");
  Tensor y = embed(tgt_embed_, tgt, trace ? &out : nullptr, false);
  const Tensor keep = keep_mask(src, T, config_.pad);
  for (DecoderLayer& layer : decoder_) {
    layer.self.trace = layer.cross.trace = trace;
    layer.cross.mask.mask = keep;
    DecoderLayerTrace d;
    auto self = [&](const Tensor& in) {
      d.self_attention = multi_head_attention(in, in, in, layer.self);
    };
    auto cross = [&](const Tensor& in) {
      d.cross_attention = multi_head_attention(in, memory, memory, layer.cross);
    };
    detail::FeedForward f;
    auto feed = [&](const Tensor& in) {
      f = detail::run_feed_forward(in, layer.w1, &layer.b1, layer.w2, &layer.b2,
                                   config_.activation);
    };
    if (!config_.norm_first) {
      self(y);
      d.residual1 = residual(y, d.self_attention.output, "residual y + self-attention");
      d.norm1 = layer_norm(d.residual1, layer.norm1);
      cross(d.norm1);
      d.residual2 = residual(d.norm1, d.cross_attention.output, "residual norm1 + cross-attention");
      d.norm2 = layer_norm(d.residual2, layer.norm2);
      feed(d.norm2);
      d.residual3 = residual(d.norm2, f.output, "residual norm2 + feed-forward");
      d.norm3 = layer_norm(d.residual3, layer.norm3);
      y = d.norm3;
    } else {
      d.norm1 = layer_norm(y, layer.norm1);
      self(d.norm1);
      d.residual1 = residual(y, d.self_attention.output, "residual y + self-attention");
      d.norm2 = layer_norm(d.residual1, layer.norm2);
      cross(d.norm2);
      d.residual2 = residual(d.residual1, d.cross_attention.output, "residual + cross-attention");
      d.norm3 = layer_norm(d.residual2, layer.norm3);
      feed(d.norm3);
      d.residual3 = residual(d.residual2, f.output, "residual + feed-forward");
      y = d.residual3;
    }
    out.decoder.push_back(d.self_attention.weights);
    out.cross.push_back(d.cross_attention.weights);
    if (trace) {
      d.hidden = std::move(f.hidden);
      d.feed_forward = std::move(f.output);
      d.output = y;
      out.decoder_layers.push_back(std::move(d));
    }
  }
  Tensor norm = layer_norm(y, decoder_norm_);
  Tensor logits = detail::affine(norm, generator_, &generator_bias_, "logits");
  if (trace) out.decoder_output = std::move(norm);
  return logits;
}

ModelForward Model::forward(const std::vector<double>& src, const std::vector<double>& tgt,
                            bool trace) {
  const std::vector<std::size_t> s = ids(src, "srcIds", true), t = ids(tgt, "tgtIds", false);
  check_source(s);
  if (t.empty()) throw_range_error("tgtIds: empty; expected at least one token (bos)");
  ModelForward out;
  const Tensor memory = encode_memory(s, out, trace);
  out.logits = decode_logits(s, memory, t, out, trace);
  if (trace) out.probabilities = softmax(out.logits);
  return out;
}

GreedyResult Model::greedy(const std::vector<double>& src, std::size_t max_length,
                           std::size_t top_k) {
  const std::vector<std::size_t> s = ids(src, "srcIds", true);
  check_source(s);
  if (max_length < 1 || max_length > kMaxModelLength)
    throw_range_error("maxLength: " + std::to_string(max_length) + " is outside 1 to " +
                      std::to_string(kMaxModelLength));
  const std::size_t Vt = config_.tgt_vocab.size();
  top_k = std::min(top_k, Vt);
  ModelForward encoded;
  const Tensor memory = encode_memory(s, encoded, false);
  GreedyResult r;
  r.ids.push_back(config_.bos);
  while (r.ids.size() < max_length && (r.ids.size() == 1 || r.ids.back() != config_.eos)) {
    ModelForward scratch;
    const Tensor logits = decode_logits(s, memory, r.ids, scratch, false);
    const std::size_t T = r.ids.size();
    Tensor last = Tensor::from_shape({Vt});
    std::copy(logits.data() + (T - 1) * Vt, logits.data() + T * Vt, last.data());
    const Tensor p = softmax(last);
    // by logit, the lower id first among equals: torch.argmax's choice
    std::vector<std::size_t> order(Vt);
    for (std::size_t i = 0; i < Vt; ++i) order[i] = i;
    std::partial_sort(order.begin(), order.begin() + top_k, order.end(),
                      [&](std::size_t a, std::size_t b) {
                        return last(a) > last(b) || (last(a) == last(b) && a < b);
                      });
    GreedyStep step;
    for (std::size_t i = 0; i < top_k; ++i) {
      step.top.push_back(order[i]);
      step.probabilities.push_back(p(order[i]));
    }
    step.chosen = order[0];
    r.ids.push_back(step.chosen);
    r.steps.push_back(std::move(step));
  }
  return r;
}

}  // namespace attn
