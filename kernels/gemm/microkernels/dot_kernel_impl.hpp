// The skinny-product kernel: C tiles of at most MR x NR (NR small, e.g. the
// 8 columns of a 1000x1000x8 product) as dot products along k, with vectors
// running along k. A is read in place (unit stride along k) and B comes as
// B^T rows, so neither big operand is packed or padded to a wide NR tile.
// Internal linkage for the same reason as microkernel_impl.hpp.
#pragma once

#include <algorithm>

#include "gemm/kernel_set.hpp"
#include "gemm/microkernels/microkernel_impl.hpp"  // HOC_ALWAYS_INLINE_LAMBDA

namespace hoc::kernels::detail {
namespace {

template <class V, int MR, int NR>
struct DotKernel {
    using T = typename V::T;
    using R = typename V::reg;
    static constexpr int W = V::W;

    // C(i,j) = alpha * sum_p a[i*rsa + p] * bt[j*ldb + p] + beta * C(i,j),
    // C(i,j) = c[i*rsc + j*csc]; rows past m / columns past n are clamped
    // to the last valid one (read, never stored).
    static void run(index_t k, T alpha, const T* a, index_t rsa, const T* bt, index_t ldb, T beta,
                    T* c, index_t rsc, index_t csc, int m, int n) {
        const T* ar[MR];
        const T* br[NR];
        for (int i = 0; i < MR; ++i) ar[i] = a + std::min(i, m - 1) * rsa;
        for (int j = 0; j < NR; ++j) br[j] = bt + std::min(j, n - 1) * ldb;
        R acc[MR][NR];
#pragma GCC unroll 32
        for (int i = 0; i < MR; ++i)
#pragma GCC unroll 32
            for (int j = 0; j < NR; ++j) acc[i][j] = V::zero();
        auto step = [&](index_t p, auto load) HOC_ALWAYS_INLINE_LAMBDA {
            R av[MR];
#pragma GCC unroll 32
            for (int i = 0; i < MR; ++i) av[i] = load(ar[i] + p);
#pragma GCC unroll 32
            for (int j = 0; j < NR; ++j) {
                const R bv = load(br[j] + p);
#pragma GCC unroll 32
                for (int i = 0; i < MR; ++i) acc[i][j] = V::fma(av[i], bv, acc[i][j]);
            }
        };
        index_t p = 0;
        for (; p + W <= k; p += W) step(p, [](const T* x) { return V::load(x); });
        if (p < k) {
            const auto mask = V::make_mask(static_cast<int>(k - p));
            step(p, [mask](const T* x) { return V::load_mask(x, mask); });
        }
#pragma GCC unroll 32
        for (int i = 0; i < MR; ++i) {
            if (i >= m) break;
#pragma GCC unroll 32
            for (int j = 0; j < NR; ++j) {
                if (j >= n) break;
                T& out = c[i * rsc + j * csc];
                const T r = alpha * V::reduce_add(acc[i][j]);
                out = beta == T(0) ? r : r + beta * out;
            }
        }
    }
};

}  // namespace
}  // namespace hoc::kernels::detail
