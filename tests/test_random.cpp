// hoc::Random: Philox4x32-10 against Random123's published known answers,
// determinism (per seed, across calls, across thread counts), ranges, errors,
// and statistical sanity with bounds derived from the sample size.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "hoc/hoc.hpp"

using hoc::Shape;
using hoc::Tensor;

namespace {

template <class T>
bool same(const Tensor<T>& a, const Tensor<T>& b) {
    return a.shape() == b.shape() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(T) * static_cast<std::size_t>(a.size())) == 0);
}

// Restores hoc's thread count when a test ends.
struct ThreadGuard {
    int saved = hoc::num_threads();
    ~ThreadGuard() { hoc::set_num_threads(saved); }
};

struct Moments {
    double mean = 0, var = 0;
};
template <class T>
Moments moments(const Tensor<T>& t) {
    double s = 0, s2 = 0;
    for (hoc::index_t i = 0; i < t.size(); ++i) s += t.data()[i];
    const double n = static_cast<double>(t.size()), mean = s / n;
    for (hoc::index_t i = 0; i < t.size(); ++i) s2 += (t.data()[i] - mean) * (t.data()[i] - mean);
    return {mean, s2 / (n - 1)};
}

}  // namespace

// Random123's kat_vectors, "philox4x32 10" lines: counter, key -> output.
TEST(Philox, KnownAnswers) {
    using hoc::detail::philox4x32_10;
    static_assert(philox4x32_10({0, 0, 0, 0}, {0, 0}) ==
                  hoc::detail::PhiloxBlock{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
    EXPECT_EQ(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
              (hoc::detail::PhiloxBlock{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
    EXPECT_EQ(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
              (hoc::detail::PhiloxBlock{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(Random, SameSeedSameNumbers) {
    hoc::Random a(42), b(42);
    EXPECT_TRUE(same(a.normal<double>(Shape{3, 7}), b.normal<double>(Shape{3, 7})));
    EXPECT_TRUE(same(a.uniform<float>(Shape{5}), b.uniform<float>(Shape{5})));
    // Element 0 of a fresh double uniform is block 0's first two words, by construction.
    const auto w = hoc::detail::philox_block(42, 0);
    const double u0 = static_cast<double>(((std::uint64_t{w[0]} << 32) | w[1]) >> 11) * 0x1p-53;
    EXPECT_EQ(hoc::Random(42).uniform<double>(Shape{1})(0), u0);
    // Every float uniform element i is word i % 4 of block (start + i / 4), from
    // any starting block and for lengths that end mid-block.
    const auto f = hoc::Random(42, 5).uniform<float>(Shape{37});
    for (int i = 0; i < 37; ++i) {
        const auto b = hoc::detail::philox_block(42, 5 + static_cast<std::uint64_t>(i / 4));
        EXPECT_EQ(f(i), static_cast<float>(b[static_cast<std::size_t>(i % 4)] >> 8) * 0x1p-24f) << i;
    }
}

TEST(Random, DifferentSeedsDiffer) {
    const auto a = hoc::Random(1).uniform<double>(Shape{1000});
    const auto b = hoc::Random(2).uniform<double>(Shape{1000});
    const auto c = hoc::Random(std::uint64_t{1} << 32).uniform<double>(Shape{1000});  // high key word
    int equal_ab = 0, equal_ac = 0;
    for (int i = 0; i < 1000; ++i) equal_ab += a(i) == b(i), equal_ac += a(i) == c(i);
    EXPECT_EQ(equal_ab, 0);
    EXPECT_EQ(equal_ac, 0);
}

TEST(Random, SuccessiveCallsContinueTheStream) {
    // float uniform uses 4 values per block, so 8 + 8 is exactly 16 from one call.
    hoc::Random r(7);
    const auto x = r.uniform<float>(Shape{8});
    const auto y = r.uniform<float>(Shape{2, 4});
    EXPECT_EQ(r.position(), 4u);
    const auto all = hoc::Random(7).uniform<float>(Shape{16});
    for (int i = 0; i < 8; ++i) {
        EXPECT_EQ(x(i), all(i));
        EXPECT_EQ(y(i / 4, i % 4), all(8 + i));
    }
    // A call of 3 uses a whole block; the next starts at the next block.
    hoc::Random s(7);
    (void)s.normal<double>(Shape{3});
    EXPECT_EQ(s.position(), 2u);
    EXPECT_TRUE(same(s.normal<double>(Shape{4}), hoc::Random(7, 2).normal<double>(Shape{4})));
    // Later calls are not a replay of the first.
    EXPECT_NE(x(0), y(0, 0));
}

TEST(Random, IdenticalAtOneAndTwoThreads) {
    ThreadGuard guard;
    const Shape big{1 << 18};  // 2^18 elements: many parallel chunks at 2 threads
    hoc::set_num_threads(1);
    hoc::Random r1(2024);
    const auto n1 = r1.normal<float>(big);
    const auto u1 = r1.uniform<double>(big, -2.0, 3.0);
    const auto m1 = r1.normal<double>(Shape{1001});
    const auto v1 = r1.uniform<float>(Shape{4097});
    hoc::set_num_threads(2);
    hoc::Random r2(2024);
    const auto n2 = r2.normal<float>(big);
    const auto u2 = r2.uniform<double>(big, -2.0, 3.0);
    const auto m2 = r2.normal<double>(Shape{1001});
    const auto v2 = r2.uniform<float>(Shape{4097});
    EXPECT_TRUE(same(n1, n2));
    EXPECT_TRUE(same(u1, u2));
    EXPECT_TRUE(same(m1, m2));
    EXPECT_TRUE(same(v1, v2));
    EXPECT_EQ(r1.position(), r2.position());
}

TEST(Random, UniformStaysInHalfOpenRange) {
    hoc::Random r(3);
    const auto a = r.uniform<float>(Shape{100000}, -3.0f, -2.5f);
    const auto b = r.uniform<double>(Shape{100000});
    for (hoc::index_t i = 0; i < a.size(); ++i) ASSERT_TRUE(a(i) >= -3.0f && a(i) < -2.5f) << a(i);
    for (hoc::index_t i = 0; i < b.size(); ++i) ASSERT_TRUE(b(i) >= 0.0 && b(i) < 1.0) << b(i);
    // An interval one ulp wide can only give lo: rounding up to hi is caught.
    const float lo = 1.0f, hi = std::nextafter(1.0f, 2.0f);
    const auto c = r.uniform<float>(Shape{10000}, lo, hi);
    for (hoc::index_t i = 0; i < c.size(); ++i) ASSERT_EQ(c(i), lo);
    // lo == hi gives lo, as NumPy does.
    EXPECT_EQ(r.uniform<double>(Shape{3}, 2.5, 2.5)(2), 2.5);
    // A wide range that does not overflow hi - lo.
    const auto d = r.uniform<double>(Shape{1000}, -1e300, 1e300);
    for (hoc::index_t i = 0; i < d.size(); ++i) ASSERT_TRUE(d(i) >= -1e300 && d(i) < 1e300);
}

// Statistical checks on n = 2^20 samples. Each bound is 6 standard errors of
// the statistic (a false failure has probability ~2e-9 per check), and the
// values are fixed by the seed, so the test is deterministic anyway.
TEST(Random, UniformMoments) {
    const double n = 1 << 20;
    hoc::Random r(11);
    for (int pass = 0; pass < 2; ++pass) {
        const Moments m = pass == 0 ? moments(r.uniform<double>(Shape{1 << 20}))
                                    : moments(r.uniform<float>(Shape{1 << 20}));
        // U(0,1): mean 1/2, variance 1/12; se(mean) = sqrt(1/12 / n);
        // se(variance) = sqrt((mu4 - sigma^4) / n) with mu4 = 1/80.
        EXPECT_NEAR(m.mean, 0.5, 6 * std::sqrt(1.0 / 12 / n));
        EXPECT_NEAR(m.var, 1.0 / 12, 6 * std::sqrt((1.0 / 80 - 1.0 / 144) / n));
    }
    // Scaled: U(-2, 6) has mean 2 and variance 64/12.
    const Moments s = moments(r.uniform<double>(Shape{1 << 20}, -2.0, 6.0));
    EXPECT_NEAR(s.mean, 2.0, 6 * std::sqrt(64.0 / 12 / n));
}

TEST(Random, NormalMomentsAndTails) {
    const double n = 1 << 20;
    hoc::Random r(12);
    for (int pass = 0; pass < 2; ++pass) {
        Tensor<double> z(Shape{1 << 20});
        if (pass == 0) z = r.normal<double>(Shape{1 << 20});
        else z = Tensor<double>(r.normal<float>(Shape{1 << 20}).view());
        const Moments m = moments(z);
        // N(0,1): se(mean) = 1/sqrt(n); se(variance) = sqrt(2/n).
        EXPECT_NEAR(m.mean, 0.0, 6 / std::sqrt(n));
        EXPECT_NEAR(m.var, 1.0, 6 * std::sqrt(2 / n));
        // Tail fractions: P(|z| < 1) = 0.682689, P(z > 2) = 0.0227501, P(z < -3) = 0.0013499;
        // se of a fraction p is sqrt(p (1 - p) / n).
        double in1 = 0, above2 = 0, below3 = 0, lag1 = 0;
        for (hoc::index_t i = 0; i < z.size(); ++i) {
            const double v = z(i);
            in1 += std::abs(v) < 1, above2 += v > 2, below3 += v < -3;
            if (i) lag1 += v * z(i - 1);
        }
        auto se = [&](double p) { return 6 * std::sqrt(p * (1 - p) / n); };
        EXPECT_NEAR(in1 / n, 0.682689, se(0.682689));
        EXPECT_NEAR(above2 / n, 0.0227501, se(0.0227501));
        EXPECT_NEAR(below3 / n, 0.0013499, se(0.0013499));
        // Neighbours (the two halves of a Box-Muller pair among them) are uncorrelated.
        EXPECT_NEAR(lag1 / (n - 1), 0.0, 6 / std::sqrt(n));
        for (hoc::index_t i = 0; i < z.size(); ++i) ASSERT_TRUE(std::isfinite(z(i)));
    }
    // Scaled: N(3, 0.5^2).
    const Moments s = moments(r.normal<double>(Shape{1 << 20}, 3.0, 0.5));
    EXPECT_NEAR(s.mean, 3.0, 6 * 0.5 / std::sqrt(n));
    EXPECT_NEAR(s.var, 0.25, 6 * 0.25 * std::sqrt(2 / n));
}

TEST(Random, IntoViewsAndOddShapes) {
    // A strided destination receives the numbers a fresh call returns, in its C order.
    Tensor<double> t(Shape{4, 6}, -1.0);
    auto v = hoc::slice(t, 1, 5, 0, -2);  // shape (4, 3), negative stride
    hoc::Random r(5);
    r.normal_into(v, 1.0, 2.0);
    const auto expect = hoc::Random(5).normal<double>(Shape{4, 3}, 1.0, 2.0);
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 3; ++j) {
            EXPECT_EQ(v(i, j), expect(i, j));
            EXPECT_EQ(t(i, 2 * j), -1.0);  // untouched columns
        }
    // 0-d and empty.
    EXPECT_EQ(hoc::Random(1).uniform<float>(Shape{}).size(), 1);
    hoc::Random e(1);
    EXPECT_EQ(e.normal<double>(Shape{3, 0}).size(), 0);
    EXPECT_EQ(e.position(), 0u);
    // stddev 0 gives the mean exactly.
    const auto c = hoc::Random(9).normal<float>(Shape{5}, 2.5f, 0.0f);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(c(i), 2.5f);
}

TEST(Random, BadArgumentsThrowAndLeaveTheStreamAlone) {
    hoc::Random r(1);
    auto message = [](auto f) {
        try {
            f();
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("(no exception)");
    };
    EXPECT_EQ(message([&] { (void)r.uniform<double>(Shape{2}, 1.0, 0.0); }),
              "Random::uniform: need finite lo <= hi, got lo = 1.000000, hi = 0.000000");
    EXPECT_NE(message([&] { (void)r.uniform<float>(Shape{2}, 0.0f, NAN); }).find("need finite lo <= hi"),
              std::string::npos);
    EXPECT_NE(message([&] { (void)r.uniform<double>(Shape{2}, -1e308, 1e308); }).find("need finite lo <= hi"),
              std::string::npos);  // hi - lo overflows
    EXPECT_EQ(message([&] { (void)r.normal<double>(Shape{2}, 0.0, -1.0); }),
              "Random::normal: need a finite mean and a finite stddev >= 0, got mean = 0.000000, stddev = -1.000000");
    EXPECT_NE(message([&] { (void)r.normal<float>(Shape{2}, INFINITY, 1.0f); }).find("finite mean"), std::string::npos);
    EXPECT_THROW((void)r.normal<double>(Shape{-1}), std::invalid_argument);
    EXPECT_EQ(r.position(), 0u);
}
