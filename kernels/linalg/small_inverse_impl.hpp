// Inverse of one n x n matrix, n <= 16, by Gauss–Jordan elimination with
// partial pivoting in a fixed-size local array: the order is a template
// parameter, so every loop has a constant trip count the compiler unrolls and
// vectorizes, and nothing touches the heap. LAPACK pays its per-call overhead
// (argument checks, blocking queries, workspace) many times over at these sizes.
//
// Part of the per-ISA kernel set (linalg_<isa>.cpp, see kernel_table.hpp);
// HOC_SIMD_BYTES is that ISA's register width.
#pragma once

// Rows are GCC vector-extension values (width: N rounded up to a power of two,
// zero-padded), so each row operation is a few SIMD instructions of this file's ISA
// and column k is blended in registers (a scalar store into a row that is then
// loaded as a vector would stall store forwarding).
template <class T> struct LaneInt;
template <> struct LaneInt<double> { using type = long long; };
template <> struct LaneInt<float> { using type = int; };

template <class E, int W>
struct SimdRow {  // GCC vector extension: W lanes of E
    typedef E type __attribute__((vector_size(sizeof(E) * W)));
};

constexpr int pow2_ceil(int n) {
    int w = 1;
    while (w < n) w *= 2;
    return w;
}

template <class T, int N>
bool gauss_jordan(const T* a, hoc::index_t rsa, hoc::index_t csa, T* x, hoc::index_t rsx, hoc::index_t csx) {
    // A row is C chunks of L lanes; L is the ISA's register width (at most the row).
    // Every loop is unrolled, so all row and lane indices are compile-time
    // constants and the matrix can live in registers; the only run-time index,
    // the pivot row, selects rows by comparison instead of by address.
    constexpr int W = pow2_ceil(N);
    constexpr int L = std::min<int>(W, HOC_SIMD_BYTES / static_cast<int>(sizeof(T)));
    constexpr int C = W / L;
    using V = typename SimdRow<T, L>::type;
    using I = typename SimdRow<typename LaneInt<T>::type, L>::type;
    V m[N][C];
#pragma GCC unroll 16
    for (int i = 0; i < N; ++i)
#pragma GCC unroll 16
        for (int c = 0; c < C; ++c) {
            V chunk = {};
#pragma GCC unroll 16
            for (int l = 0; l < L; ++l)
                if (c * L + l < N) chunk[l] = a[i * rsa + (c * L + l) * csa];
            m[i][c] = chunk;
        }
    I lane[C];
#pragma GCC unroll 16
    for (int c = 0; c < C; ++c)
#pragma GCC unroll 16
        for (int l = 0; l < L; ++l) lane[c][l] = c * L + l;
    int swaps[N];
#pragma GCC unroll 16
    for (int k = 0; k < N; ++k) {
        const int kc = k / L, kl = k % L;
        int p = k;
        T best = std::abs(m[k][kc][kl]);
#pragma GCC unroll 16
        for (int i = k + 1; i < N; ++i) {
            const T v = std::abs(m[i][kc][kl]);
            if (v > best) best = v, p = i;
        }
        swaps[k] = p;
        // The pivots are LU's (the elimination below the diagonal is the same),
        // so "exactly singular" means what it means for inv through getrf.
        if (best == T(0)) return false;
        V prow[C];
#pragma GCC unroll 16
        for (int c = 0; c < C; ++c) prow[c] = m[k][c];
#pragma GCC unroll 16
        for (int i = k + 1; i < N; ++i)
            if (i == p)
#pragma GCC unroll 16
                for (int c = 0; c < C; ++c) {
                    const V t = m[i][c];
                    m[i][c] = prow[c];
                    prow[c] = t;
                }
        // Rows i != k get exactly the LU leaf's operations (l = a_ik·(1/p),
        // a_ij -= l·a_kj), so equal rows cancel exactly here as they do there.
        // Column k is blended in, never stored alone.
        const T pivot = prow[kc][kl];
        const bool reciprocal = std::abs(pivot) >= std::numeric_limits<T>::min();  // else 1/p overflows
        const T r = T(1) / pivot;
#pragma GCC unroll 16
        for (int i = 0; i < N; ++i) {
            if (i == k) continue;
            const T l = reciprocal ? m[i][kc][kl] * r : m[i][kc][kl] / pivot;
#pragma GCC unroll 16
            for (int c = 0; c < C; ++c) {
                const V updated = m[i][c] - l * prow[c];
                m[i][c] = (lane[c] == k) ? V{} - l : updated;
            }
        }
#pragma GCC unroll 16
        for (int c = 0; c < C; ++c) {
            const V scaled = reciprocal ? prow[c] * r : prow[c] / pivot;
            m[k][c] = (lane[c] == k) ? V{} + r : scaled;
        }
    }
    // Row interchanges of A are column interchanges of its inverse, undone last
    // to first: column j of the result is column src[j] of m.
    int src[N];
#pragma GCC unroll 16
    for (int j = 0; j < N; ++j) src[j] = j;
    for (int k = N - 1; k >= 0; --k) std::swap(src[k], src[swaps[k]]);
    T out[N][W];
#pragma GCC unroll 16
    for (int i = 0; i < N; ++i)
#pragma GCC unroll 16
        for (int c = 0; c < C; ++c)
#pragma GCC unroll 16
            for (int l = 0; l < L; ++l) out[i][c * L + l] = m[i][c][l];
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) x[i * rsx + j * csx] = out[i][src[j]];
    return true;
}

template <class T>
using SmallInverseFn = bool (*)(const T*, hoc::index_t, hoc::index_t, T*, hoc::index_t, hoc::index_t);

template <class T, int... N>
constexpr auto small_inverse_table(std::integer_sequence<int, N...>) {
    struct Table {
        SmallInverseFn<T> fn[sizeof...(N) + 1];
    } t{{nullptr, &gauss_jordan<T, N + 1>...}};
    return t;
}

template <class T>
bool small_inverse_any(hoc::index_t n, const T* a, hoc::index_t rsa, hoc::index_t csa, T* x, hoc::index_t rsx,
                       hoc::index_t csx) {
    static constexpr auto table = small_inverse_table<T>(std::make_integer_sequence<int, 16>{});
    return table.fn[n](a, rsa, csa, x, rsx, csx);
}
