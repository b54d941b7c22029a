// libFuzzer target: every call the WASM modules expose (native/bindings/calls.hpp), driven natively
// the way web/lib/engine.js drives them: each tensor staged into its slot with stage() and its data
// written where stage() says, the scalar options written into the option record as (tag, value),
// the call, the results read back, release(). Built twice: with the SIMD kernels (SSE2 lanes
// natively) and with the scalar reference kernels.
//
// The decoder first draws a plan of consistent sizes (B, Q, K, dq, ...) so that most inputs reach
// the math, then stages each argument from it, now and then breaking one thing: a missing tensor,
// a shape entry that is 0, huge, fractional, negative or NaN, a rank over 4, an option of the wrong
// type or out of range, values that are NaN, infinite, subnormal or near FLT_MAX.
//
// What counts as a crash (everything else is fine):
//   - a sanitizer report (ASan, UBSan) or an abort;
//   - a call that fails with anything but a TypeError or RangeError with a message (an "Error"
//     means an exception other than attn::Error and std::bad_alloc escaped the engine);
//   - a result holding NaN or ±Infinity (every accepted input is finite, so that is a wrong number),
//     softmax rows outside [0, 1] or not summing to 1 (or 0 where a -inf fill blocks a whole row),
//     or an output of the wrong shape;
//   - an allocation over the size limit: scripts/fuzz.mjs runs with -malloc_limit_mb=64, so a single
//     malloc beyond 2^24 floats is reported, as the limit says it cannot happen.
//
// Valid calls whose work would be large are skipped to keep executions fast; calls whose inputs or
// intermediates are over the size limit are always made: they must be refused before allocating.
#include <fuzzer/FuzzedDataProvider.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "attn/model.hpp"
#include "bindings/calls.hpp"
#include "bindings/convert.hpp"

namespace {

using namespace attn;
namespace b = attn::bindings;
namespace calls = attn::bindings::calls;
using b::Key;
using b::Slot;
using b::Tag;

constexpr double kDataBudget = 1 << 14;  // elements staged for one tensor at most
constexpr double kWorkBudget = 1 << 21;  // multiply-adds of one call, beyond which it is skipped
constexpr double kLimit = static_cast<double>(kMaxElements);

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "\nfuzz_api: %s\n", what.c_str());
  std::fflush(stderr);
  __builtin_trap();
}

// The call was refused: it must be as a TypeError or RangeError with a message, as the API says.
void expect_refusal() {
  if (b::error_name() != "TypeError" && b::error_name() != "RangeError") {
    fail("refused as " + b::error_name() + ": " + b::error_message());
  }
  if (b::error_message().empty()) fail("a refusal without a message");
}

// Skips the rest of an execution (a refusal already checked, or work over the budget).
struct Stop {};

class Decoder {
 public:
  explicit Decoder(FuzzedDataProvider& in) : in_(in) {}

  bool one_in(unsigned n) { return in_.ConsumeIntegralInRange<unsigned>(0, n - 1) == 0; }
  std::size_t size(std::size_t lo, std::size_t hi) { return in_.ConsumeIntegralInRange(lo, hi); }

  // A dimension: usually small (1..8, sometimes up to 70), rarely around the tiles and sqrt(2^24).
  std::size_t planned_dim() {
    switch (in_.ConsumeIntegralInRange(0, 15)) {
      case 0: return size(9, 70);
      case 1: return size(1, 4200);
      default: return size(1, 8);
    }
  }
  // As staged: the planned dimension, or rarely one that breaks the shape.
  double dim(std::size_t planned) {
    if (!one_in(24)) return static_cast<double>(planned);
    static constexpr double kOdd[] = {0,     1,        2,        4096,         4097,
                                      65536, 16777216, 16777217, 4294967295.0, 4294967296.0,
                                      1e20,  -1,       1.5,      NAN,          INFINITY};
    return in_.PickValueInArray(kOdd);
  }

  float value(unsigned model) {
    switch (model) {
      case 0: return static_cast<float>(in_.ConsumeIntegralInRange(-3, 3));
      case 1: return static_cast<float>(in_.ConsumeIntegralInRange(-32768, 32767)) / 8192.0f;
      case 2: {  // sign · 10^[-30, 30], log-uniform
        const double e = -30.0 + 60.0 * in_.ConsumeProbability<double>();
        return static_cast<float>((in_.ConsumeBool() ? -1 : 1) * std::pow(10.0, e));
      }
      case 3: {
        static constexpr float kEdges[] = {0.0f,     -0.0f,        1.0f,          -1.0f,   FLT_MIN,
                                           -FLT_MIN, FLT_TRUE_MIN, -FLT_TRUE_MIN, 1e-30f,  -1e-30f,
                                           1e30f,    -1e30f,       1e19f,         -1e19f,  88.7f,
                                           -104.0f,  3e38f,        FLT_MAX,       -FLT_MAX};
        return in_.PickValueInArray(kEdges);
      }
      default: {  // any bit pattern, NaN and ±inf included
        const std::uint32_t bits = in_.ConsumeIntegral<std::uint32_t>();
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return f;
      }
    }
  }
  unsigned value_model() {
    const unsigned m = in_.ConsumeIntegralInRange(0, 15);
    return m < 5 ? 0 : m < 10 ? 1 : m < 13 ? 2 : m < 15 ? 3 : 4;
  }

  // Stages a tensor of the planned shape (an entry now and then broken, rarely an axis too many) in
  // `slot`, as engine.js would; `binary`: mostly 0/1 entries (a mask). Returns the shape as staged.
  // A refusal by stage() ends the execution (JS throws there); so does a valid shape whose data
  // would be over the budget.
  std::vector<double> tensor(Slot slot, const std::vector<std::size_t>& planned,
                             bool binary = false) {
    std::vector<double> dims;
    for (std::size_t d : planned) dims.push_back(dim(d));
    if (one_in(64)) dims.push_back(dim(1));
    double n = 1;
    bool valid = dims.size() <= 4;
    for (double d : dims) {
      n *= d;
      valid = valid && d >= 0 && d == std::floor(d) && d <= 4294967295.0;
    }
    if (valid && n > kDataBudget && n <= kLimit) throw Stop{};  // legal, but too slow to fill
    double d4[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < dims.size() && i < 4; ++i) d4[i] = dims[i];
    const auto data =
        b::stage(static_cast<int>(slot), static_cast<int>(dims.size()), d4[0], d4[1], d4[2], d4[3]);
    if (!data) {
      expect_refusal();
      throw Stop{};
    }
    if (!valid || n > kDataBudget) fail("stage() accepted a shape it should refuse");
    const std::size_t count = static_cast<std::size_t>(n);
    if (slot == Slot::valid_lens) {
      auto* lens = static_cast<double*>(*data);
      for (std::size_t i = 0; i < count; ++i) lens[i] = length();
      return dims;
    }
    auto* x = static_cast<float*>(*data);
    const unsigned model = value_model();
    for (std::size_t i = 0; i < count; ++i)
      x[i] = binary ? (one_in(4) ? 0.0f : 1.0f) : value(model);
    if (binary && count && one_in(16)) x[0] = value(4);  // not 0/1
    return dims;
  }

  // A valid length: usually in [0, max_len], rarely not an integer, negative, past K or NaN.
  double length() {
    if (!one_in(32)) return static_cast<double>(size(0, max_len));
    static constexpr double kOdd[] = {-1, 0.5, 1e300, NAN, INFINITY, -0.0};
    return one_in(2) ? static_cast<double>(max_len + 1) : in_.PickValueInArray(kOdd);
  }
  std::size_t max_len = 1;

  // Writes option `key` into the record the way engine.js does: (tag of the JS type, value).
  void option(Key key, Tag tag, double value) {
    double* record = b::option_record();
    record[2 * static_cast<int>(key)] = static_cast<double>(tag);
    record[2 * static_cast<int>(key) + 1] = value;
  }
  // A number option: one of the usual values, rarely an odd one or a value of another JS type.
  double number(Key key, std::initializer_list<double> usual) {
    if (one_in(32)) {
      option(key, in_.PickValueInArray({Tag::boolean, Tag::string, Tag::other}), 1);
      return NAN;
    }
    double v = *(usual.begin() + size(0, usual.size() - 1));
    if (one_in(8)) {
      static constexpr double kOdd[] = {0,        -0.0,      -1,           1e-300,
                                        5e-324,   1e300,     1.5,          NAN,
                                        INFINITY, -INFINITY, 4294967296.0, 9007199254740992.0,
                                        -1e39,    3.5e38};
      v = in_.PickValueInArray(kOdd);
    }
    option(key, Tag::number, v);
    return v;
  }
  void boolean(Key key) {
    if (one_in(32))
      option(key, in_.PickValueInArray({Tag::number, Tag::string, Tag::other}), 0);
    else
      option(key, Tag::boolean, in_.ConsumeBool() ? 1 : 0);
  }
  // A string option: marked in the record, its text an argument of the call (as engine.js does).
  std::string string(Key key, std::initializer_list<const char*> names) {
    if (one_in(32)) {
      option(key, in_.PickValueInArray({Tag::number, Tag::boolean, Tag::other}), 0);
      return "";
    }
    option(key, Tag::string, 0);
    if (one_in(16)) return in_.ConsumeRandomLengthString(12);
    return *(names.begin() + size(0, names.size() - 1));
  }

 private:
  FuzzedDataProvider& in_;
};

// --- checks on results ---------------------------------------------------------------------------

const Tensor& result(std::size_t i, const char* what) {
  const Tensor* t = b::result(i);
  if (!t) fail(std::string(what) + ": missing from the result table");
  return *t;
}

void expect_finite(const Tensor& t, const char* what) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!std::isfinite(t.data()[i])) {
      fail(std::string(what) + ": element " + std::to_string(i) + " is " +
           std::to_string(t.data()[i]) + " although every input was accepted");
    }
  }
}

// Rows of `w` (last axis) are probability rows: entries in [0, 1] summing to 1 within float32
// rounding of K terms, or all exactly 0 when `zero_rows_ok` (a -inf fill can block a whole row).
void expect_rows(const Tensor& w, bool zero_rows_ok, const char* what) {
  if (w.dimension() == 0) return;  // not computed (weights: false)
  expect_finite(w, what);
  const std::size_t K = w.shape().back();
  const double tol = (2.0 * K + 8.0) * 0x1p-24;
  for (std::size_t r = 0; r * K < w.size(); ++r) {
    const float* row = w.data() + r * K;
    double sum = 0;
    for (std::size_t j = 0; j < K; ++j) {
      if (!(row[j] >= 0.0f && row[j] <= 1.0f)) fail(std::string(what) + ": weight outside [0, 1]");
      sum += row[j];
    }
    if (sum == 0.0 && zero_rows_ok) continue;
    if (std::fabs(sum - 1.0) > tol)
      fail(std::string(what) + ": row " + std::to_string(r) + " sums to " + std::to_string(sum));
  }
}

void expect_shape(const Tensor& t, const std::vector<double>& want, const char* what) {
  std::vector<double> got(t.shape().begin(), t.shape().end());
  if (got != want)
    fail(std::string(what) + ": shape " + shape_string(t.shape()) + " is not what the inputs give");
}

// The leading axes of `a` with `last` instead of its last: [(B,) Q, last].
std::vector<double> with_last(std::vector<double> a, double last) {
  a.back() = last;
  return a;
}

double product(std::initializer_list<double> f) {
  double p = 1;
  for (double x : f) p *= x;
  return p;
}

// Whether to make the call: always when an intermediate is over the size limit (it must be refused
// early), otherwise only when the work is within budget.
void afford(double work, std::initializer_list<double> sizes) {
  for (double s : sizes) {
    if (!(s <= kLimit)) return;
  }
  if (work > kWorkBudget) throw Stop{};
}

// [(b,) r, c] of a staged argument, as the engine sees it (anything unusable counts as 1: refused).
struct Dims3 {
  double b = 1, r = 1, c = 1;
};
Dims3 dims3(const std::vector<double>& s) {
  auto ok = [](double x) { return x >= 1 && x == std::floor(x) ? x : 1.0; };
  if (s.size() == 3) return {ok(s[0]), ok(s[1]), ok(s[2])};
  if (s.size() == 2) return {1, ok(s[0]), ok(s[1])};
  return {};
}

// --- attn.loadModel ------------------------------------------------------------------------------

// A model file (attn/model.hpp) of a small planned config, valid or broken in one or two places (a
// byte of the header, the header length, a truncation, a config field, a tensor entry), then
// loaded; a model that loads runs forward (with the trace) and greedy on ids that are now and then
// outside the vocabulary. Refusals must be attn::Error with a message; results must be finite, of
// their shapes, with attention rows summing to 1.
void model_file(FuzzedDataProvider& in, Decoder& d) {
  const std::size_t H = d.size(1, 3), D = H * d.size(1, 3), F = d.size(1, 6), enc = d.size(1, 2),
                    dec = d.size(1, 2), Vs = d.size(1, 6), Vt = d.size(1, 6);
  const bool half = in.ConsumeBool(), norm_first = in.ConsumeBool();
  // half the files are valid, so that forward and greedy run; the others have one fault
  enum class Fault {
    none,
    nhead,
    missing,
    shape,
    length,
    dtype,
    offsets,
    header_length,
    bytes,
    truncated
  };
  const Fault fault = d.one_in(2) ? Fault::none : static_cast<Fault>(d.size(1, 9));
  auto words = [&](const char* prefix, std::size_t n) {
    std::string w = "[";
    for (std::size_t i = 0; i < n; ++i)
      w += std::string(i ? "," : "") + "\\\"" + prefix + std::to_string(i) + "\\\"";
    return w + "]";
  };
  std::string nhead = std::to_string(H);
  if (fault == Fault::nhead) nhead = d.one_in(2) ? std::to_string(H + 1) : "\\\"2\\\"";
  std::string config = "{\\\"d_model\\\":" + std::to_string(D) + ",\\\"nhead\\\":" + nhead +
                       ",\\\"num_encoder_layers\\\":" + std::to_string(enc) +
                       ",\\\"num_decoder_layers\\\":" + std::to_string(dec) +
                       ",\\\"dim_feedforward\\\":" + std::to_string(F) +
                       ",\\\"activation\\\":\\\"" + (in.ConsumeBool() ? "relu" : "gelu") +
                       "\\\",\\\"norm_first\\\":" + (norm_first ? "true" : "false") +
                       ",\\\"layer_norm_eps\\\":1e-5" + ",\\\"src_vocab\\\":" + words("s", Vs) +
                       ",\\\"tgt_vocab\\\":" + words("t", Vt) +
                       ",\\\"pad\\\":0,\\\"bos\\\":" + std::to_string(d.size(0, Vt - 1)) +
                       ",\\\"eos\\\":" + std::to_string(d.size(0, Vt - 1)) + "}";
  std::vector<std::pair<std::string, std::vector<std::size_t>>> tensors = {
      {"src_embed.weight", {Vs, D}},
      {"tgt_embed.weight", {Vt, D}},
      {"generator.weight", {Vt, D}},
      {"generator.bias", {Vt}}};
  auto attention = [&](const std::string& p) {
    tensors.push_back({p + "in_proj_weight", {3 * D, D}});
    tensors.push_back({p + "in_proj_bias", {3 * D}});
    tensors.push_back({p + "out_proj.weight", {D, D}});
    tensors.push_back({p + "out_proj.bias", {D}});
  };
  auto layer = [&](const std::string& p, bool decoder) {
    attention(p + "self_attn.");
    if (decoder) attention(p + "multihead_attn.");
    tensors.push_back({p + "linear1.weight", {F, D}});
    tensors.push_back({p + "linear1.bias", {F}});
    tensors.push_back({p + "linear2.weight", {D, F}});
    tensors.push_back({p + "linear2.bias", {D}});
    for (const char* n : {"norm1", "norm2", "norm3"}) {
      if (n[4] == '3' && !decoder) break;
      tensors.push_back({p + n + ".weight", {D}});
      tensors.push_back({p + n + ".bias", {D}});
    }
  };
  for (std::size_t l = 0; l < enc; ++l)
    layer("transformer.encoder.layers." + std::to_string(l) + ".", false);
  for (std::size_t l = 0; l < dec; ++l)
    layer("transformer.decoder.layers." + std::to_string(l) + ".", true);
  for (const char* n : {"transformer.encoder.norm", "transformer.decoder.norm"}) {
    tensors.push_back({std::string(n) + ".weight", {D}});
    tensors.push_back({std::string(n) + ".bias", {D}});
  }
  if (fault == Fault::missing)
    tensors.erase(tensors.begin() + static_cast<long>(d.size(0, tensors.size() - 1)));
  std::string header = "{\"__metadata__\":{\"config\":\"" + config + "\"}";
  std::string data;
  const unsigned values = d.value_model();
  const std::size_t victim = d.size(0, tensors.size() - 1);  // the tensor of a per-tensor fault
  for (std::size_t t = 0; t < tensors.size(); ++t) {
    auto& [name, shape] = tensors[t];
    const bool hit = t == victim;
    if (hit && fault == Fault::shape) shape.push_back(2);  // a shape that disagrees with its bytes
    std::size_t n = 1;
    for (std::size_t x : shape) n *= x;
    if (hit && fault == Fault::length) n += 1;
    const std::size_t begin = data.size();
    for (std::size_t i = 0; i < n; ++i) {
      const float v = d.value(values) / 4;
      if (half) {  // a few exact halves: 0, ±0.25 .. ±2, or any bit pattern
        const std::uint16_t h =
            d.one_in(256) ? in.ConsumeIntegral<std::uint16_t>()
                          : static_cast<std::uint16_t>(v == 0 ? 0 : (v < 0 ? 0xB400 : 0x3400));
        data += static_cast<char>(h & 0xFF);
        data += static_cast<char>(h >> 8);
      } else {
        char bytes[4];
        std::memcpy(bytes, &v, 4);
        data.append(bytes, 4);
      }
    }
    std::string dims;
    for (std::size_t x : shape) dims += (dims.empty() ? "" : ",") + std::to_string(x);
    header += ",\"" + name + "\":{\"dtype\":\"" +
              (hit && fault == Fault::dtype ? "BF16"
               : half                       ? "F16"
                                            : "F32") +
              "\",\"shape\":[" + dims + "],\"data_offsets\":[" + std::to_string(begin) + "," +
              std::to_string(hit && fault == Fault::offsets ? data.size() + 4096 : data.size()) +
              "]}";
  }
  header += "}";
  std::string file(8, '\0');
  std::uint64_t n = header.size();
  if (fault == Fault::header_length) n = in.ConsumeIntegral<std::uint64_t>();
  for (int i = 0; i < 8; ++i) file[static_cast<std::size_t>(i)] = static_cast<char>(n >> (8 * i));
  file += header + data;
  if (fault == Fault::bytes) {  // one to three bytes overwritten, anywhere
    for (std::size_t k = d.size(1, 3); k-- > 0;)
      file[d.size(0, file.size() - 1)] = static_cast<char>(in.ConsumeIntegral<std::uint8_t>());
  }
  if (fault == Fault::truncated) file.resize(d.size(0, file.size() - 1));

  std::optional<Model> model;
  try {
    model.emplace(Model::load(reinterpret_cast<const std::uint8_t*>(file.data()), file.size()));
  } catch (const Error& e) {
    if (std::string(e.what()).empty()) fail("a refused model file without a message");
    return;
  }
  auto ids = [&](std::size_t V, std::size_t n) {
    std::vector<double> v;
    for (std::size_t i = 0; i < n; ++i)
      v.push_back(d.one_in(32) ? static_cast<double>(V) + d.size(0, 2) - 1.5
                               : double(d.size(0, V - 1)));
    return v;
  };
  const std::vector<double> src = ids(Vs, d.size(0, 6)), tgt = ids(Vt, d.size(0, 6));
  try {
    const ModelForward f = model->forward(src, tgt, in.ConsumeBool());
    expect_finite(f.logits, "model logits");
    expect_shape(f.logits, {double(tgt.size()), double(Vt)}, "model logits");
    for (const auto* kind : {&f.encoder, &f.decoder, &f.cross})
      for (const Tensor& w : *kind) expect_rows(w, false, "model attention weights");
    const GreedyResult g = model->greedy(src, d.size(1, 6));
    for (const GreedyStep& s : g.steps)
      for (float p : s.probabilities)
        if (!(p >= 0 && p <= 1)) fail("greedy: a probability outside [0, 1]");
    const std::string word = in.ConsumeRandomLengthString(40);  // any bytes, UTF-8 or not
    if (model->nearest(word, d.size(0, 8)).size() > Vs)
      fail("nearest: more words than the vocabulary");
    model->encode({word, "s0"});
    model->decode(ids(Vt, d.size(0, 4)), in.ConsumeBool());
  } catch (const Error& e) {
    if (std::string(e.what()).empty()) fail("a refused model call without a message");
  }
}

// --- one execution -------------------------------------------------------------------------------

void run(FuzzedDataProvider& in) {
  Decoder d(in);
  const unsigned op = in.ConsumeIntegralInRange(0, 17);
  const bool batched = in.ConsumeBool();
  const std::size_t B = batched ? d.planned_dim() : 1, Q = d.planned_dim(), K = d.planned_dim(),
                    dq = d.planned_dim(), dv = d.planned_dim(), h = d.planned_dim();
  const std::size_t dk = in.ConsumeBool() ? dq : d.planned_dim();
  d.max_len = K;
  auto rows = [&](std::size_t r, std::size_t c) {
    return batched ? std::vector<std::size_t>{B, r, c} : std::vector<std::size_t>{r, c};
  };
  // the -inf fill can leave whole rows at 0; anything else must sum to 1
  bool zero_rows = false;
  auto masks = [&] {
    if (d.one_in(2)) {
      switch (in.ConsumeIntegralInRange(0, 3)) {  // a scalar, [B], [B, Q] or [Q]
        case 0: d.tensor(Slot::valid_lens, {}); break;
        case 1: d.tensor(Slot::valid_lens, {batched ? B : Q}); break;
        case 2: d.tensor(Slot::valid_lens, {B, Q}); break;
        default: d.tensor(Slot::valid_lens, {Q}); break;
      }
    }
    if (d.one_in(2))
      d.tensor(Slot::mask, d.one_in(2) ? std::vector<std::size_t>{Q, K} : rows(Q, K), true);
    if (d.one_in(2)) d.boolean(Key::causal);
    if (d.one_in(2)) zero_rows = d.number(Key::fill, {-1e6, -INFINITY, 0, -1e30, 5}) < -FLT_MAX;
  };
  auto temperature = [&] {
    if (d.one_in(2)) d.number(Key::temperature, {1, 0.5, 2, 1e-3, 1e3, 1e-30, 1e-45});
  };

  switch (op) {
    case 0:
    case 8: {  // softmax(x, { temperature }) and softmaxSteps(x, { temperature })
      std::vector<std::size_t> shape(d.size(1, 4));
      for (auto& s : shape) s = d.planned_dim();
      const auto x = d.tensor(Slot::x, shape);
      temperature();
      if (op == 0) {
        if (calls::softmax() != 0) return expect_refusal();
        expect_shape(result(0, "softmax"), x, "softmax");
        expect_rows(result(0, "softmax"), false, "softmax");
      } else {
        if (calls::softmax_steps() != 0) return expect_refusal();
        expect_shape(result(4, "softmaxSteps weights"), x, "softmaxSteps weights");
        expect_rows(result(4, "softmaxSteps weights"), true,
                    "softmaxSteps weights");  // -inf rows: 0
        expect_finite(result(3, "softmaxSteps sum"), "softmaxSteps sum");
      }
      return;
    }
    case 1:
    case 7: {  // maskedSoftmax(x, validLens, { fill }) and applyMask(x, { masks })
      const auto x = d.tensor(Slot::x, rows(Q, K));
      if (op == 1) {
        if (d.one_in(2)) d.tensor(Slot::valid_lens, {batched ? B : Q});
        if (d.one_in(2)) zero_rows = d.number(Key::fill, {-1e6, -INFINITY, 0, -1e30}) < -FLT_MAX;
        if (calls::masked_softmax() != 0) return expect_refusal();
        expect_shape(result(0, "maskedSoftmax"), x, "maskedSoftmax");
        expect_rows(result(0, "maskedSoftmax"), zero_rows, "maskedSoftmax");
      } else {
        masks();
        if (calls::apply_mask() != 0) return expect_refusal();
        const Tensor& y = result(0, "applyMask");
        expect_shape(y, x, "applyMask");
        for (float v : y) {
          if (std::isnan(v) || v == INFINITY) fail("applyMask: NaN or +inf");
        }
      }
      return;
    }
    case 2:
    case 3: {  // score(q, k, options) and attention(q, k, v, options)
      const auto q = d.tensor(Slot::x, rows(Q, dq)), k = d.tensor(Slot::keys, rows(K, dk));
      const auto v = op == 3 ? d.tensor(Slot::values, rows(K, dv)) : std::vector<double>{1, 1};
      std::string scoring;
      if (d.one_in(2))
        scoring = d.string(Key::scoring, {"dot", "scaled_dot", "additive", "bilinear"});
      if (d.one_in(2)) d.tensor(Slot::wq, {dq, h});
      if (d.one_in(2)) d.tensor(Slot::wk, {dk, h});
      if (d.one_in(2)) d.tensor(Slot::v, {h});
      if (d.one_in(2)) d.tensor(Slot::w, {dq, dk});
      const Dims3 qd = dims3(q), kd = dims3(k), vd = dims3(v);
      const double hidden = scoring == "additive" ? h : scoring == "bilinear" ? dk : 0;
      const double work = product({qd.b, qd.r, kd.r, qd.c + kd.c + vd.c + hidden}) +
                          product({qd.b, qd.r + kd.r, qd.c + kd.c, hidden});
      const double scores = product({qd.b, qd.r, kd.r});
      if (op == 2) {
        afford(work, {scores, product({qd.r, hidden}), product({kd.r, hidden})});
        if (calls::score(scoring) != 0) return expect_refusal();
        expect_finite(result(0, "score"), "score");
        expect_shape(result(0, "score"), with_last(q, k[k.size() - 2]), "score");
        return;
      }
      masks();
      temperature();
      std::string mode;
      if (d.one_in(2)) mode = d.string(Key::mode, {"soft", "argmax", "sample"});
      if (d.one_in(2)) d.number(Key::seed, {0, 1, 42, 9007199254740991.0});
      if (d.one_in(2)) d.boolean(Key::weights);
      if (d.one_in(2)) d.boolean(Key::trace);
      afford(work, {scores, product({qd.b, qd.r, vd.c}), product({qd.r, hidden}),
                    product({kd.r, hidden})});
      if (calls::attention(scoring, mode) != 0) return expect_refusal();
      const Tensor& output = result(0, "attention output");
      expect_finite(output, "attention output");
      expect_shape(output, with_last(q, v.back()), "attention output");
      expect_rows(result(1, "attention weights"), zero_rows, "attention weights");
      expect_finite(result(2, "attention scores"), "attention scores");
      expect_rows(result(4, "attention probabilities"), zero_rows, "attention probabilities");
      for (float x : result(3, "attention logits")) {  // masked logits are the fill, possibly -inf
        if (std::isnan(x) || x == INFINITY) fail("attention logits: NaN or +inf");
      }
      return;
    }
    case 4: {  // selfAttention(x, { wq, wk, wv, ... })
      const auto x = d.tensor(Slot::x, rows(Q, dq));
      d.tensor(Slot::wq, {dq, dk});
      d.tensor(Slot::wk, {dq, dk});
      if (!d.one_in(16)) d.tensor(Slot::wv, {dq, dv});
      std::string scoring;
      if (d.one_in(2))
        scoring = d.string(Key::scoring, {"dot", "scaled_dot", "bilinear", "additive"});
      if (d.one_in(2)) d.tensor(Slot::w, {dk, dk});
      masks();
      temperature();
      const Dims3 xd = dims3(x);
      const double work =
          product({xd.b, xd.r, xd.c, 2.0 * dk + dv}) + product({xd.b, xd.r, xd.r, 2.0 * dk + dv});
      afford(work, {product({xd.b, xd.r, xd.r}), product({xd.b, xd.r, double(dk)}),
                    product({xd.b, xd.r, double(dv)})});
      if (calls::self_attention(scoring, "") != 0) return expect_refusal();
      expect_finite(result(0, "selfAttention q"), "selfAttention q");
      expect_rows(result(5, "selfAttention weights"), zero_rows, "selfAttention weights");
      expect_finite(result(6, "selfAttention output"), "selfAttention output");
      return;
    }
    case 5: {  // multiHeadAttention(q, k, v, { numHeads, wq, wk, wv, wo, ... })
      const std::size_t H = d.size(1, 4), D = H * d.size(1, 4), dout = d.planned_dim();
      const auto q = d.tensor(Slot::x, rows(Q, dq)), k = d.tensor(Slot::keys, rows(K, dk)),
                 v = d.tensor(Slot::values, rows(K, dv));
      d.number(Key::num_heads, {double(H), 1, 2});
      const std::size_t Dq = d.one_in(16) ? D + 1 : D;
      if (!d.one_in(32)) d.tensor(Slot::wq, {dq, Dq});
      if (!d.one_in(32)) d.tensor(Slot::wk, {dk, D});
      if (!d.one_in(32)) d.tensor(Slot::wv, {dv, D});
      std::vector<double> wo{double(D), double(dout)};
      if (!d.one_in(32)) wo = d.tensor(Slot::wo, {D, dout});
      if (d.one_in(2)) d.tensor(Slot::bq, {d.one_in(16) ? D + 1 : D});
      if (d.one_in(2)) d.tensor(Slot::bk, {D});
      if (d.one_in(2)) d.tensor(Slot::bv, {D});
      if (d.one_in(2)) d.tensor(Slot::bo, {dout});
      if (d.one_in(4)) d.boolean(Key::weights);
      if (d.one_in(4)) d.boolean(Key::trace);
      masks();
      temperature();
      const Dims3 qd = dims3(q), kd = dims3(k), vd = dims3(v);
      const double work = product({qd.b, qd.r + 2 * kd.r, qd.c + kd.c + vd.c, double(Dq)}) +
                          product({qd.b, qd.r, kd.r, 2.0 * D}) +
                          product({qd.b, qd.r, double(D), double(dout)});
      afford(work, {product({qd.b, double(H), qd.r, kd.r}), product({qd.b, qd.r, double(dout)}),
                    product({qd.b, kd.r, double(D)})});
      if (calls::multi_head_attention() != 0) return expect_refusal();
      const Tensor& output = result(0, "multiHeadAttention output");
      expect_finite(output, "multiHeadAttention output");
      expect_shape(output, with_last(q, wo.at(1)),
                   "multiHeadAttention output");  // accepted: wo was [D, dout]
      expect_rows(result(1, "multiHeadAttention weights"), zero_rows, "multiHeadAttention weights");
      expect_finite(result(7, "multiHeadAttention heads"), "multiHeadAttention heads");
      return;
    }
    case 6: {  // positionalEncoding(length, dim)
      const double length = d.number(Key::length, {1, 7, double(Q), 4096});
      const double dim = d.number(Key::dim, {1, 2, 3, double(dq), 4097});
      afford(length * dim, {length * dim});
      if (calls::positional_encoding() != 0) return expect_refusal();
      const Tensor& pe = result(0, "positionalEncoding");
      expect_finite(pe, "positionalEncoding");
      expect_shape(pe, {length, dim}, "positionalEncoding");
      for (float x : pe) {
        if (std::fabs(x) > 1.0f) fail("positionalEncoding: |sin| or |cos| over 1");
      }
      return;
    }
    case 9: {  // add(a, b) or subtract(a, b): same shapes, or now and then not
      std::vector<std::size_t> shape(d.size(1, 4));
      for (auto& s : shape) s = d.planned_dim();
      const auto a = d.tensor(Slot::x, shape);
      if (d.one_in(8)) shape.back() += 1;
      d.tensor(Slot::keys, shape);
      const bool sum = d.one_in(2);
      const char* name = sum ? "add" : "subtract";
      if ((sum ? calls::add() : calls::subtract()) != 0) return expect_refusal();
      expect_shape(result(0, name), a, name);
      for (float x : result(0, name)) {  // finite inputs may still overflow: refused, never shown
        if (!std::isfinite(x)) fail("add/subtract: a non-finite result was returned");
      }
      return;
    }
    case 10: {  // random(shape, { seed, distribution, scale, offset, decimals })
      const int rank = static_cast<int>(d.size(0, 5));
      double dims[4] = {0, 0, 0, 0};
      for (int i = 0; i < rank && i < 4; ++i) dims[i] = d.dim(d.planned_dim());
      if (d.one_in(2)) d.number(Key::seed, {0, 1, 42, 9007199254740991.0});
      const std::string distribution = in.PickValueInArray({"normal", "uniform", "cauchy", ""});
      static constexpr double kScalars[] = {1, 0.5, 0, -1, 1e30, 1e31, NAN, INFINITY};
      static constexpr double kDecimals[] = {-1, 0, 2, 6, 7, -2, 1.5, NAN};
      const double scale = in.PickValueInArray(kScalars), offset = in.PickValueInArray(kScalars);
      const double decimals = in.PickValueInArray(kDecimals);
      double n = 1;
      for (int i = 0; i < rank && i < 4; ++i) n *= dims[i];
      afford(n, {n});
      if (calls::random(rank, dims[0], dims[1], dims[2], dims[3], distribution, scale, offset,
                        decimals) != 0) {
        return expect_refusal();
      }
      expect_finite(result(0, "random"), "random");
      return;
    }
    case 11: {  // scaleExperiment({ dims, keys, samples, seed })
      const auto widths = d.tensor(Slot::x, {d.size(0, 70)});  // values of any kind: most refused
      const double keys = d.one_in(8) ? d.dim(2000) : static_cast<double>(d.size(1, 16));
      const double samples = d.one_in(8) ? d.dim(5000) : static_cast<double>(d.size(1, 16));
      if (d.one_in(2)) d.number(Key::seed, {0, 1, 42});
      // the engine bounds the work to 2^26; within the bounds of keys and samples, skip the slow
      afford(product({widths[0], keys, samples, 4096.0}),
             {keys <= 1024 ? 0 : INFINITY, samples <= 4096 ? 0 : INFINITY});
      if (calls::scale_experiment(keys, samples) != 0) return expect_refusal();
      for (std::size_t i = 0; i < 7; ++i)
        expect_finite(result(i, "scaleExperiment"), "scaleExperiment");
      return;
    }
    case 12: {  // layerNorm(x, { gamma, beta, eps })
      std::vector<std::size_t> shape(d.size(1, 4));
      for (auto& s : shape) s = d.planned_dim();
      const auto x = d.tensor(Slot::x, shape);
      if (d.one_in(2)) d.tensor(Slot::gamma, {shape.back()});
      if (d.one_in(2)) d.tensor(Slot::beta, {d.one_in(16) ? shape.back() + 1 : shape.back()});
      if (d.one_in(2)) d.number(Key::eps, {1e-5, 1e-12, 1, 1e30});
      if (calls::layer_norm() != 0) return expect_refusal();
      expect_shape(result(0, "layerNorm"), x, "layerNorm");
      expect_finite(result(0, "layerNorm"), "layerNorm");
      return;
    }
    case 13:
    case 14: {  // linear(x, w, { bias }) and feedForward(x, { w1, b1, w2, b2, activation })
      std::vector<std::size_t> shape(d.size(1, 3));
      for (auto& s : shape) s = d.planned_dim();
      shape.back() = dq;
      const auto x = d.tensor(Slot::x, shape);
      double rows = 1;  // the leading axes of x (anything unusable counts as 1: refused)
      for (std::size_t i = 0; i + 1 < x.size(); ++i) rows *= x[i] >= 1 ? x[i] : 1;
      if (op == 13) {
        std::vector<double> w{double(dq), double(h)};
        if (!d.one_in(32)) w = d.tensor(Slot::w, {d.one_in(16) ? dq + 1 : dq, h});
        if (d.one_in(2)) d.tensor(Slot::bias, {h});
        afford(rows * dq * h, {rows * h});
        if (calls::linear() != 0) return expect_refusal();
        expect_shape(result(0, "linear"), with_last(x, w.at(1)),
                     "linear");  // accepted: w was [dq, out]
        expect_finite(result(0, "linear"), "linear");
        return;
      }
      if (!d.one_in(32)) d.tensor(Slot::w1, {dq, h});
      if (d.one_in(2)) d.tensor(Slot::b1, {h});
      std::vector<double> w2{double(h), double(dv)};
      if (!d.one_in(32)) w2 = d.tensor(Slot::w2, {d.one_in(16) ? h + 1 : h, dv});
      if (d.one_in(2)) d.tensor(Slot::b2, {dv});
      std::string activation;
      if (d.one_in(2)) activation = d.string(Key::activation, {"relu", "gelu"});
      afford(rows * h * (dq + dv), {rows * h, rows * dv});
      if (calls::feed_forward(activation) != 0) return expect_refusal();
      expect_shape(result(0, "feedForward"), with_last(x, w2.at(1)),
                   "feedForward");  // accepted: w2 was [F, out]
      expect_finite(result(0, "feedForward"), "feedForward");
      return;
    }
    case 15: {  // transformerBlock(x, { numHeads, every weight, norm, activation, eps, masks, trace, weights })
      const std::size_t H = d.size(1, 4), D = H * d.size(1, 4), F = d.planned_dim();
      const auto x = d.tensor(Slot::x, rows(Q, D));
      d.number(Key::num_heads, {double(H), 1, 2});
      const std::size_t Dw = d.one_in(16) ? D + 1 : D;
      for (Slot w : {Slot::wq, Slot::wk, Slot::wv, Slot::wo}) {
        if (!d.one_in(64)) d.tensor(w, {D, Dw});
      }
      for (Slot b : {Slot::bq, Slot::bk, Slot::bv, Slot::bo, Slot::b2, Slot::gamma1, Slot::beta1,
                     Slot::gamma2, Slot::beta2}) {
        if (d.one_in(2)) d.tensor(b, {D});
      }
      if (!d.one_in(64)) d.tensor(Slot::w1, {D, F});
      if (d.one_in(2)) d.tensor(Slot::b1, {F});
      if (!d.one_in(64)) d.tensor(Slot::w2, {F, D});
      std::string norm, activation;
      if (d.one_in(2)) norm = d.string(Key::norm, {"post", "pre"});
      if (d.one_in(2)) activation = d.string(Key::activation, {"relu", "gelu"});
      if (d.one_in(2)) d.number(Key::eps, {1e-5, 1e-12, 1});
      // masks over T x T: key padding [B] (or a scalar, or [B, T]), causal, a 0/1 mask
      d.max_len = Q;
      if (d.one_in(2))
        d.tensor(Slot::valid_lens, d.one_in(4) ? std::vector<std::size_t>{}
                                               : std::vector<std::size_t>{batched ? B : Q});
      if (d.one_in(4)) d.tensor(Slot::mask, {Q, Q}, true);
      if (d.one_in(2)) d.boolean(Key::causal);
      if (d.one_in(2)) zero_rows = d.number(Key::fill, {-1e6, -INFINITY, 0}) < -FLT_MAX;
      if (d.one_in(4)) d.boolean(Key::trace);
      if (d.one_in(4)) d.boolean(Key::weights);
      const Dims3 xd = dims3(x);
      const double work = product({xd.b, xd.r, double(D), 4.0 * D + 2.0 * F}) +
                          product({xd.b, xd.r, xd.r, 2.0 * D});
      afford(work, {product({xd.b, double(H), xd.r, xd.r}), product({xd.b, xd.r, double(F)})});
      if (calls::transformer_block(norm, activation) != 0) return expect_refusal();
      const Tensor& output = result(0, "transformerBlock output");
      expect_finite(output, "transformerBlock output");
      expect_shape(output, x, "transformerBlock output");
      expect_rows(result(1, "transformerBlock weights"), zero_rows, "transformerBlock weights");
      for (std::size_t i = 8; i < 15; ++i) {
        expect_finite(result(i, "transformerBlock steps"),
                      "transformerBlock steps");  // empty: nothing to check
      }
      return;
    }
    case 17: {  // downsample(x, { rows, cols, reduce })
      std::vector<std::size_t> shape(d.one_in(8) ? d.size(1, 4) : 2);
      for (auto& s : shape) s = d.planned_dim();
      const auto x = d.tensor(Slot::x, shape);
      const double m = shape[0], n = shape.size() > 1 ? shape[1] : 1;
      const double rows = d.number(Key::rows, {1, 2, m, m + 1, 0, 0.5});
      const double cols = d.number(Key::cols, {1, 3, n, n + 1, 0, 1e30});
      std::string reduce;
      if (d.one_in(2)) reduce = d.string(Key::reduce, {"mean", "max", "sum"});
      if (calls::downsample(reduce) != 0) return expect_refusal();
      const Tensor& values = result(0, "downsample");
      expect_finite(values, "downsample");
      expect_shape(values, {rows, cols}, "downsample");
      expect_shape(result(1, "downsample rowEdges"), {rows + 1}, "downsample rowEdges");
      return;
    }
    default: {  // stage() on anything: any slot, rank and shape numbers; or a model file
      if (in.ConsumeBool()) return model_file(in, d);
      const int slot = in.ConsumeIntegralInRange(-2, static_cast<int>(Slot::count) + 1),
                rank = in.ConsumeIntegralInRange(-1, 6);
      double dims[4];
      for (double& x : dims)
        x = in.ConsumeBool() ? d.dim(d.planned_dim()) : in.ConsumeFloatingPoint<double>();
      double n = 1;
      for (int i = 0; i < rank && i < 4; ++i) n *= dims[i];
      if (n > kDataBudget && n <= kLimit) return;  // legal and slow
      if (!b::stage(slot, rank, dims[0], dims[1], dims[2], dims[3])) expect_refusal();
      return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  try {
    run(in);
  } catch (const Stop&) {
  }
  // anything else propagates: libFuzzer reports an uncaught exception as a crash
  b::release();  // as engine.js does after every call, refused or not
  return 0;
}
