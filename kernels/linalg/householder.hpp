// Householder reflectors P = I - tau·v·vᵀ (v[0] = 1) as LAPACK's larfg defines
// them, shared by the Hessenberg and tridiagonal reductions.
// Part of the per-ISA kernel set: included by linalg_<isa>.cpp inside an anonymous
// namespace, after the standard and hoc headers it needs (see kernel_table.hpp).
#pragma once

// 2-norm of x[0..m) (stride incx) without overflow or underflow in the squares.
template <class T>
T scaled_norm(index_t m, const T* x, index_t incx) {
    T scale = 0;
    for (index_t i = 0; i < m; ++i) scale = std::max(scale, std::abs(x[i * incx]));
    if (scale == T(0) || !std::isfinite(scale)) return scale;
    T ssq = 0;
    for (index_t i = 0; i < m; ++i) {
        const T t = x[i * incx] / scale;
        ssq += t * t;
    }
    return scale * std::sqrt(ssq);
}

// Given alpha and x[0..m) (stride incx), finds tau and v = (1, x / (alpha - beta))
// with P·(alpha, x) = (beta, 0). x is overwritten by v's tail; returns tau
// (0 when x is already zero: P = I) and sets beta.
template <class T>
T make_reflector(T alpha, index_t m, T* x, index_t incx, T& beta) {
    const T xnorm = scaled_norm(m, x, incx);
    if (xnorm == T(0)) {
        beta = alpha;
        return T(0);
    }
    beta = -std::copysign(std::hypot(alpha, xnorm), alpha);
    const T tau = (beta - alpha) / beta;
    const T scale = T(1) / (alpha - beta);
    for (index_t i = 0; i < m; ++i) x[i * incx] *= scale;
    return tau;
}

