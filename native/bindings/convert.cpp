#include "convert.hpp"

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace attn::bindings {

namespace {

constexpr int kSlots = static_cast<int>(Slot::count);
constexpr int kKeys = static_cast<int>(Key::count);
constexpr int kMaxResults = 16;

struct SlotInfo {
  const char* name;
  SlotKind kind;
};
#define ATTN_SLOT_INFO(id, name, kind) {name, SlotKind::kind},
constexpr SlotInfo kSlotInfo[] = {ATTN_BINDING_SLOTS(ATTN_SLOT_INFO)};
#undef ATTN_SLOT_INFO
#define ATTN_NAME(id, name) name,
constexpr const char* kKeyNames[] = {ATTN_BINDING_KEYS(ATTN_NAME)};
#undef ATTN_NAME
#define ATTN_NAME(id) #id,
constexpr const char* kTagNames[] = {ATTN_BINDING_TAGS(ATTN_NAME)};
#undef ATTN_NAME

// Valid lengths are staged as doubles in their own storage, which holds one tensor.
constexpr bool only_valid_lens_holds_lengths() {
  for (int i = 0; i < kSlots; ++i) {
    if ((kSlotInfo[i].kind == SlotKind::lengths) != (i == static_cast<int>(Slot::valid_lens)))
      return false;
  }
  return true;
}
static_assert(only_valid_lens_holds_lengths());

// The state of the call in progress (calls are synchronous and never nested).
std::optional<Tensor> staged[kSlots];
std::optional<Lengths> staged_lengths;
double options[2 * kKeys];  // (tag, value) per Key, written by JS
std::unique_ptr<Held> held;
std::uint32_t table[1 + 6 * kMaxResults];
const Tensor* described[kMaxResults];
std::string last_name, last_message;

// A WASM address (32-bit; natively only the tensors of result() are meaningful)
std::uint32_t address_of(const void* p) {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p));
}

Tag tag(Key key) { return static_cast<Tag>(static_cast<int>(options[2 * static_cast<int>(key)])); }
double value(Key key) { return options[2 * static_cast<int>(key) + 1]; }

}  // namespace

const char* slot_name(Slot slot) { return kSlotInfo[static_cast<int>(slot)].name; }
SlotKind slot_kind(Slot slot) { return kSlotInfo[static_cast<int>(slot)].kind; }
const char* slot_kind_name(SlotKind kind) {
  switch (kind) {
    case SlotKind::floats: return "floats";
    case SlotKind::mask: return "mask";
    case SlotKind::lengths: return "lengths";
  }
  return "?";
}
const char* key_name(Key key) { return kKeyNames[static_cast<int>(key)]; }
const char* tag_name(Tag tag) { return kTagNames[static_cast<int>(tag)]; }

std::optional<void*> stage(int slot, int rank, double d0, double d1, double d2, double d3) {
  std::optional<void*> address;
  guarded([&] {
    // JS has checked all of this with the same messages; here it guards the allocation
    if (slot < 0 || slot >= kSlots || rank < 0 || rank > 4) {
      throw_range_error("stage: slot " + std::to_string(slot) + ", rank " + std::to_string(rank));
    }
    const char* name = slot_name(static_cast<Slot>(slot));
    const double dims[4] = {d0, d1, d2, d3};
    Tensor::shape_type shape(static_cast<std::size_t>(rank));
    std::size_t n = 1;
    for (int i = 0; i < rank; ++i) {
      if (!(dims[i] >= 0 && dims[i] == std::floor(dims[i]) && dims[i] <= 4294967295.0)) {
        throw_range_error(std::string(name) + ": shape entries must be integers >= 0, got " +
                          std::to_string(dims[i]));
      }
      shape[i] = static_cast<std::size_t>(dims[i]);
      n = checked_product({n, shape[i]});
    }
    // An empty axis makes the element count 0 and would let the other axes be huge, overflowing
    // xtensor's signed strides (found by the hardening branch's fuzzer under UBSan): bound the
    // product of the non-empty axes too. (Each function then refuses the empty axis by name.)
    std::size_t strides = 1;
    for (std::size_t d : shape) strides = checked_product({strides, d == 0 ? 1 : d});
    check_size(strides, name);
    check_size(n, name);
    if (slot_kind(static_cast<Slot>(slot)) == SlotKind::lengths) {
      staged_lengths = Lengths::from_shape(shape);
      address = staged_lengths->data();
    } else {
      staged[slot] = Tensor::from_shape(shape);
      address = staged[slot]->data();
    }
  });
  return address;
}

void release() {
  for (auto& t : staged) t.reset();
  staged_lengths.reset();
  held.reset();
  table[0] = 0;
  std::fill(std::begin(options), std::end(options), 0.0);
}

double* option_record() { return options; }
const std::uint32_t* result_table() { return table; }
const Tensor* result(std::size_t i) { return i < table[0] ? described[i] : nullptr; }

const std::string& error_name() { return last_name; }
const std::string& error_message() { return last_message; }

void set_error(const char* name, const std::string& message) {
  last_name = name;
  last_message = message;
}

const Tensor& input(Slot slot, const char* name) {
  const auto& t = staged[static_cast<int>(slot)];
  if (!t) throw_type_error(std::string(name) + ": expected a tensor { data, shape }");
  return *t;
}

std::optional<Tensor> optional_tensor(Slot slot) {
  std::optional<Tensor> t = std::move(staged[static_cast<int>(slot)]);
  staged[static_cast<int>(slot)].reset();
  return t;
}

std::optional<Lengths> optional_lengths() {
  std::optional<Lengths> t = std::move(staged_lengths);
  staged_lengths.reset();
  return t;
}

double number_option(Key key, double fallback) {
  if (tag(key) == Tag::undefined) return fallback;
  if (tag(key) != Tag::number) throw_type_error(std::string(key_name(key)) + ": expected a number");
  return value(key);
}

bool bool_option(Key key, bool fallback) {
  if (tag(key) == Tag::undefined) return fallback;
  if (tag(key) != Tag::boolean)
    throw_type_error(std::string(key_name(key)) + ": expected true or false");
  return value(key) != 0.0;
}

std::string string_option(Key key, const std::string& s, const char* fallback) {
  if (tag(key) == Tag::undefined) return fallback;
  if (tag(key) != Tag::string) throw_type_error(std::string(key_name(key)) + ": expected a string");
  return s;
}

std::size_t count_argument(Key key) {
  if (tag(key) != Tag::number)
    throw_type_error(std::string(key_name(key)) + ": expected an integer");
  const double d = value(key);
  if (!(d >= 0 && d == std::floor(d) && d <= 4294967295.0)) {
    throw_range_error(std::string(key_name(key)) + ": expected an integer >= 0, got " +
                      std::to_string(d));
  }
  return static_cast<std::size_t>(d);
}

std::uint64_t seed_option() {
  const double seed = number_option(Key::seed, 0.0);
  if (!(seed >= 0 && seed == std::floor(seed) && seed <= 9007199254740991.0)) {
    throw_range_error("seed: expected an integer in [0, 2^53 - 1], got " + std::to_string(seed));
  }
  return static_cast<std::uint64_t>(seed);
}

std::size_t num_heads_option() {
  const double heads = number_option(Key::num_heads, 1.0);
  if (!(heads >= 1 && heads == std::floor(heads) && heads <= 65536)) {
    throw_range_error("numHeads: expected an integer >= 1, got " + std::to_string(heads));
  }
  return static_cast<std::size_t>(heads);
}

MaskOptions mask_options() {
  MaskOptions m;
  m.valid_lens = optional_lengths();
  m.mask = optional_tensor(Slot::mask);
  m.causal = bool_option(Key::causal, false);
  const double fill = number_option(Key::fill, kDefaultFill);
  if (std::isnan(fill) || fill == INFINITY) {
    throw_range_error("fill: must be a number or -Infinity (not NaN or +Infinity)");
  }
  // beyond float range: -inf is what float32 would round it to (casting would be undefined)
  m.fill = fill < -FLT_MAX ? -INFINITY : (fill > FLT_MAX ? FLT_MAX : static_cast<float>(fill));
  return m;
}

ScoreOptions score_options(const std::string& scoring) {
  ScoreOptions s;
  s.scoring = parse_scoring(string_option(Key::scoring, scoring, "scaled_dot"));
  s.wq = optional_tensor(Slot::wq);
  s.wk = optional_tensor(Slot::wk);
  s.v = optional_tensor(Slot::v);
  s.w = optional_tensor(Slot::w);
  return s;
}

AttentionOptions attention_options(const std::string& scoring, const std::string& mode) {
  AttentionOptions a;
  a.score = score_options(scoring);
  a.mask = mask_options();
  a.temperature = number_option(Key::temperature, 1.0);
  a.mode = parse_mode(string_option(Key::mode, mode, "soft"));
  a.seed = seed_option();
  a.trace = bool_option(Key::trace, false);
  a.weights = bool_option(Key::weights, true);
  return a;
}

void hold(Held* h) { held.reset(h); }

void describe_results(std::initializer_list<const Tensor*> tensors) {
  std::size_t i = 0;
  for (const Tensor* t : tensors) {
    if (i == kMaxResults) break;
    described[i] = t;
    std::uint32_t* row = table + 1 + 6 * i++;
    row[0] = address_of(t->data());
    row[1] = static_cast<std::uint32_t>(t->dimension());  // 0: not computed
    for (std::size_t d = 0; d < 4; ++d)
      row[2 + d] = d < t->dimension() ? static_cast<std::uint32_t>(t->shape()[d]) : 0;
  }
  table[0] = static_cast<std::uint32_t>(i);
}

}  // namespace attn::bindings
