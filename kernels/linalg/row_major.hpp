// GEMM calls on row-major blocks, shared by the linear-algebra kernels.
// Part of the per-ISA kernel set: included by linalg_<isa>.cpp inside an anonymous
// namespace, after the standard and hoc headers it needs (see kernel_table.hpp).
#pragma once

// C -= A·B on row-major blocks (m x k times k x n), through hoc's GEMM (packed,
// threaded); the flops of every blocked algorithm here end up in this call.
template <class T>
inline void gemm_sub(index_t m, index_t n, index_t k, const T* a, index_t lda, const T* b,
                     index_t ldb, T* c, index_t ldc) {
    if (m <= 0 || n <= 0 || k <= 0) return;
    gemm<T>(m, n, k, T(-1), MatrixRef<const T>{a, lda, 1}, MatrixRef<const T>{b, ldb, 1}, T(1),
            MatrixRef<T>{c, ldc, 1});
}


// x·y with 16 independent partial sums: the compiler vectorizes them without
// reassociating (a single running sum is a chain of dependent scalar adds).
// The summation order is fixed, so results do not depend on threads or ISA width.
template <class T>
inline T dot(index_t n, const T* __restrict x, const T* __restrict y) {
    constexpr int K = 16;
    T acc[K] = {};
    index_t j = 0;
    for (; j + K <= n; j += K)
        for (int l = 0; l < K; ++l) acc[l] += x[j + l] * y[j + l];
    T s = 0;
    for (; j < n; ++j) s += x[j] * y[j];
    for (int l = 0; l < K; ++l) s += acc[l];
    return s;
}
