// Eigen-decomposition of a real symmetric matrix (numpy.linalg.eigh, UPLO='L'):
//   1. Householder tridiagonalization T = Qᵀ A Q from the lower triangle (the
//      matrix is mirrored to full storage so every update is a contiguous-row
//      SIMD loop: symmetric matrix-vector product and rank-2 update);
//   2. Qᵀ accumulated backwards from the stored reflectors;
//   3. implicit QL with Wilkinson shifts on T; the rotations are logged and
//      replayed on Vᵀ = (Q R)ᵀ in column chunks that stay in cache;
//   4. eigenvalues sorted ascending with their vectors.
//
// Part of the per-ISA kernel set: included by linalg_<isa>.cpp inside an anonymous
// namespace, after the standard and hoc headers it needs (see kernel_table.hpp).
#pragma once

// 1. s (n x n, full symmetric, row-major, ld) -> d (diagonal), e (subdiagonal,
// e[i] = T(i+1, i)); reflector k is kept in row k of s (v = (1, s[k, k+2..])) with tau[k].
template <class T>
void tridiagonalize(index_t n, T* s, index_t ld, T* d, T* e, T* tau, std::vector<T>& work) {
    work.assign(static_cast<std::size_t>(2 * n), T(0));
    T* v = work.data();
    T* w = work.data() + n;
    for (index_t k = 0; k + 2 < n; ++k) {
        T* rk = s + k * ld;
        const index_t m = n - k - 1;
        d[k] = rk[k];
        T beta;
        const T t = make_reflector(rk[k + 1], m - 1, rk + k + 2, 1, beta);
        tau[k] = t;
        e[k] = beta;
        if (t == T(0)) continue;
        v[0] = 1;
        for (index_t i = 1; i < m; ++i) v[i] = rk[k + 1 + i];
        // p = tau A22 v; w = p - (tau/2)(pᵀv) v; A22 -= v wᵀ + w vᵀ.
        T pv = 0;
        for (index_t i = 0; i < m; ++i) {
            w[i] = t * dot(m, s + (k + 1 + i) * ld + k + 1, v);
            pv += w[i] * v[i];
        }
        const T kk = t * pv / 2;
        for (index_t i = 0; i < m; ++i) w[i] -= kk * v[i];
        for (index_t i = 0; i < m; ++i) {
            T* __restrict r = s + (k + 1 + i) * ld + k + 1;
            const T vi = v[i], wi = w[i];
            for (index_t j = 0; j < m; ++j) r[j] -= vi * w[j] + wi * v[j];
        }
    }
    if (n >= 2) {
        d[n - 2] = s[(n - 2) * ld + n - 2];
        e[n - 2] = s[(n - 1) * ld + n - 2];
        tau[n - 2] = 0;
    }
    d[n - 1] = s[(n - 1) * ld + n - 1];
    e[n - 1] = 0;
}

// 2. qt = Qᵀ = (H_0 ... H_{n-3})ᵀ, built as qt <- qt H_k for k = n-3 .. 0; only
// rows and columns k+1.. change at step k.
template <class T>
void accumulate_qt(index_t n, const T* s, index_t ld, const T* tau, T* qt, index_t ldq) {
    for (index_t i = 0; i < n; ++i)
        for (index_t j = 0; j < n; ++j) qt[i * ldq + j] = T(i == j);
    std::vector<T> v(static_cast<std::size_t>(n));
    for (index_t k = n - 3; k >= 0; --k) {
        const T t = tau[k];
        if (t == T(0)) continue;
        const index_t m = n - k - 1;
        v[0] = 1;
        for (index_t i = 1; i < m; ++i) v[static_cast<std::size_t>(i)] = s[k * ld + k + 1 + i];
        for (index_t r = k + 1; r < n; ++r) {
            T* __restrict row = qt + r * ldq + k + 1;
            const T acc = t * dot(m, row, v.data());
            for (index_t j = 0; j < m; ++j) row[j] -= acc * v[static_cast<std::size_t>(j)];
        }
    }
}

// The rotations of the QL sweeps, in order: sweep q applies rotations to row
// pairs (i, i+1) for i = top[q], top[q]-1, ..., top[q]-count[q]+1.
template <class T>
struct RotationLog {
    std::vector<index_t> top, count;
    std::vector<T> c, s;
};

// Replays the logged rotations on the rows of vt, 64 columns at a time: a chunk
// of every row (n x 64) stays in L2 through all sweeps, where applying each sweep
// to whole rows would stream the matrix from memory once per sweep. Each element
// sees the same operations in the same order either way.
template <class T>
void replay_rotations(const RotationLog<T>& log, index_t n, T* vt, index_t ldv) {
    constexpr index_t kChunk = 64;
    for (index_t j0 = 0; j0 < n; j0 += kChunk) {
        const index_t j1 = std::min(n, j0 + kChunk);
        std::size_t at = 0;
        for (std::size_t q = 0; q < log.top.size(); ++q) {
            for (index_t r = 0; r < log.count[q]; ++r, ++at) {
                const index_t i = log.top[q] - r;
                const T c = log.c[at], s = log.s[at];
                T* __restrict ri = vt + i * ldv;
                T* __restrict rj = vt + (i + 1) * ldv;
                for (index_t k = j0; k < j1; ++k) {
                    const T x = ri[k], y = rj[k];
                    rj[k] = s * x + c * y;
                    ri[k] = c * x - s * y;
                }
            }
        }
    }
}

// 3. Implicit QL with Wilkinson shifts; the rotations go to `log` (if not null).
template <class T>
bool ql_iterate(index_t n, T* d, T* e, RotationLog<T>* log) {
    const T eps = std::numeric_limits<T>::epsilon();
    const long itmax = 30L * std::max<index_t>(n, 1);
    long total = 0;
    for (index_t l = 0; l < n; ++l) {
        for (;;) {
            index_t m = l;
            for (; m + 1 < n; ++m) {
                const T dd = std::abs(d[m]) + std::abs(d[m + 1]);
                if (std::abs(e[m]) <= eps * dd || std::abs(e[m]) < std::numeric_limits<T>::min()) break;
            }
            if (m == l) break;
            if (++total > itmax) return false;
            T g = (d[l + 1] - d[l]) / (2 * e[l]);
            T r = std::hypot(g, T(1));
            g = d[m] - d[l] + e[l] / (g + std::copysign(r, g));
            T s = 1, c = 1, p = 0;
            bool restarted = false;
            if (log) log->top.push_back(m - 1), log->count.push_back(0);
            for (index_t i = m - 1; i >= l; --i) {
                const T f = s * e[i], b = c * e[i];
                r = std::hypot(f, g);
                e[i + 1] = r;
                if (r == T(0)) {  // underflow: split here and start again
                    d[i + 1] -= p;
                    e[m] = 0;
                    restarted = true;
                    break;
                }
                s = f / r;
                c = g / r;
                g = d[i + 1] - p;
                r = (d[i] - g) * s + 2 * c * b;
                p = s * r;
                d[i + 1] = g + p;
                g = c * r - b;
                if (log) log->c.push_back(c), log->s.push_back(s), ++log->count.back();
            }
            if (restarted) continue;
            d[l] -= p;
            e[l] = g;
            e[m] = 0;
        }
    }
    return true;
}

template <class T>
bool eigh(index_t n, T* a, index_t lda, T* w, T* v, index_t ldv) {
    if (n == 0) return true;
    // The lower triangle defines the matrix: mirror it, and scale into a safe range.
    T anrm = 0;
    for (index_t i = 0; i < n; ++i)
        for (index_t j = 0; j <= i; ++j) {
            a[j * lda + i] = a[i * lda + j];
            anrm = std::max(anrm, std::abs(a[i * lda + j]));
        }
    if (!std::isfinite(anrm)) return false;
    const T lo = std::sqrt(std::numeric_limits<T>::min()) / std::numeric_limits<T>::epsilon();
    const T hi = T(1) / lo;
    T unscale = 1;
    if (anrm > T(0) && (anrm < lo || anrm > hi)) {
        const T target = anrm < lo ? lo : hi;
        for (index_t i = 0; i < n; ++i)
            for (index_t j = 0; j < n; ++j) a[i * lda + j] = a[i * lda + j] / anrm * target;
        unscale = anrm / target;
    }
    std::vector<T> d(static_cast<std::size_t>(n)), e(static_cast<std::size_t>(n)), tau(static_cast<std::size_t>(n)), work;
    tridiagonalize(n, a, lda, d.data(), e.data(), tau.data(), work);
    std::vector<T> vt;
    if (v) {
        vt.resize(static_cast<std::size_t>(n * n));
        accumulate_qt(n, a, lda, tau.data(), vt.data(), n);
    }
    RotationLog<T> log;
    if (!ql_iterate(n, d.data(), e.data(), v ? &log : nullptr)) return false;
    if (v) replay_rotations(log, n, vt.data(), n);
    std::vector<index_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), index_t(0));
    std::stable_sort(order.begin(), order.end(), [&](index_t x, index_t y) { return d[static_cast<std::size_t>(x)] < d[static_cast<std::size_t>(y)]; });
    for (index_t j = 0; j < n; ++j) {
        const index_t src = order[static_cast<std::size_t>(j)];
        w[j] = d[static_cast<std::size_t>(src)] * unscale;
        if (v) {
            const T* row = vt.data() + src * n;  // eigenvector src is row src of Vᵀ
            for (index_t i = 0; i < n; ++i) v[i * ldv + j] = row[i];
        }
    }
    return true;
}
