// eig and eigh against independent references: LAPACK-tester scaled residuals
// ||A·V − V·Λ||_1 / (n·eps·||A||_1) and ||VᵀV − I||_1 / (n·eps) computed with
// naive loops in double (complex<double>), closed forms (rotations, Jordan
// blocks, triangular and tridiagonal Toeplitz spectra), trace and determinant
// identities, and eigvals / eigvalsh consistency.
//
// Threshold 30: the value LAPACK's eigenvalue testers (dchkee/dget22) accept;
// backward-stable algorithms give O(1) ratios. Eigenvector normalization uses
// the same scaled form.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "hoc/hoc.hpp"
#include "random_tensor.hpp"

namespace {

using hoc::Shape;
using hoc::Tensor;
using hoc::index_t;
using cd = std::complex<double>;
namespace la = hoc::linalg;

constexpr double kThreshold = 30.0;

template <class T>
Tensor<T> random_symmetric(index_t n, unsigned seed) {
    Tensor<T> a = random_tensor<T>(Shape{n, n}, seed);
    for (index_t i = 0; i < n; ++i)
        for (index_t j = 0; j < i; ++j) a(j, i) = a(i, j);
    return a;
}

template <class V>
double norm1(const V& a) {
    double best = 0;
    for (index_t j = 0; j < a.shape()[1]; ++j) {
        double s = 0;
        for (index_t i = 0; i < a.shape()[0]; ++i) s += std::abs(static_cast<double>(a(i, j)));
        best = std::max(best, s);
    }
    return best;
}

// ||A·V − V·diag(w)||_1 / (n·eps·max(||A||_1, tiny)), all in complex<double>,
// accumulated row by row (contiguous inner loops keep n = 300 fast under ASan).
template <class T, class VA, class VW, class VV>
double eig_residual(const VA& a, const VW& w, const VV& v) {
    const index_t n = a.shape()[0];
    const auto nn = static_cast<std::size_t>(n);
    std::vector<cd> vv(nn * nn), r(nn * nn);
    for (index_t i = 0; i < n; ++i)
        for (index_t j = 0; j < n; ++j) {
            vv[static_cast<std::size_t>(i * n + j)] = cd(v(i, j));
            r[static_cast<std::size_t>(i * n + j)] = -cd(w(j)) * cd(v(i, j));
        }
    for (index_t i = 0; i < n; ++i)
        for (index_t k = 0; k < n; ++k) {
            const double aik = static_cast<double>(a(i, k));
            const cd* vk = vv.data() + k * n;
            cd* ri = r.data() + i * n;
            for (index_t j = 0; j < n; ++j) ri[j] += aik * vk[j];
        }
    double worst = 0;
    for (index_t j = 0; j < n; ++j) {
        double c = 0;
        for (index_t i = 0; i < n; ++i) c += std::abs(r[static_cast<std::size_t>(i * n + j)]);
        worst = std::max(worst, c);
    }
    const double eps = std::numeric_limits<T>::epsilon();
    return worst / (static_cast<double>(n) * eps * std::max(norm1(a), 1e-300));
}

// max_j | ||v_j||_2 − 1 | / (n·eps)
template <class T, class VV>
double normalization_error(const VV& v) {
    const index_t n = v.shape()[0];
    double worst = 0;
    for (index_t j = 0; j < n; ++j) {
        double s = 0;
        for (index_t i = 0; i < n; ++i) s += std::norm(cd(v(i, j)));
        worst = std::max(worst, std::abs(std::sqrt(s) - 1.0));
    }
    return worst / (static_cast<double>(n) * std::numeric_limits<T>::epsilon());
}

// ||VᵀV − I||_1 / (n·eps) for real V.
template <class T, class VV>
double orthogonality(const VV& v) {
    const index_t n = v.shape()[0];
    std::vector<double> g(static_cast<std::size_t>(n * n), 0.0), vk(static_cast<std::size_t>(n));
    for (index_t i = 0; i < n; ++i) g[static_cast<std::size_t>(i * n + i)] = -1.0;
    for (index_t k = 0; k < n; ++k) {
        for (index_t j = 0; j < n; ++j) vk[static_cast<std::size_t>(j)] = static_cast<double>(v(k, j));
        for (index_t i = 0; i < n; ++i) {
            const double vki = vk[static_cast<std::size_t>(i)];
            double* gi = g.data() + i * n;
            for (index_t j = 0; j < n; ++j) gi[j] += vki * vk[static_cast<std::size_t>(j)];
        }
    }
    double worst = 0;
    for (index_t j = 0; j < n; ++j) {
        double c = 0;
        for (index_t i = 0; i < n; ++i) c += std::abs(g[static_cast<std::size_t>(i * n + j)]);
        worst = std::max(worst, c);
    }
    return worst / (static_cast<double>(n) * std::numeric_limits<T>::epsilon());
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

template <class T>
void check_eig(const Tensor<T>& a, const char* what) {
    const auto r = la::eig(a);
    const index_t n = a.shape()[0];
    ASSERT_EQ(r.eigenvalues.shape(), (Shape{n}));
    ASSERT_EQ(r.eigenvectors.shape(), (Shape{n, n}));
    EXPECT_LT(eig_residual<T>(a, r.eigenvalues, r.eigenvectors), kThreshold) << what << " n=" << n;
    EXPECT_LT(normalization_error<T>(r.eigenvectors), kThreshold) << what << " n=" << n;
    // Conjugate pairs adjacent, positive imaginary part first, conjugate vectors;
    // the largest component of each vector is real (LAPACK's geev convention).
    for (index_t j = 0; j < n; ++j) {
        const auto lam = r.eigenvalues(j);
        // Ties (a permutation matrix's vectors have equal-magnitude components) may
        // be broken either way by rounding: any component within a few ulp of the
        // largest magnitude may be the real one.
        double best = -1;
        for (index_t i = 0; i < n; ++i) best = std::max(best, static_cast<double>(std::abs(r.eigenvectors(i, j))));
        bool real_at_max = false;
        for (index_t i = 0; i < n; ++i) {
            const auto z = r.eigenvectors(i, j);
            const double tie = 64 * static_cast<double>(std::numeric_limits<T>::epsilon()) * best;
            if (static_cast<double>(std::abs(z)) >= best - tie && z.imag() == 0) real_at_max = true;
        }
        EXPECT_TRUE(real_at_max) << what << " column " << j;
        if (lam.imag() > 0) {
            ASSERT_LT(j + 1, n);
            EXPECT_EQ(r.eigenvalues(j + 1), std::conj(lam));
            for (index_t i = 0; i < n; ++i) EXPECT_EQ(r.eigenvectors(i, j + 1), std::conj(r.eigenvectors(i, j)));
            ++j;
        } else {
            EXPECT_EQ(lam.imag(), 0) << what;
        }
    }
    // Trace = sum of the eigenvalues.
    cd sum = 0;
    double tr = 0, scale = 0;
    for (index_t i = 0; i < n; ++i) sum += cd(r.eigenvalues(i)), tr += static_cast<double>(a(i, i)), scale += std::abs(cd(r.eigenvalues(i)));
    EXPECT_NEAR(sum.real(), tr, 100 * n * std::numeric_limits<T>::epsilon() * std::max(scale, 1.0)) << what;
    EXPECT_NEAR(sum.imag(), 0.0, 100 * n * std::numeric_limits<T>::epsilon() * std::max(scale, 1.0)) << what;
}

template <class T>
void check_eigh(const Tensor<T>& a, const char* what) {
    const auto r = la::eigh(a);
    const index_t n = a.shape()[0];
    ASSERT_EQ(r.eigenvalues.shape(), (Shape{n}));
    EXPECT_LT(eig_residual<T>(a, r.eigenvalues, r.eigenvectors), kThreshold) << what << " n=" << n;
    EXPECT_LT(orthogonality<T>(r.eigenvectors), kThreshold) << what << " n=" << n;
    for (index_t i = 1; i < n; ++i) EXPECT_LE(r.eigenvalues(i - 1), r.eigenvalues(i)) << what;
}

// ---- eig ----------------------------------------------------------------------------

TEST(LinalgEig, RandomAllSmallOrders) {
    for (index_t n = 1; n <= 20; ++n) {
        check_eig(random_tensor<double>(Shape{n, n}, static_cast<unsigned>(n)), "random");
        check_eig(random_tensor<float>(Shape{n, n}, static_cast<unsigned>(n) + 50), "random float");
    }
}

TEST(LinalgEig, RandomAcrossSizes) {
    for (index_t n : {63, 64, 65, 129}) check_eig(random_tensor<double>(Shape{n, n}, 7), "random");
    check_eig(random_tensor<float>(Shape{64, 64}, 8), "random float");
    check_eig(random_tensor<double>(Shape{300, 300}, 9), "random");
}

TEST(LinalgEig, RotationGivesAComplexPair) {
    const double t = 0.7;
    const auto a = hoc::tensor<double>({{std::cos(t), -std::sin(t)}, {std::sin(t), std::cos(t)}});
    const auto r = la::eig(a);
    EXPECT_NEAR(r.eigenvalues(0).real(), std::cos(t), 1e-15);
    EXPECT_NEAR(r.eigenvalues(0).imag(), std::sin(t), 1e-15);
    EXPECT_EQ(r.eigenvalues(1), std::conj(r.eigenvalues(0)));
    // NumPy: [[0.7071, 0.7071], [-0.7071j, +0.7071j]].
    EXPECT_NEAR(r.eigenvectors(0, 0).real(), std::sqrt(0.5), 1e-15);
    EXPECT_NEAR(r.eigenvectors(1, 0).imag(), -std::sqrt(0.5), 1e-15);
    check_eig(a, "rotation");
    // A 3-D rotation about z, embedded with a real eigenvalue 1.
    const auto r3 = hoc::tensor<double>({{0, -1, 0}, {1, 0, 0}, {0, 0, 1}});
    check_eig(r3, "rotation 3-D");
}

TEST(LinalgEig, DefectiveJordanBlock) {
    // A Jordan block has one eigenvector; the computed ones are nearly parallel
    // but each still satisfies A v = lambda v to rounding.
    for (index_t n : {2, 5}) {
        Tensor<double> j(Shape{n, n});
        for (index_t i = 0; i < n; ++i) {
            j(i, i) = 2.0;
            if (i + 1 < n) j(i, i + 1) = 1.0;
        }
        const auto r = la::eig(j);
        for (index_t i = 0; i < n; ++i) EXPECT_EQ(r.eigenvalues(i), cd(2.0));
        EXPECT_LT(eig_residual<double>(j, r.eigenvalues, r.eigenvectors), kThreshold);
        EXPECT_NEAR(std::abs(r.eigenvectors(0, 0)), 1.0, 1e-15);
    }
}

TEST(LinalgEig, TriangularDiagonalZeroAndOneByOne) {
    Tensor<double> t = random_tensor<double>(Shape{12, 12}, 3);
    for (index_t i = 0; i < 12; ++i)
        for (index_t j = 0; j < i; ++j) t(i, j) = 0.0;
    const auto r = la::eig(t);
    std::vector<double> got, want;
    for (index_t i = 0; i < 12; ++i) got.push_back(r.eigenvalues(i).real()), want.push_back(t(i, i));
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-14);
    check_eig(t, "triangular");

    Tensor<double> d(Shape{6, 6});
    for (index_t i = 0; i < 6; ++i) d(i, i) = static_cast<double>(i) - 2.5;
    const auto rd = la::eig(d);
    for (index_t i = 0; i < 6; ++i) EXPECT_EQ(rd.eigenvalues(i), cd(d(i, i)));  // already Schur
    check_eig(d, "diagonal");

    const auto rz = la::eig(Tensor<double>(Shape{4, 4}));
    for (index_t i = 0; i < 4; ++i) EXPECT_EQ(rz.eigenvalues(i), cd(0.0));
    check_eig(Tensor<double>(Shape{4, 4}), "zero");

    const auto r1 = la::eig(hoc::tensor<double>({{-3.5}}));
    EXPECT_EQ(r1.eigenvalues(0), cd(-3.5));
    EXPECT_EQ(r1.eigenvectors(0, 0), cd(1.0));

    // A permutation (cyclic shift): the n-th roots of unity.
    const index_t n = 7;
    Tensor<double> p(Shape{n, n});
    for (index_t i = 0; i < n; ++i) p(i, (i + 1) % n) = 1.0;
    const auto rp = la::eig(p);
    for (index_t i = 0; i < n; ++i) EXPECT_NEAR(std::abs(rp.eigenvalues(i)), 1.0, 1e-14);
    check_eig(p, "permutation");
}

TEST(LinalgEig, BadlyScaledMatrixIsBalanced) {
    // Entries spanning 1e-12 .. 1e12; balancing makes the residual relative to the balanced norms.
    Tensor<double> a = random_tensor<double>(Shape{10, 10}, 4);
    for (index_t i = 0; i < 10; ++i)
        for (index_t j = 0; j < 10; ++j) a(i, j) *= std::pow(10.0, static_cast<double>(i - j) * 1.3);
    const auto r = la::eig(a);
    const auto w = la::eigvals(a);
    for (index_t i = 0; i < 10; ++i) EXPECT_EQ(w(i), r.eigenvalues(i));
    EXPECT_LT(eig_residual<double>(a, r.eigenvalues, r.eigenvectors), kThreshold);
    // Product of eigenvalues = det (both relative to their own size).
    cd prod = 1;
    for (index_t i = 0; i < 10; ++i) prod *= cd(r.eigenvalues(i));
    const double d = la::det(a);
    EXPECT_NEAR(prod.real(), d, 1e-8 * std::abs(d));
}

TEST(LinalgEig, StacksStridedInputsAndEmpty) {
    const Tensor<double> s = random_tensor<double>(Shape{2, 3, 8, 8}, 5);
    const auto r = la::eig(s);
    ASSERT_EQ(r.eigenvalues.shape(), (Shape{2, 3, 8}));
    ASSERT_EQ(r.eigenvectors.shape(), (Shape{2, 3, 8, 8}));
    for (index_t p = 0; p < 2; ++p)
        for (index_t q = 0; q < 3; ++q) {
            Tensor<double> one(Shape{8, 8});
            for (index_t i = 0; i < 8; ++i)
                for (index_t j = 0; j < 8; ++j) one(i, j) = s(p, q, i, j);
            const auto ro = la::eig(one);
            for (index_t i = 0; i < 8; ++i) {
                EXPECT_EQ(r.eigenvalues(p, q, i), ro.eigenvalues(i));
                for (index_t j = 0; j < 8; ++j) EXPECT_EQ(r.eigenvectors(p, q, i, j), ro.eigenvectors(i, j));
            }
        }
    // A transposed view has the same eigenvalues.
    const Tensor<double> a = random_tensor<double>(Shape{9, 9}, 6);
    const auto rt = la::eig(a.T());
    const Tensor<double> at = a.T();
    EXPECT_LT(eig_residual<double>(at, rt.eigenvalues, rt.eigenvectors), kThreshold);
    const auto re = la::eig(Tensor<double>(Shape{0, 0}));
    EXPECT_EQ(re.eigenvalues.shape(), (Shape{0}));
    EXPECT_EQ(re.eigenvectors.shape(), (Shape{0, 0}));
    const auto rs = la::eig(Tensor<float>(Shape{3, 0, 0}));
    EXPECT_EQ(rs.eigenvalues.shape(), (Shape{3, 0}));
}

TEST(LinalgEig, Errors) {
    expect_throw_message<hoc::ShapeError>(
        [] { (void)la::eig(Tensor<double>(Shape{2, 3})); },
        "eig: last 2 dimensions of the array must be square, got (2, 3): 2 (dim 0) != 3 (dim 1)");
    expect_throw_message<hoc::ShapeError>(
        [] { (void)la::eigh(Tensor<double>(Shape{4})); },
        "eigh: array of shape (4,) has 1 dimension(s); at least 2 are needed, (..., n, n)");
    Tensor<double> a(Shape{3, 3}, 1.0);
    a(1, 2) = std::numeric_limits<double>::quiet_NaN();
    expect_throw_message<hoc::LinAlgError>([&] { (void)la::eig(a); }, "Array must not contain infs or NaNs");
    a(1, 2) = std::numeric_limits<double>::infinity();
    expect_throw_message<hoc::LinAlgError>([&] { (void)la::eigh(a); }, "Array must not contain infs or NaNs");
}

TEST(LinalgEig, IdenticalResultsAtOneAndTwoThreads) {
    const int saved = hoc::num_threads();
    const Tensor<double> s = random_tensor<double>(Shape{6, 30, 30}, 7);
    const Tensor<double> big = random_tensor<double>(Shape{150, 150}, 8);
    hoc::set_num_threads(1);
    const auto r1 = la::eig(s);
    const auto b1 = la::eig(big);
    const auto h1 = la::eigh(big);
    hoc::set_num_threads(2);
    const auto r2 = la::eig(s);
    const auto b2 = la::eig(big);
    const auto h2 = la::eigh(big);
    hoc::set_num_threads(saved);
    auto same = [](const auto& x, const auto& y) {
        return x.shape() == y.shape() && std::memcmp(x.data(), y.data(), sizeof(*x.data()) * static_cast<std::size_t>(x.size())) == 0;
    };
    EXPECT_TRUE(same(r1.eigenvalues, r2.eigenvalues));
    EXPECT_TRUE(same(r1.eigenvectors, r2.eigenvectors));
    EXPECT_TRUE(same(b1.eigenvectors, b2.eigenvectors));
    EXPECT_TRUE(same(h1.eigenvectors, h2.eigenvectors));
}

// ---- eigh ---------------------------------------------------------------------------

TEST(LinalgEigh, RandomSymmetricAcrossSizes) {
    for (index_t n = 1; n <= 20; ++n) {
        check_eigh(random_symmetric<double>(n, static_cast<unsigned>(n)), "random");
        check_eigh(random_symmetric<float>(n, static_cast<unsigned>(n) + 9), "random float");
    }
    for (index_t n : {63, 64, 65, 128}) check_eigh(random_symmetric<double>(n, 10), "random");
    check_eigh(random_symmetric<double>(300, 11), "random");
}

TEST(LinalgEigh, UsesOnlyTheLowerTriangle) {
    const Tensor<double> a = random_symmetric<double>(9, 12);
    Tensor<double> garbage = a;
    for (index_t i = 0; i < 9; ++i)
        for (index_t j = i + 1; j < 9; ++j) garbage(i, j) = 1e3 * static_cast<double>(i + j);
    const auto r1 = la::eigh(a), r2 = la::eigh(garbage);
    for (index_t i = 0; i < 9; ++i) EXPECT_EQ(r1.eigenvalues(i), r2.eigenvalues(i));
}

TEST(LinalgEigh, ClosedFormsAndDegenerateSpectra) {
    // tridiag(-1, 2, -1): eigenvalues 2 - 2 cos(k pi / (n + 1)), k = 1..n.
    const index_t n = 40;
    Tensor<double> t(Shape{n, n});
    for (index_t i = 0; i < n; ++i) {
        t(i, i) = 2.0;
        if (i + 1 < n) t(i + 1, i) = t(i, i + 1) = -1.0;
    }
    const auto r = la::eigh(t);
    for (index_t k = 1; k <= n; ++k)
        EXPECT_NEAR(r.eigenvalues(k - 1), 2.0 - 2.0 * std::cos(static_cast<double>(k) * std::numbers::pi / (n + 1)),
                    1e-13);
    check_eigh(t, "toeplitz");
    // Identity (a fully degenerate spectrum), zero, diagonal, 1x1.
    const auto ri = la::eigh(hoc::eye<double>(10));
    for (index_t i = 0; i < 10; ++i) EXPECT_EQ(ri.eigenvalues(i), 1.0);
    check_eigh(hoc::eye<double>(10), "identity");
    check_eigh(Tensor<double>(Shape{5, 5}), "zero");
    Tensor<double> d(Shape{5, 5});
    const double vals[5] = {3, -1, 4, -1, 5};
    for (index_t i = 0; i < 5; ++i) d(i, i) = vals[i];
    const auto rd = la::eigh(d);
    const double sorted[5] = {-1, -1, 3, 4, 5};
    for (index_t i = 0; i < 5; ++i) EXPECT_EQ(rd.eigenvalues(i), sorted[i]);
    const auto r1 = la::eigh(hoc::tensor<float>({{2.5f}}));
    EXPECT_EQ(r1.eigenvalues(0), 2.5f);
    EXPECT_EQ(std::abs(r1.eigenvectors(0, 0)), 1.0f);
    // Matches eig's (sorted) eigenvalues and eigvalsh.
    const Tensor<double> a = random_symmetric<double>(25, 13);
    const auto rg = la::eig(a);
    const auto rh = la::eigh(a);
    const Tensor<double> wh = la::eigvalsh(a);
    std::vector<double> g;
    for (index_t i = 0; i < 25; ++i) g.push_back(rg.eigenvalues(i).real());
    std::sort(g.begin(), g.end());
    for (index_t i = 0; i < 25; ++i) {
        EXPECT_NEAR(rh.eigenvalues(i), g[static_cast<std::size_t>(i)], 1e-13);
        EXPECT_EQ(wh(i), rh.eigenvalues(i));
    }
}

TEST(LinalgEigh, HugeAndTinyScales) {
    for (double scale : {1e-200, 1e200}) {
        Tensor<double> a = random_symmetric<double>(8, 14);
        const auto ref = la::eigh(a);
        for (index_t i = 0; i < a.size(); ++i) a.data()[i] *= scale;
        const auto r = la::eigh(a);
        for (index_t i = 0; i < 8; ++i) EXPECT_NEAR(r.eigenvalues(i) / scale, ref.eigenvalues(i), 1e-13);
    }
}

TEST(LinalgEigh, Stacks) {
    Tensor<double> s(Shape{4, 6, 6});
    for (index_t p = 0; p < 4; ++p) {
        const Tensor<double> a = random_symmetric<double>(6, 20 + static_cast<unsigned>(p));
        for (index_t i = 0; i < 6; ++i)
            for (index_t j = 0; j < 6; ++j) s(p, i, j) = a(i, j);
    }
    const auto r = la::eigh(s);
    ASSERT_EQ(r.eigenvalues.shape(), (Shape{4, 6}));
    for (index_t p = 0; p < 4; ++p) {
        const auto one = la::eigh(random_symmetric<double>(6, 20 + static_cast<unsigned>(p)));
        for (index_t i = 0; i < 6; ++i) EXPECT_EQ(r.eigenvalues(p, i), one.eigenvalues(i));
    }
}

}  // namespace
