// Error paths of every public function: attn::Error of the right kind (type: missing or unknown;
// range: shapes, non-finite values, out-of-range numbers, sizes) whose message names the argument.
#include <cfloat>
#include <functional>

#include "support.hpp"

namespace attn {
namespace {

using test::random_tensor;
using test::scalar_length;
using test::throws_range;
using test::throws_type;

// Valid inputs for every entry point; each test breaks one thing.
struct Inputs {
  Tensor q3 = random_tensor({2, 3, 4}, 1), k3 = random_tensor({2, 5, 4}, 2),
         v3 = random_tensor({2, 5, 6}, 3);
  Tensor q2 = random_tensor({3, 4}, 4), k2 = random_tensor({5, 4}, 5),
         v2 = random_tensor({5, 6}, 6);
  MultiHeadOptions mha() const {
    MultiHeadOptions o;
    o.num_heads = 2;
    o.wq = random_tensor({4, 8}, 7);
    o.wk = random_tensor({4, 8}, 8);
    o.wv = random_tensor({6, 8}, 9);
    o.wo = random_tensor({8, 3}, 10);
    return o;
  }
  MultiHeadOptions mha_biased() const {
    MultiHeadOptions o = mha();
    o.bq = random_tensor({8}, 15);
    o.bk = random_tensor({8}, 16);
    o.bv = random_tensor({8}, 17);
    o.bo = random_tensor({3}, 18);
    return o;
  }
  // x3 [2, 3, 4] through a block of D = 4, 2 heads, F = 6, every parameter given
  Tensor x3 = random_tensor({2, 3, 4}, 19);
  TransformerBlockOptions block() const {
    TransformerBlockOptions o;
    o.num_heads = 2;
    o.wq = random_tensor({4, 4}, 20);
    o.wk = random_tensor({4, 4}, 21);
    o.wv = random_tensor({4, 4}, 22);
    o.wo = random_tensor({4, 4}, 23);
    o.bq = random_tensor({4}, 24);
    o.bk = random_tensor({4}, 25);
    o.bv = random_tensor({4}, 26);
    o.bo = random_tensor({4}, 27);
    o.w1 = random_tensor({4, 6}, 28);
    o.b1 = random_tensor({6}, 29);
    o.w2 = random_tensor({6, 4}, 30);
    o.b2 = random_tensor({4}, 31);
    o.gamma1 = random_tensor({4}, 32);
    o.beta1 = random_tensor({4}, 33);
    o.gamma2 = random_tensor({4}, 34);
    o.beta2 = random_tensor({4}, 35);
    return o;
  }
  FeedForwardOptions ff() const {
    FeedForwardOptions o;
    o.w1 = random_tensor({4, 6}, 36);
    o.b1 = random_tensor({6}, 37);
    o.w2 = random_tensor({6, 5}, 38);
    o.b2 = random_tensor({5}, 39);
    return o;
  }
  ScoreOptions additive() const {
    ScoreOptions o;
    o.scoring = Scoring::additive;
    o.wq = random_tensor({4, 3}, 11);
    o.wk = random_tensor({4, 3}, 12);
    o.v = random_tensor({3}, 13);
    return o;
  }
  ScoreOptions bilinear() const {
    ScoreOptions o;
    o.scoring = Scoring::bilinear;
    o.w = random_tensor({4, 4}, 14);
    return o;
  }
};

// The parameter of a block called `name`.
std::optional<Tensor>& block_parameter(TransformerBlockOptions& o, const std::string& name) {
  std::optional<Tensor>* all[] = {&o.wq,     &o.wk,    &o.wv,     &o.wo,   &o.bq, &o.bk,
                                  &o.bv,     &o.bo,    &o.w1,     &o.b1,   &o.w2, &o.b2,
                                  &o.gamma1, &o.beta1, &o.gamma2, &o.beta2};
  const char* names[] = {"wq", "wk", "wv", "wo", "bq",     "bk",    "bv",     "bo",
                         "w1", "b1", "w2", "b2", "gamma1", "beta1", "gamma2", "beta2"};
  for (std::size_t i = 0; i < std::size(names); ++i) {
    if (name == names[i]) return *all[i];
  }
  throw std::logic_error("no block parameter " + name);
}

// One argument of one entry point: `call` runs it with that argument's element `at` set to `bad`.
struct Poison {
  const char* what;  // for the failure message
  const char* name;  // what the error message must mention
  std::function<void(float bad)> call;
};

std::vector<Poison> poisonings() {
  const Inputs in;
  auto set = [](Tensor t, float bad) {
    t.data()[t.size() - 1] = bad;  // the last element, so every earlier one has been checked
    return t;
  };
  std::vector<Poison> p = {
      {"softmax x", "x", [=](float b) { softmax(set(in.q3, b)); }},
      {"masked_softmax x", "x",
       [=](float b) {
         masked_softmax(set(in.q3, b), Lengths{1, 2});
       }},
      {"score queries", "queries", [=](float b) { score(set(in.q3, b), in.k3); }},
      {"score keys", "keys", [=](float b) { score(in.q3, set(in.k3, b)); }},
      {"attention queries", "queries", [=](float b) { attention(set(in.q3, b), in.k3, in.v3); }},
      {"attention keys", "keys", [=](float b) { attention(in.q3, set(in.k3, b), in.v3); }},
      {"attention values", "values", [=](float b) { attention(in.q3, in.k3, set(in.v3, b)); }},
      {"self_attention x", "x",
       [=](float b) { self_attention(set(in.q2, b), *in.mha().wq, *in.mha().wk, *in.mha().wq); }},
      {"self_attention wq", "wq",
       [=](float b) { self_attention(in.q2, set(*in.mha().wq, b), *in.mha().wk, *in.mha().wq); }},
      {"self_attention wk", "wk",
       [=](float b) { self_attention(in.q2, *in.mha().wq, set(*in.mha().wk, b), *in.mha().wq); }},
      {"self_attention wv", "wv",
       [=](float b) { self_attention(in.q2, *in.mha().wq, *in.mha().wk, set(*in.mha().wq, b)); }},
      {"mha queries", "queries",
       [=](float b) { multi_head_attention(set(in.q3, b), in.k3, in.v3, in.mha()); }},
      {"mha keys", "keys",
       [=](float b) { multi_head_attention(in.q3, set(in.k3, b), in.v3, in.mha()); }},
      {"mha values", "values",
       [=](float b) { multi_head_attention(in.q3, in.k3, set(in.v3, b), in.mha()); }},
  };
  for (const char* w : {"wq", "wk", "wv", "wo"}) {
    p.push_back({"mha weight", w, [=](float b) {
                   MultiHeadOptions o = in.mha();
                   const std::string n = w;
                   auto& t = n == "wq" ? o.wq : n == "wk" ? o.wk : n == "wv" ? o.wv : o.wo;
                   t = set(*t, b);
                   multi_head_attention(in.q3, in.k3, in.v3, o);
                 }});
  }
  for (const char* w : {"wq", "wk", "v"}) {
    p.push_back({"additive weight", w, [=](float b) {
                   ScoreOptions o = in.additive();
                   const std::string n = w;
                   auto& t = n == "wq" ? o.wq : n == "wk" ? o.wk : o.v;
                   t = set(*t, b);
                   score(in.q3, in.k3, o);
                 }});
    p.push_back({"additive weight in attention", w, [=](float b) {
                   AttentionOptions o;
                   o.score = in.additive();
                   const std::string n = w;
                   auto& t = n == "wq" ? o.score.wq : n == "wk" ? o.score.wk : o.score.v;
                   t = set(*t, b);
                   attention(in.q3, in.k3, in.v3, o);
                 }});
  }
  p.push_back({"bilinear w", "w", [=](float b) {
                 ScoreOptions o = in.bilinear();
                 o.w = set(*o.w, b);
                 score(in.q3, in.k3, o);
               }});
  // the transformer-block ops, every tensor argument
  for (const char* w : {"bq", "bk", "bv", "bo"}) {
    p.push_back({"mha bias", w, [=](float b) {
                   MultiHeadOptions o = in.mha_biased();
                   const std::string n = w;
                   auto& t = n == "bq" ? o.bq : n == "bk" ? o.bk : n == "bv" ? o.bv : o.bo;
                   t = set(*t, b);
                   multi_head_attention(in.q3, in.k3, in.v3, o);
                 }});
  }
  p.push_back({"layer_norm x", "x", [=](float b) { layer_norm(set(in.x3, b)); }});
  for (const char* w : {"gamma", "beta"}) {
    p.push_back({"layer_norm parameter", w, [=](float b) {
                   LayerNormOptions o;
                   o.gamma = random_tensor({4}, 60);
                   o.beta = random_tensor({4}, 61);
                   (std::string(w) == "gamma" ? o.gamma : o.beta) = set(random_tensor({4}, 62), b);
                   layer_norm(in.x3, o);
                 }});
  }
  p.push_back({"linear x", "x", [=](float b) {
                 linear(set(in.x3, b), random_tensor({4, 2}, 63));
               }});
  p.push_back({"linear w", "w", [=](float b) {
                 linear(in.x3, set(random_tensor({4, 2}, 63), b));
               }});
  p.push_back({"linear bias", "bias", [=](float b) {
                 linear(in.x3, random_tensor({4, 2}, 63), set(random_tensor({2}, 64), b));
               }});
  p.push_back({"feed_forward x", "x", [=](float b) { feed_forward(set(in.x3, b), in.ff()); }});
  for (const char* w : {"w1", "b1", "w2", "b2"}) {
    p.push_back({"feed_forward weight", w, [=](float b) {
                   FeedForwardOptions o = in.ff();
                   const std::string n = w;
                   auto& t = n == "w1" ? o.w1 : n == "b1" ? o.b1 : n == "w2" ? o.w2 : o.b2;
                   t = set(*t, b);
                   feed_forward(in.x3, o);
                 }});
  }
  p.push_back(
      {"transformer_block x", "x", [=](float b) { transformer_block(set(in.x3, b), in.block()); }});
  for (const char* w : {"wq", "wk", "wv", "wo", "bq", "bk", "bv", "bo", "w1", "b1", "w2", "b2",
                        "gamma1", "beta1", "gamma2", "beta2"}) {
    p.push_back({"transformer_block parameter", w, [=](float b) {
                   TransformerBlockOptions o = in.block();
                   auto& t = block_parameter(o, w);
                   t = set(*t, b);
                   transformer_block(in.x3, o);
                 }});
  }
  return p;
}

TEST(Errors, NonFiniteInputsAreRangeErrorsNamingTheArgument) {
  for (const Poison& p : poisonings()) {
    EXPECT_NO_THROW(p.call(0.5f)) << p.what << ": the valid inputs must pass";
    for (float bad : {NAN, INFINITY, -INFINITY}) {
      EXPECT_TRUE(throws_range(std::string(p.name) + ":", [&] { p.call(bad); }))
          << p.what << " with " << bad;
    }
  }
}

TEST(Errors, NonFiniteMessageGivesTheIndexAndWhatItIs) {
  Tensor q = random_tensor({2, 3}, 20);
  q(1, 2) = NAN;
  EXPECT_TRUE(throws_range("queries: element [1, 2] is NaN", [&] { score(q, q); }));
  q(1, 2) = -INFINITY;
  EXPECT_TRUE(throws_range("element [1, 2] is -Infinity", [&] { score(q, q); }));
  q(1, 2) = 0;
  q(0, 1) = INFINITY;
  EXPECT_TRUE(throws_range("element [0, 1] is Infinity", [&] { check_finite(q, "queries"); }));
}

TEST(Errors, WrongRanksAreRangeErrors) {
  const Inputs in;
  const Tensor r1 = random_tensor({4}, 21), r4 = random_tensor({1, 2, 3, 4}, 22);
  EXPECT_TRUE(throws_range("x", [] { softmax(Tensor(3.0f)); }));
  for (const Tensor& bad : {r1, r4}) {
    EXPECT_TRUE(throws_range("x", [&] { masked_softmax(bad, std::nullopt); }));
    EXPECT_TRUE(throws_range("queries", [&] { score(bad, in.k3); }));
    EXPECT_TRUE(throws_range("keys", [&] { score(in.q3, bad); }));
    EXPECT_TRUE(throws_range("queries", [&] { attention(bad, in.k3, in.v3); }));
    EXPECT_TRUE(throws_range("keys", [&] { attention(in.q3, bad, in.v3); }));
    EXPECT_TRUE(throws_range("values", [&] { attention(in.q3, in.k3, bad); }));
    EXPECT_TRUE(
        throws_range("x", [&] { self_attention(bad, *in.mha().wq, *in.mha().wk, *in.mha().wq); }));
    EXPECT_TRUE(
        throws_range("queries", [&] { multi_head_attention(bad, in.k3, in.v3, in.mha()); }));
    EXPECT_TRUE(throws_range("keys", [&] { multi_head_attention(in.q3, bad, in.v3, in.mha()); }));
    EXPECT_TRUE(throws_range("values", [&] { multi_head_attention(in.q3, in.k3, bad, in.mha()); }));
  }
}

TEST(Errors, RanksThatDifferBetweenQueriesKeysAndValues) {
  const Inputs in;
  EXPECT_TRUE(throws_range("rank", [&] { score(in.q2, in.k3); }));
  EXPECT_TRUE(throws_range("rank", [&] { score(in.q3, in.k2); }));
  EXPECT_TRUE(throws_range("queries, keys, values", [&] { attention(in.q2, in.k3, in.v3); }));
  EXPECT_TRUE(throws_range("queries, keys, values", [&] { attention(in.q3, in.k3, in.v2); }));
  EXPECT_TRUE(throws_range("queries, keys, values",
                           [&] { multi_head_attention(in.q3, in.k2, in.v3, in.mha()); }));
  EXPECT_TRUE(throws_range("queries, keys, values",
                           [&] { multi_head_attention(in.q3, in.k3, in.v2, in.mha()); }));
}

TEST(Errors, ZeroSizedDimensionsAreRangeErrors) {
  const Inputs in;
  EXPECT_TRUE(throws_range("x", [] { softmax(Tensor::from_shape({2, 0})); }));
  EXPECT_TRUE(throws_range("x", [] { softmax(Tensor::from_shape({0, 3, 2})); }));
  EXPECT_TRUE(throws_range("x", [] {
    masked_softmax(Tensor::from_shape({2, 0, 3}), std::nullopt);
  }));
  for (const Tensor::shape_type& s :
       {Tensor::shape_type{0, 4}, Tensor::shape_type{2, 0, 4}, Tensor::shape_type{2, 3, 0}}) {
    const Tensor z = Tensor::from_shape(s);
    EXPECT_TRUE(throws_range("queries", [&] { score(z, s.size() == 3 ? in.k3 : in.k2); }));
    EXPECT_TRUE(throws_range("keys", [&] { score(s.size() == 3 ? in.q3 : in.q2, z); }));
    EXPECT_TRUE(throws_range("queries", [&] { attention(z, in.k3, in.v3); }));
    EXPECT_TRUE(throws_range("values", [&] { attention(in.q3, in.k3, z); }));
    EXPECT_TRUE(throws_range("keys", [&] { multi_head_attention(in.q3, z, in.v3, in.mha()); }));
    EXPECT_TRUE(
        throws_range("x", [&] { self_attention(z, *in.mha().wq, *in.mha().wk, *in.mha().wq); }));
  }
  // zero-sized weights
  ScoreOptions b;
  b.scoring = Scoring::bilinear;
  b.w = Tensor::from_shape({4, 0});
  EXPECT_TRUE(throws_range("w", [&] { score(in.q2, in.k2, b); }));
  MultiHeadOptions o = in.mha();
  o.wq = Tensor::from_shape({4, 0});
  EXPECT_TRUE(throws_range("wq", [&] { multi_head_attention(in.q3, in.k3, in.v3, o); }));
}

TEST(Errors, ShapeMismatches) {
  const Inputs in;
  // values need one row per key
  EXPECT_TRUE(throws_range("values", [&] {
    attention(in.q3, in.k3, random_tensor({2, 4, 6}, 30));
  }));
  EXPECT_TRUE(throws_range("values", [&] { attention(in.q2, in.k2, random_tensor({6, 6}, 31)); }));
  EXPECT_TRUE(throws_range("values", [&] {
    multi_head_attention(in.q3, in.k3, random_tensor({2, 4, 6}, 32), in.mha());
  }));
  // batch sizes
  EXPECT_TRUE(throws_range("batch", [&] { score(random_tensor({3, 3, 4}, 33), in.k3); }));
  EXPECT_TRUE(throws_range("keys", [&] {
    attention(random_tensor({3, 3, 4}, 33), in.k3, random_tensor({2, 5, 6}, 3));
  }));
  EXPECT_TRUE(throws_range("values", [&] {
    attention(in.q3, in.k3, random_tensor({3, 5, 6}, 34));
  }));
  EXPECT_TRUE(throws_range("queries", [&] {
    multi_head_attention(random_tensor({3, 3, 4}, 33), in.k3, in.v3, in.mha());
  }));
  // dq != dk for the dot products
  for (Scoring s : {Scoring::dot, Scoring::scaled_dot}) {
    ScoreOptions o;
    o.scoring = s;
    EXPECT_TRUE(throws_range("dq = 4 and dk = 3", [&] {
      score(in.q2, random_tensor({5, 3}, 35), o);
    }));
    AttentionOptions a;
    a.score = o;
    EXPECT_TRUE(throws_range("keys", [&] {
      attention(in.q2, random_tensor({5, 3}, 35), in.v2, a);
    }));
  }
  // multi-head weights that do not fit the inputs
  MultiHeadOptions o = in.mha();
  o.wk = random_tensor({4, 6}, 36);  // D differs from wq's 8
  EXPECT_TRUE(throws_range("wk", [&] { multi_head_attention(in.q3, in.k3, in.v3, o); }));
  o = in.mha();
  o.wv = random_tensor({4, 8}, 37);  // rows must be dv = 6
  EXPECT_TRUE(throws_range("wv", [&] { multi_head_attention(in.q3, in.k3, in.v3, o); }));
  o = in.mha();
  o.wo = random_tensor({6, 3}, 38);  // rows must be D = 8
  EXPECT_TRUE(throws_range("wo", [&] { multi_head_attention(in.q3, in.k3, in.v3, o); }));
}

TEST(Errors, MissingScoringParametersInAttention) {
  const Inputs in;
  AttentionOptions o;
  o.score.scoring = Scoring::additive;
  EXPECT_TRUE(throws_type("wq", [&] { attention(in.q3, in.k3, in.v3, o); }));
  o.score.scoring = Scoring::bilinear;
  EXPECT_TRUE(throws_type("w", [&] { attention(in.q3, in.k3, in.v3, o); }));
  MultiHeadOptions m;  // no weights at all
  EXPECT_TRUE(throws_type("wq", [&] { multi_head_attention(in.q3, in.k3, in.v3, m); }));
}

TEST(Errors, TemperatureMustBeFiniteAndPositive) {
  const Inputs in;
  for (double t : {0.0, -0.0, -1.0, double(NAN), double(INFINITY), -double(INFINITY)}) {
    EXPECT_TRUE(throws_range("temperature: must be", [&] { softmax(in.q2, t); })) << t;
    AttentionOptions a;
    a.temperature = t;
    EXPECT_TRUE(throws_range("temperature: must be", [&] { attention(in.q3, in.k3, in.v3, a); }))
        << t;
    EXPECT_TRUE(throws_range("temperature", [&] {
      self_attention(in.q2, *in.mha().wq, *in.mha().wk, *in.mha().wq, a);
    })) << t;
    MultiHeadOptions m = in.mha();
    m.temperature = t;
    EXPECT_TRUE(throws_range("temperature", [&] { multi_head_attention(in.q3, in.k3, in.v3, m); }))
        << t;
  }
}

TEST(Errors, FillMustNotBeNaNOrPlusInfinity) {
  const Inputs in;
  for (float f : {NAN, INFINITY}) {
    EXPECT_TRUE(throws_range("fill", [&] { masked_softmax(in.q3, Lengths{1, 2}, f); }));
    EXPECT_TRUE(throws_range("fill", [&] { masked_softmax(in.q3, std::nullopt, f); }));
    AttentionOptions a;
    a.mask.fill = f;
    EXPECT_TRUE(throws_range("fill", [&] { attention(in.q3, in.k3, in.v3, a); }));
    MultiHeadOptions m = in.mha();
    m.mask.fill = f;
    EXPECT_TRUE(throws_range("fill", [&] { multi_head_attention(in.q3, in.k3, in.v3, m); }));
  }
  EXPECT_NO_THROW(masked_softmax(in.q3, Lengths{1, 2}, -INFINITY));
  EXPECT_NO_THROW(masked_softmax(in.q3, Lengths{1, 2}, 1e30f));
}

TEST(Errors, MaskEntriesMustBe0Or1AndFitTheScores) {
  const Inputs in;  // scores [2, 3, 5]
  for (float bad : {0.5f, 2.0f, -1.0f, NAN, INFINITY}) {
    Tensor m = Tensor::from_shape({3, 5});
    m.fill(1.0f);
    m(2, 4) = bad;
    AttentionOptions a;
    a.mask.mask = m;
    EXPECT_TRUE(throws_range("mask", [&] { attention(in.q3, in.k3, in.v3, a); })) << bad;
    MultiHeadOptions o = in.mha();
    o.mask.mask = m;
    EXPECT_TRUE(throws_range("mask", [&] { multi_head_attention(in.q3, in.k3, in.v3, o); })) << bad;
  }
  for (const Tensor::shape_type& s :
       {Tensor::shape_type{3, 4}, Tensor::shape_type{5, 3}, Tensor::shape_type{3, 5, 1},
        Tensor::shape_type{3, 3, 5}, Tensor::shape_type{15}, Tensor::shape_type{1, 2, 3, 5}}) {
    Tensor m = Tensor::from_shape(s);
    m.fill(1.0f);
    AttentionOptions a;
    a.mask.mask = m;
    EXPECT_TRUE(throws_range("mask", [&] { attention(in.q3, in.k3, in.v3, a); }))
        << shape_string(s);
  }
  // a per-batch mask needs batched inputs
  Tensor m3 = Tensor::from_shape({1, 3, 5});
  m3.fill(1.0f);
  AttentionOptions a;
  a.mask.mask = m3;
  EXPECT_TRUE(throws_range("mask", [&] { attention(in.q2, in.k2, in.v2, a); }));
}

TEST(Errors, ValidLensInAttentionAndMultiHead) {
  const Inputs in;  // scores [2, 3, 5]
  AttentionOptions a;
  for (const Lengths& bad : {Lengths{1, 6}, Lengths{2.5, 1}, Lengths{{1, 2, 3}, {1, 2, -1}},
                             Lengths{1, 2, 3}, scalar_length(NAN)}) {
    a.mask.valid_lens = bad;
    EXPECT_TRUE(throws_range("validLens", [&] { attention(in.q3, in.k3, in.v3, a); }));
    MultiHeadOptions m = in.mha();
    m.mask.valid_lens = bad;
    EXPECT_TRUE(throws_range("validLens", [&] { multi_head_attention(in.q3, in.k3, in.v3, m); }));
  }
  a.mask.valid_lens = Lengths{{1, 2, 3}};  // [B, Q] for unbatched inputs
  EXPECT_TRUE(throws_range("validLens", [&] { attention(in.q2, in.k2, in.v2, a); }));
}

TEST(Errors, SizesOverTheLimitAreRefusedBeforeAllocating) {
  const std::string limit = std::to_string(kMaxElements);
  // scores [1, 4097, 4097] = 16785409 > 2^24 from inputs of 4097 floats each
  const Tensor q = random_tensor({1, 4097, 1}, 40), v = random_tensor({1, 4097, 1}, 41);
  EXPECT_TRUE(throws_range(limit, [&] { score(q, q); }));
  EXPECT_TRUE(throws_range("scores", [&] { attention(q, q, v); }));
  EXPECT_TRUE(throws_range("16785409", [&] { attention(q, q, v); }));
  // additive projection [Q, hidden] and bilinear q W [Q, dk]
  const Tensor tall = random_tensor({5000, 1}, 42), one = random_tensor({1, 1}, 43);
  ScoreOptions add;
  add.scoring = Scoring::additive;
  add.wq = random_tensor({1, 4000}, 44);
  add.wk = random_tensor({1, 4000}, 45);
  add.v = random_tensor({4000}, 46);
  EXPECT_TRUE(throws_range("wq projection", [&] { score(tall, one, add); }));
  ScoreOptions bil;
  bil.scoring = Scoring::bilinear;
  bil.w = random_tensor({1, 4000}, 47);
  EXPECT_TRUE(throws_range("bilinear", [&] { score(tall, random_tensor({1, 4000}, 48), bil); }));
  // output [B, Q, dv]
  EXPECT_TRUE(throws_range("output", [&] {
    attention(random_tensor({1, 5000, 1}, 49), random_tensor({1, 1, 1}, 50),
              random_tensor({1, 1, 4000}, 51));
  }));
  // self-attention projection [T, dv]
  EXPECT_TRUE(throws_range(limit, [&] {
    self_attention(tall, one, one, random_tensor({1, 4000}, 52));
  }));
  // multi-head weights [H, Q, K] = 4 × 2049 × 2049
  MultiHeadOptions m;
  m.num_heads = 4;
  m.wq = m.wk = m.wv = m.wo = random_tensor({4, 4}, 53);
  const Tensor x = random_tensor({2049, 4}, 54);
  EXPECT_TRUE(throws_range("weights", [&] { multi_head_attention(x, x, x, m); }));
}

TEST(Errors, SizeHelpers) {
  EXPECT_EQ(checked_product({2, 3, 4}), 24u);
  EXPECT_EQ(checked_product({}), 1u);
  EXPECT_EQ(checked_product({std::size_t{1} << 12, std::size_t{1} << 12}), kMaxElements);
  // 2^70 and SIZE_MAX² saturate at SIZE_MAX instead of wrapping to something small
  EXPECT_EQ(checked_product({std::size_t{1} << 20, std::size_t{1} << 20, std::size_t{1} << 30}),
            SIZE_MAX);
  EXPECT_EQ(checked_product({SIZE_MAX, SIZE_MAX}), SIZE_MAX);
  // 2^(bits/2) squared is 2^bits, which a plain product wraps to 0 (bits = 64 natively, 32 in WASM)
  const std::size_t half = std::size_t{1} << (4 * sizeof(std::size_t));
  EXPECT_EQ(checked_product({half, half}), SIZE_MAX);
  EXPECT_EQ(checked_product({0, SIZE_MAX}), 0u);
  EXPECT_EQ(checked_product({SIZE_MAX, 0}), 0u)
      << "a zero dimension makes the product 0 in any order";
  EXPECT_NO_THROW(check_size(kMaxElements, "t"));
  EXPECT_TRUE(throws_range("t: 16777217 elements, over the limit of 16777216",
                           [] { check_size(kMaxElements + 1, "t"); }));
  EXPECT_TRUE(
      throws_range("t: more elements than size_t holds", [] { check_size(SIZE_MAX, "t"); }));
  EXPECT_EQ(shape_string({2, 3, 4}), "[2, 3, 4]");
  EXPECT_EQ(shape_string({}), "[]");
}

TEST(Errors, OverflowOnFiniteInputsIsARangeErrorNotNaN) {
  const Tensor big{{1e30f, 1e30f}, {1e30f, -1e30f}}, v{{1, 2}, {3, 4}};
  // scores 2e60 do not fit float32
  EXPECT_TRUE(throws_range("scores", [&] { attention(big, big, v); }));
  EXPECT_TRUE(throws_range("overflowed", [&] { attention(big, big, v); }));
  EXPECT_TRUE(throws_range("scores", [&] { score(big, big); }));
  // finite scores, but / temperature overflows the logits
  const Tensor q{{1e19f, 1e19f}};
  AttentionOptions o;
  o.score.scoring = Scoring::dot;  // scores 2e38
  EXPECT_NO_THROW(attention(q, q, Tensor{{1, 2}}, o));
  o.temperature = 1e-3;
  EXPECT_TRUE(throws_range("logits", [&] { attention(q, q, Tensor{{1, 2}}, o); }));
  // ... also towards -inf: scores [-1e37, -2e37] / 0.01 would be a row of -inf (zero weights, zero
  // output) where the true weights are [1, 0]
  const Tensor k = test::T2({{-1e37f}, {-2e37f}}), one = test::T2({{1}}),
               v12 = test::T2({{1}, {2}});
  o.temperature = 1.0;
  EXPECT_NO_THROW(attention(one, k, v12, o));
  o.temperature = 1e-2;
  EXPECT_TRUE(throws_range("logits", [&] { attention(one, k, v12, o); }));
  // self-attention: the projections X W overflow
  const Tensor w{{1e30f, 0}, {0, 1e30f}};
  EXPECT_TRUE(throws_range("overflow", [&] { self_attention(Tensor(v * 1e10f), w, w, w); }));
  // multi-head: the projections q W_Q, k W_K overflow
  MultiHeadOptions m;
  m.num_heads = 1;
  m.wq = m.wk = m.wv = m.wo = Tensor{{1e30f, 1e30f}, {1e30f, 1e30f}};
  const Tensor v10 = v * 1e10f;
  EXPECT_TRUE(throws_range("overflowed", [&] { multi_head_attention(v10, v10, v, m); }));
  // multi-head: small scores, but values W_V overflows (inf, then inf - inf = NaN through W_O)
  m.wq = m.wk = Tensor{{1, 0}, {0, 1}};
  m.wv = Tensor{{1e30f, -1e30f}, {1e30f, 1e30f}};
  m.wo = Tensor{{1, 1}, {-1, 1}};
  EXPECT_NO_THROW(multi_head_attention(v, v, v, m));
  EXPECT_TRUE(throws_range("overflowed", [&] { multi_head_attention(v, v, v10, m); }));
  // Regression: attention() did not check its output. Weights of 1/K round up (26 * float(1/26) >
  // 1 in both kernels' arithmetic), which carries a weighted sum of values at FLT_MAX to +inf.
  const Tensor zeros_q = xt::zeros<float>({1, 1});
  auto at_max = [](std::size_t keys, float sign) {
    Tensor v = Tensor::from_shape({keys, 1});
    v.fill(sign * FLT_MAX);
    return v;
  };
  const Tensor zeros_k26 = xt::zeros<float>({26, 1});
  EXPECT_TRUE(throws_range("output: entry 0 (flat) overflowed",
                           [&] { attention(zeros_q, zeros_k26, at_max(26, 1)); }));
  EXPECT_TRUE(throws_range("output", [&] { attention(zeros_q, zeros_k26, at_max(26, -1)); }));
  // for any K: FLT_MAX or a RangeError, never inf
  for (std::size_t keys = 1; keys <= 64; ++keys) {
    try {
      const float out =
          attention(zeros_q, xt::zeros<float>({keys, std::size_t{1}}), at_max(keys, 1))
              .output(0, 0);
      EXPECT_TRUE(std::isfinite(out)) << keys << " keys";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("output"), std::string::npos) << e.what();
    }
  }
  // one key: weight exactly 1, so FLT_MAX comes through unchanged
  EXPECT_EQ(attention(zeros_q, xt::zeros<float>({1, 1}), test::T2({{FLT_MAX}})).output(0, 0),
            FLT_MAX);
  // Regression (found by the property tests): additive scoring hid an overflow of its projections.
  // q W_q = 3e38 + 3e38 - 3e38 - 3e38 - 1 = -1, but float32 lanes summing in order reach +inf on the
  // way, and tanh(+inf) = 1 made a finite, wrong score. Now: the right score or a RangeError.
  ScoreOptions add;
  add.scoring = Scoring::additive;
  add.wq = test::T2({{1}, {1}, {1}, {1}, {1}});
  add.wk = test::T2({{1}});
  add.v = Tensor{1.0f};
  const Tensor q_sum = test::T2({{3e38f, 3e38f, -3e38f, -3e38f, -1}});
  try {
    const Tensor s = score(q_sum, test::T2({{0}}), add);
    EXPECT_NEAR(s(0, 0), std::tanh(-1.0), 1e-6);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("additive q W_q: entry 0 (flat) overflowed"),
              std::string::npos)
        << e.what();
  }
  // and the output projection concat W_O on its own
  m.wv = Tensor{{1, 0}, {0, 1}};
  m.wo = Tensor{{3e38f, 3e38f}, {3e38f, -3e38f}};
  EXPECT_TRUE(throws_range("overflowed", [&] { multi_head_attention(v, v, v, m); }));
}

// --- the transformer-block ops --------------------------------------------------------------------

TEST(Errors, MultiHeadBiasesOfTheWrongShapeAreRangeErrors) {
  const Inputs in;
  EXPECT_NO_THROW(multi_head_attention(in.q3, in.k3, in.v3, in.mha_biased()));
  for (const char* name : {"bq", "bk", "bv", "bo"}) {
    MultiHeadOptions o = in.mha_biased();
    const std::string n = name;
    auto& t = n == "bq" ? o.bq : n == "bk" ? o.bk : n == "bv" ? o.bv : o.bo;
    t = random_tensor({t->size() + 1}, 70);  // one too many
    EXPECT_TRUE(throws_range(name, [&] { multi_head_attention(in.q3, in.k3, in.v3, o); }));
    t = random_tensor({1, t->size() - 1}, 71);  // a matrix
    EXPECT_TRUE(throws_range(name, [&] { multi_head_attention(in.q3, in.k3, in.v3, o); }));
  }
}

TEST(Errors, LayerNormArguments) {
  const Inputs in;
  EXPECT_NO_THROW(layer_norm(in.x3));
  EXPECT_TRUE(throws_range("x", [&] { layer_norm(Tensor(1.0f)); }));  // a scalar
  EXPECT_TRUE(throws_range("x", [&] { layer_norm(Tensor::from_shape({2, 0})); }));
  LayerNormOptions o;
  o.gamma = random_tensor({5}, 72);  // D = 4
  EXPECT_TRUE(throws_range("gamma: expected shape [4], got [5]", [&] { layer_norm(in.x3, o); }));
  o.gamma.reset();
  o.beta = random_tensor({4, 1}, 73);
  EXPECT_TRUE(throws_range("beta", [&] { layer_norm(in.x3, o); }));
  o.beta.reset();
  for (double eps : {0.0, -1e-5, double(NAN), double(INFINITY)}) {
    o.eps = eps;
    EXPECT_TRUE(throws_range("eps", [&] { layer_norm(in.x3, o); })) << eps;
  }
}

TEST(Errors, LinearArguments) {
  const Inputs in;
  EXPECT_TRUE(throws_range("w: expected shape [4, any], got [3, 2]", [&] {
    linear(in.x3, random_tensor({3, 2}, 74));
  }));
  EXPECT_TRUE(throws_range("w", [&] { linear(in.x3, random_tensor({4}, 75)); }));
  EXPECT_TRUE(throws_range("bias: expected shape [2], got [4]", [&] {
    linear(in.x3, random_tensor({4, 2}, 76), random_tensor({4}, 77));
  }));
  // an output over the size limit, from inputs under it
  EXPECT_TRUE(throws_range("output", [&] {
    linear(random_tensor({5000, 1}, 78), random_tensor({1, 4000}, 79));
  }));
}

TEST(Errors, FeedForwardArguments) {
  const Inputs in;
  EXPECT_NO_THROW(feed_forward(in.x3, in.ff()));
  for (const char* name : {"w1", "w2"}) {
    FeedForwardOptions o = in.ff();
    (std::string(name) == "w1" ? o.w1 : o.w2).reset();
    EXPECT_TRUE(throws_type(name, [&] { feed_forward(in.x3, o); }));
  }
  FeedForwardOptions o = in.ff();
  o.w1 = random_tensor({5, 6}, 80);  // x has D = 4
  EXPECT_TRUE(throws_range("w1: expected shape [4, any]", [&] { feed_forward(in.x3, o); }));
  o = in.ff();
  o.w2 = random_tensor({5, 5}, 81);  // w1 has F = 6
  EXPECT_TRUE(throws_range("w2: expected shape [6, any]", [&] { feed_forward(in.x3, o); }));
  o = in.ff();
  o.b1 = random_tensor({4}, 82);
  EXPECT_TRUE(throws_range("b1: expected shape [6]", [&] { feed_forward(in.x3, o); }));
  o = in.ff();
  o.b2 = random_tensor({4}, 83);  // w2 gives 5 columns
  EXPECT_TRUE(throws_range("b2: expected shape [5]", [&] { feed_forward(in.x3, o); }));
  EXPECT_TRUE(throws_type("activation", [&] { parse_activation("tanh"); }));
  EXPECT_TRUE(throws_type("'relu' or 'gelu'", [&] { parse_activation("GELU"); }));
  // the hidden layer [rows, F] over the size limit
  o = in.ff();
  o.w1 = random_tensor({1, 4000}, 84);
  o.b1.reset();
  o.w2 = random_tensor({4000, 1}, 85);
  o.b2.reset();
  EXPECT_TRUE(throws_range("hidden", [&] { feed_forward(random_tensor({5000, 1}, 86), o); }));
}

TEST(Errors, TransformerBlockArguments) {
  const Inputs in;
  EXPECT_NO_THROW(transformer_block(in.x3, in.block()));
  EXPECT_TRUE(throws_range("x", [&] { transformer_block(random_tensor({4}, 90), in.block()); }));
  EXPECT_TRUE(throws_range("x", [&] {
    transformer_block(random_tensor({1, 2, 3, 4}, 91), in.block());
  }));
  // every weight matrix is required; biases and norm parameters are not
  for (const char* name : {"wq", "wk", "wv", "wo", "w1", "w2"}) {
    TransformerBlockOptions o = in.block();
    block_parameter(o, name).reset();
    EXPECT_TRUE(throws_type(std::string(name) + ": required by transformerBlock",
                            [&] { transformer_block(in.x3, o); }));
  }
  for (const char* name :
       {"bq", "bk", "bv", "bo", "b1", "b2", "gamma1", "beta1", "gamma2", "beta2"}) {
    TransformerBlockOptions o = in.block();
    block_parameter(o, name).reset();
    EXPECT_NO_THROW(transformer_block(in.x3, o)) << name;
  }
  // wrong shapes: each matrix transposed or of another width, each vector one too long
  for (const char* name : {"wq", "wk", "wv", "wo"}) {
    TransformerBlockOptions o = in.block();
    block_parameter(o, name) = random_tensor({4, 6}, 92);  // not [D, D]
    EXPECT_TRUE(throws_range(name, [&] { transformer_block(in.x3, o); }));
  }
  {
    TransformerBlockOptions o = in.block();
    o.w1 = random_tensor({6, 4}, 93);  // transposed
    EXPECT_TRUE(throws_range("w1: expected shape [4, any]", [&] { transformer_block(in.x3, o); }));
    o = in.block();
    o.w2 = random_tensor({6, 5}, 94);  // back to 5, not D = 4
    EXPECT_TRUE(throws_range("w2: expected shape [6, 4]", [&] { transformer_block(in.x3, o); }));
  }
  for (const char* name :
       {"bq", "bk", "bv", "bo", "b1", "b2", "gamma1", "beta1", "gamma2", "beta2"}) {
    TransformerBlockOptions o = in.block();
    auto& t = block_parameter(o, name);
    t = random_tensor({t->size() + 1}, 95);
    EXPECT_TRUE(throws_range(name, [&] { transformer_block(in.x3, o); }));
  }
  for (std::size_t H : {0u, 3u, 5u}) {
    TransformerBlockOptions o = in.block();
    o.num_heads = H;
    EXPECT_TRUE(throws_range("numHeads", [&] { transformer_block(in.x3, o); })) << H;
  }
  for (double eps : {0.0, -1.0, double(NAN), double(INFINITY)}) {
    TransformerBlockOptions o = in.block();
    o.eps = eps;
    EXPECT_TRUE(throws_range("eps", [&] { transformer_block(in.x3, o); })) << eps;
  }
  TransformerBlockOptions o = in.block();
  o.mask.valid_lens = Lengths{1, 2, 3};  // B = 2
  EXPECT_TRUE(throws_range("validLens", [&] { transformer_block(in.x3, o); }));
  o = in.block();
  o.mask.mask = random_tensor({3, 4}, 96, 0, 1);  // [T, T] = [3, 3]
  EXPECT_TRUE(throws_range("mask", [&] { transformer_block(in.x3, o); }));
  EXPECT_TRUE(throws_type("norm", [&] { parse_norm("sandwich"); }));
  // the weights [B, H, T, T] over the size limit; with weights: false the attention streams
  o = in.block();
  o.num_heads = 4;
  const Tensor tall = random_tensor({2049, 4}, 97);
  EXPECT_TRUE(throws_range("weights [B, H, Q, K]", [&] { transformer_block(tall, o); }));
}

}  // namespace
}  // namespace attn
