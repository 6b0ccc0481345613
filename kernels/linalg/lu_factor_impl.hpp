// LU with partial pivoting, P·A = L·U, row-major and in place (LAPACK's getrf).
//
// Recursive over columns (Toledo; LAPACK's getrf2): factor the left half of the
// panel, solve for the top-right block with L11 (TRSM), update the bottom-right
// block with one GEMM, factor the right half. Nearly all flops land in large
// GEMMs at the top of the recursion; the narrow leaves (<= 16 columns) run the
// unblocked kernel, which is also the whole algorithm for n <= 16 (no heap).
// Row interchanges swap whole rows: contiguous in row-major, and they leave the
// matrix exactly as LAPACK's deferred laswp calls would.
//
// Part of the per-ISA kernel set: included by linalg_<isa>.cpp inside an anonymous
// namespace, after the standard and hoc headers it needs (see kernel_table.hpp).
#pragma once

constexpr index_t kLuLeaf = 16;

// Unblocked right-looking LU of the panel rows [c0, n) x columns [c0, c0 + nc).
template <class T>
void lu_leaf(index_t n, T* a, index_t lda, index_t c0, index_t nc, index_t* piv, index_t& info) {
    const index_t c1 = c0 + nc;
    for (index_t k = c0; k < c1; ++k) {
        index_t p = k;
        T best = std::abs(a[k * lda + k]);
        for (index_t i = k + 1; i < n; ++i) {
            const T v = std::abs(a[i * lda + k]);
            if (v > best) best = v, p = i;
        }
        piv[k] = p;
        if (p != k) std::swap_ranges(a + k * lda, a + k * lda + n, a + p * lda);
        const T* __restrict rowk = a + k * lda;
        const T pivot = rowk[k];
        if (pivot == T(0)) {
            if (info == 0) info = k + 1;
            continue;  // the column below is all zero: nothing to eliminate
        }
        // Scale by the reciprocal unless it would overflow (LAPACK's sfmin test).
        const bool use_reciprocal = std::abs(pivot) >= std::numeric_limits<T>::min();
        const T r = T(1) / pivot;
        for (index_t i = k + 1; i < n; ++i) {
            T* __restrict ri = a + i * lda;
            const T l = use_reciprocal ? ri[k] * r : ri[k] / pivot;
            ri[k] = l;
            for (index_t j = k + 1; j < c1; ++j) ri[j] -= l * rowk[j];
        }
    }
}

template <class T>
void lu_recursive(index_t n, T* a, index_t lda, index_t c0, index_t nc, index_t* piv, index_t& info) {
    if (nc <= kLuLeaf) return lu_leaf(n, a, lda, c0, nc, piv, info);
    index_t n1 = nc / 2;
    if (n1 > 16) n1 = n1 / 16 * 16;
    const index_t n2 = nc - n1, c1 = c0 + n1;
    lu_recursive(n, a, lda, c0, n1, piv, info);
    // A12 <- L11^-1 A12, then A22 <- A22 - A21 A12.
    trsm_lower_unit(n1, n2, a + c0 * lda + c0, lda, a + c0 * lda + c1, lda);
    gemm_sub(n - c1, n2, n1, a + c1 * lda + c0, lda, a + c0 * lda + c1, lda, a + c1 * lda + c1, lda);
    lu_recursive(n, a, lda, c1, n2, piv, info);
}

template <class T>
index_t lu_factor(index_t n, T* a, index_t lda, index_t* piv) {
    index_t info = 0;
    if (n > 0) lu_recursive(n, a, lda, 0, n, piv, info);
    return info;
}
