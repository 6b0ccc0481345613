// Narrow rows (hoc/expr/narrow_rows.hpp): an m x n destination with n shorter
// than one SIMD batch is assigned as one flat run, bias rows read as repeated
// tiles. Reference: naive loops with the same scalar operations (+, *, max,
// where are exact, so results must be bit-identical), and the usual loop on an
// equivalent non-contiguous destination for the cases the flat run declines.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "bitwise_equal.hpp"
#include "hoc/hoc.hpp"

using hoc::index_t;
using hoc::Shape;
using hoc::Tensor;

namespace {

long narrow_taken() { return hoc::expr::detail::narrow_rows_count.load(); }

template <class T>
Tensor<T> rnd(const Shape& s, unsigned seed) {
    Tensor<T> t(s);
    std::mt19937 gen(seed);
    std::uniform_int_distribution<int> d(-50, 50);
    for (index_t i = 0; i < t.size(); ++i) t.data()[i] = static_cast<T>(d(gen)) / T(8);
    return t;
}

// y = max(y * s + b, z) with b a bias row, z full size; y also read (same element).
template <class T>
void check_bias_row(index_t m, index_t n, unsigned seed) {
    Tensor<T> y = rnd<T>(Shape{m, n}, seed);
    const Tensor<T> b = rnd<T>(Shape{n}, seed + 1), z = rnd<T>(Shape{m, n}, seed + 2);
    const Tensor<T> y0 = y;
    const long before = narrow_taken();
    y = hoc::maximum(y * T(3) + b, z);
    // Above 2^20 elements the work is always past the parallel grain: the usual loop.
    EXPECT_EQ(narrow_taken() - before, m * n < (index_t(1) << 20) ? 1 : 0) << m << "x" << n;
    for (index_t i = 0; i < m; ++i)
        for (index_t j = 0; j < n; ++j) {
            const T want = std::max(T(y0(i, j) * T(3) + b(j)), z(i, j));
            ASSERT_TRUE(same_bits(y(i, j), want)) << m << "x" << n << " at " << i << "," << j;
        }
}

TEST(NarrowRows, EveryWidthBelowOneBatch) {
    for (index_t n = 2; n < hoc::expr::simd::width<float>; ++n)
        for (index_t m : {1, 2, 3, 100, 257}) check_bias_row<float>(m, n, unsigned(m + 17 * n));
    for (index_t n = 2; n < hoc::expr::simd::width<double>; ++n)
        for (index_t m : {1, 5, 100}) check_bias_row<double>(m, n, unsigned(m + 19 * n));
    for (index_t n = 2; n < hoc::expr::simd::width<std::int32_t>; ++n) check_bias_row<std::int32_t>(50, n, unsigned(n));
}

TEST(NarrowRows, LongRunsSplitIntoTileRowsAndALastRow) {
    // Over 1024 elements: rows of lcm(n, W) plus a shorter last row.
    check_bias_row<float>(1000, 5, 1);
    check_bias_row<float>(777, 7, 2);
    check_bias_row<double>(1001, 3, 3);
    check_bias_row<float>(400000, 3, 4);  // beyond one thread's grain: the usual (parallel) loop
}

TEST(NarrowRows, SeveralTilesScalarsAndOneElementOperands) {
    Tensor<float> y = rnd<float>(Shape{100, 5}, 5);
    const Tensor<float> b1 = rnd<float>(Shape{5}, 6), b2 = rnd<float>(Shape{1, 5}, 7), one = rnd<float>(Shape{1, 1}, 8);
    const Tensor<float> y0 = y;
    const long before = narrow_taken();
    y = (y + b1) * b2 - one + b1 * 2.0f;
    EXPECT_EQ(narrow_taken() - before, 1);
    for (index_t i = 0; i < 100; ++i)
        for (index_t j = 0; j < 5; ++j) {
            const float want = (y0(i, j) + b1(j)) * b2(0, j) - one(0, 0) + b1(j) * 2.0f;
            ASSERT_TRUE(same_bits(y(i, j), want)) << i << "," << j;
        }
}

TEST(NarrowRows, DeclinedLayoutsGiveTheSameResult) {
    const Tensor<float> x = rnd<float>(Shape{60, 6}, 9);
    const Tensor<float> col = rnd<float>(Shape{60, 1}, 10), b = rnd<float>(Shape{6}, 11);
    const Tensor<double> bd = rnd<double>(Shape{6}, 12);
    const Tensor<float> wide = rnd<float>(Shape{60, 12}, 13);
    const auto every_other = hoc::slice(wide, 1, 0, 12, 2);
    // bias column, a bias row of another type, a strided operand, many tiles
    Tensor<float> y1(Shape{60, 6}), y2(Shape{60, 6}), y3(Shape{60, 6}), y4(Shape{60, 6});
    const long before = narrow_taken();
    y1 = x * col + b;
    y2 = x + bd;
    y3 = x + every_other;
    y4 = x + b + b + b + b + b;
    EXPECT_EQ(narrow_taken() - before, 0);
    for (index_t i = 0; i < 60; ++i)
        for (index_t j = 0; j < 6; ++j) {
            ASSERT_TRUE(same_bits(y1(i, j), x(i, j) * col(i, 0) + b(j)));
            ASSERT_TRUE(same_bits(y2(i, j), float(double(x(i, j)) + bd(j))));
            ASSERT_TRUE(same_bits(y3(i, j), x(i, j) + wide(i, 2 * j)));
            ASSERT_TRUE(same_bits(y4(i, j), x(i, j) + b(j) + b(j) + b(j) + b(j) + b(j)));
        }
    // A destination that is a view with a wider row stride: the usual loop; the rest untouched.
    Tensor<float> big(Shape{60, 12}, -1.0f);
    hoc::slice(big, 1, 0, 6) = x + b;
    for (index_t i = 0; i < 60; ++i)
        for (index_t j = 0; j < 12; ++j)
            ASSERT_TRUE(same_bits(big(i, j), j < 6 ? x(i, j) + b(j) : -1.0f));
}

TEST(NarrowRows, NanAndInfFlowThrough) {
    Tensor<float> y = rnd<float>(Shape{9, 3}, 14);
    Tensor<float> b = rnd<float>(Shape{3}, 15);
    y(4, 1) = std::numeric_limits<float>::infinity();
    b(2) = std::numeric_limits<float>::quiet_NaN();
    y = hoc::maximum(y + b, 0.0f);
    EXPECT_TRUE(std::isinf(y(4, 1)));
    for (index_t i = 0; i < 9; ++i) EXPECT_TRUE(std::isnan(y(i, 2))) << i;
}

TEST(NarrowRows, AliasedShiftedReadStillGoesThroughATemporary) {
    // y's rows read shifted by one row: a harmful overlap, decided before any loop runs.
    Tensor<float> y = rnd<float>(Shape{10, 4}, 16);
    const Tensor<float> y0 = y;
    hoc::slice(y, 0, 1, 10) = hoc::slice(y, 0, 0, 9) + 1.0f;
    for (index_t i = 1; i < 10; ++i)
        for (index_t j = 0; j < 4; ++j) ASSERT_TRUE(same_bits(y(i, j), y0(i - 1, j) + 1.0f));
}

}  // namespace
