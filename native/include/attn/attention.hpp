// Attention: output = softmax(mask(score(q, k) / temperature)) · values, and self-attention.
#pragma once

#include <cstdint>

#include "mask.hpp"
#include "scoring.hpp"
#include "tensor.hpp"

namespace attn {

enum class Mode {
  soft,    // the softmax weights
  argmax,  // one-hot on the largest weight of each row (the first index on ties)
  sample,  // one-hot drawn from each row's weights by a PRNG seeded with `seed` (same seed, same draw)
};
Mode parse_mode(const std::string& name);
const char* to_string(Mode m);

struct AttentionOptions {
  ScoreOptions score;
  MaskOptions mask;
  double temperature = 1.0;  // > 0; logits = scores / temperature, then masked
  Mode mode = Mode::soft;
  std::uint64_t seed = 0;  // for Mode::sample; rows draw in row-major order from one stream
  bool trace = false;      // keep scores, logits and probabilities in the result
  bool weights = true;     // false: result.weights stays empty (unless trace, which keeps it)
};

struct AttentionResult {
  Tensor output;   // [(B,) Q, dv]
  Tensor weights;  // [(B,) Q, K]: the weights applied to the values (one-hot in hard modes)
  // Only with options.trace:
  Tensor scores;         // the scoring function's output
  Tensor logits;         // scores / temperature with masked entries replaced by the fill
  Tensor probabilities;  // softmax(logits): equal to weights in soft mode
};

// queries [Q, dq] | [B, Q, dq], keys [K, dk] | [B, K, dk], values [K, dv] | [B, K, dv], same rank.
//   attention(q, k, v, {}) is scaled dot-product attention.
// A row with nothing to attend (fully masked under a -inf fill) has zero weights and a zero output.
AttentionResult attention(const Tensor& queries, const Tensor& keys, const Tensor& values,
                          const AttentionOptions& options = {});

struct SelfAttentionResult {
  Tensor q, k, v;  // X W_Q, X W_K, X W_V
  Tensor scores, logits, weights, output;
};

// Self-attention from x [T, d] | [B, T, d] with W_Q [d, dk], W_K [d, dk], W_V [d, dv]: attention of
// Q = X W_Q over K = X W_K and V = X W_V. Scoring 'additive' is refused (its own W_q, W_k would
// collide with the projections: project, then call attention()).
//   The seed example: X = I3, W_Q = W_K = W_V = [[1,0],[0,1],[1,1]] gives Q = K = V = W_Q.
SelfAttentionResult self_attention(const Tensor& x, const Tensor& wq, const Tensor& wk,
                                   const Tensor& wv, const AttentionOptions& options = {});

}  // namespace attn
