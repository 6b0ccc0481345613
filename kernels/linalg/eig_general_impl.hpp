// Eigenvalues and eigenvectors of a general real matrix (LAPACK's geev path):
//   1. balancing by powers of two (Parlett–Reinsch), so rounding is relative to
//      well-scaled rows and columns;
//   2. Householder reduction to upper Hessenberg form H = Qᵀ A Q;
//   3. Francis double-shift implicit QR to the real Schur form T = Zᵀ H Z, with
//      2x2 blocks for complex conjugate pairs and real 2x2 blocks split;
//   4. eigenvectors of T by back-substitution (complex arithmetic for the pairs),
//      back-transformed with one GEMM (Q Z)·X, unbalanced and normalized.
// Everything is row-major; the accumulated transform is kept transposed (Zᵀ) so
// that each reflector and rotation updates contiguous rows.
//
// Part of the per-ISA kernel set: included by linalg_<isa>.cpp inside an anonymous
// namespace, after the standard and hoc headers it needs (see kernel_table.hpp).
#pragma once

template <class T>
struct Dense {  // a row-major view: m(i, j) = p[i * ld + j]
    T* p;
    index_t ld;
    T& operator()(index_t i, index_t j) const { return p[i * ld + j]; }
    T* row(index_t i) const { return p + i * ld; }
};

// 1. Scales rows and columns by powers of two until their off-diagonal norms are
// balanced: A <- D^-1 A D, D = diag(scale). Exact in floating point.
template <class T>
void balance(index_t n, Dense<T> a, T* scale) {
    constexpr T radix = 2, radix2 = radix * radix;
    const T big = std::sqrt(std::numeric_limits<T>::max()), small = std::sqrt(std::numeric_limits<T>::min());
    std::fill(scale, scale + n, T(1));
    for (bool done = false; !done;) {
        done = true;
        for (index_t i = 0; i < n; ++i) {
            T c = 0, r = 0;
            for (index_t j = 0; j < n; ++j)
                if (j != i) c += std::abs(a(j, i)), r += std::abs(a(i, j));
            if (c == T(0) || r == T(0) || !std::isfinite(c + r)) continue;
            const T s = c + r;
            T f = 1;
            for (const T g = r / radix; c < g && f < big; f *= radix) c *= radix2;
            for (const T g = r * radix; c >= g && f > small; f /= radix) c /= radix2;
            if ((c + r) / f < T(0.95) * s) {
                done = false;
                scale[i] *= f;
                for (index_t j = 0; j < n; ++j) a(i, j) /= f;
                for (index_t j = 0; j < n; ++j) a(j, i) *= f;
            }
        }
    }
}

// 2. A <- Qᵀ A Q upper Hessenberg; zt <- Qᵀ (zt starts as I).
template <class T>
void hessenberg(index_t n, Dense<T> a, Dense<T> zt, std::vector<T>& work) {
    work.assign(static_cast<std::size_t>(2 * n), T(0));
    T* v = work.data();
    T* w = work.data() + n;
    for (index_t k = 0; k + 2 < n; ++k) {
        const index_t m = n - k - 1;  // reflector length, rows k+1..n-1
        T beta;
        const T tau = make_reflector(a(k + 1, k), m - 1, &a(k + 2, k), a.ld, beta);
        if (tau == T(0)) continue;
        v[0] = 1;
        for (index_t i = 1; i < m; ++i) v[i] = a(k + 1 + i, k), a(k + 1 + i, k) = 0;
        a(k + 1, k) = beta;
        // Left: rows k+1.. of columns k+1..n-1: w = vᵀ A, A -= tau v wᵀ.
        std::fill(w, w + n, T(0));
        for (index_t i = 0; i < m; ++i) {
            const T vi = v[i];
            const T* __restrict r = a.row(k + 1 + i);
            for (index_t j = k + 1; j < n; ++j) w[j] += vi * r[j];
        }
        for (index_t i = 0; i < m; ++i) {
            const T f = tau * v[i];
            T* __restrict r = a.row(k + 1 + i);
            for (index_t j = k + 1; j < n; ++j) r[j] -= f * w[j];
        }
        // Right: every row, columns k+1..n-1: A -= tau (A v) vᵀ.
        for (index_t i = 0; i < n; ++i) {
            T* __restrict r = a.row(i) + k + 1;
            const T s = tau * dot(m, r, v);
            for (index_t j = 0; j < m; ++j) r[j] -= s * v[j];
        }
        // Zᵀ <- P Zᵀ on rows k+1..n-1.
        std::fill(w, w + n, T(0));
        for (index_t i = 0; i < m; ++i) {
            const T vi = v[i];
            const T* __restrict r = zt.row(k + 1 + i);
            for (index_t j = 0; j < n; ++j) w[j] += vi * r[j];
        }
        for (index_t i = 0; i < m; ++i) {
            const T f = tau * v[i];
            T* __restrict r = zt.row(k + 1 + i);
            for (index_t j = 0; j < n; ++j) r[j] -= f * w[j];
        }
    }
}

// Rows p and q of a row-major matrix, columns [j0, j1): [rp; rq] <- [c s; -s c] [rp; rq].
template <class T>
void rotate_rows(T* __restrict rp, T* __restrict rq, index_t j0, index_t j1, T c, T s) {
    for (index_t j = j0; j < j1; ++j) {
        const T x = rp[j], y = rq[j];
        rp[j] = c * x + s * y;
        rq[j] = c * y - s * x;
    }
}

// Applies P = I - tau v vᵀ (v = (1, v1[, v2]), nr = 2 or 3) to rows k.. of a, columns [j0, j1).
template <class T>
void reflect_rows(Dense<T> a, index_t k, index_t nr, T tau, T v1, T v2, index_t j0, index_t j1) {
    T* __restrict r0 = a.row(k);
    T* __restrict r1 = a.row(k + 1);
    if (nr == 3) {
        T* __restrict r2 = a.row(k + 2);
        for (index_t j = j0; j < j1; ++j) {
            const T s = tau * (r0[j] + v1 * r1[j] + v2 * r2[j]);
            r0[j] -= s, r1[j] -= s * v1, r2[j] -= s * v2;
        }
    } else {
        for (index_t j = j0; j < j1; ++j) {
            const T s = tau * (r0[j] + v1 * r1[j]);
            r0[j] -= s, r1[j] -= s * v1;
        }
    }
}

// The orthogonal transforms of the QR iteration, in order, to be applied to Zᵀ
// afterwards (the iteration on H never reads Z): kind 2 or 3 is a reflector
// I - tau·v·vᵀ (v = (1, a, b)) on rows k.., kind 0 a rotation (c = a, s = b) of
// rows k, k+1.
template <class T>
struct TransformLog {
    std::vector<index_t> k;
    std::vector<signed char> kind;
    std::vector<T> tau, a, b;
    void add(index_t row, signed char what, T t, T x, T y) {
        k.push_back(row), kind.push_back(what), tau.push_back(t), a.push_back(x), b.push_back(y);
    }
};

// Applies the log to zt 64 columns at a time, so each column chunk of Zᵀ stays in
// cache through the whole iteration instead of the matrix being streamed once per
// sweep. Every element sees the same operations in the same order either way.
template <class T>
void replay_transforms(const TransformLog<T>& log, index_t n, Dense<T> zt) {
    constexpr index_t kChunk = 64;
    for (index_t j0 = 0; j0 < n; j0 += kChunk) {
        const index_t j1 = std::min(n, j0 + kChunk);
        for (std::size_t q = 0; q < log.k.size(); ++q) {
            const index_t k = log.k[q];
            if (log.kind[q] == 0)
                rotate_rows(zt.row(k), zt.row(k + 1), j0, j1, log.a[q], log.b[q]);
            else
                reflect_rows(zt, k, log.kind[q], log.tau[q], log.a[q], log.b[q], j0, j1);
        }
    }
}

// Splits the converged 2x2 block at rows/columns (p, p+1): real eigenvalues are
// rotated to upper-triangular form; a complex pair keeps its block.
template <class T>
void split_block(index_t n, Dense<T> h, TransformLog<T>& log, index_t p, T* wr, T* wi) {
    const index_t q = p + 1;
    const T a = h(p, p), b = h(p, q), c = h(q, p), d = h(q, q);
    const T sc = std::max({std::abs(a), std::abs(b), std::abs(c), std::abs(d)});
    if (c == T(0) || sc == T(0)) {
        h(q, p) = 0;
        wr[p] = a, wr[q] = d, wi[p] = wi[q] = 0;
        return;
    }
    // Eigenvalues of the scaled block: mid ± sqrt(disc).
    const T as = a / sc, bs = b / sc, cs = c / sc, ds = d / sc;
    const T half = (as - ds) / 2, disc = half * half + bs * cs;
    if (disc >= T(0)) {
        const T root = std::sqrt(disc);
        const T lam = sc * ((as + ds) / 2 + std::copysign(root, half));  // the larger in |.| first
        // An eigenvector u of lam; the rotation [u, u⊥] triangularizes the block.
        T u1 = b, u2 = lam - a;
        const T w1 = lam - d, w2 = c;
        if (std::hypot(w1, w2) > std::hypot(u1, u2)) u1 = w1, u2 = w2;
        const T nu = std::hypot(u1, u2);
        const T cr = u1 / nu, sr = u2 / nu;
        rotate_rows(h.row(p), h.row(q), p, n, cr, sr);
        for (index_t i = 0; i <= q; ++i) {
            T& x = h(i, p);
            T& y = h(i, q);
            const T xv = x, yv = y;
            x = cr * xv + sr * yv;
            y = cr * yv - sr * xv;
        }
        log.add(p, 0, T(0), cr, sr);
        h(q, p) = 0;
        wr[p] = h(p, p), wr[q] = h(q, q), wi[p] = wi[q] = 0;
    } else {
        const T mid = (a + d) / 2, im = sc * std::sqrt(-disc);
        wr[p] = wr[q] = mid;
        wi[p] = im, wi[q] = -im;
    }
}

// 3. Real Schur form of the Hessenberg h, the transforms logged. False if no convergence.
template <class T>
bool schur(index_t n, Dense<T> h, TransformLog<T>& log, T* wr, T* wi) {
    const T eps = std::numeric_limits<T>::epsilon();
    T anorm = 0;
    for (index_t i = 0; i < n; ++i)
        for (index_t j = std::max<index_t>(i - 1, 0); j < n; ++j) anorm += std::abs(h(i, j));
    if (!std::isfinite(anorm)) return false;
    const long itmax = 30L * std::max<index_t>(10, n);
    long total = 0;
    int its = 0;
    for (index_t hi = n - 1; hi >= 0;) {
        // Deflation: the lowest l whose subdiagonal entry is negligible.
        index_t l = hi;
        for (; l > 0; --l) {
            T s = std::abs(h(l - 1, l - 1)) + std::abs(h(l, l));
            if (s == T(0)) s = anorm;
            if (std::abs(h(l, l - 1)) <= eps * s) {
                h(l, l - 1) = 0;
                break;
            }
        }
        if (l == hi) {
            wr[hi] = h(hi, hi), wi[hi] = 0;
            --hi, its = 0;
            continue;
        }
        if (l == hi - 1) {
            split_block(n, h, log, hi - 1, wr, wi);
            hi -= 2, its = 0;
            continue;
        }
        if (++total > itmax) return false;
        ++its;
        // Shifts: the eigenvalues of the trailing 2x2, or an exceptional pair
        // every 10 iterations to break cycles.
        T h11, h12, h21, h22;
        if (its % 10 == 0) {
            const index_t e = its % 20 == 0 ? hi : l + 1;
            const T s = std::abs(h(e, e - 1)) + std::abs(e - 2 >= l ? h(e - 1, e - 2) : T(0));
            h11 = T(0.75) * s + h(e, e), h12 = T(-0.4375) * s, h21 = s, h22 = h11;
        } else {
            h11 = h(hi - 1, hi - 1), h12 = h(hi - 1, hi), h21 = h(hi, hi - 1), h22 = h(hi, hi);
        }
        const T tr = h11 + h22, det = h11 * h22 - h12 * h21;
        // Start the bulge at the lowest m where h(m, m-1) is negligible against it.
        index_t m = hi - 2;
        T x = 0, y = 0, z = 0;
        for (;; --m) {
            const T hmm = h(m, m), h10 = h(m + 1, m);
            x = hmm * hmm + h(m, m + 1) * h10 - tr * hmm + det;
            y = h10 * (hmm + h(m + 1, m + 1) - tr);
            z = h10 * h(m + 2, m + 1);
            const T sc = std::abs(x) + std::abs(y) + std::abs(z);
            if (sc != T(0)) x /= sc, y /= sc, z /= sc;
            if (m == l) break;
            const T lhs = std::abs(h(m, m - 1)) * (std::abs(y) + std::abs(z));
            const T rhs = eps * std::abs(x) * (std::abs(h(m - 1, m - 1)) + std::abs(hmm) + std::abs(h(m + 1, m + 1)));
            if (lhs <= rhs) break;
        }
        // Chase the bulge down to hi.
        for (index_t k = m; k < hi; ++k) {
            const index_t nr = std::min<index_t>(3, hi - k + 1);
            if (k > m) {
                x = h(k, k - 1), y = h(k + 1, k - 1), z = nr == 3 ? h(k + 2, k - 1) : T(0);
            }
            T tail[2] = {y, z}, beta;
            const T tau = make_reflector(x, nr - 1, tail, 1, beta);
            if (tau == T(0)) continue;
            const T v1 = tail[0], v2 = nr == 3 ? tail[1] : T(0);
            if (k > m) {
                h(k, k - 1) = beta, h(k + 1, k - 1) = 0;
                if (nr == 3) h(k + 2, k - 1) = 0;
            } else if (m > l) {
                h(k, k - 1) *= T(1) - tau;  // the rest of that column is negligible
            }
            reflect_rows(h, k, nr, tau, v1, v2, k, n);
            const index_t last = std::min(k + 3, hi);
            for (index_t i = 0; i <= last; ++i) {
                T* r = h.row(i) + k;
                const T s = tau * (r[0] + v1 * r[1] + (nr == 3 ? v2 * r[2] : T(0)));
                r[0] -= s, r[1] -= s * v1;
                if (nr == 3) r[2] -= s * v2;
            }
            log.add(k, static_cast<signed char>(nr), tau, v1, v2);
        }
    }
    return true;
}

// Solves the 2x2 complex system M y = r by elimination with partial pivoting;
// a zero pivot is replaced by `tiny` (a perturbation of the order of eps·||T||).
template <class C, class R>
void solve2(C m00, C m01, C m10, C m11, C r0, C r1, C& y0, C& y1, R tiny) {
    if (std::abs(m10) > std::abs(m00)) std::swap(m00, m10), std::swap(m01, m11), std::swap(r0, r1);
    if (m00 == C(0)) m00 = tiny;
    const C l = m10 / m00;
    C u11 = m11 - l * m01;
    if (u11 == C(0)) u11 = tiny;
    y1 = (r1 - l * r0) / u11;
    y0 = (r0 - m01 * y1) / m00;
}

// 4a. x (length k+1, x[k] or the pair (x[k-1], x[k]) already set) solves
// (T - lambda) x = 0 upward from row `top` (k or k-1) by back-substitution.
// Entries are rescaled whenever they grow towards overflow.
template <class T, class S>
void back_substitute(Dense<T> t, index_t top, index_t k, S lambda, S* x, T tiny) {
    const T eps = std::numeric_limits<T>::epsilon();
    auto guard = [&](index_t i) {
        const T mag = std::abs(x[i]);
        if (mag > T(1) && (eps * mag) * mag > T(1))
            for (index_t j = i; j <= k; ++j) x[j] /= mag;
    };
    for (index_t i = top - 1; i >= 0; --i) {
        const bool pair = i > 0 && t(i, i - 1) != T(0);
        if (!pair) {
            S r = 0;
            for (index_t j = i + 1; j <= k; ++j) r += t(i, j) * x[j];
            S d = t(i, i) - lambda;
            if (d == S(0)) d = tiny;
            x[i] = -r / d;
            guard(i);
        } else {
            S r0 = 0, r1 = 0;
            for (index_t j = i + 1; j <= k; ++j) r0 += t(i - 1, j) * x[j], r1 += t(i, j) * x[j];
            solve2<S, T>(t(i - 1, i - 1) - lambda, t(i - 1, i), t(i, i - 1), t(i, i) - lambda, -r0, -r1,
                         x[i - 1], x[i], tiny);
            guard(i);
            guard(i - 1);
            --i;
        }
    }
}

template <class T>
bool eig_impl(index_t n, T* a_ptr, index_t lda, std::complex<T>* w, std::complex<T>* v, index_t ldv) {
    using C = std::complex<T>;
    if (n == 0) return true;
    Dense<T> a{a_ptr, lda};
    for (index_t i = 0; i < n; ++i)
        for (index_t j = 0; j < n; ++j)
            if (!std::isfinite(a(i, j))) return false;
    // Scale into a safe range (LAPACK's geev does the same).
    T anrm = 0;
    for (index_t i = 0; i < n; ++i)
        for (index_t j = 0; j < n; ++j) anrm = std::max(anrm, std::abs(a(i, j)));
    const T lo = std::sqrt(std::numeric_limits<T>::min()) / std::numeric_limits<T>::epsilon();
    const T hi = T(1) / lo;
    T unscale = 1;
    if (anrm > T(0) && (anrm < lo || anrm > hi)) {
        const T target = anrm < lo ? lo : hi;
        for (index_t i = 0; i < n; ++i)
            for (index_t j = 0; j < n; ++j) a(i, j) = a(i, j) / anrm * target;
        unscale = anrm / target;
    }

    std::vector<T> scale(static_cast<std::size_t>(n)), wr(static_cast<std::size_t>(n)), wi(static_cast<std::size_t>(n));
    balance(n, a, scale.data());
    std::vector<T> zt_buf(static_cast<std::size_t>(n * n), T(0)), work;
    Dense<T> zt{zt_buf.data(), n};
    for (index_t i = 0; i < n; ++i) zt(i, i) = 1;
    hessenberg(n, a, zt, work);
    TransformLog<T> log;
    if (!schur(n, a, log, wr.data(), wi.data())) return false;
    if (v) replay_transforms(log, n, zt);
    for (index_t i = 0; i < n; ++i) w[i] = C(wr[static_cast<std::size_t>(i)] * unscale, wi[static_cast<std::size_t>(i)] * unscale);
    if (!v) return true;

    // 4. X holds eigenvectors of T as columns (a pair: real part, then imaginary part).
    T tnorm = 0;
    for (index_t i = 0; i < n; ++i)
        for (index_t j = std::max<index_t>(i - 1, 0); j < n; ++j) tnorm += std::abs(a(i, j));
    const T tiny = std::max(std::numeric_limits<T>::epsilon() * tnorm, std::numeric_limits<T>::min());
    std::vector<T> xbuf(static_cast<std::size_t>(n * n), T(0));
    Dense<T> x{xbuf.data(), n};
    std::vector<T> xr(static_cast<std::size_t>(n));
    std::vector<C> xc(static_cast<std::size_t>(n));
    for (index_t k = n - 1; k >= 0; --k) {
        const std::size_t ku = static_cast<std::size_t>(k);
        if (wi[ku] == T(0)) {
            std::fill(xr.begin(), xr.begin() + k + 1, T(0));
            xr[ku] = 1;
            back_substitute<T, T>(a, k, k, wr[ku], xr.data(), tiny);
            for (index_t i = 0; i <= k; ++i) x(i, k) = xr[static_cast<std::size_t>(i)];
        } else {
            // The pair (k-1, k); lambda with positive imaginary part belongs to k-1.
            const index_t p = k - 1;
            const C lambda(wr[ku - 1], wi[ku - 1]);
            const T b = a(p, k), c = a(k, p);
            C u0 = b, u1 = lambda - a(p, p);
            const C s0 = lambda - a(k, k), s1 = c;
            if (std::abs(s0) + std::abs(s1) > std::abs(u0) + std::abs(u1)) u0 = s0, u1 = s1;
            std::fill(xc.begin(), xc.begin() + k + 1, C(0));
            xc[static_cast<std::size_t>(p)] = u0, xc[ku] = u1;
            back_substitute<T, C>(a, p, k, lambda, xc.data(), tiny);
            for (index_t i = 0; i <= k; ++i) x(i, p) = xc[static_cast<std::size_t>(i)].real(), x(i, k) = xc[static_cast<std::size_t>(i)].imag();
            --k;
        }
    }
    // V = Z·X through the GEMM (Z = (Zᵀ)ᵀ is read transposed, no copy), then undo
    // the balancing: rows times D.
    std::vector<T> vbuf(static_cast<std::size_t>(n * n));
    gemm<T>(n, n, n, T(1), MatrixRef<const T>{zt_buf.data(), 1, n}, MatrixRef<const T>{xbuf.data(), n, 1}, T(0),
            MatrixRef<T>{vbuf.data(), n, 1});
    for (index_t i = 0; i < n; ++i)
        for (index_t j = 0; j < n; ++j) vbuf[static_cast<std::size_t>(i * n + j)] *= scale[static_cast<std::size_t>(i)];
    // Unit 2-norm; a complex vector is turned so its largest component is real.
    auto vv = [&](index_t i, index_t j) { return vbuf[static_cast<std::size_t>(i * n + j)]; };
    for (index_t k = 0; k < n; ++k) {
        if (wi[static_cast<std::size_t>(k)] == T(0)) {
            T nrm = 0;
            for (index_t i = 0; i < n; ++i) nrm = std::hypot(nrm, vv(i, k));
            for (index_t i = 0; i < n; ++i) v[i * ldv + k] = C(nrm > T(0) ? vv(i, k) / nrm : vv(i, k), T(0));
        } else {
            T nrm = 0, best = -1;
            index_t imax = 0;
            for (index_t i = 0; i < n; ++i) {
                const T mag = std::hypot(vv(i, k), vv(i, k + 1));
                nrm = std::hypot(nrm, mag);
                if (mag > best) best = mag, imax = i;
            }
            const C rot = std::conj(C(vv(imax, k), vv(imax, k + 1))) / (best > T(0) ? best : T(1));
            for (index_t i = 0; i < n; ++i) {
                C z = C(vv(i, k), vv(i, k + 1)) * rot;
                if (nrm > T(0)) z /= nrm;
                if (i == imax) z = C(z.real(), T(0));
                v[i * ldv + k] = z;
                v[i * ldv + k + 1] = std::conj(z);
            }
            ++k;
        }
    }
    return true;
}

template <class T>
bool eig(index_t n, T* a, index_t lda, std::complex<T>* w, std::complex<T>* v, index_t ldv) {
    return eig_impl(n, a, lda, w, v, ldv);
}
