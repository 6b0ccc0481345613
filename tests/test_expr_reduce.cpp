// Fused reductions against long-double loops: whole-tensor and per-axis,
// keepdims, negative axes, strided operands, NaN, empty inputs, errors, and
// bit-identical results at 1 and 2 threads.
//
// Tolerances: a float sum of n terms of magnitude <= M computed pairwise has
// an error bound of about log2(n) * eps * n * M; we check against
// 8 * eps * sum|x_i| (eps = 2^-24), which pairwise/blocked summation meets for
// the sizes here and naive sequential summation of 1e7 floats would not.
#include "test_expr_util.hpp"

using namespace expr_test;

namespace {

template <class T>
long double exact_sum(const Tensor<T>& t, long double* abs_sum = nullptr) {
    long double s = 0, a = 0;
    for (index_t i = 0; i < t.size(); ++i) s += t.data()[i], a += std::abs(static_cast<long double>(t.data()[i]));
    if (abs_sum) *abs_sum = a;
    return s;
}

}  // namespace

TEST(ExprReduce, WholeSumsMeanMaxMinMatchLongDouble) {
    for (const index_t n : {index_t(1), index_t(15), index_t(16), index_t(17), index_t(1000), index_t(8193), index_t(100003)}) {
        auto a = random_tensor<float>(Shape{n}, 3, -1.0, 1.0);
        auto b = random_tensor<float>(Shape{n}, 4, -1.0, 1.0);
        long double want = 0, mag = 0;
        float mx = -INFINITY, mn = INFINITY;
        for (index_t i = 0; i < n; ++i) {
            const long double p = static_cast<long double>(a(i) * b(i));
            want += p, mag += std::abs(p);
            mx = std::max(mx, a(i) + b(i)), mn = std::min(mn, a(i) + b(i));
        }
        const float got = hoc::sum(a * b);
        EXPECT_LE(std::abs(got - want), 8 * std::ldexp(1.0L, -24) * mag + 1e-30L) << n;
        EXPECT_EQ(hoc::max(a + b), mx);
        EXPECT_EQ(hoc::min(a + b), mn);
        EXPECT_NEAR(hoc::mean(a * b), static_cast<double>(want / n), 8 * std::ldexp(1.0, -24) * double(mag) / double(n) + 1e-30);
    }
}

TEST(ExprReduce, TenMillionFloatsStayAccurate) {
    // 1e7 values of 0.1f: a sequential float loop drifts by ~1e-2 relative here.
    // Blocked summation: each SIMD lane adds 32 terms of a 2048-element block,
    // blocks combine pairwise (log2(1e7/2048) ~ 12 levels): the error stays
    // below (32 + 12) * 2^-24 ~ 2.6e-6 relative, even when the roundings do
    // not cancel (they do not for equal terms).
    const index_t n = 10'000'000;
    Tensor<float> a(Shape{n}, 0.1f);
    const long double want = static_cast<long double>(0.1f) * n;
    const float got = hoc::sum(a);
    EXPECT_LE(std::abs(got - want) / want, 2.6e-6L);
    float naive = 0;
    for (index_t i = 0; i < n; ++i) naive += a(i);
    EXPECT_GT(std::abs(naive - want) / want, 1e-3L);  // why the blocking matters
}

TEST(ExprReduce, IntegerBoolDoubleAndComplex) {
    auto i = random_tensor<std::int32_t>(Shape{5, 7}, 2);
    long long want = 0;
    std::int32_t mx = std::numeric_limits<std::int32_t>::min();
    for (index_t k = 0; k < i.size(); ++k) want += i.data()[k], mx = std::max(mx, i.data()[k]);
    EXPECT_EQ(hoc::sum(i), want);
    EXPECT_EQ(hoc::max(i), mx);
    static_assert(std::is_same_v<decltype(hoc::mean(i)), double>);
    EXPECT_DOUBLE_EQ(hoc::mean(i), double(want) / 35.0);
    // Counting with a bool expression: sum of bools is an int64 count.
    auto x = random_tensor<double>(Shape{1000}, 5);
    std::int64_t positives = 0;
    for (index_t k = 0; k < 1000; ++k) positives += x(k) > 0;
    static_assert(std::is_same_v<decltype(hoc::sum(x > 0.0)), std::int64_t>);
    EXPECT_EQ(hoc::sum(x > 0.0), positives);
    auto c = random_tensor<std::complex<double>>(Shape{33}, 6);
    std::complex<long double> cs = 0;
    for (index_t k = 0; k < 33; ++k) cs += std::complex<long double>(c(k).real(), c(k).imag());
    const auto got = hoc::sum(c * 2.0);
    EXPECT_NEAR(got.real(), 2 * double(cs.real()), 1e-12);
    EXPECT_NEAR(got.imag(), 2 * double(cs.imag()), 1e-12);
}

TEST(ExprReduce, AlongAxesWithKeepdimsAndNegativeAxes) {
    const Shape shapes[] = {Shape{7}, Shape{3, 5}, Shape{4, 1, 37}, Shape{2, 3, 4, 5}, Shape{2, 1, 3, 2, 17}, Shape{9, 1030}};
    unsigned seed = 10;
    for (const Shape& s : shapes) {
        auto a = random_tensor<double>(s, seed++);
        for (index_t axis = -s.size(); axis < s.size(); ++axis) {
            const index_t ax = axis < 0 ? axis + s.size() : axis;
            for (bool keep : {false, true}) {
                Tensor<double> sm = hoc::sum(a * 2.0, axis, keep), mx = hoc::max(a, axis, keep),
                               mn = hoc::min(a, axis, keep), me = hoc::mean(a, axis, keep);
                Shape want_shape = s;
                if (keep) want_shape[ax] = 1;
                else want_shape.erase(ax);
                ASSERT_EQ(sm.shape(), want_shape);
                ASSERT_EQ(me.shape(), want_shape);
                Shape red = s;
                red[ax] = 1;
                for_each_index(red, [&](const std::vector<index_t>& idx) {
                    long double acc = 0;
                    double hi = -INFINITY, lo = INFINITY;
                    std::vector<index_t> j = idx;
                    for (index_t r = 0; r < s[ax]; ++r) {
                        j[static_cast<std::size_t>(ax)] = r;
                        const double v = bcast_at(a.cview(), j);
                        acc += 2.0L * v, hi = std::max(hi, v), lo = std::min(lo, v);
                    }
                    std::vector<index_t> o = idx;
                    if (!keep) o.erase(o.begin() + ax);
                    // Double sums of <= 1030 terms of magnitude <= 4: error < 1e-12.
                    EXPECT_NEAR(bcast_at(sm.cview(), o), double(acc), 1e-12);
                    EXPECT_NEAR(bcast_at(me.cview(), o), double(acc / 2 / s[ax]), 1e-14);
                    EXPECT_EQ(bcast_at(mx.cview(), o), hi);
                    EXPECT_EQ(bcast_at(mn.cview(), o), lo);
                });
            }
        }
    }
}

TEST(ExprReduce, StridedAndTransposedOperands) {
    auto a = random_tensor<float>(Shape{64, 50}, 21);
    Tensor<float> s0 = hoc::sum(a.T(), 1), s1 = hoc::sum(a.T(), 0);
    for (index_t j = 0; j < 50; ++j) {
        long double acc = 0;
        for (index_t i = 0; i < 64; ++i) acc += a(i, j);
        EXPECT_NEAR(s0(j), double(acc), 1e-5);
    }
    for (index_t i = 0; i < 64; ++i) {
        long double acc = 0;
        for (index_t j = 0; j < 50; ++j) acc += a(i, j);
        EXPECT_NEAR(s1(i), double(acc), 1e-5);
    }
    auto every_other = hoc::slice(a, 1, 49, -51, -2);  // negative step
    long double acc = 0;
    for (index_t i = 0; i < 64; ++i)
        for (index_t j = 49; j >= 0; j -= 2) acc += a(i, j);
    EXPECT_NEAR(hoc::sum(every_other), double(acc), 1e-4);
    EXPECT_NEAR(hoc::sum(a.T()), double(exact_sum(a)), 1e-4);
}

TEST(ExprReduce, NanEmptyAndErrors) {
    auto a = hoc::tensor<float>({1, 2, std::nanf(""), 4});
    EXPECT_TRUE(std::isnan(hoc::max(a)));
    EXPECT_TRUE(std::isnan(hoc::min(a)));
    EXPECT_TRUE(std::isnan(hoc::sum(a)));
    Tensor<float> big(Shape{100}, 1.0f);
    big(77) = std::nanf("");
    EXPECT_TRUE(std::isnan(hoc::max(big)));
    Tensor<float> col = hoc::max(big.reshape(Shape{10, 10}), 0);
    EXPECT_TRUE(std::isnan(col(7)));
    EXPECT_EQ(col(6), 1.0f);

    Tensor<float> empty(Shape{0, 3});
    EXPECT_EQ(hoc::sum(empty), 0.0f);
    EXPECT_TRUE(std::isnan(hoc::mean(empty)));
    EXPECT_EQ(message_of([&] { (void)hoc::max(empty); }),
              "max: zero-size array to reduction operation maximum which has no identity");
    Tensor<float> zs = hoc::sum(empty, 0);
    EXPECT_EQ(zs.shape(), Shape{3});
    EXPECT_EQ(zs(2), 0.0f);
    EXPECT_EQ(hoc::sum(empty, 1).shape(), Shape{0});
    EXPECT_THROW((void)hoc::min(empty, 0), std::invalid_argument);
    EXPECT_EQ(message_of([&] { (void)hoc::sum(big, 1); }), "sum: axis 1 is out of bounds for array of dimension 1");
    EXPECT_EQ(message_of([&] { (void)hoc::mean(big, -2); }), "mean: axis -2 is out of bounds for array of dimension 1");
    // A 0-d expression reduces to itself.
    Tensor<double> scalar(Shape{}, 2.5);
    EXPECT_EQ(hoc::sum(scalar), 2.5);
}

TEST(ExprReduce, IdenticalAtOneAndTwoThreads) {
    auto a = random_tensor<float>(Shape{3'000'001}, 31);
    auto b = random_tensor<float>(Shape{3'000'001}, 32);
    const float s1 = with_threads(1, [&] { return hoc::sum(a * b); });
    const float s2 = with_threads(2, [&] { return hoc::sum(a * b); });
    EXPECT_EQ(s1, s2);
    auto m = hoc::slice(a, 0, 0, 1001 * 2997).reshape(Shape{1001, 2997});
    Tensor<float> r1 = with_threads(1, [&] { return hoc::sum(m, 0); }), r2 = with_threads(2, [&] { return hoc::sum(m, 0); });
    for (index_t i = 0; i < r1.size(); ++i) ASSERT_EQ(r1(i), r2(i));
    Tensor<float> c1 = with_threads(1, [&] { return hoc::mean(m * 2.0f, -1); }),
                  c2 = with_threads(2, [&] { return hoc::mean(m * 2.0f, -1); });
    for (index_t i = 0; i < c1.size(); ++i) ASSERT_EQ(c1(i), c2(i));
}
