// The tiny-product kernel (libxsmm-style): n fits one vector and k is small
// (e.g. 100x3x5), so the k rows of B live in registers for the whole call
// and each row of C costs k broadcasts, k FMAs and one masked store. No
// packing, no tiles, no buffers. Internal linkage (see microkernel_impl.hpp).
#pragma once

#include "gemm/kernel_set.hpp"
#include "gemm/microkernels/microkernel_impl.hpp"

namespace hoc::kernels::detail {
namespace {

template <class V, int KMAX>
struct RowsKernel {
    using T = typename V::T;
    using R = typename V::reg;

    template <int K>
    static void run_k(index_t m, T alpha, const T* a, index_t rsa, index_t csa, const T* b,
                      index_t rsb, T beta, T* c, index_t rsc, int n) {
        const auto mask = V::make_mask(n);
        R bv[K];
#pragma GCC unroll 32
        for (int p = 0; p < K; ++p) bv[p] = V::load_mask(b + p * rsb, mask);
        const R va = V::set1(alpha), vb = V::set1(beta);
        // Four rows at a time: four independent FMA chains hide the FMA
        // latency (each row's k-long chain alone would stall on it).
        index_t i = 0;
        for (; i + 4 <= m; i += 4) {
            R acc[4];
#pragma GCC unroll 4
            for (int r = 0; r < 4; ++r) acc[r] = V::zero();
#pragma GCC unroll 32
            for (int p = 0; p < K; ++p)
#pragma GCC unroll 4
                for (int r = 0; r < 4; ++r)
                    acc[r] = V::fma(V::set1(a[(i + r) * rsa + p * csa]), bv[p], acc[r]);
#pragma GCC unroll 4
            for (int r = 0; r < 4; ++r) {
                T* ci = c + (i + r) * rsc;
                const R x = V::mul(va, acc[r]);
                V::store_mask(ci, beta == T(0) ? x : V::fma(vb, V::load_mask(ci, mask), x), mask);
            }
        }
        for (; i < m; ++i) {
            const T* ai = a + i * rsa;
            R acc = V::zero();
#pragma GCC unroll 32
            for (int p = 0; p < K; ++p) acc = V::fma(V::set1(ai[p * csa]), bv[p], acc);
            T* ci = c + i * rsc;
            const R r = V::mul(va, acc);
            V::store_mask(ci, beta == T(0) ? r : V::fma(vb, V::load_mask(ci, mask), r), mask);
        }
    }

    template <int K = 1>
    static void dispatch(index_t k, index_t m, T alpha, const T* a, index_t rsa, index_t csa,
                         const T* b, index_t rsb, T beta, T* c, index_t rsc, int n) {
        if constexpr (K <= KMAX) {
            if (k == K) return run_k<K>(m, alpha, a, rsa, csa, b, rsb, beta, c, rsc, n);
            dispatch<K + 1>(k, m, alpha, a, rsa, csa, b, rsb, beta, c, rsc, n);
        }
    }

    // Same contract as Microkernel (kernel_set.hpp) but for any m, with
    // 1 <= k <= KMAX and n <= V::W.
    static void run(index_t k, T alpha, const T* a, index_t rsa, index_t csa, const T* b,
                    index_t rsb, T beta, T* c, index_t rsc, int m, int n) {
        dispatch(k, m, alpha, a, rsa, csa, b, rsb, beta, c, rsc, n);
    }
};

}  // namespace
}  // namespace hoc::kernels::detail
