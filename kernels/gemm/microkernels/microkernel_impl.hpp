// The register-tile microkernel, written once over a small SIMD traits class
// V and instantiated in each ISA's translation unit (compiled with that ISA's
// flags). Everything here has internal linkage: the same template compiled
// for two ISAs must never be merged by the linker.
//
// V provides: T, reg, mask, W (lanes), zero, load, load_mask, set1, fma(a,b,c)
// = a*b+c, mul, store, store_mask, make_mask(count), prefetch, reduce_add.
//
// Tile: MR rows broadcast from A, NV vectors (NR = NV*W columns) loaded from
// B; MR*NV accumulators stay in registers for the whole k loop. Vectors run
// along N so a row-major C tile is stored with plain (or masked) vector stores.
#pragma once

#include <algorithm>

#include "gemm/kernel_set.hpp"

#define HOC_ALWAYS_INLINE inline __attribute__((always_inline))
#define HOC_ALWAYS_INLINE_LAMBDA __attribute__((always_inline))

namespace hoc::kernels::detail {
namespace {

template <class V, int MR, int NV>
struct Microkernel {
    using T = typename V::T;
    using R = typename V::reg;
    using M = typename V::mask;
    static constexpr int W = V::W;
    static constexpr int NR = NV * W;

    // acc += A(0:MR, 0:k) * B(0:k, 0:NR). Packed: A(i,p) = a[p*MR + i].
    // Otherwise rows past m are clamped to row m-1 (read, never stored).
    template <bool Packed, bool FullN>
    static HOC_ALWAYS_INLINE void accumulate(R (&acc)[MR][NV], index_t k, const T* a,
                                             index_t rsa, index_t csa, const T* b, index_t rsb,
                                             int m, const M (&masks)[NV]) {
        index_t roff[MR];
        for (int i = 0; i < MR; ++i) roff[i] = Packed ? i : std::min(i, m - 1) * rsa;
        const index_t astep = Packed ? MR : csa;
#pragma GCC unroll 4
        for (index_t p = 0; p < k; ++p) {
            // The packed A panel streams from L2: fetch a few k steps ahead.
            if constexpr (Packed) {
                V::prefetch(a + 8 * MR);
            } else {
                // In place, consecutive B rows are a row stride apart (often a
                // new page each step), which hardware prefetchers do not follow.
#pragma GCC unroll 8
                for (int v = 0; v < NV; ++v) V::prefetch(b + 8 * rsb + v * W);
            }
            R bv[NV];
#pragma GCC unroll 8
            for (int v = 0; v < NV; ++v)
                bv[v] = FullN ? V::load(b + v * W) : V::load_mask(b + v * W, masks[v]);
#pragma GCC unroll 32
            for (int i = 0; i < MR; ++i) {
                const R ai = V::set1(a[roff[i]]);
#pragma GCC unroll 8
                for (int v = 0; v < NV; ++v) acc[i][v] = V::fma(ai, bv[v], acc[i][v]);
            }
            a += astep;
            b += rsb;
        }
    }

    template <bool Packed>
    static void run(index_t k, T alpha, const T* a, index_t rsa, index_t csa, const T* b,
                    index_t rsb, T beta, T* c, index_t rsc, int m, int n) {
        R acc[MR][NV];
#pragma GCC unroll 32
        for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
            for (int v = 0; v < NV; ++v) acc[i][v] = V::zero();
        M masks[NV];
        for (int v = 0; v < NV; ++v) masks[v] = V::make_mask(std::clamp(n - v * W, 0, W));
        // Warm C's lines while the k loop runs.
        for (int i = 0; i < m; ++i) V::prefetch(c + i * rsc);

        const bool full_n = n == NR;
        if (full_n) accumulate<Packed, true>(acc, k, a, rsa, csa, b, rsb, m, masks);
        else accumulate<Packed, false>(acc, k, a, rsa, csa, b, rsb, m, masks);

        const R va = V::set1(alpha), vb = V::set1(beta);
        if (m == MR && full_n) {
#pragma GCC unroll 32
            for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
                for (int v = 0; v < NV; ++v) {
                    T* ci = c + i * rsc + v * W;
                    const R r = V::mul(va, acc[i][v]);
                    V::store(ci, beta == T(0) ? r : V::fma(vb, V::load(ci), r));
                }
            return;
        }
        // Unrolled with a guard (not `i < m` as the bound) so acc is only ever
        // indexed by constants and stays in registers through the k loop.
#pragma GCC unroll 32
        for (int i = 0; i < MR; ++i) {
            if (i >= m) break;
#pragma GCC unroll 8
            for (int v = 0; v < NV; ++v) {
                T* ci = c + i * rsc + v * W;
                const R r = V::mul(va, acc[i][v]);
                V::store_mask(ci, beta == T(0) ? r : V::fma(vb, V::load_mask(ci, masks[v]), r),
                              masks[v]);
            }
        }
    }
};

}  // namespace
}  // namespace hoc::kernels::detail
