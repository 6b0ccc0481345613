// hoc's lazy element-wise expressions: operators, functions, where, clip,
// cast, eval, and fused reductions (sum, mean, max, min).
#pragma once

#include "hoc/core.hpp"
#include "hoc/expr/operators.hpp"
#include "hoc/expr/reduce.hpp"
