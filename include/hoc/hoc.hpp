// hoc: NumPy's linear-algebra core as a C++20 library. This header brings in everything.
#pragma once

#include "hoc/core.hpp"
#include "hoc/expr.hpp"
#include "hoc/io.hpp"
#include "hoc/kernels/gemm.hpp"
#include "hoc/linalg.hpp"
