// Helpers shared by the linear-algebra kernels: GEMM calls on row-major blocks
// and the explicit instantiation list.
#pragma once

#include "hoc/kernels/gemm.hpp"

namespace hoc::kernels::linalg_detail {

// C -= A·B on row-major blocks (m x k times k x n), through hoc's GEMM (packed,
// threaded); the flops of every blocked algorithm here end up in this call.
template <class T>
inline void gemm_sub(index_t m, index_t n, index_t k, const T* a, index_t lda, const T* b,
                     index_t ldb, T* c, index_t ldc) {
    if (m <= 0 || n <= 0 || k <= 0) return;
    gemm<T>(m, n, k, T(-1), MatrixRef<const T>{a, lda, 1}, MatrixRef<const T>{b, ldb, 1}, T(1),
            MatrixRef<T>{c, ldc, 1});
}

}  // namespace hoc::kernels::linalg_detail
