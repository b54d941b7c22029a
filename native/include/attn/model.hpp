// A trained translator: PyTorch's nn.Transformer with embeddings and a generator, loaded from a
// .safetensors file and run with the engine's own blocks (multi-head attention, layer norm,
// feed-forward, the sinusoidal positional encoding).
//
// The file (model/export.py writes it): 8 bytes of header length (unsigned little-endian), a JSON
// header { name: { dtype: "F32" | "F16", shape: [...], data_offsets: [begin, end] }, ...,
// "__metadata__": { "config": "<JSON>" } }, then the raw little-endian data. The tensors:
//   src_embed.weight [Vs, D], tgt_embed.weight [Vt, D], generator.weight [Vt, D], generator.bias [Vt],
//   transformer.<key> for every key of torch.nn.Transformer(...).state_dict() (batch_first=True).
// The config: { d_model, nhead, num_encoder_layers, num_decoder_layers, dim_feedforward,
//   activation: "relu" | "gelu", norm_first, layer_norm_eps, src_vocab: [...], tgt_vocab: [...],
//   pad, bos, eos }; pad is id 0 in both vocabularies, bos and eos are target ids.
//
// The forward pass, exactly:
//   x = src_embed[src] · √D + PE[0:S],  y = tgt_embed[tgt] · √D + PE[0:T]
//   memory = encoder_norm(encoder layers(x, key padding = (src == pad)))
//   out = decoder_norm(decoder layers(y, memory, causal self-attention,
//                                     cross-attention key padding = (src == pad)))
//   logits = out · generator.weightᵀ + generator.bias                             [T, Vt]
// Each encoder layer is transformer_block (attn/block.hpp); each decoder layer is
// torch.nn.TransformerDecoderLayer: self-attention, cross-attention over the memory, feed-forward,
// each with its residual and norm (norm_first: pre-norm). Masked weights are exactly 0 (-inf fill).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "block.hpp"
#include "multihead.hpp"
#include "tensor.hpp"

namespace attn {

// What a model file may ask for; beyond, a RangeError naming the setting and the limit.
inline constexpr std::size_t kMaxModelWidth = 4096;      // d_model, dim_feedforward
inline constexpr std::size_t kMaxModelLayers = 64;       // each side
inline constexpr std::size_t kMaxModelHeads = 256;       // nhead
inline constexpr std::size_t kMaxModelVocab = 1 << 18;   // each vocabulary
inline constexpr std::size_t kMaxModelLength = 1024;     // source and target tokens per call
inline constexpr std::size_t kMaxModelHeader = 1 << 24;  // bytes of JSON header

struct ModelConfig {
  std::size_t d_model = 0, nhead = 0, num_encoder_layers = 0, num_decoder_layers = 0,
              dim_feedforward = 0;
  Activation activation = Activation::relu;
  bool norm_first = false;
  double layer_norm_eps = 1e-5;
  std::vector<std::string> src_vocab, tgt_vocab;  // UTF-8
  std::size_t pad = 0, bos = 0, eos = 0;
  std::string json;  // the config as the file has it
};

// One decoder layer as torch.nn.TransformerDecoderLayer computes it (trace only):
//   post: residual1 = y + self(y), norm1 = norm1(residual1), residual2 = norm1 + cross(norm1, memory),
//         norm2 = norm2(residual2), residual3 = norm2 + ff(norm2), norm3 = norm3(residual3) = output
//   pre:  norm1 = norm1(y), residual1 = y + self(norm1), norm2 = norm2(residual1),
//         residual2 = residual1 + cross(norm2, memory), norm3 = norm3(residual2),
//         residual3 = residual2 + ff(norm3) = output
struct DecoderLayerTrace {
  MultiHeadResult self_attention, cross_attention;  // with their traces (q, k, v, scores, ...)
  Tensor residual1, norm1, residual2, norm2, hidden, feed_forward, residual3, norm3, output;
};

struct ModelForward {
  Tensor logits;                // [T, Vt]
  std::vector<Tensor> encoder;  // per layer, the self-attention weights [H, S, S]
  std::vector<Tensor> decoder;  // per layer, the causal self-attention weights [H, T, T]
  std::vector<Tensor> cross;    // per layer, the cross-attention weights [H, T, S]
  // Only with trace:
  Tensor src_embedding, src_positions, src_input;      // src_embed[src]·√D, PE [S, D], their sum
  Tensor tgt_embedding, tgt_positions, tgt_input;      // the same for tgt [T, D]
  std::vector<TransformerBlockResult> encoder_layers;  // each layer's trace (attn/block.hpp)
  Tensor memory;                                       // encoder norm of the last layer [S, D]
  std::vector<DecoderLayerTrace> decoder_layers;
  Tensor decoder_output;  // decoder norm of the last layer [T, D]
  Tensor probabilities;   // softmax(logits) [T, Vt]
};

// One step of greedy decoding: the target so far (ids[0..position]) predicts the next token.
struct GreedyStep {
  std::vector<std::size_t> top;      // the k most probable next ids, most probable first
  std::vector<float> probabilities;  // their softmax probabilities
  std::size_t chosen = 0;            // top[0], appended to the ids
};

struct GreedyResult {
  std::vector<std::size_t> ids;  // bos, the chosen tokens, eos when reached
  std::vector<GreedyStep> steps;
};

class Model {
 public:
  // Parses and validates a whole file; TypeError / RangeError (attn::Error) naming what is wrong.
  // Nothing is read outside [bytes, bytes + size).
  static Model load(const std::uint8_t* bytes, std::size_t size);

  const ModelConfig& config() const { return config_; }

  // Ids of the source words; a RangeError lists every unknown word.
  std::vector<std::size_t> encode(const std::vector<std::string>& words) const;
  // The `count` source words nearest to `word` by edit distance over Unicode code points (ASCII
  // case ignored), nearest first, the lower id first among equals; pad is never suggested.
  //   nearest("Jery", 1) -> {"Jerry"}
  std::vector<std::string> nearest(const std::string& word, std::size_t count) const;
  // Target (or, with source = true, source) words of ids; RangeError for an id outside.
  std::vector<std::string> decode(const std::vector<double>& ids, bool source = false) const;

  // src [S] source ids (at least one not pad), tgt [T] target ids, 1 <= S, T <= kMaxModelLength.
  // Not const: each call sets the masks of the layers' stored options (the weights are never
  // copied per call); a model is used by one thread at a time, as the whole engine is.
  ModelForward forward(const std::vector<double>& src, const std::vector<double>& tgt,
                       bool trace = false);
  // Greedy decoding from bos until eos or max_length ids (bos included); top_k per step.
  GreedyResult greedy(const std::vector<double>& src, std::size_t max_length,
                      std::size_t top_k = 5);

 private:
  struct DecoderLayer {
    MultiHeadOptions self, cross;
    Tensor w1, b1, w2, b2;  // the feed-forward, [D, F], [F], [F, D], [D]
    LayerNormOptions norm1, norm2, norm3;
  };

  std::vector<std::size_t> ids(const std::vector<double>& ids, const char* name, bool source) const;
  void check_source(const std::vector<std::size_t>& src) const;
  Tensor embed(const Tensor& table, const std::vector<std::size_t>& ids, ModelForward* trace,
               bool source) const;
  Tensor encode_memory(const std::vector<std::size_t>& src, ModelForward& out, bool trace);
  Tensor decode_logits(const std::vector<std::size_t>& src, const Tensor& memory,
                       const std::vector<std::size_t>& tgt, ModelForward& out, bool trace);

  ModelConfig config_;
  std::vector<std::pair<std::string, std::size_t>> src_index_;  // sorted by word, for encode()
  Tensor src_embed_, tgt_embed_;                                // [Vs, D], [Vt, D]
  Tensor generator_, generator_bias_;             // generator.weight transposed [D, Vt], bias [Vt]
  std::vector<TransformerBlockOptions> encoder_;  // each encoder layer's weights and settings
  std::vector<DecoderLayer> decoder_;
  LayerNormOptions encoder_norm_, decoder_norm_;
};

}  // namespace attn
