// Masks: valid lengths, an explicit 0/1 mask, and causal. The rule that decides which keys they
// block is written once, as kernels::KeyMask (native/kernels/kernels.hpp), which the materialised
// path and every attention kernel apply.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor.hpp"

namespace attn {

namespace kernels {
struct KeyMask;
}

// What may be attended. A key j is blocked for query i of batch element b when any of these says so:
//   valid_lens: j >= len, with len from a scalar (all rows), [B] (shared by the query rows of b),
//               [B, Q] (per row), or, for unbatched [Q, K] scores, [Q] (per row);
//               integers in [0, K].
//   mask:       mask[(b,) i, j] == 0, with mask [Q, K] (shared by the batch) or [B, Q, K]; 0/1 only.
//   causal:     j > i (top-left aligned, as PyTorch's is_causal).
// Blocked logits are replaced by `fill` (kDefaultFill = -1e6, as d2l; -inf for exact zeros): the
// rule and its sentinel in one place, kernels::KeyMask.
struct MaskOptions {
  std::optional<Lengths> valid_lens;
  std::optional<Tensor> mask;
  bool causal = false;
  float fill = kDefaultFill;
};

// The masks resolved against concrete sizes, ready to apply row by row.
class ResolvedMask {
 public:
  // Validates `options` for scores of [batch, queries, keys] (`batched` says whether the caller's
  // tensors had a batch axis, which decides what a 1-D valid_lens means). Throws attn::Error.
  ResolvedMask(const MaskOptions& options, std::size_t batch, std::size_t queries, std::size_t keys,
               bool batched);

  bool empty() const { return lens_.empty() && mask_ == nullptr && !causal_; }
  float fill() const { return fill_; }

  // Replaces blocked entries of row (b, i) of the logits, `keys` long, by the fill value.
  void apply_row(std::size_t b, std::size_t i, float* row) const;

  // The rule for batch element b as plain data, for kernels (include kernels/kernels.hpp to use it).
  kernels::KeyMask for_batch(std::size_t b) const;

  // The parts of for_batch(b):
  // the valid lengths of batch element b's query rows [Q] (null without valid_lens), causality,
  // and its 0/1 mask [Q, K] (null without a mask).
  const std::uint32_t* lengths(std::size_t b) const {
    return lens_.empty() ? nullptr : lens_.data() + b * queries_;
  }
  bool causal() const { return causal_; }
  const float* keep(std::size_t b) const {
    return mask_ == nullptr ? nullptr : mask_->data() + (mask_batched_ ? b * queries_ * keys_ : 0);
  }

 private:
  std::vector<std::uint32_t> lens_;  // [B * Q] expanded, or empty
  const Tensor* mask_ = nullptr;     // borrowed from the options, which outlive this object
  bool mask_batched_ = false;
  bool causal_ = false;
  float fill_;
  std::size_t queries_, keys_;
};

}  // namespace attn
