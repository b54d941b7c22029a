// The transformer-block ops (attn/block.hpp) and multi-head attention's biases against the float64
// references of support.hpp: layer norm, linear, feed-forward, and the encoder layer in both norm
// placements, both activations, with and without a batch axis, masks, trace and streaming.
#include "support.hpp"

namespace attn {
namespace {

using test::dims;
using test::KeepFn;
using test::random_tensor;
using test::tensor_near;
using test::to_doubles;

using Shape = std::vector<std::size_t>;

// Through a layer norm float32 rounding of the inputs is scaled by 1/std: a little more room.
constexpr double kAbs = 1e-5, kRel = 1e-4;

TEST(LayerNorm, ClosedForm) {
  // mean 2, variance 2/3: (x - 2) / sqrt(2/3 + eps)
  const Tensor y = layer_norm(Tensor{{1, 2, 3}});
  const double s = 1.0 / std::sqrt(2.0 / 3.0 + 1e-5);
  EXPECT_TRUE(tensor_near(y, {-s, 0, s}));
  // a constant row normalises to beta (0 / sqrt(0 + eps) = 0)
  LayerNormOptions o;
  o.beta = Tensor{0.5f, -1.0f, 2.0f};
  EXPECT_TRUE(tensor_near(layer_norm(Tensor{{7, 7, 7}}, o), {0.5, -1.0, 2.0}));
}

TEST(LayerNorm, MatchesTheReferenceForEveryRankAndParameter) {
  for (const Shape& shape : {Shape{7}, Shape{3, 5}, Shape{2, 3, 4}, Shape{2, 1, 3, 9}}) {
    const std::size_t D = shape.back();
    // an offset far from 0: the variance is computed in double around the mean, not from E[x²]
    Tensor x = random_tensor(shape, 1, -2.0f, 2.0f) + 1000.0f;
    const Tensor gamma = random_tensor({D}, 2), beta = random_tensor({D}, 3);
    for (int variant = 0; variant < 4; ++variant) {
      LayerNormOptions o;
      if (variant & 1) o.gamma = gamma;
      if (variant & 2) o.beta = beta;
      o.eps = variant == 3 ? 1e-2 : 1e-5;
      const Tensor y = layer_norm(x, o);
      EXPECT_EQ(dims(y), shape);
      const auto want = test::reference_layer_norm(to_doubles(x), D, variant & 1 ? &gamma : nullptr,
                                                   variant & 2 ? &beta : nullptr, o.eps);
      EXPECT_TRUE(tensor_near(y, want, kAbs, kRel))
          << "rank " << shape.size() << " variant " << variant;
    }
  }
}

TEST(Linear, MatchesTheReference) {
  const Tensor w = random_tensor({5, 3}, 10), bias = random_tensor({3}, 11);
  for (const Shape& shape : {Shape{5}, Shape{4, 5}, Shape{2, 3, 5}}) {
    const Tensor x = random_tensor(shape, 12);
    const std::size_t rows = x.size() / 5;
    Shape out = shape;
    out.back() = 3;
    const Tensor y = linear(x, w, bias);
    EXPECT_EQ(dims(y), out);
    const auto xs = to_doubles(x);
    EXPECT_TRUE(tensor_near(y, test::reference_linear(xs.data(), rows, 5, w, &bias)));
    EXPECT_TRUE(tensor_near(linear(x, w), test::reference_linear(xs.data(), rows, 5, w)));
  }
  EXPECT_TRUE(tensor_near(linear(Tensor{{1, 2}}, Tensor{{1, 0, 1}, {0, 1, 1}}), {1, 2, 3}));
}

TEST(FeedForward, GeluIsTheExactErfForm) {
  // one hidden unit per input, W1 = I, W2 = I: output = activation(x)
  FeedForwardOptions o;
  o.w1 = o.w2 = Tensor{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  o.activation = Activation::gelu;
  // Φ(1) = 0.841344746068543, Φ(-1) = 0.158655253931457, Φ(3) = 0.998650101968370
  EXPECT_TRUE(tensor_near(feed_forward(Tensor{{1, -1, 3}}, o),
                          {0.841344746068543, -0.158655253931457, 2.99595030590511}));
  o.activation = Activation::relu;
  EXPECT_TRUE(tensor_near(feed_forward(Tensor{{1, -1, 3}}, o), {1, 0, 3}));
}

TEST(FeedForward, MatchesTheReferenceWithBothActivations) {
  FeedForwardOptions o;
  o.w1 = random_tensor({4, 7}, 20);
  o.w2 = random_tensor({7, 3}, 21);
  const Tensor b1 = random_tensor({7}, 22), b2 = random_tensor({3}, 23);
  for (Activation a : {Activation::relu, Activation::gelu}) {
    for (bool biases : {false, true}) {
      o.activation = a;
      o.b1 = biases ? std::optional<Tensor>(b1) : std::nullopt;
      o.b2 = biases ? std::optional<Tensor>(b2) : std::nullopt;
      const Tensor x = random_tensor({2, 3, 4}, 24, -2.0f, 2.0f);
      const Tensor y = feed_forward(x, o);
      EXPECT_EQ(dims(y), (Shape{2, 3, 3}));
      const auto want = test::reference_feed_forward(
          to_doubles(x), 4, *o.w1, biases ? &b1 : nullptr, *o.w2, biases ? &b2 : nullptr, a);
      EXPECT_TRUE(tensor_near(y, want.output)) << to_string(a) << (biases ? " with biases" : "");
    }
  }
}

MultiHeadOptions biased(std::size_t dq, std::size_t dk, std::size_t dv, std::size_t D,
                        std::size_t dout, std::size_t heads, std::uint32_t seed) {
  return test::multi_head_options(dq, dk, dv, D, dout, heads, seed, true);
}

TEST(MultiHeadBiases, MatchTheReferenceStreamedAndTraced) {
  const std::size_t Q = 5, K = 7;
  const Tensor q = random_tensor({2, Q, 5}, 30), k = random_tensor({2, K, 6}, 31),
               v = random_tensor({2, K, 3}, 32);
  const std::vector<double> lens = {4, 7};
  const KeepFn keep = [&](std::size_t b, std::size_t i, std::size_t j) {
    return double(j) < lens[b] && j <= i + 2;
  };
  for (float fill : {kDefaultFill, -INFINITY}) {
    MultiHeadOptions o = biased(5, 6, 3, 8, 4, 2, 33);
    o.mask.valid_lens = Lengths{4, 7};
    o.mask.mask = Tensor::from_shape({Q, K});
    for (std::size_t i = 0; i < Q; ++i) {
      for (std::size_t j = 0; j < K; ++j) (*o.mask.mask)(i, j) = j <= i + 2 ? 1.0f : 0.0f;
    }
    o.mask.fill = fill;
    o.temperature = 0.7;
    const auto want = test::reference_multi_head(q, k, v, o, keep);
    for (bool trace : {false, true}) {
      o.trace = trace;
      const MultiHeadResult r = multi_head_attention(q, k, v, o);
      EXPECT_TRUE(tensor_near(r.output, want.output)) << "trace " << trace << " fill " << fill;
      EXPECT_TRUE(tensor_near(r.weights, want.weights)) << "trace " << trace << " fill " << fill;
      if (trace) {
        EXPECT_TRUE(tensor_near(r.q, want.q));
        EXPECT_TRUE(tensor_near(r.k, want.k));
        EXPECT_TRUE(tensor_near(r.v, want.v));
        EXPECT_TRUE(tensor_near(r.scores, want.scores));
        EXPECT_TRUE(tensor_near(r.logits, want.logits));
        EXPECT_TRUE(tensor_near(r.heads, want.heads));
      }
    }
    // weights: false streams the heads and leaves the weights out
    o.trace = false;
    o.weights = false;
    const MultiHeadResult r = multi_head_attention(q, k, v, o);
    EXPECT_EQ(r.weights.dimension(), 0u);
    EXPECT_TRUE(tensor_near(r.output, want.output));
  }
  // the biases count: without them the output differs
  MultiHeadOptions o = biased(5, 6, 3, 8, 4, 2, 33);
  const auto with = multi_head_attention(q, k, v, o).output;
  o.bq.reset();
  o.bk.reset();
  o.bv.reset();
  o.bo.reset();
  const auto without = multi_head_attention(q, k, v, o).output;
  EXPECT_GT(xt::amax(xt::abs(with - without))(), 0.1f);
}

TEST(MultiHeadBiases, TheValueAndOutputBiasesPassThroughWhenOneKeyIsAttended) {
  // one key: every weight is 1, so output = (v W_V + b_V) W_O + b_O whatever the queries and b_Q, b_K
  const MultiHeadOptions o = biased(3, 2, 2, 4, 3, 2, 40);
  const Tensor values{{0.5f, -2.0f}};
  const MultiHeadResult r =
      multi_head_attention(random_tensor({2, 3}, 41), random_tensor({1, 2}, 42), values, o);
  const std::vector<double> vin = {0.5, -2.0};
  const auto vwv = test::reference_linear(vin.data(), 1, 2, *o.wv, &*o.bv);
  const auto row = test::reference_linear(vwv.data(), 1, 4, *o.wo, &*o.bo);
  EXPECT_TRUE(tensor_near(r.output, {row[0], row[1], row[2], row[0], row[1], row[2]}));
}

TransformerBlockOptions block(std::size_t D, std::size_t F, std::size_t heads, std::uint32_t seed) {
  TransformerBlockOptions o;
  o.num_heads = heads;
  const float s = 1.0f / std::sqrt(float(D));
  o.wq = random_tensor({D, D}, seed, -s, s);
  o.wk = random_tensor({D, D}, seed + 1, -s, s);
  o.wv = random_tensor({D, D}, seed + 2, -s, s);
  o.wo = random_tensor({D, D}, seed + 3, -s, s);
  o.bq = random_tensor({D}, seed + 4);
  o.bk = random_tensor({D}, seed + 5);
  o.bv = random_tensor({D}, seed + 6);
  o.bo = random_tensor({D}, seed + 7);
  o.w1 = random_tensor({D, F}, seed + 8, -s, s);
  o.b1 = random_tensor({F}, seed + 9);
  o.w2 = random_tensor({F, D}, seed + 10, -s, s);
  o.b2 = random_tensor({D}, seed + 11);
  o.gamma1 = random_tensor({D}, seed + 12, 0.5f, 1.5f);
  o.beta1 = random_tensor({D}, seed + 13);
  o.gamma2 = random_tensor({D}, seed + 14, 0.5f, 1.5f);
  o.beta2 = random_tensor({D}, seed + 15);
  return o;
}

void expect_block(const TransformerBlockResult& r, const test::TransformerBlockReference& want,
                  bool trace, const std::string& what) {
  EXPECT_TRUE(tensor_near(r.output, want.output, kAbs, kRel)) << what << ": output";
  EXPECT_TRUE(tensor_near(r.weights, want.attention.weights, kAbs, kRel)) << what << ": weights";
  if (!trace) {
    for (const Tensor* t : {&r.q, &r.scores, &r.attention, &r.residual1, &r.norm1, &r.hidden,
                            &r.feed_forward, &r.residual2, &r.norm2}) {
      EXPECT_EQ(t->dimension(), 0u) << what;
    }
    return;
  }
  EXPECT_TRUE(tensor_near(r.q, want.attention.q, kAbs, kRel)) << what << ": q";
  EXPECT_TRUE(tensor_near(r.k, want.attention.k, kAbs, kRel)) << what << ": k";
  EXPECT_TRUE(tensor_near(r.v, want.attention.v, kAbs, kRel)) << what << ": v";
  EXPECT_TRUE(tensor_near(r.scores, want.attention.scores, kAbs, kRel)) << what << ": scores";
  EXPECT_TRUE(tensor_near(r.logits, want.attention.logits, kAbs, kRel)) << what << ": logits";
  EXPECT_TRUE(tensor_near(r.heads, want.attention.heads, kAbs, kRel)) << what << ": heads";
  EXPECT_TRUE(tensor_near(r.attention, want.attention.output, kAbs, kRel)) << what << ": attention";
  EXPECT_TRUE(tensor_near(r.residual1, want.residual1, kAbs, kRel)) << what << ": residual1";
  EXPECT_TRUE(tensor_near(r.norm1, want.norm1, kAbs, kRel)) << what << ": norm1";
  EXPECT_TRUE(tensor_near(r.hidden, want.hidden, kAbs, kRel)) << what << ": hidden";
  EXPECT_TRUE(tensor_near(r.feed_forward, want.feed_forward, kAbs, kRel))
      << what << ": feed_forward";
  EXPECT_TRUE(tensor_near(r.residual2, want.residual2, kAbs, kRel)) << what << ": residual2";
  EXPECT_TRUE(tensor_near(r.norm2, want.norm2, kAbs, kRel)) << what << ": norm2";
}

TEST(TransformerBlock, MatchesTheReferenceInEveryVariant) {
  const Tensor x3 = random_tensor({2, 5, 8}, 50, -2.0f, 2.0f),
               x2 = random_tensor({6, 8}, 51, -2.0f, 2.0f);
  for (Norm norm : {Norm::post, Norm::pre}) {
    for (Activation a : {Activation::relu, Activation::gelu}) {
      for (bool trace : {false, true}) {
        TransformerBlockOptions o = block(8, 12, 2, 52);
        o.norm = norm;
        o.activation = a;
        o.trace = trace;
        const std::string what =
            std::string(to_string(norm)) + "/" + to_string(a) + (trace ? "/trace" : "");
        const TransformerBlockResult r3 = transformer_block(x3, o);
        EXPECT_EQ(dims(r3.output), (Shape{2, 5, 8}));
        EXPECT_EQ(dims(r3.weights), (Shape{2, 2, 5, 5}));
        if (trace) {
          EXPECT_EQ(dims(r3.hidden), (Shape{2, 5, 12}));
        }
        expect_block(r3, test::reference_transformer_block(x3, o), trace, what + "/batched");
        const TransformerBlockResult r2 = transformer_block(x2, o);
        EXPECT_EQ(dims(r2.output), (Shape{6, 8}));
        EXPECT_EQ(dims(r2.weights), (Shape{2, 6, 6}));
        expect_block(r2, test::reference_transformer_block(x2, o), trace, what + "/unbatched");
      }
    }
  }
}

TEST(TransformerBlock, KeyPaddingAndCausalMasks) {
  const std::size_t T = 6;
  const Tensor x = random_tensor({3, T, 4}, 60, -2.0f, 2.0f);
  const std::vector<double> lens = {6, 2, 4};
  for (Norm norm : {Norm::post, Norm::pre}) {
    for (bool causal : {false, true}) {
      TransformerBlockOptions o = block(4, 8, 4, 61);  // one column per head
      o.norm = norm;
      o.mask.valid_lens = Lengths{6, 2, 4};  // [B]: PyTorch's src_key_padding_mask
      o.mask.causal = causal;
      o.trace = true;
      const KeepFn keep = [&](std::size_t b, std::size_t i, std::size_t j) {
        return double(j) < lens[b] && (!causal || j <= i);
      };
      const std::string what = std::string(to_string(norm)) + (causal ? "/causal" : "");
      expect_block(transformer_block(x, o), test::reference_transformer_block(x, o, keep), true,
                   what);
      // without a trace the attention streams: the same output and weights
      o.trace = false;
      expect_block(transformer_block(x, o), test::reference_transformer_block(x, o, keep), false,
                   what + "/streamed");
      // and without the weights too
      o.weights = false;
      const TransformerBlockResult r = transformer_block(x, o);
      EXPECT_EQ(r.weights.dimension(), 0u);
      EXPECT_TRUE(
          tensor_near(r.output, test::reference_transformer_block(x, o, keep).output, kAbs, kRel))
          << what;
    }
  }
}

TEST(TransformerBlock, DefaultNormParametersAreOneAndZero) {
  const Tensor x = random_tensor({4, 6}, 70);
  TransformerBlockOptions o = block(6, 5, 3, 71);
  o.gamma1.reset();
  o.beta1.reset();
  o.gamma2 = Tensor(xt::ones<float>({6}));
  o.beta2 = Tensor(xt::zeros<float>({6}));
  TransformerBlockOptions explicit_ones = o;
  explicit_ones.gamma1 = o.gamma2;
  explicit_ones.beta1 = o.beta2;
  o.gamma2.reset();
  o.beta2.reset();
  const Tensor a = transformer_block(x, o).output, b = transformer_block(x, explicit_ones).output;
  EXPECT_TRUE(tensor_near(a, to_doubles(b), 0, 0));
  // post-norm with unit gamma and zero beta: every output row has mean 0 and variance ~1
  for (std::size_t i = 0; i < 4; ++i) {
    double mean = 0, var = 0;
    for (std::size_t j = 0; j < 6; ++j) mean += a(i, j) / 6.0;
    for (std::size_t j = 0; j < 6; ++j) var += (a(i, j) - mean) * (a(i, j) - mean) / 6.0;
    EXPECT_NEAR(mean, 0.0, 1e-6);
    EXPECT_NEAR(var, 1.0, 1e-3);
  }
}

}  // namespace
}  // namespace attn
