// Transitional: detail.cpp's pieces now live in checks.hpp (validation), logits.hpp (temperature,
// mask, softmax rows) and matmul.hpp. This header only keeps files that still include it
// (multihead.cpp, rewritten on another branch) building; include the three directly instead.
#pragma once

#include "checks.hpp"
#include "logits.hpp"
#include "matmul.hpp"
