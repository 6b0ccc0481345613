// inv, solve, det (LU with partial pivoting) against independent references:
// LAPACK-tester scaled residuals computed with naive loops,
// closed forms, exact results (permutations, diagonals), and LAPACK's dgetrf.
//
// Residual thresholds: LAPACK's own testers (dchkge) accept a scaled residual
// below 30; a backward-stable LU gives O(1) values (typically < 1), so 30 also
// leaves room for float and for ill-conditioned matrices, where the scaling
// by ||A||·||inv(A)|| absorbs the conditioning.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "hoc/hoc.hpp"
#include "random_tensor.hpp"

#ifdef HOC_HAVE_REFERENCES
extern "C" void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
#endif

namespace {

using hoc::Shape;
using hoc::Tensor;
using hoc::index_t;
namespace la = hoc::linalg;

constexpr double kThreshold = 30.0;

template <class T>
Tensor<T> random_matrix(index_t rows, index_t cols, unsigned seed) {
    return random_tensor<T>(Shape{rows, cols}, seed);
}

// A 2-D view copied into a row-major double matrix (any strides in). Residuals are
// computed in double, as LAPACK's testers compute them in working precision.
template <class V>
std::vector<double> dense(const V& v) {
    const index_t r = v.shape()[0], c = v.shape()[1];
    std::vector<double> m(static_cast<std::size_t>(r * c));
    for (index_t i = 0; i < r; ++i)
        for (index_t j = 0; j < c; ++j) m[static_cast<std::size_t>(i * c + j)] = static_cast<double>(v(i, j));
    return m;
}

// 1-norm (max column sum) of a rows x cols row-major matrix.
double norm1(const std::vector<double>& m, index_t rows, index_t cols) {
    std::vector<double> col(static_cast<std::size_t>(cols), 0.0);
    for (index_t i = 0; i < rows; ++i)
        for (index_t j = 0; j < cols; ++j) col[static_cast<std::size_t>(j)] += std::fabs(m[static_cast<std::size_t>(i * cols + j)]);
    double best = 0;
    for (double c : col) best = std::max(best, c);
    return best;
}

// ||A·X − B||_1 for A (n x n), X and B (n x k), row by row.
double product_residual(const std::vector<double>& a, const std::vector<double>& x,
                             const std::vector<double>& b, index_t n, index_t k) {
    std::vector<double> r(static_cast<std::size_t>(n * k));
    for (index_t i = 0; i < n; ++i) {
        double* ri = r.data() + i * k;
        for (index_t j = 0; j < k; ++j) ri[j] = -b[static_cast<std::size_t>(i * k + j)];
        for (index_t p = 0; p < n; ++p) {
            const double aip = a[static_cast<std::size_t>(i * n + p)];
            const double* xp = x.data() + p * k;
            for (index_t j = 0; j < k; ++j) ri[j] += aip * xp[j];
        }
    }
    return norm1(r, n, k);
}

// ||A·X − I||_1 / (n·eps·||A||_1·||X||_1)
template <class T, class VA, class VX>
double inverse_residual(const VA& av, const VX& xv) {
    const index_t n = av.shape()[0];
    const auto a = dense(av), x = dense(xv);
    std::vector<double> eye(static_cast<std::size_t>(n * n), 0.0);
    for (index_t i = 0; i < n; ++i) eye[static_cast<std::size_t>(i * n + i)] = 1.0;
    const double eps = std::numeric_limits<T>::epsilon();
    const double denom = n * eps * norm1(a, n, n) * norm1(x, n, n);
    const double res = product_residual(a, x, eye, n, n);
    return static_cast<double>(denom > 0 ? res / denom : res);
}

// ||A·X − B||_1 / (n·eps·||A||_1·||X||_1), for X and B (n x k).
template <class T, class VA, class VX, class VB>
double solve_residual(const VA& av, const VX& xv, const VB& bv) {
    const index_t n = av.shape()[0], k = xv.shape()[1];
    const auto a = dense(av), x = dense(xv), b = dense(bv);
    const double eps = std::numeric_limits<T>::epsilon();
    const double denom = n * eps * norm1(a, n, n) * std::max(norm1(x, n, k), 1e-300);
    return static_cast<double>(product_residual(a, x, b, n, k) / denom);
}

template <class E, class F>
void expect_throw_message(F&& f, const std::string& message) {
    try {
        f();
        ADD_FAILURE() << "no exception; expected: " << message;
    } catch (const E& e) {
        EXPECT_EQ(std::string(e.what()), message);
    }
}

// ---- singular matrices ------------------------------------------------------------

TEST(LinalgLu, SeedSingularMatrix) {
    const auto a = hoc::tensor<double>({{1, 2}, {2, 4}});
    expect_throw_message<hoc::LinAlgError>([&] { Tensor<double> x = la::inv(a); }, "Singular matrix");
    const auto b = hoc::tensor<double>({1, 1});
    expect_throw_message<hoc::LinAlgError>([&] { Tensor<double> x = la::solve(a, b); }, "Singular matrix");
    EXPECT_EQ(static_cast<double>(la::det(a)), 0.0);
    // LinAlgError is a std::runtime_error, as the SPEC says.
    EXPECT_THROW(Tensor<double> x = la::inv(a), std::runtime_error);
}

TEST(LinalgLu, ZeroAndRankDeficientMatrices) {
    for (index_t n : {1, 3, 17, 40}) {
        Tensor<double> z(Shape{n, n});
        EXPECT_THROW(Tensor<double> x = la::inv(z), hoc::LinAlgError);
        EXPECT_EQ(static_cast<double>(la::det(z)), 0.0);
        // Rank n-1 with a zero column in the middle: every update of that column
        // multiplies a zero, so its pivot is exactly zero whatever the blocking.
        // (Near-singular matrices, e.g. a repeated row or column, generally give a
        // rounding-sized pivot instead, in LAPACK as here: not "singular".)
        Tensor<double> a = random_matrix<double>(n, n, 7);
        for (index_t i = 0; i < n; ++i) a(i, n / 2) = 0.0;
        EXPECT_THROW(Tensor<double> x = la::inv(a), hoc::LinAlgError) << n;
        EXPECT_THROW(Tensor<double> x = la::solve(a, Tensor<double>(Shape{n})), hoc::LinAlgError) << n;
        EXPECT_EQ(static_cast<double>(la::det(a)), 0.0);
        if (n > 1 && n <= 16) {
            // The unblocked path treats equal rows identically: an exact zero too.
            Tensor<double> r = random_matrix<double>(n, n, 8);
            for (index_t j = 0; j < n; ++j) r(n - 1, j) = r(0, j);
            EXPECT_THROW(Tensor<double> x = la::inv(r), hoc::LinAlgError) << n;
        }
    }
    Tensor<float> zf(Shape{5, 5});
    EXPECT_THROW(Tensor<float> x = la::inv(zf), hoc::LinAlgError);
}

TEST(LinalgLu, DestinationUntouchedOnThrow) {
    const auto a = hoc::tensor<double>({{1, 2}, {2, 4}});
    Tensor<double> x(Shape{2, 2}, 7.0);
    const double* before = x.data();
    EXPECT_THROW(x = la::inv(a), hoc::LinAlgError);
    EXPECT_EQ(x.data(), before);
    for (index_t i = 0; i < 4; ++i) EXPECT_EQ(x.data()[i], 7.0);

    // A stack whose last matrix is singular: nothing of the earlier ones is written.
    Tensor<double> s = random_tensor<double>(Shape{3, 20, 20}, 3);
    for (index_t i = 0; i < 20; ++i)
        for (index_t j = 0; j < 20; ++j) s(2, i, j) = 0.0;
    Tensor<double> y(Shape{3, 20, 20}, -1.0);
    EXPECT_THROW(y = la::inv(s), hoc::LinAlgError);
    for (index_t i = 0; i < y.size(); ++i) ASSERT_EQ(y.data()[i], -1.0);
    Tensor<double> b(Shape{3, 20, 2}, 1.0);
    Tensor<double> z(Shape{3, 20, 2}, 5.0);
    EXPECT_THROW(z = la::solve(s, b), hoc::LinAlgError);
    for (index_t i = 0; i < z.size(); ++i) ASSERT_EQ(z.data()[i], 5.0);
}

// ---- inv ----------------------------------------------------------------------------

template <class T>
void check_inverse(index_t n, unsigned seed) {
    const Tensor<T> a = random_matrix<T>(n, n, seed);
    const Tensor<T> x = la::inv(a);
    ASSERT_EQ(x.shape(), (Shape{n, n}));
    EXPECT_LT(inverse_residual<T>(a, x), kThreshold) << "n = " << n;
}

TEST(LinalgLu, InverseRandomAllSmallOrders) {
    for (index_t n = 1; n <= 20; ++n) {
        check_inverse<double>(n, static_cast<unsigned>(n));
        check_inverse<float>(n, static_cast<unsigned>(n) + 100);
    }
}

TEST(LinalgLu, InverseRandomAcrossBlockEdges) {
    for (index_t n : {31, 32, 33, 63, 64, 65, 127, 128, 129}) check_inverse<double>(n, 11);
    for (index_t n : {63, 65, 129}) check_inverse<float>(n, 12);
}

TEST(LinalgLu, InverseLarge) {
    check_inverse<double>(300, 5);
    check_inverse<double>(500, 6);
}

TEST(LinalgLu, InverseHilbert) {
    // Condition numbers grow to ~1e13 at n = 10; the scaled residual stays small.
    for (index_t n = 1; n <= 10; ++n) {
        Tensor<double> h(Shape{n, n});
        for (index_t i = 0; i < n; ++i)
            for (index_t j = 0; j < n; ++j) h(i, j) = 1.0 / static_cast<double>(i + j + 1);
        const Tensor<double> x = la::inv(h);
        EXPECT_LT(inverse_residual<double>(h, x), kThreshold) << n;
        if (n == 4) {
            // The exact inverse has integer entries; cond(H4) ~ 1.6e4.
            const double exact4[4][4] = {{16, -120, 240, -140}, {-120, 1200, -2700, 1680},
                                         {240, -2700, 6480, -4200}, {-140, 1680, -4200, 2800}};
            for (int i = 0; i < 4; ++i)
                for (int j = 0; j < 4; ++j) EXPECT_NEAR(x(i, j), exact4[i][j], 1e-8 * 6480);
        }
    }
}

TEST(LinalgLu, InverseExactCases) {
    // 1 x 1
    const Tensor<double> one = la::inv(hoc::tensor<double>({{4.0}}));
    EXPECT_EQ(one(0, 0), 0.25);
    // Permutation: the inverse is the transpose, exactly.
    const index_t n = 23;
    Tensor<double> p(Shape{n, n});
    for (index_t i = 0; i < n; ++i) p(i, (i * 7 + 3) % n) = 1.0;
    const Tensor<double> pi = la::inv(p);
    for (index_t i = 0; i < n; ++i)
        for (index_t j = 0; j < n; ++j) EXPECT_EQ(pi(i, j), p(j, i));
    // Diagonal with powers of two: exact reciprocals.
    Tensor<double> d(Shape{n, n});
    for (index_t i = 0; i < n; ++i) d(i, i) = std::ldexp(1.0, static_cast<int>(i) - 10);
    const Tensor<double> di = la::inv(d);
    for (index_t i = 0; i < n; ++i)
        for (index_t j = 0; j < n; ++j) EXPECT_EQ(di(i, j), i == j ? std::ldexp(1.0, 10 - static_cast<int>(i)) : 0.0);
}

TEST(LinalgLu, InverseTriangular) {
    for (index_t n : {5, 16, 40, 70}) {
        Tensor<double> l = random_matrix<double>(n, n, 21);
        for (index_t i = 0; i < n; ++i) {
            l(i, i) += 2.0 * (i % 2 ? 1 : -1);
            for (index_t j = i + 1; j < n; ++j) l(i, j) = 0.0;
        }
        const Tensor<double> x = la::inv(l);
        EXPECT_LT(inverse_residual<double>(l, x), kThreshold);
        // The inverse of a lower-triangular matrix is lower triangular.
        for (index_t i = 0; i < n; ++i)
            for (index_t j = i + 1; j < n; ++j) EXPECT_EQ(x(i, j), 0.0);
        const Tensor<double> u = la::inv(l.T());
        EXPECT_LT(inverse_residual<double>(l.T(), u), kThreshold);
    }
}

TEST(LinalgLu, InverseOfStridedViews) {
    const Tensor<double> big = random_matrix<double>(40, 50, 9);
    // Every other row, columns reversed: strides (100, -1).
    const auto v = hoc::slice(hoc::slice(big, 0, 0, 40, 2), 1, 29, 9, -1);
    ASSERT_EQ(v.shape(), (Shape{20, 20}));
    const Tensor<double> x = la::inv(v);
    EXPECT_LT(inverse_residual<double>(v, x), kThreshold);
    // inv(A^T) == inv(A)^T up to rounding.
    const Tensor<double> a = random_matrix<double>(30, 30, 10);
    const Tensor<double> xt = la::inv(a.T());
    const Tensor<double> xa = la::inv(a);
    for (index_t i = 0; i < 30; ++i)
        for (index_t j = 0; j < 30; ++j) EXPECT_NEAR(xt(i, j), xa(j, i), 1e-9 * (1 + std::fabs(xa(j, i))));
    // Writing into a transposed destination view.
    Tensor<double> dst(Shape{30, 30});
    auto dv = dst.T();
    Tensor<double> direct = la::inv(a);
    la::inv(a).evaluate_into(dv);
    for (index_t i = 0; i < 30; ++i)
        for (index_t j = 0; j < 30; ++j) EXPECT_EQ(dst(j, i), direct(i, j));
}

TEST(LinalgLu, InverseStacksAndBroadcastFreeBatches) {
    const Tensor<double> s = random_tensor<double>(Shape{2, 3, 9, 9}, 4);
    const Tensor<double> x = la::inv(s);
    ASSERT_EQ(x.shape(), (Shape{2, 3, 9, 9}));
    for (index_t p = 0; p < 2; ++p)
        for (index_t q = 0; q < 3; ++q) {
            Tensor<double> one(Shape{9, 9});
            for (index_t i = 0; i < 9; ++i)
                for (index_t j = 0; j < 9; ++j) one(i, j) = s(p, q, i, j);
            const Tensor<double> xi = la::inv(one);
            for (index_t i = 0; i < 9; ++i)
                for (index_t j = 0; j < 9; ++j) EXPECT_EQ(x(p, q, i, j), xi(i, j));
        }
    // Larger matrices in a stack take the blocked path per matrix.
    const Tensor<float> sf = random_tensor<float>(Shape{3, 70, 70}, 5);
    const Tensor<float> xf = la::inv(sf);
    for (index_t p = 0; p < 3; ++p) {
        auto ap = hoc::slice(sf, 0, p, p + 1).reshape(Shape{70, 70});
        auto xp = hoc::slice(xf, 0, p, p + 1).reshape(Shape{70, 70});
        EXPECT_LT(inverse_residual<float>(ap, xp), kThreshold);
    }
}

TEST(LinalgLu, EmptyShapes) {
    const Tensor<double> e = la::inv(Tensor<double>(Shape{0, 0}));
    EXPECT_EQ(e.shape(), (Shape{0, 0}));
    const Tensor<double> es = la::inv(Tensor<double>(Shape{0, 4, 4}));
    EXPECT_EQ(es.shape(), (Shape{0, 4, 4}));
    EXPECT_EQ(static_cast<double>(la::det(Tensor<double>(Shape{0, 0}))), 1.0);  // NumPy: 1.0
    const Tensor<double> ds = la::det(Tensor<double>(Shape{2, 0, 0}));
    EXPECT_EQ(ds.shape(), (Shape{2}));
    EXPECT_EQ(ds(0), 1.0);
    const Tensor<double> xs = la::solve(Tensor<double>(Shape{0, 0}), Tensor<double>(Shape{0, 3}));
    EXPECT_EQ(xs.shape(), (Shape{0, 3}));
}

TEST(LinalgLu, AssignmentWritesIntoBufferAndHandlesAliasing) {
    const Tensor<double> a = random_matrix<double>(12, 12, 8);
    Tensor<double> x(Shape{12, 12});
    const double* buf = x.data();
    x = la::inv(a);
    EXPECT_EQ(x.data(), buf);  // NumPy's out=: no new result tensor
    EXPECT_LT(inverse_residual<double>(a, x), kThreshold);
    // x = inv(x): the computation reads x, so it goes through a temporary.
    Tensor<double> y = a;
    y = la::inv(y);
    EXPECT_EQ(y.shape(), a.shape());
    for (index_t i = 0; i < y.size(); ++i) EXPECT_EQ(y.data()[i], x.data()[i]);
    // Assigning a result of another shape rebinds, as in NumPy.
    Tensor<double> z(Shape{3});
    z = la::inv(a);
    EXPECT_EQ(z.shape(), (Shape{12, 12}));
}

TEST(LinalgLu, TemporaryOperandsStayAlive) {
    auto lazy = la::inv(random_matrix<double>(6, 6, 1));
    auto rhs = la::solve(random_matrix<double>(6, 6, 2), random_matrix<double>(6, 2, 3));
    const Tensor<double> x = lazy, y = rhs;  // evaluated after the temporaries died
    EXPECT_LT(inverse_residual<double>(random_matrix<double>(6, 6, 1), x), kThreshold);
    EXPECT_LT(solve_residual<double>(random_matrix<double>(6, 6, 2), y, random_matrix<double>(6, 2, 3)),
              kThreshold);
}

TEST(LinalgLu, NanPropagatesWithoutThrowing) {
    Tensor<double> a = random_matrix<double>(5, 5, 4);
    a(2, 3) = std::numeric_limits<double>::quiet_NaN();
    const Tensor<double> x = la::inv(a);
    bool any_nan = false;
    for (index_t i = 0; i < x.size(); ++i) any_nan |= std::isnan(x.data()[i]);
    EXPECT_TRUE(any_nan);
    EXPECT_TRUE(std::isnan(static_cast<double>(la::det(a))));
}

// ---- solve --------------------------------------------------------------------------

TEST(LinalgLu, SolveVectorAndMatrixRightHandSides) {
    for (index_t n : {1, 2, 7, 16, 17, 64, 129}) {
        const Tensor<double> a = random_matrix<double>(n, n, 30);
        const Tensor<double> b = random_matrix<double>(n, 1, 31).reshape(Shape{n});
        const Tensor<double> x = la::solve(a, b);
        ASSERT_EQ(x.shape(), (Shape{n}));
        EXPECT_LT(solve_residual<double>(a, x.reshape(Shape{n, 1}), b.reshape(Shape{n, 1})), kThreshold);
        for (index_t k : {1, 3, 40}) {
            const Tensor<double> bm = random_matrix<double>(n, k, 32);
            const Tensor<double> xm = la::solve(a, bm);
            ASSERT_EQ(xm.shape(), (Shape{n, k}));
            EXPECT_LT(solve_residual<double>(a, xm, bm), kThreshold) << n << " " << k;
        }
        const Tensor<float> af = random_matrix<float>(n, n, 33), bf = random_matrix<float>(n, 5, 34);
        const Tensor<float> xf = la::solve(af, bf);
        EXPECT_LT(solve_residual<float>(af, xf, bf), kThreshold);
    }
}

TEST(LinalgLu, SolveLarge) {
    const Tensor<double> a = random_matrix<double>(300, 300, 40), b = random_matrix<double>(300, 20, 41);
    const Tensor<double> x = la::solve(a, b);
    EXPECT_LT(solve_residual<double>(a, x, b), kThreshold);
}

TEST(LinalgLu, SolveBroadcastsBatchAxes) {
    // NumPy 2: b.ndim == 1 is a vector; otherwise (..., n, k) with broadcast batches.
    const Tensor<double> a = random_tensor<double>(Shape{3, 1, 5, 5}, 50);
    const Tensor<double> b = random_tensor<double>(Shape{4, 5, 2}, 51);
    const Tensor<double> x = la::solve(a, b);
    ASSERT_EQ(x.shape(), (Shape{3, 4, 5, 2}));
    for (index_t p = 0; p < 3; ++p)
        for (index_t q = 0; q < 4; ++q) {
            auto ap = hoc::slice(a, 0, p, p + 1).reshape(Shape{5, 5});
            auto bq = hoc::slice(b, 0, q, q + 1).reshape(Shape{5, 2});
            auto xpq = hoc::slice(hoc::slice(x, 0, p, p + 1), 1, q, q + 1).reshape(Shape{5, 2});
            EXPECT_LT(solve_residual<double>(ap, xpq, bq), kThreshold);
        }
    // A stack with one vector: (3, 5, 5) and (5,) give (3, 5).
    const Tensor<double> a3 = random_tensor<double>(Shape{3, 5, 5}, 52);
    const Tensor<double> v = random_tensor<double>(Shape{5}, 53);
    const Tensor<double> xv = la::solve(a3, v);
    ASSERT_EQ(xv.shape(), (Shape{3, 5}));
    for (index_t p = 0; p < 3; ++p) {
        auto ap = hoc::slice(a3, 0, p, p + 1).reshape(Shape{5, 5});
        auto xp = hoc::slice(xv, 0, p, p + 1).reshape(Shape{5, 1});
        EXPECT_LT(solve_residual<double>(ap, xp, v.reshape(Shape{5, 1})), kThreshold);
    }
    // One matrix, a stack of right-hand sides: (5, 5) with (2, 5, 3).
    const Tensor<double> bs = random_tensor<double>(Shape{2, 5, 3}, 54);
    const Tensor<double> xs = la::solve(hoc::slice(a3, 0, 0, 1).reshape(Shape{5, 5}), bs);
    EXPECT_EQ(xs.shape(), (Shape{2, 5, 3}));
}

TEST(LinalgLu, SolveStridedOperandsAndDestination) {
    const Tensor<double> a = random_matrix<double>(24, 24, 60);
    const Tensor<double> b = random_matrix<double>(6, 24, 61);
    const auto bt = b.T();  // (24, 6), column stride 24
    const Tensor<double> x = la::solve(a.T(), bt);
    EXPECT_LT(solve_residual<double>(a.T(), x, bt), kThreshold);
    Tensor<double> d(Shape{6, 24});
    la::solve(a.T(), bt).evaluate_into(d.T());  // destination with column stride 24
    for (index_t i = 0; i < 24; ++i)
        for (index_t j = 0; j < 6; ++j) EXPECT_EQ(d(j, i), x(i, j));
}

TEST(LinalgLu, ShapeErrors) {
    const Tensor<double> r(Shape{2, 3});
    expect_throw_message<hoc::ShapeError>(
        [&] { Tensor<double> x = la::inv(r); },
        "inv: last 2 dimensions of the array must be square, got (2, 3): 2 (dim 0) != 3 (dim 1)");
    expect_throw_message<hoc::ShapeError>(
        [&] { (void)la::det(Tensor<double>(Shape{4, 2, 3})); },
        "det: last 2 dimensions of the array must be square, got (4, 2, 3): 2 (dim 1) != 3 (dim 2)");
    expect_throw_message<hoc::ShapeError>(
        [&] { Tensor<double> x = la::inv(Tensor<double>(Shape{3})); },
        "inv: array of shape (3,) has 1 dimension(s); at least 2 are needed, (..., n, n)");
    const Tensor<double> a(Shape{3, 3});
    expect_throw_message<hoc::ShapeError>(
        [&] { Tensor<double> x = la::solve(a, Tensor<double>(Shape{4})); },
        "solve: shapes (3, 3) and (4,) not aligned: 3 (dim 1) != 4 (dim 0)");
    expect_throw_message<hoc::ShapeError>(
        [&] { Tensor<double> x = la::solve(a, Tensor<double>(Shape{2, 4, 3})); },
        "solve: shapes (3, 3) and (2, 4, 3) not aligned: 3 (dim 1) != 4 (dim 1)");
    EXPECT_THROW(Tensor<double> x = la::solve(Tensor<double>(Shape{2, 3, 3}), Tensor<double>(Shape{4, 3, 1})),
                 hoc::ShapeError);
    // A ShapeError is a std::invalid_argument.
    EXPECT_THROW(Tensor<double> x = la::inv(r), std::invalid_argument);
    // det of a stack does not convert to one value.
    EXPECT_THROW((void)static_cast<double>(la::det(Tensor<double>(Shape{2, 3, 3}))), hoc::ShapeError);
}

// ---- det ----------------------------------------------------------------------------

TEST(LinalgLu, DeterminantClosedForms) {
    const auto a2 = hoc::tensor<double>({{3, 8}, {4, 6}});
    EXPECT_DOUBLE_EQ(static_cast<double>(la::det(a2)), 3 * 6 - 8 * 4);
    const auto a3 = hoc::tensor<double>({{6, 1, 1}, {4, -2, 5}, {2, 8, 7}});
    EXPECT_NEAR(static_cast<double>(la::det(a3)), -306.0, 1e-12 * 306);
    EXPECT_EQ(static_cast<double>(la::det(hoc::tensor<double>({{-3.0}}))), -3.0);
    EXPECT_EQ(static_cast<float>(la::det(hoc::eye<float>(7))), 1.0f);
    // Permutation matrices: the sign of the permutation (a 3-cycle is even, a swap odd).
    const auto cyc = hoc::tensor<double>({{0, 1, 0}, {0, 0, 1}, {1, 0, 0}});
    EXPECT_EQ(static_cast<double>(la::det(cyc)), 1.0);
    const auto swp = hoc::tensor<double>({{0, 1, 0}, {1, 0, 0}, {0, 0, 1}});
    EXPECT_EQ(static_cast<double>(la::det(swp)), -1.0);
    // Triangular: the product of the diagonal.
    Tensor<double> t = random_matrix<double>(30, 30, 70);
    long double prod = 1;
    for (index_t i = 0; i < 30; ++i) {
        for (index_t j = 0; j < i; ++j) t(i, j) = 0.0;
        t(i, i) = 1.0 + 0.05 * static_cast<double>(i);
        prod *= t(i, i);
    }
    EXPECT_NEAR(static_cast<double>(la::det(t)), static_cast<double>(prod), 1e-13 * static_cast<double>(prod));
    // A stack gives a tensor; `auto` keeps the proxy, which converts.
    const Tensor<double> s = random_tensor<double>(Shape{2, 2, 2}, 71);
    const Tensor<double> ds = la::det(s);
    ASSERT_EQ(ds.shape(), (Shape{2}));
    const auto proxy = la::det(s);
    EXPECT_EQ(proxy.ndim(), 1);
    EXPECT_EQ(proxy.size(), 2);
    EXPECT_EQ(proxy(1), ds(1));
    EXPECT_THROW((void)proxy(2), std::out_of_range);
    std::ostringstream one, many;
    one << la::det(a2);
    many << proxy;
    EXPECT_EQ(one.str(), "-14");
    EXPECT_EQ(many.str().front(), '[');
    for (index_t p = 0; p < 2; ++p)
        EXPECT_NEAR(ds(p), s(p, 0, 0) * s(p, 1, 1) - s(p, 0, 1) * s(p, 1, 0), 1e-15);
}

TEST(LinalgLu, DeterminantNeitherOverflowsNorUnderflowsInTheProduct) {
    // diag(1e300, 1e300, 1e-300, 1e-300): a naive product gives inf; the true value is 1.
    Tensor<double> d(Shape{4, 4});
    d(0, 0) = d(1, 1) = 1e300;
    d(2, 2) = d(3, 3) = 1e-300;
    EXPECT_NEAR(static_cast<double>(la::det(d)), 1.0, 1e-14);
    d(0, 0) = d(1, 1) = 1e-300;  // a naive product gives 0
    d(2, 2) = d(3, 3) = 1e300;
    EXPECT_NEAR(static_cast<double>(la::det(d)), 1.0, 1e-14);
    // Large n: 0.5*I of order 2000 is 2^-2000 (underflows legitimately to 0); 2*I overflows to inf.
    Tensor<double> half(Shape{1100, 1100});
    for (index_t i = 0; i < 1100; ++i) half(i, i) = 0.5;
    EXPECT_EQ(static_cast<double>(la::det(half)), 0.0);
    for (index_t i = 0; i < 1100; ++i) half(i, i) = 2.0;
    EXPECT_EQ(static_cast<double>(la::det(half)), std::numeric_limits<double>::infinity());
    // float: 1e20 * 1e20 * 1e-20 * 1e-20 overflows float in a naive product.
    Tensor<float> f(Shape{4, 4});
    f(0, 0) = f(1, 1) = 1e20f;
    f(2, 2) = f(3, 3) = 1e-20f;
    EXPECT_NEAR(static_cast<float>(la::det(f)), 1.0f, 1e-5f);
}

#ifdef HOC_HAVE_REFERENCES
TEST(LinalgLu, DeterminantMatchesLapack) {
    for (index_t n : {5, 16, 33, 100}) {
        const Tensor<double> a = random_matrix<double>(n, n, 80 + static_cast<unsigned>(n));
        // LAPACK is column-major: factor A^T, whose determinant is the same.
        std::vector<double> f(a.data(), a.data() + n * n);
        std::vector<int> ipiv(static_cast<std::size_t>(n));
        const int ni = static_cast<int>(n);
        int info = 0;
        dgetrf_(&ni, &ni, f.data(), &ni, ipiv.data(), &info);
        ASSERT_EQ(info, 0);
        double ref = 1;
        for (int i = 0; i < ni; ++i) ref *= (ipiv[static_cast<std::size_t>(i)] != i + 1 ? -1 : 1) * f[static_cast<std::size_t>(i * ni + i)];
        EXPECT_NEAR(static_cast<double>(la::det(a)), ref, 1e-11 * std::fabs(ref)) << n;
    }
}
#endif

// ---- threads ------------------------------------------------------------------------

TEST(LinalgLu, IdenticalResultsAtOneAndTwoThreads) {
    const int saved = hoc::num_threads();
    const Tensor<double> a = random_matrix<double>(260, 260, 90), b = random_matrix<double>(260, 9, 91);
    const Tensor<double> s = random_tensor<double>(Shape{8, 12, 12}, 92);
    hoc::set_num_threads(1);
    const Tensor<double> x1 = la::inv(a), y1 = la::solve(a, b), z1 = la::inv(s);
    const double d1 = la::det(a);
    hoc::set_num_threads(2);
    const Tensor<double> x2 = la::inv(a), y2 = la::solve(a, b), z2 = la::inv(s);
    const double d2 = la::det(a);
    hoc::set_num_threads(saved);
    EXPECT_EQ(std::memcmp(x1.data(), x2.data(), sizeof(double) * static_cast<std::size_t>(x1.size())), 0);
    EXPECT_EQ(std::memcmp(y1.data(), y2.data(), sizeof(double) * static_cast<std::size_t>(y1.size())), 0);
    EXPECT_EQ(std::memcmp(z1.data(), z2.data(), sizeof(double) * static_cast<std::size_t>(z1.size())), 0);
    EXPECT_EQ(d1, d2);
}

}  // namespace
