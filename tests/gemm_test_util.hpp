// Shared helpers for the GEMM tests: random matrices in any layout and a
// long-double reference product with an error bound.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "hoc/kernels/gemm.hpp"

namespace gemm_test {

using hoc::index_t;

// A dense matrix stored row- or column-major, possibly with padding (ld >
// minimal) so stride bugs show up.
template <class T>
struct Mat {
    index_t rows = 0, cols = 0;
    bool col_major = false;
    index_t ld = 0;
    std::vector<T> v;

    Mat(index_t r, index_t c, bool cm, index_t pad = 3)
        : rows(r), cols(c), col_major(cm), ld((cm ? r : c) + pad),
          v(static_cast<std::size_t>(ld * (cm ? c : r) + pad)) {}
    index_t rs() const { return col_major ? 1 : ld; }
    index_t cs() const { return col_major ? ld : 1; }
    T& operator()(index_t i, index_t j) { return v[static_cast<std::size_t>(i * rs() + j * cs())]; }
    T operator()(index_t i, index_t j) const {
        return v[static_cast<std::size_t>(i * rs() + j * cs())];
    }
    hoc::kernels::MatrixRef<const T> cref() const { return {v.data(), rs(), cs()}; }
    hoc::kernels::MatrixRef<T> ref() { return {v.data(), rs(), cs()}; }
    void fill(std::mt19937_64& rng) {
        std::uniform_real_distribution<double> d(-1.0, 1.0);
        for (auto& x : v) x = static_cast<T>(d(rng));
    }
};

// Reference C = alpha*A*B + beta*C0 in long double, plus per element the
// magnitude |alpha| sum |a||b| + |beta||c0| that bounds the rounding error.
template <class T>
void reference(const Mat<T>& a, const Mat<T>& b, T alpha, T beta, const Mat<T>& c0,
               std::vector<long double>& out, std::vector<long double>& mag) {
    const index_t m = a.rows, k = a.cols, n = b.cols;
    out.assign(static_cast<std::size_t>(m * n), 0.0L);
    mag.assign(static_cast<std::size_t>(m * n), 0.0L);
    for (index_t i = 0; i < m; ++i)
        for (index_t j = 0; j < n; ++j) {
            long double s = 0, g = 0;
            for (index_t p = 0; p < k; ++p) {
                const long double x = static_cast<long double>(a(i, p)) * b(p, j);
                s += x;
                g += std::fabs(x);
            }
            long double r = static_cast<long double>(alpha) * s, gm = std::fabs(alpha) * g;
            if (beta != T(0)) {
                r += static_cast<long double>(beta) * c0(i, j);
                gm += std::fabs(static_cast<long double>(beta) * c0(i, j));
            }
            out[static_cast<std::size_t>(i * n + j)] = r;
            mag[static_cast<std::size_t>(i * n + j)] = gm;
        }
}

// Worst |c - ref| / bound over the matrix; <= 1 passes. The bound is the
// classic dot-product one: |fl(sum) - sum| <= k*eps*sum|a||b| (Higham 3.1),
// plus 2 eps for alpha and beta, doubled for slack.
template <class T>
double worst_ratio(const Mat<T>& c, const std::vector<long double>& ref,
                   const std::vector<long double>& mag, index_t k) {
    const long double eps = std::numeric_limits<T>::epsilon();
    double worst = 0;
    for (index_t i = 0; i < c.rows; ++i)
        for (index_t j = 0; j < c.cols; ++j) {
            const auto idx = static_cast<std::size_t>(i * c.cols + j);
            const long double bound = 2.0L * (k + 2) * eps * mag[idx] + 4 * std::numeric_limits<T>::min();
            const long double err = std::fabs(static_cast<long double>(c(i, j)) - ref[idx]);
            if (!(err <= bound)) return std::numeric_limits<double>::infinity();
            worst = std::max(worst, static_cast<double>(err / bound));
        }
    return worst;
}

}  // namespace gemm_test
