// hoc::einsum's public surface: the lazy result and where it writes, plans
// and paths, errors with their exact messages, aliasing, temporaries, and
// results that do not depend on the thread count.
#include <hoc/hoc.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

using hoc::index_t;
using hoc::Shape;
using hoc::Tensor;
using hoc::TensorView;

namespace {

Tensor<double> random_tensor(const Shape& s, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(-1, 1);
    Tensor<double> t(s);
    for (index_t i = 0; i < t.size(); ++i) t.data()[i] = u(rng);
    return t;
}

// Plain triple loop: C = A * B (2-D).
Tensor<double> naive_matmul(const Tensor<double>& a, const Tensor<double>& b) {
    Tensor<double> c(Shape{a.shape()[0], b.shape()[1]});
    for (index_t i = 0; i < a.shape()[0]; ++i)
        for (index_t j = 0; j < b.shape()[1]; ++j) {
            long double s = 0;
            for (index_t k = 0; k < a.shape()[1]; ++k) s += a(i, k) * b(k, j);
            c(i, j) = static_cast<double>(s);
        }
    return c;
}

// max |x - y| over all elements (same shape required).
double max_diff(const Tensor<double>& x, const Tensor<double>& y) {
    EXPECT_EQ(x.shape(), y.shape());
    double m = 0;
    for (index_t i = 0; i < x.size(); ++i) m = std::max(m, std::abs(x.data()[i] - y.data()[i]));
    return m;
}

template <class E = std::exception, class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    return "<no exception>";
}

// 1e-13: a 40-term dot product of values in [-1, 1] rounds by at most
// 40 * 2^-53 * 40 ~ 2e-13 in the worst case and far less in practice.
constexpr double kTol = 1e-12;

TEST(Einsum, IsLazyComputationConvertingToTensor) {
    const auto a = random_tensor(Shape{4, 5}, 1), b = random_tensor(Shape{5, 3}, 2);
    auto r = hoc::einsum("ij,jk->ik", a, b);
    static_assert(hoc::Computation<decltype(r)>);
    EXPECT_EQ(r.shape(), (Shape{4, 3}));
    const Tensor<double> c = r;
    EXPECT_LE(max_diff(c, naive_matmul(a, b)), kTol);
}

TEST(Einsum, ComposesWithExpressions) {
    const auto a = random_tensor(Shape{4, 5}, 1), b = random_tensor(Shape{5, 3}, 2);
    const Tensor<double> ab = naive_matmul(a, b);
    const Tensor<double> twice = hoc::einsum("ij,jk->ik", a, b) * 2.0;
    for (index_t i = 0; i < twice.size(); ++i) EXPECT_NEAR(twice.data()[i], 2 * ab.data()[i], kTol);
    double total = 0;
    for (index_t i = 0; i < ab.size(); ++i) total += ab.data()[i];
    EXPECT_NEAR(hoc::sum(hoc::einsum("ij,jk->ik", a, b)), total, kTol);
}

TEST(Einsum, AssignsIntoExistingTensorWithoutAllocating) {
    const auto a = random_tensor(Shape{30, 40}, 1), b = random_tensor(Shape{40, 20}, 2);
    Tensor<double> c(Shape{30, 20}, 5.0);
    const double* before = c.data();
    c = hoc::einsum("ij,jk->ik", a, b);
    EXPECT_EQ(c.data(), before);
    EXPECT_LE(max_diff(c, naive_matmul(a, b)), kTol);
    // A different shape rebinds, as NumPy rebinding a name.
    c = hoc::einsum("ij->", a);
    EXPECT_EQ(c.shape(), Shape{});
}

TEST(Einsum, AliasedDestinationGoesThroughTemporary) {
    auto a = random_tensor(Shape{6, 6}, 3);
    const Tensor<double> expected = Tensor<double>(a.T());
    a = hoc::einsum("ij->ji", a);
    EXPECT_EQ(max_diff(a, expected), 0.0);
    auto b = random_tensor(Shape{6, 6}, 4);
    const Tensor<double> bb = naive_matmul(b, b);
    b = hoc::einsum("ij,jk->ik", b, b);
    EXPECT_LE(max_diff(b, bb), kTol);
}

TEST(Einsum, TemporaryOperandsAreKeptAlive) {
    auto r = hoc::einsum("ij->ji", random_tensor(Shape{3, 4}, 5));
    const Tensor<double> t = r;
    const auto ref = random_tensor(Shape{3, 4}, 5);
    for (index_t i = 0; i < 3; ++i)
        for (index_t j = 0; j < 4; ++j) EXPECT_EQ(t(j, i), ref(i, j));
}

TEST(Einsum, MixedTensorAndViewOperands) {
    const auto a = random_tensor(Shape{7, 5}, 6), b = random_tensor(Shape{7, 3}, 7);
    TensorView<const double> at = a.T();  // (5, 7) with strides (1, 5)
    const Tensor<double> c = hoc::einsum("ij,jk->ik", at, b);
    EXPECT_LE(max_diff(c, naive_matmul(Tensor<double>(a.T()), b)), kTol);
}

TEST(Einsum, PlanIsReusableAndChecksShapes) {
    const auto a = random_tensor(Shape{8, 9}, 1), b = random_tensor(Shape{9, 10}, 2),
               d = random_tensor(Shape{10, 4}, 3);
    hoc::EinsumPlan plan("ij,jk,kl->il", a.shape(), b.shape(), d.shape());
    EXPECT_EQ(plan.shape(), (Shape{8, 4}));
    Tensor<double> out(plan.shape());
    for (int rep = 0; rep < 3; ++rep) out = plan(a, b, d);
    EXPECT_LE(max_diff(out, naive_matmul(naive_matmul(a, b), d)), kTol);
    // Planning from operands instead of shapes.
    hoc::EinsumPlan plan2("ij,jk", a, b);
    EXPECT_EQ(plan2.shape(), (Shape{8, 10}));
    const auto wrong = random_tensor(Shape{9, 11}, 4);
    EXPECT_EQ(message_of<hoc::ShapeError>([&] { out = plan(a, wrong, d); }),
              "einsum: the plan for \"ij,jk,kl->il\" was made for operand 1 of shape (9, 10) but "
              "got shape (9, 11)");
}

TEST(Einsum, PathChoosesCheapestOrder) {
    // (AB)C costs 1000*2*1000 + 1000*1000*2 multiply-adds, A(BC) 2*1000*2 + 1000*2*2.
    const auto p = hoc::einsum_path("ij,jk,kl->il", Shape{1000, 2}, Shape{2, 1000}, Shape{1000, 2});
    ASSERT_EQ(p.path.size(), 2u);
    EXPECT_EQ(p.path[0], (std::vector<int>{1, 2}));
    EXPECT_EQ(p.path[1], (std::vector<int>{0, 1}));
    EXPECT_DOUBLE_EQ(p.optimized_flops, 8000.0);
    EXPECT_DOUBLE_EQ(p.naive_flops, 1000.0 * 2 * 1000 * 2 * 2);
    EXPECT_NE(p.report.find("Complete contraction:  ij,jk,kl->il"), std::string::npos);
    // One operand: the single step (0,), as NumPy reports it.
    EXPECT_EQ(hoc::einsum_path("ii", Shape{3, 3}).path, (std::vector<std::vector<int>>{{0}}));
}

TEST(Einsum, ContractionsGoToTheGemm) {
    // GEMM-shaped steps say so in the report; tiny or element-wise ones run on loops.
    auto how = [](const std::string& report) { return report.substr(report.rfind('[')); };
    EXPECT_EQ(how(hoc::einsum_path("acbd,dcef->fbea", Shape{3, 4, 5, 8}, Shape{8, 4, 3, 2}).report)
                  .substr(0, 5),
              "[gemm");
    EXPECT_EQ(how(hoc::einsum_path("bcad,cdeb->aeb", Shape{3, 4, 9, 8}, Shape{4, 8, 5, 3}).report)
                  .substr(0, 5),
              "[gemm");
    EXPECT_EQ(how(hoc::einsum_path("ij,ij->ij", Shape{30, 40}, Shape{30, 40}).report).substr(0, 6),
              "[loops");
}

TEST(Einsum, LabelsOnlyInOneOperandAreSummedFirst) {
    // 'ij,jk->k': i lives in the first operand only; summing it out first
    // makes the contraction a vector-matrix product.
    const auto p = hoc::einsum_path("ij,jk->k", Shape{50, 40}, Shape{40, 30});
    EXPECT_DOUBLE_EQ(p.optimized_flops, 50.0 * 40 + 40 * 30);
}

TEST(Einsum, GreedyPathBeyondEightOperands) {
    // A chain of 10 matrices: greedy still contracts neighbours (no outer products).
    std::string s;
    std::vector<Shape> shapes;
    for (int i = 0; i < 10; ++i) {
        if (i) s += ",";
        s += static_cast<char>('a' + i);
        s += static_cast<char>('a' + i + 1);
        shapes.push_back(Shape{3, 3});
    }
    const hoc::EinsumPlan plan(s + "->ak", std::span<const Shape>(shapes));
    EXPECT_EQ(plan.path().path.size(), 9u);
    EXPECT_DOUBLE_EQ(plan.path().optimized_flops, 9 * 27.0);
}

TEST(Einsum, ThreadCountDoesNotChangeResults) {
    const auto a = random_tensor(Shape{96, 130}, 1), b = random_tensor(Shape{130, 70}, 2);
    const auto x = random_tensor(Shape{200000}, 3);
    const auto t3 = random_tensor(Shape{6, 50, 60}, 4), t4 = random_tensor(Shape{6, 60, 40}, 5);
    const int saved = hoc::num_threads();
    auto run = [&] {
        std::vector<Tensor<double>> r;
        r.push_back(hoc::einsum("ij,jk->ik", a, b));
        r.push_back(hoc::einsum("i,i->", x, x));
        r.push_back(hoc::einsum("ij->i", a));
        r.push_back(hoc::einsum("bij,bjk->bik", t3, t4));
        r.push_back(hoc::einsum("bij,bjk,kl->bil", t3, t4, b.slice(0, 0, 40)));
        r.push_back(hoc::einsum("ij,ij->ij", a, a));
        return r;
    };
    hoc::set_num_threads(1);
    const auto one = run();
    hoc::set_num_threads(2);
    const auto two = run();
    hoc::set_num_threads(saved);
    for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(max_diff(one[i], two[i]), 0.0) << i;
}

TEST(Einsum, NanAndInfPropagate) {
    auto a = random_tensor(Shape{8, 8}, 1);
    const auto b = random_tensor(Shape{8, 8}, 2);
    a(2, 3) = std::nan("");
    a(5, 1) = INFINITY;
    const Tensor<double> c = hoc::einsum("ij,jk->ik", a, b);
    for (index_t k = 0; k < 8; ++k) {
        EXPECT_TRUE(std::isnan(c(2, k)));
        EXPECT_FALSE(std::isfinite(c(5, k)));
        EXPECT_TRUE(std::isfinite(c(0, k)));
    }
    EXPECT_TRUE(std::isfinite(Tensor<double>(hoc::einsum("ii", a))()));  // both off the diagonal
    a(4, 4) = std::nan("");
    EXPECT_TRUE(std::isnan(Tensor<double>(hoc::einsum("ii", a))()));
}

TEST(Einsum, SyntaxErrorsNameThePosition) {
    const auto m = random_tensor(Shape{2, 3}, 1);
    using IA = std::invalid_argument;
    EXPECT_EQ(message_of<IA>([&] { (void)hoc::einsum("i3,jk", m, m); }),
              "einsum: invalid subscript '3' at position 2 in \"i3,jk\"");
    EXPECT_EQ(message_of<IA>([&] { (void)hoc::einsum("i.j", m); }),
              "einsum: '.' that is not part of an ellipsis '...' at position 2 in \"i.j\"");
    EXPECT_EQ(message_of<IA>([&] { (void)hoc::einsum("..i...", m); }),
              "einsum: '.' that is not part of an ellipsis '...' at position 1 in \"..i...\"");
    EXPECT_EQ(message_of<IA>([&] { (void)hoc::einsum("...i...", m); }),
              "einsum: a second ellipsis '...' in one term at position 5 in \"...i...\"");
    EXPECT_EQ(message_of<IA>([&] { (void)hoc::einsum("ij-i", m); }),
              "einsum: '-' that is not part of '->' at position 3 in \"ij-i\"");
    EXPECT_EQ(message_of<IA>([&] { (void)hoc::einsum("ij>i", m); }),
              "einsum: '>' that is not part of '->' at position 3 in \"ij>i\"");
    EXPECT_EQ(message_of<IA>([&] { (void)hoc::einsum("ij->i->j", m); }),
              "einsum: a second '->' at position 6 in \"ij->i->j\"");
    EXPECT_EQ(message_of<IA>([&] { (void)hoc::einsum("ij->i,j", m); }),
              "einsum: ',' in the output at position 6 in \"ij->i,j\"");
    EXPECT_EQ(message_of<IA>([&] { (void)hoc::einsum("ij->ii", m); }),
              "einsum: output subscript 'i' repeated at position 6 in \"ij->ii\"");
    EXPECT_EQ(message_of<IA>([&] { (void)hoc::einsum("ij->k", m); }),
              "einsum: output subscript 'k' that no input has at position 5 in \"ij->k\"");
    EXPECT_EQ(message_of<IA>([&] { (void)hoc::einsum("i\tj", m); }),
              "einsum: invalid subscript '\\x09' at position 2 in \"i\tj\"");
    // A syntax error is std::invalid_argument but not a ShapeError.
    EXPECT_THROW((void)hoc::einsum("i3,jk", m, m), std::invalid_argument);
    try {
        (void)hoc::einsum("i3,jk", m, m);
    } catch (const hoc::ShapeError&) {
        ADD_FAILURE() << "syntax error reported as ShapeError";
    } catch (const std::invalid_argument&) {
    }
}

TEST(Einsum, ShapeErrorsNameLabelsOperandsAndSizes) {
    const auto a = random_tensor(Shape{2, 3}, 1), b = random_tensor(Shape{4, 5}, 2);
    using SE = hoc::ShapeError;
    EXPECT_EQ(message_of<SE>([&] { (void)hoc::einsum("ij,jk->ik", a, b); }),
              "einsum: label 'j' has size 3 in operand 0 (shape (2, 3)) but size 4 in operand 1 "
              "(shape (4, 5)) (dim 0)");
    EXPECT_EQ(message_of<SE>([&] { (void)hoc::einsum("ii->i", a); }),
              "einsum: label 'i' is repeated in operand 0 (shape (2, 3)) with sizes 2 (dim 0) and "
              "3 (dim 1)");
    EXPECT_EQ(message_of<SE>([&] { (void)hoc::einsum("ij,jk", a); }),
              "einsum: subscripts \"ij,jk\" name 2 operands but 1 was given");
    EXPECT_EQ(message_of<SE>([&] { (void)hoc::einsum("ij", a, a); }),
              "einsum: subscripts \"ij\" name 1 operand but 2 were given");
    EXPECT_EQ(message_of<SE>([&] { (void)hoc::einsum("ijk", a); }),
              "einsum: operand 0 of shape (2, 3) has 2 dimensions but its subscripts \"ijk\" name 3");
    EXPECT_EQ(message_of<SE>([&] { (void)hoc::einsum("i", a); }),
              "einsum: operand 0 of shape (2, 3) has 2 dimensions but its subscripts \"i\" name 1 "
              "and have no '...' for the rest");
    EXPECT_EQ(message_of<SE>([&] { (void)hoc::einsum("...,...", a, b); }),
              "einsum: axis 0 of '...' has size 2 in operand 0 (shape (2, 3)) but size 4 in "
              "operand 1 (shape (4, 5)) (dim 0)");
    EXPECT_EQ(message_of<SE>([&] { (void)hoc::einsum("i...->", a); }),
              "einsum: '...' covers 1 axes of the operands but the output of \"i...->\" has no "
              "'...' to keep them");
}

TEST(Einsum, DestinationUntouchedOnThrow) {
    const auto a = random_tensor(Shape{2, 3}, 1), b = random_tensor(Shape{4, 5}, 2);
    Tensor<double> out(Shape{2, 5}, 9.0);
    EXPECT_THROW(out = hoc::einsum("ij,jk->ik", a, b), hoc::ShapeError);
    for (index_t i = 0; i < out.size(); ++i) EXPECT_EQ(out.data()[i], 9.0);
}

TEST(Einsum, IntegerAndComplexTypes) {
    const Tensor<std::int64_t> m = hoc::tensor<std::int64_t>({{1, 2}, {3, 4}});
    const Tensor<std::int64_t> sq = hoc::einsum("ij,jk->ik", m, m);
    EXPECT_EQ(sq(0, 0), 7);
    EXPECT_EQ(sq(1, 1), 22);
    using C = std::complex<double>;
    Tensor<C> z(Shape{2});
    z(0) = C(1, 2), z(1) = C(0, -1);
    const Tensor<C> dot = hoc::einsum("i,i", z, z);  // no conjugation, as NumPy
    EXPECT_EQ(dot(), C(1, 2) * C(1, 2) + C(0, -1) * C(0, -1));
}

TEST(Einsum, CachedPlansStayCorrectAcrossShapes) {
    // The per-thread cache keys on subscripts and shapes together.
    for (index_t n : {3, 5, 3, 8, 5}) {
        const auto a = random_tensor(Shape{n, n}, static_cast<unsigned>(n));
        const Tensor<double> t = hoc::einsum("ii", a);
        double tr = 0;
        for (index_t i = 0; i < n; ++i) tr += a(i, i);
        EXPECT_NEAR(t(), tr, kTol);
    }
}

}  // namespace
