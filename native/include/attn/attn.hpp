// Everything the engine offers, in one include.
#pragma once

#include "attention.hpp"
#include "block.hpp"
#include "error.hpp"
#include "explain.hpp"
#include "mask.hpp"
#include "multihead.hpp"
#include "positional.hpp"
#include "scoring.hpp"
#include "softmax.hpp"
#include "tensor.hpp"
