// The model loader (attn/model.hpp) and its JSON reader: what they accept, what they refuse and how
// they say it, and a forward pass whose numbers are known in closed form. (The numbers of trained and
// random models are checked against PyTorch in tests/node/model.test.mjs.)
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "attn/error.hpp"
#include "attn/model.hpp"
#include "src/json.hpp"
#include "support.hpp"

namespace {

using attn::Error;
using attn::ErrorKind;
using attn::Model;
using attn::detail::Json;

Json parse(const std::string& s) { return attn::detail::parse_json(s.data(), s.size(), "test"); }

template <class F>
std::string refusal(F&& f, ErrorKind kind) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "not refused";
  return "";
}

TEST(Json, ReadsValuesEscapesAndUnicode) {
  const Json v =
      parse(R"( {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\n\u732b\ud83d\ude00"} )");
  ASSERT_EQ(v.kind, Json::Kind::object);
  const Json& a = *v.find("a");
  ASSERT_EQ(a.items.size(), 5u);
  EXPECT_EQ(a.items[1].number, -2500);
  EXPECT_TRUE(a.items[2].boolean);
  EXPECT_FALSE(a.items[3].boolean);
  EXPECT_EQ(a.items[3].kind, Json::Kind::boolean);
  EXPECT_EQ(a.items[4].kind, Json::Kind::null);
  // 猫 (U+732B) and 😀 (U+1F600, a surrogate pair) as UTF-8
  EXPECT_EQ(v.find("b")->text, "x\"\\/\n\xE7\x8C\xAB\xF0\x9F\x98\x80");
  EXPECT_EQ(v.find("c"), nullptr);
}

TEST(Json, RefusesWhatIsNotJson) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "tru",
                          "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\nb\"", "{} {}", "{'a':1}",
                          "{\"a\":1,\"a\":2}", "[1e]", "NaN"}) {
    const std::string message = refusal([&] { parse(bad); }, ErrorKind::type);
    EXPECT_NE(message.find("test is not JSON"), std::string::npos) << bad << ": " << message;
    EXPECT_NE(message.find("at byte"), std::string::npos) << message;
  }
  // nesting is bounded: deep enough to exhaust a stack is refused, not followed
  EXPECT_NE(refusal([] { parse(std::string(100000, '[')); }, ErrorKind::type).find("nested"),
            std::string::npos);
  EXPECT_NO_THROW(parse(std::string(60, '[') + std::string(60, ']')));
}

// A model file: D = 4, 2 heads, 1 + 1 layers, F = 3, vocabularies of 4 and 5 words, every weight
// from `fill(name, index)`.
std::string config_of(std::size_t layers, bool norm_first, const char* activation) {
  return R"({"d_model":4,"nhead":2,"num_encoder_layers":)" + std::to_string(layers) +
         R"(,"num_decoder_layers":)" + std::to_string(layers) +
         R"(,"dim_feedforward":3,"activation":")" + activation + R"(","norm_first":)" +
         (norm_first ? "true" : "false") +
         R"(,"layer_norm_eps":1e-5,"src_vocab":["<pad>","Tom","chase","Jerry"],)"
         R"("tgt_vocab":["<pad>","<bos>","<eos>","\u6c64\u59c6","b"],)"
         R"("pad":0,"bos":1,"eos":2})";
}

struct Spec {
  std::size_t layers = 1;  // each side
  std::string config = config_of(1, false, "relu");
  std::function<float(const std::string&, std::size_t)> fill = [](const std::string& name,
                                                                  std::size_t i) {
    if (name.find("norm") != std::string::npos)
      return name.find("weight") != std::string::npos ? 1.0f : 0.0f;
    if (name == "generator.bias") return 0.1f * static_cast<float>(i % 3) + (i == 3 ? 1.0f : 0.0f);
    if (name.find("embed") != std::string::npos) return std::sin(static_cast<float>(i));
    return 0.0f;
  };
  std::string skip;  // a tensor left out
};

std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string file(const Spec& spec) {
  const std::size_t D = 4, F = 3, Vs = 4, Vt = 5;
  std::vector<std::pair<std::string, std::vector<std::size_t>>> t = {{"src_embed.weight", {Vs, D}},
                                                                     {"tgt_embed.weight", {Vt, D}},
                                                                     {"generator.weight", {Vt, D}},
                                                                     {"generator.bias", {Vt}}};
  auto layer = [&](const std::string& p, bool decoder) {
    for (const char* a : {"self_attn.", "multihead_attn."}) {
      if (!decoder && a[0] == 'm') break;
      t.push_back({p + a + "in_proj_weight", {3 * D, D}});
      t.push_back({p + a + "in_proj_bias", {3 * D}});
      t.push_back({p + a + "out_proj.weight", {D, D}});
      t.push_back({p + a + "out_proj.bias", {D}});
    }
    t.push_back({p + "linear1.weight", {F, D}});
    t.push_back({p + "linear1.bias", {F}});
    t.push_back({p + "linear2.weight", {D, F}});
    t.push_back({p + "linear2.bias", {D}});
    for (const char* n : {"norm1", "norm2", "norm3"}) {
      if (!decoder && n[4] == '3') break;
      t.push_back({p + n + ".weight", {D}});
      t.push_back({p + n + ".bias", {D}});
    }
  };
  for (std::size_t l = 0; l < spec.layers; ++l) {
    layer("transformer.encoder.layers." + std::to_string(l) + ".", false);
    layer("transformer.decoder.layers." + std::to_string(l) + ".", true);
  }
  for (const char* n : {"transformer.encoder.norm", "transformer.decoder.norm"}) {
    t.push_back({std::string(n) + ".weight", {D}});
    t.push_back({std::string(n) + ".bias", {D}});
  }
  std::string header = "{\"__metadata__\":{\"config\":\"" + escaped(spec.config) + "\"}";
  std::string data;
  for (const auto& [name, shape] : t) {
    if (name == spec.skip) continue;
    std::size_t n = 1;
    std::string dims;
    for (std::size_t x : shape) {
      n *= x;
      dims += (dims.empty() ? "" : ",") + std::to_string(x);
    }
    const std::size_t begin = data.size();
    for (std::size_t i = 0; i < n; ++i) {
      const float v = spec.fill(name, i);
      char b[4];
      std::memcpy(b, &v, 4);
      data.append(b, 4);
    }
    header += ",\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[" + dims + "],\"data_offsets\":[" +
              std::to_string(begin) + "," + std::to_string(data.size()) + "]}";
  }
  header += "}";
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>(header.size() >> (8 * i));
  return out + header + data;
}

Model load(const std::string& bytes) {
  return Model::load(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

TEST(Model, ReadsTheConfigAndVocabularies) {
  const Model m = load(file({}));
  const attn::ModelConfig& c = m.config();
  EXPECT_EQ(c.d_model, 4u);
  EXPECT_EQ(c.nhead, 2u);
  EXPECT_EQ(c.tgt_vocab[3], "\xE6\xB1\xA4\xE5\xA7\x86");  // 汤姆, from \u escapes
  EXPECT_EQ(m.encode({"Jerry", "chase", "Tom"}), (std::vector<std::size_t>{3, 2, 1}));
  EXPECT_EQ(m.decode({1, 4, 2}), (std::vector<std::string>{"<bos>", "b", "<eos>"}));
  const std::string unknown = refusal(
      [&] {
        m.encode({"Tom", "chases", "Jerry", "Odie"});
      },
      ErrorKind::range);
  EXPECT_NE(unknown.find("unknown words 'chases' (nearest: 'chase'), 'Odie' (nearest: "),
            std::string::npos)
      << unknown;
  // by edit distance over code points, ASCII case ignored; pad is never suggested
  EXPECT_EQ(m.nearest("chsae", 1), (std::vector<std::string>{"chase"}));
  EXPECT_EQ(m.nearest("TOM", 2), (std::vector<std::string>{"Tom", "chase"}));
  EXPECT_EQ(m.nearest("x", 10).size(), 3u);
}

// With every projection and feed-forward weight 0 (norms 1 and 0), each attention row is uniform
// over the keys it may see, and the logits are the generator's bias: known in closed form.
TEST(Model, ZeroWeightsGiveUniformAttentionUnderTheMasks) {
  Model m = load(file({}));
  const attn::ModelForward f = m.forward({1, 0, 2, 3, 0}, {1, 3, 4}, true);  // pads at 1 and 4
  ASSERT_EQ(f.encoder.size(), 1u);
  const attn::Tensor& enc = f.encoder[0];  // [H, S, S]
  ASSERT_EQ(enc.shape(), (attn::Tensor::shape_type{2, 5, 5}));
  for (std::size_t h = 0; h < 2; ++h)
    for (std::size_t i = 0; i < 5; ++i)
      for (std::size_t j = 0; j < 5; ++j)
        EXPECT_FLOAT_EQ(enc(h, i, j), j == 1 || j == 4 ? 0.0f : 1.0f / 3);
  const attn::Tensor& dec = f.decoder[0];  // [H, T, T], causal
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      EXPECT_FLOAT_EQ(dec(1, i, j), j > i ? 0.0f : 1.0f / static_cast<float>(i + 1));
  const attn::Tensor& cross = f.cross[0];  // [H, T, S]
  EXPECT_FLOAT_EQ(cross(0, 2, 1), 0.0f);
  EXPECT_FLOAT_EQ(cross(0, 2, 3), 1.0f / 3);
  for (std::size_t t = 0; t < 3; ++t)
    for (std::size_t v = 0; v < 5; ++v)
      EXPECT_FLOAT_EQ(f.logits(t, v), 0.1f * static_cast<float>(v % 3) + (v == 3 ? 1.0f : 0.0f));
  // the trace: x = embedding · √D + PE, which the first layer reads
  EXPECT_FLOAT_EQ(f.src_embedding(2, 1), std::sin(9.0f) * 2.0f);     // row 2 of src_embed is id 2
  EXPECT_FLOAT_EQ(f.src_input(0, 1), std::sin(5.0f) * 2.0f + 1.0f);  // PE[0, 1] = cos 0
  // greedy: the bias makes id 3 the most probable every time, until maxLength
  const attn::GreedyResult g = m.greedy({1, 2, 3}, 4);
  EXPECT_EQ(g.ids, (std::vector<std::size_t>{1, 3, 3, 3}));
  ASSERT_EQ(g.steps.size(), 3u);
  EXPECT_EQ(g.steps[0].top.size(), 5u);
  double sum = 0;
  for (float p : g.steps[0].probabilities) sum += p;
  EXPECT_NEAR(sum, 1.0, 1e-6);
  EXPECT_NEAR(g.steps[0].probabilities[0],
              std::exp(1.0) /
                  (std::exp(0.0) + std::exp(0.1) + std::exp(0.2) + std::exp(1.0) + std::exp(0.1)),
              1e-6);
}

// Random weights, the same for a name and index in every run: the file holds them in PyTorch's
// layout, the reference reads them back in the engine's "x W" layout.
float random_weight(const std::string& name, std::size_t i) {
  std::uint32_t h = 2166136261u;  // FNV-1a of the name, then the index
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  h = (h ^ static_cast<std::uint32_t>(i)) * 16777619u;
  h ^= h >> 13;
  h *= 0x5bd1e995u;
  h ^= h >> 15;
  const float u = static_cast<float>(h % 20001u) / 10000.0f - 1.0f;  // [-1, 1]
  return name.find("norm") != std::string::npos && name.find("weight") != std::string::npos
             ? 1.0f + 0.3f * u
             : u;
}

// rows [from, from + n) of the PyTorch matrix `name` [rows, cols], transposed: [cols, n]
attn::Tensor xw(const std::string& name, std::size_t cols, std::size_t from, std::size_t n) {
  attn::Tensor t = attn::Tensor::from_shape({cols, n});
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < cols; ++c) t(c, r) = random_weight(name, (from + r) * cols + c);
  return t;
}
attn::Tensor vec(const std::string& name, std::size_t from, std::size_t n) {
  attn::Tensor t = attn::Tensor::from_shape({n});
  for (std::size_t i = 0; i < n; ++i) t(i) = random_weight(name, from + i);
  return t;
}

attn::MultiHeadOptions attention_of(const std::string& p) {
  attn::MultiHeadOptions o;
  o.num_heads = 2;
  o.wq = xw(p + "in_proj_weight", 4, 0, 4);
  o.wk = xw(p + "in_proj_weight", 4, 4, 4);
  o.wv = xw(p + "in_proj_weight", 4, 8, 4);
  o.bq = vec(p + "in_proj_bias", 0, 4);
  o.bk = vec(p + "in_proj_bias", 4, 4);
  o.bv = vec(p + "in_proj_bias", 8, 4);
  o.wo = xw(p + "out_proj.weight", 4, 0, 4);
  o.bo = vec(p + "out_proj.bias", 0, 4);
  o.mask.fill = -INFINITY;
  return o;
}

// The float64 forward pass of the file of `spec` (attn/model.hpp's formula), from the references of
// tests/native/support.hpp: logits [T, Vt].
std::vector<double> reference_forward(const Spec& spec, bool norm_first,
                                      attn::Activation activation,
                                      const std::vector<std::size_t>& src,
                                      const std::vector<std::size_t>& tgt) {
  using namespace attn::test;
  const std::size_t D = 4, S = src.size(), T = tgt.size();
  auto embed = [&](const char* table, const std::vector<std::size_t>& ids) {
    std::vector<double> x(ids.size() * D);
    for (std::size_t p = 0; p < ids.size(); ++p)
      for (std::size_t c = 0; c < D; ++c) {
        const double angle = double(p) / std::pow(10000.0, double(c - c % 2) / double(D));
        x[p * D + c] = double(random_weight(table, ids[p] * D + c)) * 2.0 +
                       (c % 2 == 0 ? std::sin(angle) : std::cos(angle));
      }
    return x;
  };
  auto sum = [](const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = a[i] + b[i];
    return out;
  };
  auto norm = [&](const std::vector<double>& x, const std::string& p) {
    const attn::Tensor g = vec(p + ".weight", 0, D), b = vec(p + ".bias", 0, D);
    return reference_layer_norm(x, D, &g, &b, 1e-5);
  };
  auto feed = [&](const std::vector<double>& x, const std::string& p) {
    const attn::Tensor w1 = xw(p + "linear1.weight", D, 0, 3), b1 = vec(p + "linear1.bias", 0, 3),
                       w2 = xw(p + "linear2.weight", 3, 0, D), b2 = vec(p + "linear2.bias", 0, D);
    return reference_feed_forward(x, D, w1, &b1, w2, &b2, activation).output;
  };
  const KeepFn not_pad = [&](std::size_t, std::size_t, std::size_t j) { return src[j] != 0; };
  const KeepFn causal = [](std::size_t, std::size_t i, std::size_t j) { return j <= i; };
  std::vector<double> x = embed("src_embed.weight", src);
  for (std::size_t l = 0; l < spec.layers; ++l) {
    const std::string p = "transformer.encoder.layers." + std::to_string(l) + ".";
    const attn::MultiHeadOptions a = attention_of(p + "self_attn.");
    auto attend = [&](const std::vector<double>& in) {
      return reference_multi_head(in, in, in, 1, S, S, a, not_pad).output;
    };
    if (norm_first) {
      x = sum(x, attend(norm(x, p + "norm1")));
      x = sum(x, feed(norm(x, p + "norm2"), p));
    } else {
      x = norm(sum(x, attend(x)), p + "norm1");
      x = norm(sum(x, feed(x, p)), p + "norm2");
    }
  }
  const std::vector<double> memory = norm(x, "transformer.encoder.norm");
  std::vector<double> y = embed("tgt_embed.weight", tgt);
  for (std::size_t l = 0; l < spec.layers; ++l) {
    const std::string p = "transformer.decoder.layers." + std::to_string(l) + ".";
    const attn::MultiHeadOptions self = attention_of(p + "self_attn."),
                                 cross = attention_of(p + "multihead_attn.");
    auto attend = [&](const std::vector<double>& in) {
      return reference_multi_head(in, in, in, 1, T, T, self, causal).output;
    };
    auto remember = [&](const std::vector<double>& in) {
      return reference_multi_head(in, memory, memory, 1, T, S, cross, not_pad).output;
    };
    if (norm_first) {
      y = sum(y, attend(norm(y, p + "norm1")));
      y = sum(y, remember(norm(y, p + "norm2")));
      y = sum(y, feed(norm(y, p + "norm3"), p));
    } else {
      y = norm(sum(y, attend(y)), p + "norm1");
      y = norm(sum(y, remember(y)), p + "norm2");
      y = norm(sum(y, feed(y, p)), p + "norm3");
    }
  }
  const std::vector<double> out = norm(y, "transformer.decoder.norm");
  const attn::Tensor generator = xw("generator.weight", D, 0, 5),
                     bias = vec("generator.bias", 0, 5);
  return reference_linear(out.data(), T, D, generator, &bias);
}

TEST(Model, AgreesWithTheFloat64ReferenceForEveryPlacementAndActivation) {
  for (const bool norm_first : {false, true}) {
    for (const char* activation : {"relu", "gelu"}) {
      Spec spec;
      spec.layers = 2;
      spec.config = config_of(2, norm_first, activation);
      spec.fill = random_weight;
      Model m = load(file(spec));
      const std::vector<std::size_t> src = {1, 0, 3, 2, 0},
                                     tgt = {1, 4, 3, 3};  // pads inside and at the end
      const attn::ModelForward f = m.forward({1, 0, 3, 2, 0}, {1, 4, 3, 3});
      const std::vector<double> want =
          reference_forward(spec, norm_first, attn::parse_activation(activation), src, tgt);
      EXPECT_TRUE(attn::test::tensor_near(f.logits, want, 1e-5, 1e-5))
          << "norm_first " << norm_first << ", " << activation;
    }
  }
}

TEST(Model, RefusesMalformedFilesNamingWhatIsWrong) {
  const std::string good = file({});
  auto expect = [](const std::string& bytes, ErrorKind kind, const std::string& part) {
    const std::string m = refusal([&] { load(bytes); }, kind);
    EXPECT_NE(m.find(part), std::string::npos) << m;
  };
  expect(good.substr(0, 7), ErrorKind::range, "7 bytes, too short");
  expect(good.substr(0, 40), ErrorKind::range, "runs past the end of the file");
  expect(good.substr(0, good.size() - 1), ErrorKind::range, "run past the data");
  Spec bad_config;
  bad_config.config = R"({"d_model":4,"nhead":3})";
  expect(file(bad_config), ErrorKind::range, "nhead = 3 does not divide d_model = 4");
  Spec missing;
  missing.skip = "transformer.decoder.layers.0.multihead_attn.in_proj_bias";
  expect(file(missing), ErrorKind::type,
         "'transformer.decoder.layers.0.multihead_attn.in_proj_bias' is missing");
  Spec nan;
  nan.fill = [](const std::string& name, std::size_t) {
    return name == "generator.bias" ? std::nanf("") : 0.0f;
  };
  expect(file(nan), ErrorKind::range, "generator.bias: element [0] is NaN");
}

TEST(Model, RefusesIdsOutsideTheVocabularies) {
  Model m = load(file({}));
  auto expect = [&](const std::vector<double>& src, const std::vector<double>& tgt,
                    const std::string& part) {
    const std::string message = refusal([&] { m.forward(src, tgt); }, ErrorKind::range);
    EXPECT_NE(message.find(part), std::string::npos) << message;
  };
  expect({1, 4}, {1}, "srcIds[1] = 4 is not an id of the source vocabulary (integers from 0 to 3)");
  expect({1}, {1, -1}, "tgtIds[1] = -1");
  expect({1}, {0.5}, "tgtIds[0] = 0.5 is not an id");
  expect({0, 0}, {1}, "every token is pad");
  expect({}, {1}, "srcIds: empty");
  expect(std::vector<double>(attn::kMaxModelLength + 1, 1.0), {1}, "over the engine's limit");
  // and the model still works
  EXPECT_EQ(m.forward({1}, {1}).logits.shape(), (attn::Tensor::shape_type{1, 5}));
}

}  // namespace
