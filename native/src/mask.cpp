// The caller's mask options resolved against the shapes of a call (and validated): what
// kernels::KeyMask, the one mask rule, reads.
#include "attn/mask.hpp"

#include <cmath>

#include "../kernels/kernels.hpp"
#include "attn/error.hpp"
#include "checks.hpp"

namespace attn {

namespace {

// A length as an index, or a RangeError naming it; `where` describes it, built only for the
// message (a per-row string would cost more than the check).
template <class Where>
std::uint32_t check_length(double len, std::size_t keys, const Where& where) {
  if (!(std::isfinite(len) && len == std::floor(len) && len >= 0 &&
        len <= static_cast<double>(keys))) {
    throw_range_error("validLens: " + std::string(where()) + " is " + std::to_string(len) +
                      "; lengths must be integers in [0, " + std::to_string(keys) +
                      "] (the number of keys)");
  }
  return static_cast<std::uint32_t>(len);
}

}  // namespace

ResolvedMask::ResolvedMask(const MaskOptions& options, std::size_t batch, std::size_t queries,
                           std::size_t keys, bool batched)
    : causal_(options.causal), fill_(options.fill), queries_(queries), keys_(keys) {
  detail::check_fill(options.fill);

  if (options.valid_lens) {
    const Lengths& lens = *options.valid_lens;
    const auto& s = lens.shape();
    lens_.resize(batch * queries);
    if (lens.dimension() == 0) {
      // a scalar: every row
      const std::uint32_t len = check_length(lens.data()[0], keys, [] { return "the length"; });
      std::fill(lens_.begin(), lens_.end(), len);
    } else if (batched && lens.dimension() == 1 && s[0] == batch) {
      // [B]: shared by all query rows of a batch element (d2l's repeat_interleave)
      for (std::size_t bi = 0; bi < batch; ++bi) {
        const auto len = check_length(lens.data()[bi], keys, [&] { return "element [" + std::to_string(bi) + "]"; });
        std::fill_n(lens_.begin() + bi * queries, queries, len);
      }
    } else if (batched && lens.dimension() == 2 && s[0] == batch && s[1] == queries) {
      // [B, Q]: one length per query row
      for (std::size_t i = 0; i < batch * queries; ++i) {
        lens_[i] = check_length(lens.data()[i], keys, [&] {
          return "element [" + std::to_string(i / queries) + ", " + std::to_string(i % queries) + "]";
        });
      }
    } else if (!batched && lens.dimension() == 1 && s[0] == queries) {
      // [Q] for unbatched scores: one length per query row
      for (std::size_t i = 0; i < queries; ++i) {
        lens_[i] = check_length(lens.data()[i], keys, [&] { return "element [" + std::to_string(i) + "]"; });
      }
    } else {
      const std::string q = std::to_string(queries), b = std::to_string(batch);
      throw_range_error("validLens: shape " + shape_string(s) + " does not fit scores of shape " +
                        (batched ? "[" + b + ", " + q + ", " + std::to_string(keys) + "]"
                                 : "[" + q + ", " + std::to_string(keys) + "]") +
                        "; expected a scalar" +
                        (batched ? ", [" + b + "] (per batch element) or [" + b + ", " + q +
                                       "] (per query row)"
                                 : " or [" + q + "] (per query row)"));
    }
  }

  if (options.mask) {
    const Tensor& m = *options.mask;
    const auto& s = m.shape();
    const bool shared = m.dimension() == 2 && s[0] == queries && s[1] == keys;
    const bool per_batch = batched && m.dimension() == 3 && s[0] == batch && s[1] == queries &&
                           s[2] == keys;
    if (!shared && !per_batch) {
      throw_range_error("mask: expected shape [" + std::to_string(queries) + ", " +
                        std::to_string(keys) + "]" +
                        (batched ? " or [" + std::to_string(batch) + ", " +
                                       std::to_string(queries) + ", " + std::to_string(keys) + "]"
                                 : "") +
                        " (1 = may attend, 0 = blocked), got " + shape_string(s));
    }
    for (std::size_t i = 0; i < m.size(); ++i) {
      const float x = m.data()[i];
      if (x != 0.0f && x != 1.0f) {
        throw_range_error("mask: entries must be 0 or 1, element " + std::to_string(i) +
                          " (flat) is " + std::to_string(x));
      }
    }
    mask_ = &m;
    mask_batched_ = per_batch;
  }
}

kernels::KeyMask ResolvedMask::for_batch(std::size_t b) const {
  return kernels::KeyMask{lengths(b), causal_, keep(b), keys_, fill_};
}

void ResolvedMask::apply_row(std::size_t b, std::size_t i, float* row) const {
  for_batch(b).apply_row(i, keys_, row);
}

}  // namespace attn
