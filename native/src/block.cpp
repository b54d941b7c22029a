#include "attn/block.hpp"

#include "attn/error.hpp"
#include "layers.hpp"

namespace attn {

Activation parse_activation(const std::string& name) {
  if (name == "relu") return Activation::relu;
  if (name == "gelu") return Activation::gelu;
  throw_type_error("activation: unknown activation '" + name + "'; expected 'relu' or 'gelu'");
}

const char* to_string(Activation a) { return a == Activation::relu ? "relu" : "gelu"; }

Norm parse_norm(const std::string& name) {
  if (name == "post") return Norm::post;
  if (name == "pre") return Norm::pre;
  throw_type_error("norm: unknown placement '" + name + "'; expected 'post' or 'pre'");
}

const char* to_string(Norm n) { return n == Norm::post ? "post" : "pre"; }

namespace {

// x [..., D] for the row-wise layers: rank >= 1, every dimension >= 1, within the size limit, finite.
std::size_t check_x(const Tensor& x) {
  detail::check_rows(x, "x");
  check_finite(x, "x");
  return x.shape().back();
}

// The size of x with its last axis replaced by n, checked against the limit.
void check_rows_of(const Tensor& x, std::size_t n, const char* name) {
  check_size(checked_product({x.size() / x.shape().back(), n}), name);
}

// The feed-forward weights against rows of width D: W1 [D, F], W2 [F, D'], b1 [F], b2 [D'].
// Returns F.
std::size_t check_feed_forward(const std::optional<Tensor>& w1, const std::optional<Tensor>& b1,
                               const std::optional<Tensor>& w2, const std::optional<Tensor>& b2,
                               std::size_t D, std::size_t dout, const char* fn) {
  const Tensor& W1 = detail::required(w1, "w1", fn);
  const Tensor& W2 = detail::required(w2, "w2", fn);
  const std::string Ds = std::to_string(D);
  detail::check_matrix(W1, "w1", D, 0, "[D, F], D = " + Ds + " from x");
  const std::size_t F = W1.shape()[1];
  const std::string Fs = std::to_string(F);
  detail::check_matrix(W2, "w2", F, dout,
                       "[F, " + std::string(dout ? "D" : "out") + "], F = " + Fs + " from w1" +
                           (dout ? ", D = " + Ds + " from x" : ""));
  if (b1) detail::check_vector(*b1, "b1", F, "[F], F = " + Fs + " from w1");
  const std::size_t out = W2.shape()[1];
  if (b2) detail::check_vector(*b2, "b2", out, "[" + std::to_string(out) + "], the columns of w2");
  return F;
}

// a + b, element-wise, for the residual connections (same shapes); RangeError naming `what` on
// overflow.
Tensor add(const Tensor& a, const Tensor& b, const char* what) {
  Tensor sum = a + b;
  detail::check_overflow(sum.data(), sum.size(), what, "scale x or the weights down");
  return sum;
}

}  // namespace

namespace detail {

FeedForward run_feed_forward(const Tensor& x, const Tensor& w1, const Tensor* b1, const Tensor& w2,
                             const Tensor* b2, Activation activation) {
  FeedForward f;
  f.hidden = affine(x, w1, b1, "feed-forward hidden layer");
  activate(f.hidden, activation);
  f.output = affine(f.hidden, w2, b2, "feed-forward output");
  return f;
}

}  // namespace detail

Tensor layer_norm(const Tensor& x, const LayerNormOptions& o) {
  const std::size_t D = check_x(x);
  if (o.gamma)
    detail::check_vector(*o.gamma, "gamma", D, "[D], D = " + std::to_string(D) + " from x");
  if (o.beta) detail::check_vector(*o.beta, "beta", D, "[D], D = " + std::to_string(D) + " from x");
  detail::check_eps(o.eps);
  return detail::normalize(x, detail::optional(o.gamma), detail::optional(o.beta), o.eps);
}

Tensor linear(const Tensor& x, const Tensor& w, const std::optional<Tensor>& bias) {
  const std::size_t in = check_x(x);
  detail::check_matrix(w, "w", in, 0, "[in, out], in = " + std::to_string(in) + " from x");
  const std::size_t out = w.shape()[1];
  if (bias)
    detail::check_vector(*bias, "bias", out, "[out], out = " + std::to_string(out) + " from w");
  check_rows_of(x, out, "output [..., out]");
  return detail::affine(x, w, detail::optional(bias), "output");
}

Tensor feed_forward(const Tensor& x, const FeedForwardOptions& o) {
  const std::size_t D = check_x(x);
  const std::size_t F = check_feed_forward(o.w1, o.b1, o.w2, o.b2, D, 0, "feedForward");
  check_rows_of(x, F, "hidden [..., F]");
  check_rows_of(x, o.w2->shape()[1], "output [..., out]");
  return detail::run_feed_forward(x, *o.w1, detail::optional(o.b1), *o.w2, detail::optional(o.b2),
                                  o.activation)
      .output;
}

TransformerBlockResult transformer_block(const Tensor& x, const TransformerBlockOptions& o) {
  // every check first, then the math
  const detail::View3 xv = detail::view3(x, "x", "[T, D] or [B, T, D]");
  const std::size_t B = xv.b, T = xv.r, D = xv.c, H = o.num_heads;
  const std::string Ds = std::to_string(D);
  // the residual x + attention(x) keeps the model width D throughout
  if (o.wq) detail::check_matrix(*o.wq, "wq", D, D, "[D, D], D = " + Ds + " from x");
  if (o.wo) detail::check_matrix(*o.wo, "wo", D, D, "[D, D], D = " + Ds + " from x");
  const detail::MultiHeadWeights mw = detail::check_multi_head(
      o.wq, o.wk, o.wv, o.wo, o.bq, o.bk, o.bv, o.bo, D, D, D, H, "transformerBlock");
  const std::size_t F = check_feed_forward(o.w1, o.b1, o.w2, o.b2, D, D, "transformerBlock");
  const std::string why = "[D], D = " + Ds + " from x";
  if (o.gamma1) detail::check_vector(*o.gamma1, "gamma1", D, why);
  if (o.beta1) detail::check_vector(*o.beta1, "beta1", D, why);
  if (o.gamma2) detail::check_vector(*o.gamma2, "gamma2", D, why);
  if (o.beta2) detail::check_vector(*o.beta2, "beta2", D, why);
  detail::check_eps(o.eps);
  const ResolvedMask mask(o.mask, B, T, T, xv.batched);
  detail::check_multi_head_sizes(B, T, T, D, D, H, o.weights || o.trace);
  check_size(checked_product({B, T, F}), "hidden [B, T, F]");

  const Tensor *gamma1 = detail::optional(o.gamma1), *beta1 = detail::optional(o.beta1),
               *gamma2 = detail::optional(o.gamma2), *beta2 = detail::optional(o.beta2);
  auto attend = [&](const Tensor& input) {
    const detail::View3 in{
        input.data(), B, T, D, xv.batched, detail::max_abs(input.data(), input.size())};
    return detail::multi_head(in, in, in, mw, H, mask, 1.0, o.trace, o.weights);
  };
  auto feed = [&](const Tensor& input) {
    return detail::run_feed_forward(input, *o.w1, detail::optional(o.b1), *o.w2,
                                    detail::optional(o.b2), o.activation);
  };
  // the sublayers, each with its residual connection and norm
  MultiHeadResult a;
  detail::FeedForward f;
  Tensor residual1, norm1, residual2, norm2;
  if (o.norm == Norm::post) {
    a = attend(x);
    residual1 = add(x, a.output, "residual x + attention");
    norm1 = detail::normalize(residual1, gamma1, beta1, o.eps);
    f = feed(norm1);
    residual2 = add(norm1, f.output, "residual norm1 + feed-forward");
    norm2 = detail::normalize(residual2, gamma2, beta2, o.eps);
  } else {
    norm1 = detail::normalize(x, gamma1, beta1, o.eps);
    a = attend(norm1);
    residual1 = add(x, a.output, "residual x + attention");
    norm2 = detail::normalize(residual1, gamma2, beta2, o.eps);
    f = feed(norm2);
    residual2 = add(residual1, f.output, "residual + feed-forward");
  }
  TransformerBlockResult r;
  Tensor& output = o.norm == Norm::post ? norm2 : residual2;
  r.output = o.trace ? output : std::move(output);  // a copy only when the trace keeps it too
  r.weights = std::move(a.weights);
  if (o.trace) {
    r.q = std::move(a.q);
    r.k = std::move(a.k);
    r.v = std::move(a.v);
    r.scores = std::move(a.scores);
    r.logits = std::move(a.logits);
    r.heads = std::move(a.heads);
    r.attention = std::move(a.output);
    r.residual1 = std::move(residual1);
    r.norm1 = std::move(norm1);
    r.hidden = std::move(f.hidden);
    r.feed_forward = std::move(f.output);
    r.residual2 = std::move(residual2);
    r.norm2 = std::move(norm2);
  }
  return r;
}

}  // namespace attn
