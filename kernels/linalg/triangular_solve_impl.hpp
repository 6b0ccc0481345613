// Blocked triangular solves with many right-hand sides (BLAS's TRSM, left side),
// row-major. Recursive halving turns all but an O(m·32·n) sliver of the work into
// hoc's GEMM (packed, threaded); the small diagonal blocks are solved by row
// operations that stream contiguous rows of B through SIMD registers.
//
// Part of the per-ISA kernel set: included by linalg_<isa>.cpp inside an anonymous
// namespace, after the standard and hoc headers it needs (see kernel_table.hpp).
#pragma once

// Diagonal blocks up to this order are solved by row operations.
constexpr index_t kTrsmLeaf = 32;
// Columns of B handled together by the row operations: 32 rows x 128 doubles fit L1.
constexpr index_t kColumnChunk = 128;

// Runs f(j0, j1) over column chunks of B, in parallel when the work is large.
template <class F>
void over_column_chunks(index_t m, index_t n, F&& f) {
    const index_t chunks = (n + kColumnChunk - 1) / kColumnChunk;
    if (chunks <= 1 || m * m * n < (index_t(1) << 21)) {
        for (index_t j0 = 0; j0 < n; j0 += kColumnChunk) f(j0, std::min(n, j0 + kColumnChunk));
        return;
    }
    hoc::detail::parallel_for(0, chunks, 1, [&](index_t lo, index_t hi) {
        for (index_t c = lo; c < hi; ++c)
            f(c * kColumnChunk, std::min(n, (c + 1) * kColumnChunk));
    });
}

template <class T>
void lower_unit_leaf(index_t m, index_t n, const T* l, index_t ldl, T* b, index_t ldb) {
    over_column_chunks(m, n, [&](index_t j0, index_t j1) {
        for (index_t i = 1; i < m; ++i) {
            T* __restrict bi = b + i * ldb;
            for (index_t k = 0; k < i; ++k) {
                const T lik = l[i * ldl + k];
                const T* __restrict bk = b + k * ldb;
                for (index_t j = j0; j < j1; ++j) bi[j] -= lik * bk[j];
            }
        }
    });
}

template <class T>
void upper_leaf(index_t m, index_t n, const T* u, index_t ldu, T* b, index_t ldb) {
    over_column_chunks(m, n, [&](index_t j0, index_t j1) {
        for (index_t i = m - 1; i >= 0; --i) {
            T* __restrict bi = b + i * ldb;
            for (index_t k = i + 1; k < m; ++k) {
                const T uik = u[i * ldu + k];
                const T* __restrict bk = b + k * ldb;
                for (index_t j = j0; j < j1; ++j) bi[j] -= uik * bk[j];
            }
            // Division, not a reciprocal: 1/u overflows for tiny (subnormal) pivots.
            const T d = u[i * ldu + i];
            for (index_t j = j0; j < j1; ++j) bi[j] /= d;
        }
    });
}

// Split point: a multiple of 16 so GEMM blocks stay aligned with the microtiles.
inline index_t split(index_t m) {
    const index_t h = m / 2;
    return h > 16 ? h / 16 * 16 : h;
}

template <class T>
void trsm_lower_unit(index_t m, index_t n, const T* l, index_t ldl, T* b, index_t ldb) {
    if (m <= 0 || n <= 0) return;
    if (m <= kTrsmLeaf) return lower_unit_leaf(m, n, l, ldl, b, ldb);
    // [L11 0; L21 L22] [X1; X2] = [B1; B2]
    const index_t m1 = split(m), m2 = m - m1;
    trsm_lower_unit(m1, n, l, ldl, b, ldb);
    gemm_sub(m2, n, m1, l + m1 * ldl, ldl, b, ldb, b + m1 * ldb, ldb);
    trsm_lower_unit(m2, n, l + m1 * ldl + m1, ldl, b + m1 * ldb, ldb);
}

template <class T>
void trsm_upper(index_t m, index_t n, const T* u, index_t ldu, T* b, index_t ldb) {
    if (m <= 0 || n <= 0) return;
    if (m <= kTrsmLeaf) return upper_leaf(m, n, u, ldu, b, ldb);
    // [U11 U12; 0 U22] [X1; X2] = [B1; B2]: X2 first.
    const index_t m1 = split(m), m2 = m - m1;
    trsm_upper(m2, n, u + m1 * ldu + m1, ldu, b + m1 * ldb, ldb);
    gemm_sub(m1, n, m2, u + m1, ldu, b + m1 * ldb, ldb, b, ldb);
    trsm_upper(m1, n, u, ldu, b, ldb);
}
