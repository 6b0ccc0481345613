// hoc::matmul / hoc::dot against naive loops: numpy semantics (1-D
// promotion, broadcast batch axes, N-D dot), strided and transposed views,
// error text, lazy assignment without allocation, aliasing.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "hoc/core.hpp"
#include "hoc/linalg/matmul.hpp"

using hoc::index_t;
using hoc::Shape;
using hoc::Tensor;

namespace {

template <class T>
Tensor<T> random_tensor(const Shape& s, unsigned seed) {
    Tensor<T> t(s);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> d(-1, 1);
    for (index_t i = 0; i < t.size(); ++i) t.data()[i] = static_cast<T>(d(rng));
    return t;
}

// Tolerance: k * eps * sum|a||b| bound (Higham 3.1) with |a|, |b| <= 1, so
// k^2 * eps with slack; plus a tiny absolute floor.
template <class T>
double tol(index_t k) {
    return 4.0 * static_cast<double>(k * k + 1) * std::numeric_limits<T>::epsilon();
}

// Naive 2-D product of two (possibly strided) views, in long double.
template <class V1, class V2>
std::vector<long double> naive2d(const V1& a, const V2& b) {
    const index_t m = a.shape()[0], k = a.shape()[1], n = b.shape()[1];
    std::vector<long double> c(static_cast<std::size_t>(m * n), 0.0L);
    for (index_t i = 0; i < m; ++i)
        for (index_t j = 0; j < n; ++j) {
            long double s = 0;
            for (index_t p = 0; p < k; ++p) s += static_cast<long double>(a(i, p)) * b(p, j);
            c[static_cast<std::size_t>(i * n + j)] = s;
        }
    return c;
}

TEST(Matmul, TwoDAllViewKinds) {
    using T = double;
    for (index_t s : {1, 5, 33, 70}) {
        const index_t m = s, k = s + 3, n = s + 1;
        Tensor<T> a = random_tensor<T>({m, k}, 1), b = random_tensor<T>({k, n}, 2);
        Tensor<T> at = random_tensor<T>({k, m}, 3), bt = random_tensor<T>({n, k}, 4);
        Tensor<T> big = random_tensor<T>({2 * m, 2 * k}, 5);
        auto check = [&](const auto& x, const auto& y) {
            Tensor<T> c = hoc::matmul(x, y);
            ASSERT_EQ(c.shape(), (Shape{x.shape()[0], y.shape()[1]}));
            auto ref = naive2d(x, y);
            for (index_t i = 0; i < c.shape()[0]; ++i)
                for (index_t j = 0; j < c.shape()[1]; ++j)
                    ASSERT_NEAR(c(i, j), static_cast<double>(ref[static_cast<std::size_t>(i * c.shape()[1] + j)]),
                                tol<T>(x.shape()[1]));
        };
        check(a, b);
        check(at.T(), b);
        check(a, bt.T());
        check(at.T(), bt.T());
        check(hoc::slice(hoc::slice(big, 0, 0, 2 * m, 2), 1, 1, 2 * k, 2), b);  // stepped view
    }
}

TEST(Matmul, FloatMatchesNaive) {
    Tensor<float> a = random_tensor<float>({37, 129}, 7), b = random_tensor<float>({129, 65}, 8);
    Tensor<float> c = hoc::matmul(a, b);
    auto ref = naive2d(a, b);
    for (index_t i = 0; i < 37; ++i)
        for (index_t j = 0; j < 65; ++j)
            ASSERT_NEAR(c(i, j), static_cast<double>(ref[static_cast<std::size_t>(i * 65 + j)]),
                        tol<float>(129));
}

TEST(Matmul, OneDPromotion) {
    using T = double;
    Tensor<T> v = random_tensor<T>({4}, 1), m = random_tensor<T>({4, 3}, 2), mt = random_tensor<T>({3, 4}, 3);
    Tensor<T> r1 = hoc::matmul(v, m);  // (4,) @ (4,3) -> (3,)
    ASSERT_EQ(r1.shape(), (Shape{3}));
    for (index_t j = 0; j < 3; ++j) {
        double s = 0;
        for (index_t p = 0; p < 4; ++p) s += v(p) * m(p, j);
        EXPECT_NEAR(r1(j), s, 1e-14);
    }
    Tensor<T> r2 = hoc::matmul(mt, v);  // (3,4) @ (4,) -> (3,)
    ASSERT_EQ(r2.shape(), (Shape{3}));
    for (index_t i = 0; i < 3; ++i) {
        double s = 0;
        for (index_t p = 0; p < 4; ++p) s += mt(i, p) * v(p);
        EXPECT_NEAR(r2(i), s, 1e-14);
    }
    Tensor<T> r3 = hoc::matmul(v, v);  // (4,) @ (4,) -> ()
    EXPECT_EQ(r3.ndim(), 0);
    double s = 0;
    for (index_t p = 0; p < 4; ++p) s += v(p) * v(p);
    EXPECT_NEAR(r3.data()[0], s, 1e-14);
    // A batched operand with a 1-D one: (2,3,4) @ (4,) -> (2,3)
    Tensor<T> st = random_tensor<T>({2, 3, 4}, 9);
    Tensor<T> r4 = hoc::matmul(st, v);
    ASSERT_EQ(r4.shape(), (Shape{2, 3}));
    for (index_t b = 0; b < 2; ++b)
        for (index_t i = 0; i < 3; ++i) {
            double x = 0;
            for (index_t p = 0; p < 4; ++p) x += st(b, i, p) * v(p);
            EXPECT_NEAR(r4(b, i), x, 1e-14);
        }
}

TEST(Matmul, BroadcastBatches) {
    using T = double;
    Tensor<T> a = random_tensor<T>({10, 5, 2, 4}, 1), b = random_tensor<T>({10, 5, 4, 3}, 2);
    Tensor<T> c = hoc::matmul(a, b);
    ASSERT_EQ(c.shape(), (Shape{10, 5, 2, 3}));
    for (index_t x = 0; x < 10; ++x)
        for (index_t y = 0; y < 5; ++y)
            for (index_t i = 0; i < 2; ++i)
                for (index_t j = 0; j < 3; ++j) {
                    double s = 0;
                    for (index_t p = 0; p < 4; ++p) s += a(x, y, i, p) * b(x, y, p, j);
                    ASSERT_NEAR(c(x, y, i, j), s, 1e-14);
                }
    // Broadcast: (2,1,3,4) @ (5,4,2) -> (2,5,3,2), and a transposed batch view.
    Tensor<T> p = random_tensor<T>({2, 1, 3, 4}, 3), q = random_tensor<T>({5, 2, 4}, 4);
    auto qt = hoc::transpose(q, {0, 2, 1});  // (5,4,2) view with non-unit strides
    Tensor<T> r = hoc::matmul(p, qt);
    ASSERT_EQ(r.shape(), (Shape{2, 5, 3, 2}));
    for (index_t x = 0; x < 2; ++x)
        for (index_t y = 0; y < 5; ++y)
            for (index_t i = 0; i < 3; ++i)
                for (index_t j = 0; j < 2; ++j) {
                    double s = 0;
                    for (index_t t = 0; t < 4; ++t) s += p(x, 0, i, t) * q(y, j, t);
                    ASSERT_NEAR(r(x, y, i, j), s, 1e-14);
                }
}

TEST(Matmul, Errors) {
    Tensor<double> a({2, 8}), b({4, 5});
    try {
        Tensor<double> c = hoc::matmul(a, b);
        FAIL() << "no throw";
    } catch (const hoc::ShapeError& e) {
        EXPECT_STREQ(e.what(), "matmul: shapes (2, 8) and (4, 5) not aligned: 8 (dim 1) != 4 (dim 0)");
    }
    Tensor<double> s0(Shape{}), v({3});
    EXPECT_THROW((void)hoc::matmul(s0, v), hoc::ShapeError);
    Tensor<double> x({2, 3, 4}), y({3, 4, 5});
    EXPECT_THROW((void)hoc::matmul(x, y), hoc::ShapeError);  // batch 2 vs 3
    Tensor<double> out({3, 3});
    Tensor<double> p({3, 4}), q({4, 2});
    EXPECT_THROW(hoc::matmul(p, q, out), hoc::ShapeError);
    try {
        (void)hoc::dot(a, b);
        FAIL() << "no throw";
    } catch (const hoc::ShapeError& e) {
        EXPECT_STREQ(e.what(), "dot: shapes (2, 8) and (4, 5) not aligned: 8 (dim 1) != 4 (dim 0)");
    }
}

TEST(Matmul, AssignIntoExistingAllocatesNothing) {
    Tensor<float> a = random_tensor<float>({64, 32}, 1), b = random_tensor<float>({32, 48}, 2);
    Tensor<float> c({64, 48});
    const float* before = c.data();
    auto lazy = hoc::matmul(a, b);  // nothing computed yet
    c = lazy;
    EXPECT_EQ(c.data(), before);
    Tensor<float> ref = hoc::matmul(a, b);
    for (index_t i = 0; i < c.size(); ++i) ASSERT_EQ(c.data()[i], ref.data()[i]);
    c = hoc::matmul(a, b);
    EXPECT_EQ(c.data(), before);
    hoc::matmul(a, b, c);
    EXPECT_EQ(c.data(), before);
    for (index_t i = 0; i < c.size(); ++i) ASSERT_EQ(c.data()[i], ref.data()[i]);
}

TEST(Matmul, AliasingGoesThroughTemporary) {
    using T = double;
    Tensor<T> a = random_tensor<T>({20, 20}, 1), b = random_tensor<T>({20, 20}, 2);
    Tensor<T> expect = hoc::matmul(a, b);
    a = hoc::matmul(a, b);
    for (index_t i = 0; i < a.size(); ++i) ASSERT_EQ(a.data()[i], expect.data()[i]);
    Tensor<T> x = random_tensor<T>({20, 20}, 3);
    Tensor<T> e2 = hoc::matmul(x, x.T());
    hoc::matmul(x, x.T(), x);
    for (index_t i = 0; i < x.size(); ++i) ASSERT_EQ(x.data()[i], e2.data()[i]);
}

TEST(Matmul, TemporariesAndZeroSizes) {
    auto r = hoc::matmul(random_tensor<double>({3, 2}, 1), random_tensor<double>({2, 4}, 2));
    Tensor<double> c = r;  // the temporaries live in the result
    EXPECT_EQ(c.shape(), (Shape{3, 4}));
    Tensor<double> z = hoc::matmul(Tensor<double>({3, 0}), Tensor<double>({0, 4}));
    EXPECT_EQ(z.shape(), (Shape{3, 4}));
    for (index_t i = 0; i < z.size(); ++i) EXPECT_EQ(z.data()[i], 0.0);
    Tensor<double> e = hoc::matmul(Tensor<double>({0, 5}), Tensor<double>({5, 4}));
    EXPECT_EQ(e.shape(), (Shape{0, 4}));
}

TEST(Dot, Semantics) {
    using T = double;
    Tensor<T> v = random_tensor<T>({5}, 1), w = random_tensor<T>({5}, 2);
    Tensor<T> s = hoc::dot(v, w);
    EXPECT_EQ(s.ndim(), 0);
    double ref = 0;
    for (index_t i = 0; i < 5; ++i) ref += v(i) * w(i);
    EXPECT_NEAR(s.data()[0], ref, 1e-14);

    // N-D . M-D: out[i,j,k,m] = sum(a[i,j,:] * b[k,:,m])
    Tensor<T> a = random_tensor<T>({2, 3, 4}, 3), b = random_tensor<T>({5, 4, 6}, 4);
    Tensor<T> d = hoc::dot(a, b);
    ASSERT_EQ(d.shape(), (Shape{2, 3, 5, 6}));
    for (index_t i = 0; i < 2; ++i)
        for (index_t j = 0; j < 3; ++j)
            for (index_t k = 0; k < 5; ++k)
                for (index_t m = 0; m < 6; ++m) {
                    double x = 0;
                    for (index_t p = 0; p < 4; ++p) x += a(i, j, p) * b(k, p, m);
                    ASSERT_NEAR(d(i, j, k, m), x, 1e-14);
                }
    // N-D . 1-D sums over the last axis.
    Tensor<T> u = random_tensor<T>({4}, 5);
    Tensor<T> d2 = hoc::dot(a, u);
    ASSERT_EQ(d2.shape(), (Shape{2, 3}));
    for (index_t i = 0; i < 2; ++i)
        for (index_t j = 0; j < 3; ++j) {
            double x = 0;
            for (index_t p = 0; p < 4; ++p) x += a(i, j, p) * u(p);
            ASSERT_NEAR(d2(i, j), x, 1e-14);
        }
    // 1-D . N-D: over b's second-to-last axis.
    Tensor<T> d3 = hoc::dot(u, b);
    ASSERT_EQ(d3.shape(), (Shape{5, 6}));
    for (index_t k = 0; k < 5; ++k)
        for (index_t m = 0; m < 6; ++m) {
            double x = 0;
            for (index_t p = 0; p < 4; ++p) x += u(p) * b(k, p, m);
            ASSERT_NEAR(d3(k, m), x, 1e-14);
        }
    // 2-D is matmul; a 0-d operand multiplies.
    Tensor<T> m1 = random_tensor<T>({3, 5}, 6);
    Tensor<T> d4 = hoc::dot(m1, v);
    ASSERT_EQ(d4.shape(), (Shape{3}));
    Tensor<T> two(Shape{}, 2.0);
    Tensor<T> d5 = hoc::dot(two, m1);
    ASSERT_EQ(d5.shape(), m1.shape());
    for (index_t i = 0; i < m1.size(); ++i) EXPECT_EQ(d5.data()[i], 2.0 * m1.data()[i]);
}

}  // namespace
