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

// Writes `rows` x kc of `src` (element (r, p) at data[roff[r] + coff(p)]) into
// a panel of kc x P (P contiguous per p), zero filling rows [rows, P).
// Handles the fast unit-stride cases first.
template <class T, int P>
void pack_panel(const MatrixRef<const T>& x, bool transposed, index_t r0, index_t q0, int rows,
                index_t kc, T* dst) {
    // In the A view (transposed == false) panel rows are x's rows and p runs
    // over x's columns; for B (transposed == true) panel rows are x's columns.
    const bool has_tables = x.row_offsets || x.col_offsets;
    const index_t rstride = transposed ? x.cs : x.rs;  // between panel rows
    const index_t pstride = transposed ? x.rs : x.cs;  // between p
    if (!has_tables) {
        const T* base = transposed ? x.data + q0 * x.rs + r0 * x.cs
                                   : x.data + r0 * x.rs + q0 * x.cs;
        if (rstride == 1) {  // panel rows contiguous: one copy per p
            for (index_t p = 0; p < kc; ++p) {
                const T* s = base + p * pstride;
                T* d = dst + p * P;
                if (rows == P) {
                    std::memcpy(d, s, sizeof(T) * P);  // fixed size: a few vector moves
                } else {
                    for (int r = 0; r < rows; ++r) d[r] = s[r];
                    for (int r = rows; r < P; ++r) d[r] = T(0);
                }
            }
            return;
        }
        if (pstride == 1 && rows == P) {
            // Each panel row contiguous in p: walk p outermost so the panel is
            // written front to back (P row streams read, one write stream).
            const T* src[P];
            for (int r = 0; r < P; ++r) src[r] = base + r * rstride;
            for (index_t p = 0; p < kc; ++p) {
                T* d = dst + p * P;
#pragma GCC unroll 32
                for (int r = 0; r < P; ++r) d[r] = src[r][p];
            }
            return;
        }
        if (pstride == 1) {
            for (int r = 0; r < rows; ++r) {
                const T* s = base + r * rstride;
                for (index_t p = 0; p < kc; ++p) dst[p * P + r] = s[p];
            }
        } else {
            for (int r = 0; r < rows; ++r) {
                const T* s = base + r * rstride;
                for (index_t p = 0; p < kc; ++p) dst[p * P + r] = s[p * pstride];
            }
        }
        for (int r = rows; r < P; ++r)
            for (index_t p = 0; p < kc; ++p) dst[p * P + r] = T(0);
        return;
    }
    index_t roff[P];
    for (int r = 0; r < rows; ++r) roff[r] = transposed ? x.col(r0 + r) : x.row(r0 + r);
    for (index_t p = 0; p < kc; ++p) {
        const index_t poff = transposed ? x.row(q0 + p) : x.col(q0 + p);
        T* d = dst + p * P;
        for (int r = 0; r < rows; ++r) d[r] = x.data[roff[r] + poff];
        for (int r = rows; r < P; ++r) d[r] = T(0);
    }
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
