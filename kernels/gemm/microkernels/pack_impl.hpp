// Packing of A and B blocks into the contiguous, zero-padded micro-panels the
// microkernel streams. All layout generality (row/column/general strides and
// offset tables) lives here. Included by each ISA translation unit so the
// copies are compiled with that ISA's vector instructions; internal linkage
// for the same reason as microkernel_impl.hpp.
#pragma once

#include <algorithm>
#include <cstring>

#include "gemm/kernel_set.hpp"

namespace hoc::kernels::detail {
namespace {

// Writes `rows` x kc of `src` (element (r, p) at data[roff(r) + poff(p)]) into
// a panel of kc x P (P contiguous per p), zero filling rows [rows, P).
// Offsets come from the strides or from x's tables. The panel rows are
// copied in runs whose offsets step evenly: one run for plain strides, and
// for tables too as long as the panel lies inside one run of the table
// (einsum's tables are mostly runs of unit stride); a panel straddling a
// run boundary takes one pass per run.
template <class T, int P>
void pack_panel(const MatrixRef<const T>& x, bool transposed, index_t r0, index_t q0, int rows,
                index_t kc, T* dst) {
    // In the A view (transposed == false) panel rows are x's rows and p runs
    // over x's columns; for B (transposed == true) panel rows are x's columns.
    const index_t* rtab = transposed ? x.col_offsets : x.row_offsets;
    const index_t* ptab = transposed ? x.row_offsets : x.col_offsets;
    const index_t rstride = transposed ? x.cs : x.rs;  // between panel rows
    const index_t pstride = transposed ? x.rs : x.cs;  // between p
    index_t roff[P];
    for (int r = 0; r < rows; ++r) roff[r] = rtab ? rtab[r0 + r] : (r0 + r) * rstride;
    // Offsets along p relative to p = 0; a table costs one load per p.
    const index_t* pt = ptab ? ptab + q0 : nullptr;
    const index_t pbase = pt ? pt[0] : q0 * pstride;
    const T* base = x.data + pbase;
    for (int r = 0; r < rows;) {
        // The run [r, e) with offsets roff[r] + i * step.
        int e = r + 1;
        const index_t step = e < rows ? roff[e] - roff[r] : 1;
        while (e < rows && roff[e] - roff[e - 1] == step) ++e;
        const int len = e - r;
        const T* s = base + roff[r];
        T* d = dst + r;
        if (step == 1) {  // run contiguous: one copy per p
            for (index_t p = 0; p < kc; ++p) {
                const T* sp = s + (pt ? pt[p] - pbase : p * pstride);
                if (len == P)
                    std::memcpy(d + p * P, sp, sizeof(T) * P);  // fixed size: a few vector moves
                else
                    for (int i = 0; i < len; ++i) d[p * P + i] = sp[i];
            }
        } else if (len == P && (pt || pstride == 1)) {
            // Each panel row (nearly) contiguous in p: walk p outermost so the
            // panel is written front to back (P row streams read, one write stream).
            const T* src[P];
            for (int i = 0; i < P; ++i) src[i] = s + i * step;
            for (index_t p = 0; p < kc; ++p) {
                const index_t o = pt ? pt[p] - pbase : p;
                T* dp = d + p * P;
#pragma GCC unroll 32
                for (int i = 0; i < P; ++i) dp[i] = src[i][o];
            }
        } else {
            for (int i = 0; i < len; ++i)
                for (index_t p = 0; p < kc; ++p)
                    d[p * P + i] = s[i * step + (pt ? pt[p] - pbase : p * pstride)];
        }
        r = e;
    }
    for (index_t p = 0; p < kc && rows < P; ++p)
        for (int r = rows; r < P; ++r) dst[p * P + r] = T(0);
}

template <class T, int MR>
void pack_a(const MatrixRef<const T>& a, index_t i0, index_t p0, index_t mc, index_t kc,
            T* dst) {
    for (index_t ir = 0; ir < mc; ir += MR, dst += MR * kc)
        pack_panel<T, MR>(a, false, i0 + ir, p0, static_cast<int>(std::min<index_t>(MR, mc - ir)),
                          kc, dst);
}

template <class T, int NR>
void pack_b(const MatrixRef<const T>& b, index_t p0, index_t j0, index_t kc, index_t nc,
            T* dst) {
    if (!b.row_offsets && !b.col_offsets && b.cs == 1) {
        // Row-major B: read each row front to back (sequential, prefetched)
        // and deal its NR-wide pieces out to the panels.
        const index_t full = nc / NR * NR;
        for (index_t p = 0; p < kc; ++p) {
            const T* src = b.data + (p0 + p) * b.rs + j0;
            T* d = dst + p * NR;
            for (index_t jr = 0; jr < full; jr += NR, d += NR * kc)
                std::memcpy(d, src + jr, sizeof(T) * NR);
            if (full < nc) {
                const index_t rest = nc - full;
                for (index_t j = 0; j < rest; ++j) d[j] = src[full + j];
                for (index_t j = rest; j < NR; ++j) d[j] = T(0);
            }
        }
        return;
    }
    for (index_t jr = 0; jr < nc; jr += NR, dst += NR * kc)
        pack_panel<T, NR>(b, true, j0 + jr, p0, static_cast<int>(std::min<index_t>(NR, nc - jr)),
                          kc, dst);
}

}  // namespace
}  // namespace hoc::kernels::detail
