// hoc's linear algebra: matmul/dot, einsum, and the LU/eigen decompositions
// (inv, solve, det, eig, eigh), all on the one GEMM in kernels/.
#pragma once

#include "hoc/core.hpp"
#include "hoc/kernels/gemm.hpp"
#include "hoc/linalg/decompositions.hpp"
#include "hoc/linalg/einsum.hpp"
#include "hoc/linalg/matmul.hpp"
