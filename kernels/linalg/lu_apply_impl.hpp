// What an LU factorization gives: solve (getrs), inverse, determinant.
//
// Part of the per-ISA kernel set: included by linalg_<isa>.cpp inside an anonymous
// namespace, after the standard and hoc headers it needs (see kernel_table.hpp).
#pragma once

// Width of the column blocks of L^-1: wide enough for efficient GEMM panels.
constexpr index_t kInverseBlock = 128;

// perm[k] = the row of A that is row k of P·A.
void pivots_to_permutation(index_t n, const index_t* piv, index_t* perm) {
    for (index_t k = 0; k < n; ++k) perm[k] = k;
    for (index_t k = 0; k < n; ++k) std::swap(perm[k], perm[piv[k]]);
}

template <class T>
void lu_solve(index_t n, const T* lu, index_t lda, const index_t* piv, index_t nrhs, T* b,
              index_t ldb) {
    if (n <= 0 || nrhs <= 0) return;
    for (index_t k = 0; k < n; ++k)
        if (piv[k] != k) std::swap_ranges(b + k * ldb, b + k * ldb + nrhs, b + piv[k] * ldb);
    trsm_lower_unit(n, nrhs, lu, lda, b, ldb);
    trsm_upper(n, nrhs, lu, lda, b, ldb);
}

// inv(A) = U^-1 · L^-1 · P. L^-1 is built by column blocks (block J solves only with
// the trailing triangle L[j:, j:], n^3/3 flops in all), then one TRSM with U (n^3),
// then the columns are permuted: 2n^3 with the factorization, as LAPACK's getri.
template <class T>
void lu_inverse(index_t n, const T* lu, index_t lda, const index_t* piv, T* x, index_t rsx,
                index_t csx) {
    if (n <= 0) return;
    const bool small = n <= kSmallOrder;
    T small_w[kSmallOrder * kSmallOrder];
    T small_row[kSmallOrder];
    index_t small_perm[kSmallOrder];
    std::vector<T> heap_w, heap_row;
    std::vector<index_t> heap_perm;
    if (!small) heap_perm.resize(static_cast<std::size_t>(n)), heap_row.resize(static_cast<std::size_t>(n));
    index_t* perm = small ? small_perm : heap_perm.data();
    T* row = small ? small_row : heap_row.data();

    // Work in x itself when it is row-major, else in a workspace.
    const bool in_place = csx == 1 && rsx >= n;
    T* w = x;
    index_t ldw = rsx;
    if (!in_place) {
        if (!small) heap_w.resize(static_cast<std::size_t>(n * n));
        w = small ? small_w : heap_w.data();
        ldw = n;
    }

    for (index_t j = 0; j < n; j += kInverseBlock) {
        const index_t jb = std::min(kInverseBlock, n - j);
        for (index_t i = 0; i < n; ++i)
            for (index_t c = 0; c < jb; ++c) w[i * ldw + j + c] = T(i == j + c);
        trsm_lower_unit(n - j, jb, lu + j * lda + j, lda, w + j * ldw + j, ldw);
    }
    trsm_upper(n, n, lu, lda, w, ldw);

    pivots_to_permutation(n, piv, perm);
    for (index_t i = 0; i < n; ++i) {
        T* wi = w + i * ldw;
        if (in_place) {
            std::copy(wi, wi + n, row);
            for (index_t k = 0; k < n; ++k) wi[perm[k]] = row[k];
        } else {
            T* xi = x + i * rsx;
            for (index_t k = 0; k < n; ++k) xi[perm[k] * csx] = wi[k];
        }
    }
}
