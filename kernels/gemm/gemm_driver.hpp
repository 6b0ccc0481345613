// The GEMM driver: the BLIS loops around a KernelSet, the small-matrix path,
// threading and epilogue reporting. Called by gemm_api.cpp.
#pragma once

#include "gemm/kernel_set.hpp"

namespace hoc::kernels::detail {

// Where finished C blocks are reported, in the caller's coordinates even when
// the driver solved the transposed problem C^T = B^T A^T.
template <class T>
struct EpilogueSink {
    const Epilogue<T>* epilogue = nullptr;
    MatrixRef<T> c;          // the caller's C
    index_t batch = 0;
    bool transposed = false;  // the driver's (i, j) is the caller's (j, i)

    bool active() const { return epilogue && epilogue->apply; }
    // Reports the driver's block rows [i0, i0+rows) x cols [j0, j0+cols).
    void report(index_t i0, index_t j0, index_t rows, index_t cols) const;
};

// C = alpha*A*B + beta*C for one product with m, n, k > 0, on at most
// `threads` threads (the driver may use fewer for small work).
template <class T>
void gemm_one(const KernelSet<T>& ks, index_t m, index_t n, index_t k, T alpha,
              MatrixRef<const T> a, MatrixRef<const T> b, T beta, MatrixRef<T> c,
              const Epilogue<T>* epilogue, index_t batch, int threads);

// Threads worth using for one m x n x k product (1 for small work).
int gemm_threads(index_t m, index_t n, index_t k, int available);

}  // namespace hoc::kernels::detail
