// What each raw binding (_softmax, _attention, ...) computes, in plain C++: each reads its arguments
// from the staged slots and the option record (convert.hpp), calls the engine, and keeps its results
// for the result table. Each returns 0, or 1 with the error kept for _error(); nothing throws.
// bindings.cpp declares them to Embind; tests/fuzz drives them natively the way web/lib/engine.js
// does. String options come as arguments (their presence and type are in the record).
#pragma once

#include <string>

namespace attn::bindings::calls {

int softmax();                                              // x; temperature
int masked_softmax();                                       // x, validLens; fill
int score(std::string scoring);                             // queries, keys, wq, wk, v, w
int attention(std::string scoring, std::string mode);       // queries, keys, values; every option
int self_attention(std::string scoring, std::string mode);  // x, wq, wk, wv; every option
int multi_head_attention();  // queries, keys, values, wq, wk, wv, wo, bq, bk, bv, bo; numHeads, masks,
                             // temperature, trace, weights
int positional_encoding();                 // the length and dim keys
int layer_norm();                          // x, gamma, beta; eps
int linear();                              // x, w, bias
int feed_forward(std::string activation);  // x, w1, b1, w2, b2
// x and every weight of TransformerBlockOptions; numHeads, eps, masks, trace, weights
int transformer_block(std::string norm, std::string activation);
int apply_mask();     // x; masks
int softmax_steps();  // x; temperature
int add();            // a (slot x), b (slot keys)
int subtract();       // a (slot x), b (slot keys)
// shape as (rank, d0..d3) like stage(); the seed in the option record
int random(int rank, double d0, double d1, double d2, double d3, std::string distribution,
           double scale, double offset, double decimals);
// the widths staged as a tensor in Slot::x; the seed in the option record
int scale_experiment(double keys, double samples);
// x; rows and cols in the option record (count arguments, like positionalEncoding's)
int downsample(std::string reduce);

}  // namespace attn::bindings::calls
